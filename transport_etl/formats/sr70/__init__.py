"""SR70 register of rail operating points (stations, stops) with positions."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="sr70",
    family="rail",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=('sr70',),
)
