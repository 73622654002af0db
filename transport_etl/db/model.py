"""The unified model's tables, listed once: closing a superseded version's rows, counting what a version
published, pruning and the schema tests all read this list."""

from __future__ import annotations

# Tables whose rows belong to one feed version of one source (source_id, feed_version_id, recorded_to).
UNIFIED_TABLES: tuple[str, ...] = (
    "operator", "stop_place", "stop_point", "line", "service_calendar", "route_geometry",
    "journey", "call", "transport_node", "transport_link", "road_event", "road_event_location", "traffic_count",
    "bike_station", "parking_facility",
    "fleet_vehicle", "fleet_charging_point", "fleet_charging_session", "fleet_trip",
)
