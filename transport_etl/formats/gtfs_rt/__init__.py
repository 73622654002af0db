"""GTFS-Realtime (trip updates, vehicle positions, service alerts) recorded as history."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="gtfs-rt", family="municipal", staging_tables=(),
                        poll_step="poll:poll_gtfs_rt", poll_feed="gtfs_rt")
