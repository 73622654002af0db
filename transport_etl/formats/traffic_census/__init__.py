"""ŘSD national traffic census counts joined to road links."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="traffic-census", family="road", staging_tables=("traffic\\_census",))
