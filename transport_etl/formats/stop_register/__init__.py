"""Regional stop register (CRZ stop numbers and označník poles with positions), CSV or XLSX."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="stop-register",
    family="regional",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=('stop\\_register',),
)
