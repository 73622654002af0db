"""The fleet's vehicle register (CSV with a column mapping): model, usable battery capacity, home depot."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="fleet-vehicles",
    family="fleet",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=("fleet\\_vehicle\\_%",),
)
