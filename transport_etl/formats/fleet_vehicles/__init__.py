"""The fleet's vehicle register (CSV with a column mapping): model, usable battery capacity, home depot."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="fleet-vehicles", family="fleet",
                        staging_tables=("fleet\\_vehicle\\_%",))
