"""ŘSD closures and works as GeoJSON, located on the road network."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="road-closures", family="road", staging_tables=("road\\_event",))
