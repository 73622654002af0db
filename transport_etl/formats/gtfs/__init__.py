"""GTFS Schedule: reader, staging (COPY), validation (MobilityData codes) and unified mapping."""

from transport_etl.formats.contract import Format

FORMAT = Format.declare(
    __name__, name="gtfs", family="municipal", staging_tables=("gtfs\\_%",),
    export_step="transport_etl.export.gtfs:export_gtfs",
    # a new version writes only what changed (publish.sql); unchanged rows keep their identity
    incremental_tables=("operator", "stop_place", "stop_point", "line", "service_calendar", "route_geometry",
                        "journey", "call"),
)
