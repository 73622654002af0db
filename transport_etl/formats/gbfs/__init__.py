"""GBFS (General Bikeshare Feed Specification) 2.x/3.0: discovery, station feeds, status polling."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(
    __name__, name="gbfs", family="municipal", staging_tables=("gbfs\\_%",),
    poll_step="status:poll_gbfs_status", poll_feed="gbfs_status",
    poll_needs_url=False,  # a GBFS system always has live status, even from a folder
)
