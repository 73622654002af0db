"""ŘSD road network (OGR layers: Shapefile, GeoPackage, GeoJSON) as versioned links and nodes."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="road-network",
    family="road",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=('road\\_link',),
)
