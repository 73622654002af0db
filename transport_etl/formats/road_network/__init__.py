"""ŘSD road network (OGR layers: Shapefile, GeoPackage, GeoJSON) as versioned links and nodes."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="road-network", family="road", staging_tables=("road\\_link",))
