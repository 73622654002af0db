"""Parking facilities and occupancy from CSV or GeoJSON with a configurable column mapping."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="parking", family="municipal", staging_tables=("parking\\_%",),
                        poll_step="poll:poll_parking", poll_feed="parking_occupancy")
