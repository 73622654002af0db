"""ŘSD national traffic census counts joined to road links."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="traffic-census",
    family="road",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=('traffic\\_census',),
)
