"""GTFS-Realtime (trip updates, vehicle positions, service alerts) recorded as history."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="gtfs-rt",
    family="municipal",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=(),
    poll_step="poll:poll_gtfs_rt",
    poll_feed="gtfs_rt",
)
