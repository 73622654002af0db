"""JDF (jízdní řády, CIS JŘ exchange format) 1.9 / 1.10 / 1.11: reader, calendar and stop-time semantics, loader into the unified model."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(__name__, name="jdf", family="regional", staging_tables=("jdf\\_%",))
