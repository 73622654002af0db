"""Vehicle telemetry of the fleet (vendor CSV / JSON lines with a column mapping and units, GPX tracks): records, trips and their energy."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="fleet-telemetry",
    family="fleet",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=("fleet\\_telemetry\\_%",),
)
