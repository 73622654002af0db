-- GTFS-Realtime history: every message kept (deduplicated by header timestamp), its trip updates,
-- stop time updates, vehicle positions and alerts, each joined to the static GTFS feed version
-- that was current when the message was recorded. No feed_version_id columns on purpose: the
-- runner prunes old versions' rows, history must outlive them (lineage: poll_run_id).

CREATE TABLE IF NOT EXISTS unified.rt_message (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL,
    namespace text NOT NULL,
    feed_kind text NOT NULL CHECK (feed_kind IN ('trip_updates', 'vehicle_positions', 'alerts', 'mixed', 'empty')),
    header_timestamp timestamptz,
    gtfs_realtime_version text,
    incrementality text,
    entity_count integer NOT NULL,
    content_sha256 text NOT NULL,
    source_file text,
    static_source_id text,
    static_feed_version_id bigint,
    poll_run_id bigint NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS rt_message_key ON unified.rt_message (source_id, feed_kind, header_timestamp);
CREATE INDEX IF NOT EXISTS rt_message_recorded ON unified.rt_message (source_id, recorded_at);
COMMENT ON TABLE unified.rt_message IS 'GTFS-Realtime messages recorded (polled or loaded from .pb files); a message with the same header timestamp (or, without one, the same bytes) as a stored one adds nothing. Kept for the source''s retention_days (default 30; 0 = keep all).';
COMMENT ON COLUMN unified.rt_message.id IS 'Message id; the rt_* rows of the message name it.';
COMMENT ON COLUMN unified.rt_message.source_id IS 'GTFS-RT source (lineage.source.id).';
COMMENT ON COLUMN unified.rt_message.namespace IS 'Namespace of the source''s identifiers.';
COMMENT ON COLUMN unified.rt_message.feed_kind IS 'trip_updates, vehicle_positions, alerts, mixed or empty (no entities).';
COMMENT ON COLUMN unified.rt_message.header_timestamp IS 'FeedHeader.timestamp: when the producer created the message.';
COMMENT ON COLUMN unified.rt_message.gtfs_realtime_version IS 'FeedHeader.gtfs_realtime_version.';
COMMENT ON COLUMN unified.rt_message.incrementality IS 'FULL_DATASET or DIFFERENTIAL.';
COMMENT ON COLUMN unified.rt_message.entity_count IS 'Entities in the message.';
COMMENT ON COLUMN unified.rt_message.content_sha256 IS 'SHA-256 of the message bytes.';
COMMENT ON COLUMN unified.rt_message.source_file IS 'File name (file loads) or URL (polls) of the message.';
COMMENT ON COLUMN unified.rt_message.static_source_id IS 'Static GTFS source the message was matched against (source option static_source).';
COMMENT ON COLUMN unified.rt_message.static_feed_version_id IS 'Static GTFS feed version current when the message was recorded (lineage.feed_version.id); NULL if none was loaded.';
COMMENT ON COLUMN unified.rt_message.poll_run_id IS 'Poll run (lineage.poll_run.id) that recorded the message; for file loads it names the load run and feed version.';
COMMENT ON COLUMN unified.rt_message.recorded_at IS 'When the message was recorded; retention counts from it.';

CREATE TABLE IF NOT EXISTS unified.rt_trip_update (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id bigint NOT NULL REFERENCES unified.rt_message(id) ON DELETE CASCADE,
    source_id text NOT NULL,
    entity_id text,
    trip_id text,
    route_id text,
    direction_id smallint,
    start_date date,
    start_time text,
    service_date date,
    schedule_relationship text,
    vehicle_id text,
    vehicle_label text,
    update_timestamp timestamptz,
    delay_s integer,
    static_feed_version_id bigint,
    matched boolean NOT NULL,
    unmatched_reason text,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS rt_trip_update_message ON unified.rt_trip_update (message_id);
CREATE INDEX IF NOT EXISTS rt_trip_update_trip ON unified.rt_trip_update (source_id, trip_id, service_date);
COMMENT ON TABLE unified.rt_trip_update IS 'GTFS-RT TripUpdate entities, matched to the trips (staging.gtfs_trips) of the static feed version current at the time; unmatched ones say why.';
COMMENT ON COLUMN unified.rt_trip_update.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.rt_trip_update.message_id IS 'Message (unified.rt_message.id).';
COMMENT ON COLUMN unified.rt_trip_update.source_id IS 'GTFS-RT source.';
COMMENT ON COLUMN unified.rt_trip_update.entity_id IS 'FeedEntity.id.';
COMMENT ON COLUMN unified.rt_trip_update.trip_id IS 'TripDescriptor.trip_id = static trips.txt trip_id (= unified.journey.local_id of the static source).';
COMMENT ON COLUMN unified.rt_trip_update.route_id IS 'TripDescriptor.route_id, or the static trip''s route when not given.';
COMMENT ON COLUMN unified.rt_trip_update.direction_id IS 'TripDescriptor.direction_id.';
COMMENT ON COLUMN unified.rt_trip_update.start_date IS 'TripDescriptor.start_date as published.';
COMMENT ON COLUMN unified.rt_trip_update.start_time IS 'TripDescriptor.start_time as published (HH:MM:SS, may exceed 24 h).';
COMMENT ON COLUMN unified.rt_trip_update.service_date IS 'Service date used for scheduled times: start_date, else the local date of the message (agency timezone).';
COMMENT ON COLUMN unified.rt_trip_update.schedule_relationship IS 'SCHEDULED, ADDED, UNSCHEDULED, CANCELED, REPLACEMENT, DUPLICATED, DELETED, NEW.';
COMMENT ON COLUMN unified.rt_trip_update.vehicle_id IS 'VehicleDescriptor.id.';
COMMENT ON COLUMN unified.rt_trip_update.vehicle_label IS 'VehicleDescriptor.label.';
COMMENT ON COLUMN unified.rt_trip_update.update_timestamp IS 'TripUpdate.timestamp: when the prediction was made.';
COMMENT ON COLUMN unified.rt_trip_update.delay_s IS 'TripUpdate.delay (seconds late, negative = early), if published.';
COMMENT ON COLUMN unified.rt_trip_update.static_feed_version_id IS 'Static feed version the trip was matched against.';
COMMENT ON COLUMN unified.rt_trip_update.matched IS 'True when trip_id is a trip of that static feed version.';
COMMENT ON COLUMN unified.rt_trip_update.unmatched_reason IS 'Why not matched: no_static_feed, no_trip_id, added_trip, trip_not_in_static.';
COMMENT ON COLUMN unified.rt_trip_update.recorded_at IS 'When the row was written.';

CREATE TABLE IF NOT EXISTS unified.rt_stop_time_update (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    trip_update_id bigint NOT NULL REFERENCES unified.rt_trip_update(id) ON DELETE CASCADE,
    message_id bigint NOT NULL,
    source_id text NOT NULL,
    stop_sequence integer,
    stop_id text,
    schedule_relationship text,
    arrival_time timestamptz,
    arrival_delay_s integer,
    departure_time timestamptz,
    departure_delay_s integer,
    scheduled_arrival timestamptz,
    scheduled_departure timestamptz,
    stop_matched boolean NOT NULL DEFAULT false,
    geom geometry(Point, 5514),
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS rt_stop_time_update_tu ON unified.rt_stop_time_update (trip_update_id);
CREATE INDEX IF NOT EXISTS rt_stop_time_update_stop ON unified.rt_stop_time_update (source_id, stop_id);
COMMENT ON TABLE unified.rt_stop_time_update IS 'GTFS-RT StopTimeUpdates: predicted (or recorded) arrival/departure at a stop, with the scheduled time of the static feed and the delay.';
COMMENT ON COLUMN unified.rt_stop_time_update.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.rt_stop_time_update.trip_update_id IS 'Trip update (unified.rt_trip_update.id).';
COMMENT ON COLUMN unified.rt_stop_time_update.message_id IS 'Message (unified.rt_message.id).';
COMMENT ON COLUMN unified.rt_stop_time_update.source_id IS 'GTFS-RT source.';
COMMENT ON COLUMN unified.rt_stop_time_update.stop_sequence IS 'stop_sequence as published, or of the matched static stop time.';
COMMENT ON COLUMN unified.rt_stop_time_update.stop_id IS 'stop_id as published, or of the matched static stop time.';
COMMENT ON COLUMN unified.rt_stop_time_update.schedule_relationship IS 'SCHEDULED, SKIPPED, NO_DATA, UNSCHEDULED.';
COMMENT ON COLUMN unified.rt_stop_time_update.arrival_time IS 'Predicted arrival (StopTimeEvent.time, or scheduled + delay).';
COMMENT ON COLUMN unified.rt_stop_time_update.arrival_delay_s IS 'Arrival delay in seconds (published delay, else predicted − scheduled).';
COMMENT ON COLUMN unified.rt_stop_time_update.departure_time IS 'Predicted departure.';
COMMENT ON COLUMN unified.rt_stop_time_update.departure_delay_s IS 'Departure delay in seconds (published delay, else predicted − scheduled).';
COMMENT ON COLUMN unified.rt_stop_time_update.scheduled_arrival IS 'Scheduled arrival from the static stop_times on the service date (agency timezone).';
COMMENT ON COLUMN unified.rt_stop_time_update.scheduled_departure IS 'Scheduled departure from the static stop_times.';
COMMENT ON COLUMN unified.rt_stop_time_update.stop_matched IS 'True when the stop time was found in the static trip.';
CREATE INDEX IF NOT EXISTS rt_stop_time_update_geom ON unified.rt_stop_time_update USING gist (geom);
COMMENT ON COLUMN unified.rt_stop_time_update.geom IS 'Position of the stop (static stops.txt) in EPSG:5514; NULL outside the S-JTSK area or unknown.';
COMMENT ON COLUMN unified.rt_stop_time_update.recorded_at IS 'When the row was written.';

CREATE TABLE IF NOT EXISTS unified.rt_vehicle_position (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id bigint NOT NULL REFERENCES unified.rt_message(id) ON DELETE CASCADE,
    source_id text NOT NULL,
    entity_id text,
    vehicle_id text,
    vehicle_label text,
    trip_id text,
    route_id text,
    start_date date,
    matched boolean NOT NULL,
    unmatched_reason text,
    static_feed_version_id bigint,
    position_timestamp timestamptz,
    lat double precision,
    lon double precision,
    bearing real,
    speed_mps real,
    current_stop_sequence integer,
    stop_id text,
    current_status text,
    occupancy_status text,
    geom geometry(Point, 5514),
    location_note text,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS rt_vehicle_position_message ON unified.rt_vehicle_position (message_id);
CREATE INDEX IF NOT EXISTS rt_vehicle_position_geom ON unified.rt_vehicle_position USING gist (geom);
COMMENT ON TABLE unified.rt_vehicle_position IS 'GTFS-RT VehiclePosition entities: where each vehicle was, on which static trip.';
COMMENT ON COLUMN unified.rt_vehicle_position.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.rt_vehicle_position.message_id IS 'Message (unified.rt_message.id).';
COMMENT ON COLUMN unified.rt_vehicle_position.source_id IS 'GTFS-RT source.';
COMMENT ON COLUMN unified.rt_vehicle_position.entity_id IS 'FeedEntity.id.';
COMMENT ON COLUMN unified.rt_vehicle_position.vehicle_id IS 'VehicleDescriptor.id.';
COMMENT ON COLUMN unified.rt_vehicle_position.vehicle_label IS 'VehicleDescriptor.label.';
COMMENT ON COLUMN unified.rt_vehicle_position.trip_id IS 'Trip served (static trip_id).';
COMMENT ON COLUMN unified.rt_vehicle_position.route_id IS 'Route (line) served.';
COMMENT ON COLUMN unified.rt_vehicle_position.start_date IS 'TripDescriptor.start_date.';
COMMENT ON COLUMN unified.rt_vehicle_position.matched IS 'True when trip_id is a trip of the static feed version.';
COMMENT ON COLUMN unified.rt_vehicle_position.unmatched_reason IS 'Why not matched (as for trip updates).';
COMMENT ON COLUMN unified.rt_vehicle_position.static_feed_version_id IS 'Static feed version matched against.';
COMMENT ON COLUMN unified.rt_vehicle_position.position_timestamp IS 'VehiclePosition.timestamp: when the position was measured.';
COMMENT ON COLUMN unified.rt_vehicle_position.lat IS 'Latitude, WGS84, as published.';
COMMENT ON COLUMN unified.rt_vehicle_position.lon IS 'Longitude, WGS84, as published.';
COMMENT ON COLUMN unified.rt_vehicle_position.bearing IS 'Bearing, degrees clockwise from north.';
COMMENT ON COLUMN unified.rt_vehicle_position.speed_mps IS 'Speed, metres per second.';
COMMENT ON COLUMN unified.rt_vehicle_position.current_stop_sequence IS 'Stop sequence of the current / next stop.';
COMMENT ON COLUMN unified.rt_vehicle_position.stop_id IS 'Current / next stop.';
COMMENT ON COLUMN unified.rt_vehicle_position.current_status IS 'INCOMING_AT, STOPPED_AT, IN_TRANSIT_TO.';
COMMENT ON COLUMN unified.rt_vehicle_position.occupancy_status IS 'Occupancy as published (EMPTY ... FULL).';
COMMENT ON COLUMN unified.rt_vehicle_position.geom IS 'Position in EPSG:5514; NULL when missing, at 0,0 or outside the S-JTSK area (see location_note; lat/lon keep the published values).';
COMMENT ON COLUMN unified.rt_vehicle_position.location_note IS 'Why geom is NULL: missing_position, point_near_origin, outside_crs_area.';
COMMENT ON COLUMN unified.rt_vehicle_position.recorded_at IS 'When the row was written.';

CREATE TABLE IF NOT EXISTS unified.rt_alert (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    message_id bigint NOT NULL REFERENCES unified.rt_message(id) ON DELETE CASCADE,
    source_id text NOT NULL,
    entity_id text,
    cause text,
    effect text,
    severity_level text,
    header_text text,
    description_text text,
    url text,
    active_from timestamptz,
    active_to timestamptz,
    active_periods jsonb,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS rt_alert_message ON unified.rt_alert (message_id);
COMMENT ON TABLE unified.rt_alert IS 'GTFS-RT service alerts; the lines, stops and trips they name are in unified.rt_alert_entity.';
COMMENT ON COLUMN unified.rt_alert.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.rt_alert.message_id IS 'Message (unified.rt_message.id).';
COMMENT ON COLUMN unified.rt_alert.source_id IS 'GTFS-RT source.';
COMMENT ON COLUMN unified.rt_alert.entity_id IS 'FeedEntity.id.';
COMMENT ON COLUMN unified.rt_alert.cause IS 'Cause (STRIKE, CONSTRUCTION, ACCIDENT, ...).';
COMMENT ON COLUMN unified.rt_alert.effect IS 'Effect (NO_SERVICE, REDUCED_SERVICE, DETOUR, ...).';
COMMENT ON COLUMN unified.rt_alert.severity_level IS 'INFO, WARNING, SEVERE or UNKNOWN_SEVERITY.';
COMMENT ON COLUMN unified.rt_alert.header_text IS 'Header text (Czech translation preferred, else the first).';
COMMENT ON COLUMN unified.rt_alert.description_text IS 'Description text (Czech preferred).';
COMMENT ON COLUMN unified.rt_alert.url IS 'URL with more information.';
COMMENT ON COLUMN unified.rt_alert.active_from IS 'Start of the earliest active period (NULL = open).';
COMMENT ON COLUMN unified.rt_alert.active_to IS 'End of the latest active period (NULL = open).';
COMMENT ON COLUMN unified.rt_alert.active_periods IS 'All active periods as published: [{start, end}] in POSIX seconds.';
COMMENT ON COLUMN unified.rt_alert.recorded_at IS 'When the row was written.';

CREATE TABLE IF NOT EXISTS unified.rt_alert_entity (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    alert_id bigint NOT NULL REFERENCES unified.rt_alert(id) ON DELETE CASCADE,
    source_id text NOT NULL,
    agency_id text,
    route_id text,
    route_type integer,
    trip_id text,
    stop_id text,
    line_id bigint,
    stop_point_id bigint,
    stop_place_id bigint,
    recorded_at timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS rt_alert_entity_alert ON unified.rt_alert_entity (alert_id);
CREATE INDEX IF NOT EXISTS rt_alert_entity_line ON unified.rt_alert_entity (line_id);
CREATE INDEX IF NOT EXISTS rt_alert_entity_stop ON unified.rt_alert_entity (stop_point_id);
COMMENT ON TABLE unified.rt_alert_entity IS 'What an alert names (GTFS-RT informed_entity), linked to the current unified lines and stops of the static source.';
COMMENT ON COLUMN unified.rt_alert_entity.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.rt_alert_entity.alert_id IS 'Alert (unified.rt_alert.id).';
COMMENT ON COLUMN unified.rt_alert_entity.source_id IS 'GTFS-RT source.';
COMMENT ON COLUMN unified.rt_alert_entity.agency_id IS 'agency_id as published.';
COMMENT ON COLUMN unified.rt_alert_entity.route_id IS 'route_id as published.';
COMMENT ON COLUMN unified.rt_alert_entity.route_type IS 'route_type as published.';
COMMENT ON COLUMN unified.rt_alert_entity.trip_id IS 'trip_id as published.';
COMMENT ON COLUMN unified.rt_alert_entity.stop_id IS 'stop_id as published.';
COMMENT ON COLUMN unified.rt_alert_entity.line_id IS 'unified.line.id of route_id in the static source (current row when recorded); NULL if not found.';
COMMENT ON COLUMN unified.rt_alert_entity.stop_point_id IS 'unified.stop_point.id of stop_id in the static source; NULL if not a stop point.';
COMMENT ON COLUMN unified.rt_alert_entity.stop_place_id IS 'unified.stop_place.id of stop_id (a station) or of the named stop point''s place.';
COMMENT ON COLUMN unified.rt_alert_entity.recorded_at IS 'When the row was written.';

-- Trip lookups per poll would otherwise scan every stop time of the static version.
CREATE INDEX IF NOT EXISTS gtfs_rt_trips_lookup ON staging.gtfs_trips (feed_version_id, trip_id);
CREATE INDEX IF NOT EXISTS gtfs_rt_stop_times_lookup ON staging.gtfs_stop_times (feed_version_id, trip_id);

CREATE OR REPLACE VIEW unified.rt_stop_delay_hourly AS
WITH latest AS (
    -- the last prediction recorded for each trip, day and stop: the closest to what happened
    SELECT DISTINCT ON (tu.source_id, tu.trip_id, tu.service_date, s.stop_sequence, s.stop_id)
           tu.source_id, tu.trip_id, tu.service_date, tu.route_id, s.stop_id, s.geom,
           coalesce(s.departure_time, s.arrival_time) AS event_time,
           coalesce(s.departure_delay_s, s.arrival_delay_s) AS delay_s
    FROM unified.rt_stop_time_update s
    JOIN unified.rt_trip_update tu ON tu.id = s.trip_update_id
    JOIN unified.rt_message m ON m.id = tu.message_id
    WHERE tu.matched AND coalesce(s.schedule_relationship, 'SCHEDULED') = 'SCHEDULED'
    ORDER BY tu.source_id, tu.trip_id, tu.service_date, s.stop_sequence, s.stop_id, m.header_timestamp DESC, s.id DESC
)
SELECT source_id, stop_id, date_trunc('hour', event_time) AS hour,
       count(*) AS calls, count(DISTINCT trip_id) AS trips,
       round(avg(delay_s)::numeric, 1) AS avg_delay_s, max(delay_s) AS max_delay_s,
       percentile_cont(0.5) WITHIN GROUP (ORDER BY delay_s) AS median_delay_s,
       count(*) FILTER (WHERE delay_s > 180) AS calls_over_3_min,
       (array_agg(geom) FILTER (WHERE geom IS NOT NULL))[1] AS geom
FROM latest
WHERE delay_s IS NOT NULL AND event_time IS NOT NULL
GROUP BY source_id, stop_id, date_trunc('hour', event_time);
COMMENT ON VIEW unified.rt_stop_delay_hourly IS 'Delay per stop and hour from GTFS-RT history: the last recorded prediction of each trip at each stop, averaged per hour of the (predicted) departure.';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.source_id IS 'GTFS-RT source.';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.stop_id IS 'Static stop_id (= unified.stop_point.local_id of the static source).';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.hour IS 'Hour of the predicted departure (arrival at the last stop), timestamptz.';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.calls IS 'Trip calls at the stop in the hour.';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.trips IS 'Distinct trips.';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.avg_delay_s IS 'Mean delay in seconds (negative = early).';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.max_delay_s IS 'Largest delay in seconds.';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.median_delay_s IS 'Median delay in seconds.';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.calls_over_3_min IS 'Calls more than 3 minutes late.';
COMMENT ON COLUMN unified.rt_stop_delay_hourly.geom IS 'Stop position, EPSG:5514 (NULL outside the S-JTSK area).';
