"""ALERT-C (TMC) location tables in the ISO 14819-3 exchange format: points, segments and roads with
coordinates and previous/next links, through which ALERT-C located road events are placed on links."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="alertc-location-table", family="road", staging_tables=("alertc\\_%",))
