"""DATEX II situation publications (NDIC) located on the road network."""

from transport_etl.formats.contract import Format

FORMAT = Format(
    name="datex2",
    family="road",
    package=__name__,
    summary=__doc__.strip(),
    cumulative=True,  # snapshot by default; a feed publishing updates sets update_mode: cumulative
    staging_tables=('road\\_event',),
)
