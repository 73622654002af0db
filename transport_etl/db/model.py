"""The unified model's tables, listed once: closing a superseded version's rows, counting what a version
published, pruning and the schema tests all read this list; and how a source's rows of each are found."""

from __future__ import annotations

from collections.abc import Iterable

from psycopg import sql

# Tables whose rows belong to one feed version of one source (source_id, feed_version_id, recorded_to).
UNIFIED_TABLES: tuple[str, ...] = (
    "operator", "stop_place", "stop_point", "line", "service_calendar", "route_geometry",
    "journey", "call", "transport_node", "transport_link", "road_event", "road_event_location", "traffic_count",
    "bike_station", "parking_facility",
    "fleet_vehicle", "fleet_charging_point", "fleet_charging_session", "fleet_trip",
)


def of_source(table: str, alias: str = "u") -> sql.Composable:
    """Condition (binds %(src)s) on ``unified.<table> AS alias`` selecting the rows of the source that its
    current-rows index reaches; AND it with ``recorded_to IS NULL`` for the source's current rows. A table's own
    source_id serves, except for calls: unified.call has no index on source_id (schemas/900: one index less
    to maintain for every call written), and a source's current calls are those of its current journeys (journey_current, then the
    call key (journey_id, sequence)). So calls must be closed before their journeys (:func:`children_first`)."""
    a = sql.Identifier(alias)
    if table == "call":
        return sql.SQL("{a}.journey_id IN (SELECT j.id FROM unified.journey j WHERE j.source_id = %(src)s "
                       "AND j.recorded_to IS NULL)").format(a=a)
    return sql.SQL("{a}.source_id = %(src)s").format(a=a)


def children_first(tables: Iterable[str]) -> list[str]:
    """``tables`` in an order that closes a source's calls while their journeys are still current."""
    return sorted(tables, key=lambda t: t != "call")
