"""Vehicle telemetry of the fleet (vendor CSV / JSON lines with a column mapping and units, GPX tracks): records, trips and their energy."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="fleet-telemetry", family="fleet",
                        staging_tables=("fleet\\_telemetry\\_%",))
