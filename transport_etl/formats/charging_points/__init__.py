"""Charging stations for electric vehicles: the national register of public stations as published (CSV, column mapping) and the region's own chargers."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="charging-points", family="fleet",
                        staging_tables=("fleet\\_charging\\_point\\_%",))
