"""Charging sessions of fleet vehicles (charger backend or charging-card export, CSV / JSON lines with a column mapping): vehicle, charger, start, end, energy."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="charging-sessions",
    family="fleet",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=("fleet\\_charging\\_session\\_%",),
)
