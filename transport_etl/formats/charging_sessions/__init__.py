"""Charging sessions of fleet vehicles (charger backend or charging-card export, CSV / JSON lines with a column mapping): vehicle, charger, start, end, energy."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="charging-sessions", family="fleet",
                        staging_tables=("fleet\\_charging\\_session\\_%",))
