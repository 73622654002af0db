-- Every reference used for pruning or lookups gets an index (issue 11). Without them:
-- departures of one stop scan all calls (call.stop_point_id), pruning a version's route geometries
-- scans unified.journey once per deleted row (journey.route_geometry_id), and deleting operators,
-- calendars or links checks their referencing rows by sequential scan.
CREATE INDEX IF NOT EXISTS call_stop_point ON unified.call (stop_point_id);
CREATE INDEX IF NOT EXISTS journey_route_geometry ON unified.journey (route_geometry_id);
CREATE INDEX IF NOT EXISTS journey_service_calendar ON unified.journey (service_calendar_id);
CREATE INDEX IF NOT EXISTS line_operator ON unified.line (operator_id);
CREATE INDEX IF NOT EXISTS road_event_location_link ON unified.road_event_location (transport_link_id);
CREATE INDEX IF NOT EXISTS traffic_count_link ON unified.traffic_count (transport_link_id);
CREATE INDEX IF NOT EXISTS transport_link_start_node ON unified.transport_link (start_node_id);
CREATE INDEX IF NOT EXISTS transport_link_end_node ON unified.transport_link (end_node_id);
CREATE INDEX IF NOT EXISTS load_run_feed_version ON lineage.load_run (feed_version_id);
