"""Parking facilities and occupancy from CSV or GeoJSON with a configurable column mapping."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="parking",
    family="municipal",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=('parking\\_%',),
    poll_step="poll:poll_parking",
    poll_feed="parking_occupancy",
)
