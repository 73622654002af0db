"""Správa železnic CZPTT timetable messages (CZPTTCISMessage, cancellations) as journeys on the rail network."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(
    __name__, name="czptt", family="rail", staging_tables=("czptt\\_%",),
    update_mode="cumulative", order_step="carry:publication_order",
    cumulative=True,  # yearly base GVDyyyy.zip, then monthly messages and cancellations
)
