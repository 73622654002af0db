"""DATEX II situation publications (NDIC) located on the road network."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(
    __name__, name="datex2", family="road", staging_tables=("road\\_event",),
    cumulative=True,  # snapshot by default; a feed publishing updates sets update_mode: cumulative
)
