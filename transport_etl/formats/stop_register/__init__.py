"""Regional stop register (CRZ stop numbers and označník poles with positions), CSV or XLSX."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="stop-register", family="regional",
                        staging_tables=("stop\\_register",))
