"""ŘSD closures and works as GeoJSON, located on the road network."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="road-closures",
    family="road",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=('road\\_event',),
)
