"""JDF (jízdní řády, CIS JŘ exchange format) 1.9 / 1.10 / 1.11: reader, calendar and stop-time semantics, loader into the unified model."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="jdf",
    family="regional",
    package=__name__,
    summary=__doc__.strip(),
    staging_tables=('jdf\\_%',),
)
