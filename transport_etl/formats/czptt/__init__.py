"""Správa železnic CZPTT timetable messages (CZPTTCISMessage, cancellations) as journeys on the rail network."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="czptt",
    family="rail",
    package=__name__,
    summary=__doc__.strip(),
    update_mode="cumulative",
    cumulative=True,  # yearly base GVDyyyy.zip, then monthly messages and cancellations
    order_step="carry:publication_order",
    staging_tables=('czptt\\_%',),
)
