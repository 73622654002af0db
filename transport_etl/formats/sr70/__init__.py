"""SR70 register of rail operating points (stations, stops) with positions."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="sr70", family="rail", staging_tables=("sr70",))
