-- GTFS staging: one typed table per GTFS Schedule file, one row per record, keyed by feed version.
-- Generated from transport_etl/sources/municipal/gtfs/spec.py (a unit test keeps them in step).
-- Times are kept as published (text) and as integer seconds after noon minus 12 h (<column>_s, generated).
-- Earlier development builds stored times as integers without the text: rebuild those staging tables
-- (staging is re-derivable from the archived inputs).
DO $$
BEGIN
  -- Rebuild only the old integer-times layout (arrival_time_s absent). stop_times seconds columns that are
  -- plain since 102_gtfs_stream_seconds.sql (no generation expression) are the current layout: keep them.
  IF to_regclass('staging.gtfs_stop_times') IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM information_schema.columns WHERE table_schema = 'staging' AND table_name = 'gtfs_stop_times'
        AND column_name = 'arrival_time_s'
        AND (generation_expression LIKE '%split_part%' OR generation_expression IS NULL)) THEN
    EXECUTE (SELECT string_agg(format('DROP TABLE %I.%I', table_schema, table_name), '; ')
             FROM information_schema.tables WHERE table_schema = 'staging' AND table_name LIKE 'gtfs\_%'
               AND table_name <> 'gtfs_file');
  END IF;
END $$;

CREATE OR REPLACE FUNCTION staging.gtfs_bad_time(t text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RAISE EXCEPTION 'invalid GTFS time: %', t USING ERRCODE = 'invalid_datetime_format';
END $$;
COMMENT ON FUNCTION staging.gtfs_bad_time(text) IS 'Raises invalid_datetime_format for a malformed GTFS time (used by staging.gtfs_time_s, so a bulk COPY fails and the loader falls back to record-by-record checks).';

CREATE OR REPLACE FUNCTION staging.gtfs_time_s(t text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t IS NULL OR t = '' THEN NULL
                WHEN t ~ '^\s*\d{1,3}:[0-5]\d:[0-5]\d\s*$'
                    THEN split_part(btrim(t), ':', 1)::int * 3600 + split_part(btrim(t), ':', 2)::int * 60
                         + split_part(btrim(t), ':', 3)::int
                ELSE staging.gtfs_bad_time(t) END
$$;
COMMENT ON FUNCTION staging.gtfs_time_s(text) IS 'GTFS time H:MM:SS (hours may exceed 23) → seconds after noon minus 12 h; raises on malformed input.';


CREATE TABLE IF NOT EXISTS staging.gtfs_agency (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    agency_id text,
    agency_name text,
    agency_url text,
    agency_timezone text,
    agency_lang text,
    agency_phone text,
    agency_fare_url text,
    agency_email text,
    cemv_support smallint,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_agency_fv ON staging.gtfs_agency USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_agency IS 'Transit agencies (GTFS agency.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_agency.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_agency.line_no IS 'Physical line of the record in agency.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_agency.agency_id IS 'GTFS agency.txt agency_id, as published.';
COMMENT ON COLUMN staging.gtfs_agency.agency_name IS 'GTFS agency.txt agency_name, as published.';
COMMENT ON COLUMN staging.gtfs_agency.agency_url IS 'GTFS agency.txt agency_url, as published.';
COMMENT ON COLUMN staging.gtfs_agency.agency_timezone IS 'GTFS agency.txt agency_timezone, as published.';
COMMENT ON COLUMN staging.gtfs_agency.agency_lang IS 'GTFS agency.txt agency_lang, as published.';
COMMENT ON COLUMN staging.gtfs_agency.agency_phone IS 'GTFS agency.txt agency_phone, as published.';
COMMENT ON COLUMN staging.gtfs_agency.agency_fare_url IS 'GTFS agency.txt agency_fare_url, as published.';
COMMENT ON COLUMN staging.gtfs_agency.agency_email IS 'GTFS agency.txt agency_email, as published.';
COMMENT ON COLUMN staging.gtfs_agency.cemv_support IS 'GTFS agency.txt cemv_support, as published.';
COMMENT ON COLUMN staging.gtfs_agency.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_stops (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    stop_id text,
    stop_code text,
    stop_name text,
    tts_stop_name text,
    stop_desc text,
    stop_lat double precision,
    stop_lon double precision,
    zone_id text,
    stop_url text,
    location_type smallint,
    parent_station text,
    stop_timezone text,
    wheelchair_boarding smallint,
    level_id text,
    platform_code text,
    stop_access smallint,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_stops_fv ON staging.gtfs_stops USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_stops IS 'Stops, stations, entrances, nodes and boarding areas (GTFS stops.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_stops.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_stops.line_no IS 'Physical line of the record in stops.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_stops.stop_id IS 'GTFS stops.txt stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_stops.stop_code IS 'GTFS stops.txt stop_code, as published.';
COMMENT ON COLUMN staging.gtfs_stops.stop_name IS 'GTFS stops.txt stop_name, as published.';
COMMENT ON COLUMN staging.gtfs_stops.tts_stop_name IS 'GTFS stops.txt tts_stop_name, as published.';
COMMENT ON COLUMN staging.gtfs_stops.stop_desc IS 'GTFS stops.txt stop_desc, as published.';
COMMENT ON COLUMN staging.gtfs_stops.stop_lat IS 'GTFS stops.txt stop_lat, as published.';
COMMENT ON COLUMN staging.gtfs_stops.stop_lon IS 'GTFS stops.txt stop_lon, as published.';
COMMENT ON COLUMN staging.gtfs_stops.zone_id IS 'GTFS stops.txt zone_id, as published.';
COMMENT ON COLUMN staging.gtfs_stops.stop_url IS 'GTFS stops.txt stop_url, as published.';
COMMENT ON COLUMN staging.gtfs_stops.location_type IS 'GTFS stops.txt location_type, as published.';
COMMENT ON COLUMN staging.gtfs_stops.parent_station IS 'GTFS stops.txt parent_station, as published.';
COMMENT ON COLUMN staging.gtfs_stops.stop_timezone IS 'GTFS stops.txt stop_timezone, as published.';
COMMENT ON COLUMN staging.gtfs_stops.wheelchair_boarding IS 'GTFS stops.txt wheelchair_boarding, as published.';
COMMENT ON COLUMN staging.gtfs_stops.level_id IS 'GTFS stops.txt level_id, as published.';
COMMENT ON COLUMN staging.gtfs_stops.platform_code IS 'GTFS stops.txt platform_code, as published.';
COMMENT ON COLUMN staging.gtfs_stops.stop_access IS 'GTFS stops.txt stop_access, as published.';
COMMENT ON COLUMN staging.gtfs_stops.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_routes (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    route_id text,
    agency_id text,
    route_short_name text,
    route_long_name text,
    route_desc text,
    route_type integer,
    route_url text,
    route_color text,
    route_text_color text,
    route_sort_order integer,
    continuous_pickup smallint,
    continuous_drop_off smallint,
    network_id text,
    cemv_support smallint,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_routes_fv ON staging.gtfs_routes USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_routes IS 'Routes = lines (GTFS routes.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_routes.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_routes.line_no IS 'Physical line of the record in routes.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_routes.route_id IS 'GTFS routes.txt route_id, as published.';
COMMENT ON COLUMN staging.gtfs_routes.agency_id IS 'GTFS routes.txt agency_id, as published.';
COMMENT ON COLUMN staging.gtfs_routes.route_short_name IS 'GTFS routes.txt route_short_name, as published.';
COMMENT ON COLUMN staging.gtfs_routes.route_long_name IS 'GTFS routes.txt route_long_name, as published.';
COMMENT ON COLUMN staging.gtfs_routes.route_desc IS 'GTFS routes.txt route_desc, as published.';
COMMENT ON COLUMN staging.gtfs_routes.route_type IS 'GTFS routes.txt route_type, as published.';
COMMENT ON COLUMN staging.gtfs_routes.route_url IS 'GTFS routes.txt route_url, as published.';
COMMENT ON COLUMN staging.gtfs_routes.route_color IS 'GTFS routes.txt route_color, as published.';
COMMENT ON COLUMN staging.gtfs_routes.route_text_color IS 'GTFS routes.txt route_text_color, as published.';
COMMENT ON COLUMN staging.gtfs_routes.route_sort_order IS 'GTFS routes.txt route_sort_order, as published.';
COMMENT ON COLUMN staging.gtfs_routes.continuous_pickup IS 'GTFS routes.txt continuous_pickup, as published.';
COMMENT ON COLUMN staging.gtfs_routes.continuous_drop_off IS 'GTFS routes.txt continuous_drop_off, as published.';
COMMENT ON COLUMN staging.gtfs_routes.network_id IS 'GTFS routes.txt network_id, as published.';
COMMENT ON COLUMN staging.gtfs_routes.cemv_support IS 'GTFS routes.txt cemv_support, as published.';
COMMENT ON COLUMN staging.gtfs_routes.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_trips (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    route_id text,
    service_id text,
    trip_id text,
    trip_headsign text,
    trip_short_name text,
    direction_id smallint,
    block_id text,
    shape_id text,
    wheelchair_accessible smallint,
    bikes_allowed smallint,
    cars_allowed smallint,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_trips_fv ON staging.gtfs_trips USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_trips IS 'Trips = journeys (GTFS trips.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_trips.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_trips.line_no IS 'Physical line of the record in trips.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_trips.route_id IS 'GTFS trips.txt route_id, as published.';
COMMENT ON COLUMN staging.gtfs_trips.service_id IS 'GTFS trips.txt service_id, as published.';
COMMENT ON COLUMN staging.gtfs_trips.trip_id IS 'GTFS trips.txt trip_id, as published.';
COMMENT ON COLUMN staging.gtfs_trips.trip_headsign IS 'GTFS trips.txt trip_headsign, as published.';
COMMENT ON COLUMN staging.gtfs_trips.trip_short_name IS 'GTFS trips.txt trip_short_name, as published.';
COMMENT ON COLUMN staging.gtfs_trips.direction_id IS 'GTFS trips.txt direction_id, as published.';
COMMENT ON COLUMN staging.gtfs_trips.block_id IS 'GTFS trips.txt block_id, as published.';
COMMENT ON COLUMN staging.gtfs_trips.shape_id IS 'GTFS trips.txt shape_id, as published.';
COMMENT ON COLUMN staging.gtfs_trips.wheelchair_accessible IS 'GTFS trips.txt wheelchair_accessible, as published.';
COMMENT ON COLUMN staging.gtfs_trips.bikes_allowed IS 'GTFS trips.txt bikes_allowed, as published.';
COMMENT ON COLUMN staging.gtfs_trips.cars_allowed IS 'GTFS trips.txt cars_allowed, as published.';
COMMENT ON COLUMN staging.gtfs_trips.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_stop_times (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    trip_id text,
    arrival_time text,
    arrival_time_s integer GENERATED ALWAYS AS (CASE WHEN arrival_time IS NULL THEN NULL WHEN length(arrival_time) BETWEEN 7 AND 9 AND substr(arrival_time, length(arrival_time) - 2, 1) = ':' AND substr(arrival_time, length(arrival_time) - 5, 1) = ':' AND substr(arrival_time, length(arrival_time) - 4, 1) < '6' AND substr(arrival_time, length(arrival_time) - 1, 1) < '6' THEN split_part(arrival_time, ':', 1)::integer * 3600 + substr(arrival_time, length(arrival_time) - 4, 2)::integer * 60 + right(arrival_time, 2)::integer ELSE staging.gtfs_bad_time(arrival_time) END) STORED,
    departure_time text,
    departure_time_s integer GENERATED ALWAYS AS (CASE WHEN departure_time IS NULL THEN NULL WHEN length(departure_time) BETWEEN 7 AND 9 AND substr(departure_time, length(departure_time) - 2, 1) = ':' AND substr(departure_time, length(departure_time) - 5, 1) = ':' AND substr(departure_time, length(departure_time) - 4, 1) < '6' AND substr(departure_time, length(departure_time) - 1, 1) < '6' THEN split_part(departure_time, ':', 1)::integer * 3600 + substr(departure_time, length(departure_time) - 4, 2)::integer * 60 + right(departure_time, 2)::integer ELSE staging.gtfs_bad_time(departure_time) END) STORED,
    stop_id text,
    location_group_id text,
    location_id text,
    stop_sequence integer,
    stop_headsign text,
    start_pickup_drop_off_window text,
    start_pickup_drop_off_window_s integer GENERATED ALWAYS AS (CASE WHEN start_pickup_drop_off_window IS NULL THEN NULL WHEN length(start_pickup_drop_off_window) BETWEEN 7 AND 9 AND substr(start_pickup_drop_off_window, length(start_pickup_drop_off_window) - 2, 1) = ':' AND substr(start_pickup_drop_off_window, length(start_pickup_drop_off_window) - 5, 1) = ':' AND substr(start_pickup_drop_off_window, length(start_pickup_drop_off_window) - 4, 1) < '6' AND substr(start_pickup_drop_off_window, length(start_pickup_drop_off_window) - 1, 1) < '6' THEN split_part(start_pickup_drop_off_window, ':', 1)::integer * 3600 + substr(start_pickup_drop_off_window, length(start_pickup_drop_off_window) - 4, 2)::integer * 60 + right(start_pickup_drop_off_window, 2)::integer ELSE staging.gtfs_bad_time(start_pickup_drop_off_window) END) STORED,
    end_pickup_drop_off_window text,
    end_pickup_drop_off_window_s integer GENERATED ALWAYS AS (CASE WHEN end_pickup_drop_off_window IS NULL THEN NULL WHEN length(end_pickup_drop_off_window) BETWEEN 7 AND 9 AND substr(end_pickup_drop_off_window, length(end_pickup_drop_off_window) - 2, 1) = ':' AND substr(end_pickup_drop_off_window, length(end_pickup_drop_off_window) - 5, 1) = ':' AND substr(end_pickup_drop_off_window, length(end_pickup_drop_off_window) - 4, 1) < '6' AND substr(end_pickup_drop_off_window, length(end_pickup_drop_off_window) - 1, 1) < '6' THEN split_part(end_pickup_drop_off_window, ':', 1)::integer * 3600 + substr(end_pickup_drop_off_window, length(end_pickup_drop_off_window) - 4, 2)::integer * 60 + right(end_pickup_drop_off_window, 2)::integer ELSE staging.gtfs_bad_time(end_pickup_drop_off_window) END) STORED,
    pickup_type smallint,
    drop_off_type smallint,
    continuous_pickup smallint,
    continuous_drop_off smallint,
    shape_dist_traveled double precision,
    timepoint smallint,
    pickup_booking_rule_id text,
    drop_off_booking_rule_id text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_stop_times_fv ON staging.gtfs_stop_times USING brin (feed_version_id);
COMMENT ON TABLE staging.gtfs_stop_times IS 'Calls of trips at stops (GTFS stop_times.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_stop_times.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_stop_times.line_no IS 'Physical line of the record in stop_times.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_stop_times.trip_id IS 'GTFS stop_times.txt trip_id, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.arrival_time_s IS 'GTFS stop_times.txt arrival_time in seconds after noon minus 12 h of the service day (may exceed 86400); computed from arrival_time.';
COMMENT ON COLUMN staging.gtfs_stop_times.arrival_time IS 'GTFS stop_times.txt arrival_time as published (H:MM:SS, hours may exceed 23).';
COMMENT ON COLUMN staging.gtfs_stop_times.departure_time_s IS 'GTFS stop_times.txt departure_time in seconds after noon minus 12 h of the service day (may exceed 86400); computed from departure_time.';
COMMENT ON COLUMN staging.gtfs_stop_times.departure_time IS 'GTFS stop_times.txt departure_time as published (H:MM:SS, hours may exceed 23).';
COMMENT ON COLUMN staging.gtfs_stop_times.stop_id IS 'GTFS stop_times.txt stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.location_group_id IS 'GTFS stop_times.txt location_group_id, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.location_id IS 'GTFS stop_times.txt location_id, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.stop_sequence IS 'GTFS stop_times.txt stop_sequence, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.stop_headsign IS 'GTFS stop_times.txt stop_headsign, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.start_pickup_drop_off_window_s IS 'GTFS stop_times.txt start_pickup_drop_off_window in seconds after noon minus 12 h of the service day (may exceed 86400); computed from start_pickup_drop_off_window.';
COMMENT ON COLUMN staging.gtfs_stop_times.start_pickup_drop_off_window IS 'GTFS stop_times.txt start_pickup_drop_off_window as published (H:MM:SS, hours may exceed 23).';
COMMENT ON COLUMN staging.gtfs_stop_times.end_pickup_drop_off_window_s IS 'GTFS stop_times.txt end_pickup_drop_off_window in seconds after noon minus 12 h of the service day (may exceed 86400); computed from end_pickup_drop_off_window.';
COMMENT ON COLUMN staging.gtfs_stop_times.end_pickup_drop_off_window IS 'GTFS stop_times.txt end_pickup_drop_off_window as published (H:MM:SS, hours may exceed 23).';
COMMENT ON COLUMN staging.gtfs_stop_times.pickup_type IS 'GTFS stop_times.txt pickup_type, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.drop_off_type IS 'GTFS stop_times.txt drop_off_type, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.continuous_pickup IS 'GTFS stop_times.txt continuous_pickup, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.continuous_drop_off IS 'GTFS stop_times.txt continuous_drop_off, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.shape_dist_traveled IS 'GTFS stop_times.txt shape_dist_traveled, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.timepoint IS 'GTFS stop_times.txt timepoint, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.pickup_booking_rule_id IS 'GTFS stop_times.txt pickup_booking_rule_id, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.drop_off_booking_rule_id IS 'GTFS stop_times.txt drop_off_booking_rule_id, as published.';
COMMENT ON COLUMN staging.gtfs_stop_times.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_calendar (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    service_id text,
    monday smallint,
    tuesday smallint,
    wednesday smallint,
    thursday smallint,
    friday smallint,
    saturday smallint,
    sunday smallint,
    start_date date,
    end_date date,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_calendar_fv ON staging.gtfs_calendar USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_calendar IS 'Weekly service patterns with a date range (GTFS calendar.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_calendar.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_calendar.line_no IS 'Physical line of the record in calendar.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_calendar.service_id IS 'GTFS calendar.txt service_id, as published.';
COMMENT ON COLUMN staging.gtfs_calendar.monday IS 'GTFS calendar.txt monday, as published.';
COMMENT ON COLUMN staging.gtfs_calendar.tuesday IS 'GTFS calendar.txt tuesday, as published.';
COMMENT ON COLUMN staging.gtfs_calendar.wednesday IS 'GTFS calendar.txt wednesday, as published.';
COMMENT ON COLUMN staging.gtfs_calendar.thursday IS 'GTFS calendar.txt thursday, as published.';
COMMENT ON COLUMN staging.gtfs_calendar.friday IS 'GTFS calendar.txt friday, as published.';
COMMENT ON COLUMN staging.gtfs_calendar.saturday IS 'GTFS calendar.txt saturday, as published.';
COMMENT ON COLUMN staging.gtfs_calendar.sunday IS 'GTFS calendar.txt sunday, as published.';
COMMENT ON COLUMN staging.gtfs_calendar.start_date IS 'GTFS calendar.txt start_date (YYYYMMDD parsed).';
COMMENT ON COLUMN staging.gtfs_calendar.end_date IS 'GTFS calendar.txt end_date (YYYYMMDD parsed).';
COMMENT ON COLUMN staging.gtfs_calendar.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_calendar_dates (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    service_id text,
    date date,
    exception_type smallint,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_calendar_dates_fv ON staging.gtfs_calendar_dates USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_calendar_dates IS 'Service exceptions: 1 added, 2 removed on a date (GTFS calendar_dates.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_calendar_dates.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_calendar_dates.line_no IS 'Physical line of the record in calendar_dates.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_calendar_dates.service_id IS 'GTFS calendar_dates.txt service_id, as published.';
COMMENT ON COLUMN staging.gtfs_calendar_dates.date IS 'GTFS calendar_dates.txt date (YYYYMMDD parsed).';
COMMENT ON COLUMN staging.gtfs_calendar_dates.exception_type IS 'GTFS calendar_dates.txt exception_type, as published.';
COMMENT ON COLUMN staging.gtfs_calendar_dates.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_shapes (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    shape_id text,
    shape_pt_lat double precision,
    shape_pt_lon double precision,
    shape_pt_sequence integer,
    shape_dist_traveled double precision,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_shapes_fv ON staging.gtfs_shapes USING brin (feed_version_id);
COMMENT ON TABLE staging.gtfs_shapes IS 'Shape points of vehicle paths (GTFS shapes.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_shapes.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_shapes.line_no IS 'Physical line of the record in shapes.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_shapes.shape_id IS 'GTFS shapes.txt shape_id, as published.';
COMMENT ON COLUMN staging.gtfs_shapes.shape_pt_lat IS 'GTFS shapes.txt shape_pt_lat, as published.';
COMMENT ON COLUMN staging.gtfs_shapes.shape_pt_lon IS 'GTFS shapes.txt shape_pt_lon, as published.';
COMMENT ON COLUMN staging.gtfs_shapes.shape_pt_sequence IS 'GTFS shapes.txt shape_pt_sequence, as published.';
COMMENT ON COLUMN staging.gtfs_shapes.shape_dist_traveled IS 'GTFS shapes.txt shape_dist_traveled, as published.';
COMMENT ON COLUMN staging.gtfs_shapes.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_frequencies (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    trip_id text,
    start_time text,
    start_time_s integer GENERATED ALWAYS AS (CASE WHEN start_time IS NULL THEN NULL WHEN length(start_time) BETWEEN 7 AND 9 AND substr(start_time, length(start_time) - 2, 1) = ':' AND substr(start_time, length(start_time) - 5, 1) = ':' AND substr(start_time, length(start_time) - 4, 1) < '6' AND substr(start_time, length(start_time) - 1, 1) < '6' THEN split_part(start_time, ':', 1)::integer * 3600 + substr(start_time, length(start_time) - 4, 2)::integer * 60 + right(start_time, 2)::integer ELSE staging.gtfs_bad_time(start_time) END) STORED,
    end_time text,
    end_time_s integer GENERATED ALWAYS AS (CASE WHEN end_time IS NULL THEN NULL WHEN length(end_time) BETWEEN 7 AND 9 AND substr(end_time, length(end_time) - 2, 1) = ':' AND substr(end_time, length(end_time) - 5, 1) = ':' AND substr(end_time, length(end_time) - 4, 1) < '6' AND substr(end_time, length(end_time) - 1, 1) < '6' THEN split_part(end_time, ':', 1)::integer * 3600 + substr(end_time, length(end_time) - 4, 2)::integer * 60 + right(end_time, 2)::integer ELSE staging.gtfs_bad_time(end_time) END) STORED,
    headway_secs integer,
    exact_times smallint,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_frequencies_fv ON staging.gtfs_frequencies USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_frequencies IS 'Headway-based service of template trips (GTFS frequencies.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_frequencies.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_frequencies.line_no IS 'Physical line of the record in frequencies.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_frequencies.trip_id IS 'GTFS frequencies.txt trip_id, as published.';
COMMENT ON COLUMN staging.gtfs_frequencies.start_time_s IS 'GTFS frequencies.txt start_time in seconds after noon minus 12 h of the service day (may exceed 86400); computed from start_time.';
COMMENT ON COLUMN staging.gtfs_frequencies.start_time IS 'GTFS frequencies.txt start_time as published (H:MM:SS, hours may exceed 23).';
COMMENT ON COLUMN staging.gtfs_frequencies.end_time_s IS 'GTFS frequencies.txt end_time in seconds after noon minus 12 h of the service day (may exceed 86400); computed from end_time.';
COMMENT ON COLUMN staging.gtfs_frequencies.end_time IS 'GTFS frequencies.txt end_time as published (H:MM:SS, hours may exceed 23).';
COMMENT ON COLUMN staging.gtfs_frequencies.headway_secs IS 'GTFS frequencies.txt headway_secs, as published.';
COMMENT ON COLUMN staging.gtfs_frequencies.exact_times IS 'GTFS frequencies.txt exact_times, as published.';
COMMENT ON COLUMN staging.gtfs_frequencies.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_transfers (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    from_stop_id text,
    to_stop_id text,
    from_route_id text,
    to_route_id text,
    from_trip_id text,
    to_trip_id text,
    transfer_type smallint,
    min_transfer_time integer,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_transfers_fv ON staging.gtfs_transfers USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_transfers IS 'Transfer rules between stops, routes, trips (GTFS transfers.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_transfers.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_transfers.line_no IS 'Physical line of the record in transfers.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_transfers.from_stop_id IS 'GTFS transfers.txt from_stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_transfers.to_stop_id IS 'GTFS transfers.txt to_stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_transfers.from_route_id IS 'GTFS transfers.txt from_route_id, as published.';
COMMENT ON COLUMN staging.gtfs_transfers.to_route_id IS 'GTFS transfers.txt to_route_id, as published.';
COMMENT ON COLUMN staging.gtfs_transfers.from_trip_id IS 'GTFS transfers.txt from_trip_id, as published.';
COMMENT ON COLUMN staging.gtfs_transfers.to_trip_id IS 'GTFS transfers.txt to_trip_id, as published.';
COMMENT ON COLUMN staging.gtfs_transfers.transfer_type IS 'GTFS transfers.txt transfer_type, as published.';
COMMENT ON COLUMN staging.gtfs_transfers.min_transfer_time IS 'GTFS transfers.txt min_transfer_time, as published.';
COMMENT ON COLUMN staging.gtfs_transfers.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_feed_info (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    feed_publisher_name text,
    feed_publisher_url text,
    feed_lang text,
    default_lang text,
    feed_start_date date,
    feed_end_date date,
    feed_version text,
    feed_contact_email text,
    feed_contact_url text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_feed_info_fv ON staging.gtfs_feed_info USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_feed_info IS 'Feed metadata (GTFS feed_info.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_feed_info.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_feed_info.line_no IS 'Physical line of the record in feed_info.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_feed_info.feed_publisher_name IS 'GTFS feed_info.txt feed_publisher_name, as published.';
COMMENT ON COLUMN staging.gtfs_feed_info.feed_publisher_url IS 'GTFS feed_info.txt feed_publisher_url, as published.';
COMMENT ON COLUMN staging.gtfs_feed_info.feed_lang IS 'GTFS feed_info.txt feed_lang, as published.';
COMMENT ON COLUMN staging.gtfs_feed_info.default_lang IS 'GTFS feed_info.txt default_lang, as published.';
COMMENT ON COLUMN staging.gtfs_feed_info.feed_start_date IS 'GTFS feed_info.txt feed_start_date (YYYYMMDD parsed).';
COMMENT ON COLUMN staging.gtfs_feed_info.feed_end_date IS 'GTFS feed_info.txt feed_end_date (YYYYMMDD parsed).';
COMMENT ON COLUMN staging.gtfs_feed_info.feed_version IS 'GTFS feed_info.txt feed_version, as published.';
COMMENT ON COLUMN staging.gtfs_feed_info.feed_contact_email IS 'GTFS feed_info.txt feed_contact_email, as published.';
COMMENT ON COLUMN staging.gtfs_feed_info.feed_contact_url IS 'GTFS feed_info.txt feed_contact_url, as published.';
COMMENT ON COLUMN staging.gtfs_feed_info.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_levels (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    level_id text,
    level_index double precision,
    level_name text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_levels_fv ON staging.gtfs_levels USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_levels IS 'Station levels (GTFS levels.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_levels.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_levels.line_no IS 'Physical line of the record in levels.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_levels.level_id IS 'GTFS levels.txt level_id, as published.';
COMMENT ON COLUMN staging.gtfs_levels.level_index IS 'GTFS levels.txt level_index, as published.';
COMMENT ON COLUMN staging.gtfs_levels.level_name IS 'GTFS levels.txt level_name, as published.';
COMMENT ON COLUMN staging.gtfs_levels.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_pathways (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    pathway_id text,
    from_stop_id text,
    to_stop_id text,
    pathway_mode smallint,
    is_bidirectional smallint,
    length double precision,
    traversal_time integer,
    stair_count integer,
    max_slope double precision,
    min_width double precision,
    signposted_as text,
    reversed_signposted_as text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_pathways_fv ON staging.gtfs_pathways USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_pathways IS 'Walkways inside stations (GTFS pathways.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_pathways.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_pathways.line_no IS 'Physical line of the record in pathways.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_pathways.pathway_id IS 'GTFS pathways.txt pathway_id, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.from_stop_id IS 'GTFS pathways.txt from_stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.to_stop_id IS 'GTFS pathways.txt to_stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.pathway_mode IS 'GTFS pathways.txt pathway_mode, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.is_bidirectional IS 'GTFS pathways.txt is_bidirectional, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.length IS 'GTFS pathways.txt length, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.traversal_time IS 'GTFS pathways.txt traversal_time, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.stair_count IS 'GTFS pathways.txt stair_count, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.max_slope IS 'GTFS pathways.txt max_slope, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.min_width IS 'GTFS pathways.txt min_width, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.signposted_as IS 'GTFS pathways.txt signposted_as, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.reversed_signposted_as IS 'GTFS pathways.txt reversed_signposted_as, as published.';
COMMENT ON COLUMN staging.gtfs_pathways.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_translations (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    table_name text,
    field_name text,
    language text,
    translation text,
    record_id text,
    record_sub_id text,
    field_value text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_translations_fv ON staging.gtfs_translations USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_translations IS 'Translated field values (GTFS translations.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_translations.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_translations.line_no IS 'Physical line of the record in translations.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_translations.table_name IS 'GTFS translations.txt table_name, as published.';
COMMENT ON COLUMN staging.gtfs_translations.field_name IS 'GTFS translations.txt field_name, as published.';
COMMENT ON COLUMN staging.gtfs_translations.language IS 'GTFS translations.txt language, as published.';
COMMENT ON COLUMN staging.gtfs_translations.translation IS 'GTFS translations.txt translation, as published.';
COMMENT ON COLUMN staging.gtfs_translations.record_id IS 'GTFS translations.txt record_id, as published.';
COMMENT ON COLUMN staging.gtfs_translations.record_sub_id IS 'GTFS translations.txt record_sub_id, as published.';
COMMENT ON COLUMN staging.gtfs_translations.field_value IS 'GTFS translations.txt field_value, as published.';
COMMENT ON COLUMN staging.gtfs_translations.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_attributions (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    attribution_id text,
    agency_id text,
    route_id text,
    trip_id text,
    organization_name text,
    is_producer smallint,
    is_operator smallint,
    is_authority smallint,
    attribution_url text,
    attribution_email text,
    attribution_phone text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_attributions_fv ON staging.gtfs_attributions USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_attributions IS 'Data attributions (GTFS attributions.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_attributions.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_attributions.line_no IS 'Physical line of the record in attributions.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_attributions.attribution_id IS 'GTFS attributions.txt attribution_id, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.agency_id IS 'GTFS attributions.txt agency_id, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.route_id IS 'GTFS attributions.txt route_id, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.trip_id IS 'GTFS attributions.txt trip_id, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.organization_name IS 'GTFS attributions.txt organization_name, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.is_producer IS 'GTFS attributions.txt is_producer, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.is_operator IS 'GTFS attributions.txt is_operator, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.is_authority IS 'GTFS attributions.txt is_authority, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.attribution_url IS 'GTFS attributions.txt attribution_url, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.attribution_email IS 'GTFS attributions.txt attribution_email, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.attribution_phone IS 'GTFS attributions.txt attribution_phone, as published.';
COMMENT ON COLUMN staging.gtfs_attributions.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_fare_attributes (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    fare_id text,
    price double precision,
    currency_type text,
    payment_method smallint,
    transfers smallint,
    agency_id text,
    transfer_duration integer,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_fare_attributes_fv ON staging.gtfs_fare_attributes USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_fare_attributes IS 'Fares v1 (GTFS fare_attributes.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_fare_attributes.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_fare_attributes.line_no IS 'Physical line of the record in fare_attributes.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_fare_attributes.fare_id IS 'GTFS fare_attributes.txt fare_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_attributes.price IS 'GTFS fare_attributes.txt price, as published.';
COMMENT ON COLUMN staging.gtfs_fare_attributes.currency_type IS 'GTFS fare_attributes.txt currency_type, as published.';
COMMENT ON COLUMN staging.gtfs_fare_attributes.payment_method IS 'GTFS fare_attributes.txt payment_method, as published.';
COMMENT ON COLUMN staging.gtfs_fare_attributes.transfers IS 'GTFS fare_attributes.txt transfers, as published.';
COMMENT ON COLUMN staging.gtfs_fare_attributes.agency_id IS 'GTFS fare_attributes.txt agency_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_attributes.transfer_duration IS 'GTFS fare_attributes.txt transfer_duration, as published.';
COMMENT ON COLUMN staging.gtfs_fare_attributes.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_fare_rules (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    fare_id text,
    route_id text,
    origin_id text,
    destination_id text,
    contains_id text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_fare_rules_fv ON staging.gtfs_fare_rules USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_fare_rules IS 'Fares v1 rules (GTFS fare_rules.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_fare_rules.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_fare_rules.line_no IS 'Physical line of the record in fare_rules.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_fare_rules.fare_id IS 'GTFS fare_rules.txt fare_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_rules.route_id IS 'GTFS fare_rules.txt route_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_rules.origin_id IS 'GTFS fare_rules.txt origin_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_rules.destination_id IS 'GTFS fare_rules.txt destination_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_rules.contains_id IS 'GTFS fare_rules.txt contains_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_rules.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_timeframes (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    timeframe_group_id text,
    start_time text,
    start_time_s integer GENERATED ALWAYS AS (CASE WHEN start_time IS NULL THEN NULL WHEN length(start_time) BETWEEN 7 AND 9 AND substr(start_time, length(start_time) - 2, 1) = ':' AND substr(start_time, length(start_time) - 5, 1) = ':' AND substr(start_time, length(start_time) - 4, 1) < '6' AND substr(start_time, length(start_time) - 1, 1) < '6' THEN split_part(start_time, ':', 1)::integer * 3600 + substr(start_time, length(start_time) - 4, 2)::integer * 60 + right(start_time, 2)::integer ELSE staging.gtfs_bad_time(start_time) END) STORED,
    end_time text,
    end_time_s integer GENERATED ALWAYS AS (CASE WHEN end_time IS NULL THEN NULL WHEN length(end_time) BETWEEN 7 AND 9 AND substr(end_time, length(end_time) - 2, 1) = ':' AND substr(end_time, length(end_time) - 5, 1) = ':' AND substr(end_time, length(end_time) - 4, 1) < '6' AND substr(end_time, length(end_time) - 1, 1) < '6' THEN split_part(end_time, ':', 1)::integer * 3600 + substr(end_time, length(end_time) - 4, 2)::integer * 60 + right(end_time, 2)::integer ELSE staging.gtfs_bad_time(end_time) END) STORED,
    service_id text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_timeframes_fv ON staging.gtfs_timeframes USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_timeframes IS 'Fares v2 time frames (GTFS timeframes.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_timeframes.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_timeframes.line_no IS 'Physical line of the record in timeframes.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_timeframes.timeframe_group_id IS 'GTFS timeframes.txt timeframe_group_id, as published.';
COMMENT ON COLUMN staging.gtfs_timeframes.start_time_s IS 'GTFS timeframes.txt start_time in seconds after noon minus 12 h of the service day (may exceed 86400); computed from start_time.';
COMMENT ON COLUMN staging.gtfs_timeframes.start_time IS 'GTFS timeframes.txt start_time as published (H:MM:SS, hours may exceed 23).';
COMMENT ON COLUMN staging.gtfs_timeframes.end_time_s IS 'GTFS timeframes.txt end_time in seconds after noon minus 12 h of the service day (may exceed 86400); computed from end_time.';
COMMENT ON COLUMN staging.gtfs_timeframes.end_time IS 'GTFS timeframes.txt end_time as published (H:MM:SS, hours may exceed 23).';
COMMENT ON COLUMN staging.gtfs_timeframes.service_id IS 'GTFS timeframes.txt service_id, as published.';
COMMENT ON COLUMN staging.gtfs_timeframes.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_rider_categories (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    rider_category_id text,
    rider_category_name text,
    is_default_fare_category smallint,
    eligibility_url text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_rider_categories_fv ON staging.gtfs_rider_categories USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_rider_categories IS 'Fares v2 rider categories (GTFS rider_categories.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_rider_categories.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_rider_categories.line_no IS 'Physical line of the record in rider_categories.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_rider_categories.rider_category_id IS 'GTFS rider_categories.txt rider_category_id, as published.';
COMMENT ON COLUMN staging.gtfs_rider_categories.rider_category_name IS 'GTFS rider_categories.txt rider_category_name, as published.';
COMMENT ON COLUMN staging.gtfs_rider_categories.is_default_fare_category IS 'GTFS rider_categories.txt is_default_fare_category, as published.';
COMMENT ON COLUMN staging.gtfs_rider_categories.eligibility_url IS 'GTFS rider_categories.txt eligibility_url, as published.';
COMMENT ON COLUMN staging.gtfs_rider_categories.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_fare_media (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    fare_media_id text,
    fare_media_name text,
    fare_media_type smallint,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_fare_media_fv ON staging.gtfs_fare_media USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_fare_media IS 'Fares v2 fare media (GTFS fare_media.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_fare_media.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_fare_media.line_no IS 'Physical line of the record in fare_media.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_fare_media.fare_media_id IS 'GTFS fare_media.txt fare_media_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_media.fare_media_name IS 'GTFS fare_media.txt fare_media_name, as published.';
COMMENT ON COLUMN staging.gtfs_fare_media.fare_media_type IS 'GTFS fare_media.txt fare_media_type, as published.';
COMMENT ON COLUMN staging.gtfs_fare_media.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_fare_products (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    fare_product_id text,
    fare_product_name text,
    rider_category_id text,
    fare_media_id text,
    amount double precision,
    currency text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_fare_products_fv ON staging.gtfs_fare_products USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_fare_products IS 'Fares v2 fare products (GTFS fare_products.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_fare_products.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_fare_products.line_no IS 'Physical line of the record in fare_products.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_fare_products.fare_product_id IS 'GTFS fare_products.txt fare_product_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_products.fare_product_name IS 'GTFS fare_products.txt fare_product_name, as published.';
COMMENT ON COLUMN staging.gtfs_fare_products.rider_category_id IS 'GTFS fare_products.txt rider_category_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_products.fare_media_id IS 'GTFS fare_products.txt fare_media_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_products.amount IS 'GTFS fare_products.txt amount, as published.';
COMMENT ON COLUMN staging.gtfs_fare_products.currency IS 'GTFS fare_products.txt currency, as published.';
COMMENT ON COLUMN staging.gtfs_fare_products.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_fare_leg_rules (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    leg_group_id text,
    network_id text,
    from_area_id text,
    to_area_id text,
    from_timeframe_group_id text,
    to_timeframe_group_id text,
    fare_product_id text,
    rule_priority integer,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_fare_leg_rules_fv ON staging.gtfs_fare_leg_rules USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_fare_leg_rules IS 'Fares v2 leg rules (GTFS fare_leg_rules.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.line_no IS 'Physical line of the record in fare_leg_rules.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.leg_group_id IS 'GTFS fare_leg_rules.txt leg_group_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.network_id IS 'GTFS fare_leg_rules.txt network_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.from_area_id IS 'GTFS fare_leg_rules.txt from_area_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.to_area_id IS 'GTFS fare_leg_rules.txt to_area_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.from_timeframe_group_id IS 'GTFS fare_leg_rules.txt from_timeframe_group_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.to_timeframe_group_id IS 'GTFS fare_leg_rules.txt to_timeframe_group_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.fare_product_id IS 'GTFS fare_leg_rules.txt fare_product_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.rule_priority IS 'GTFS fare_leg_rules.txt rule_priority, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_rules.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_fare_leg_join_rules (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    from_network_id text,
    to_network_id text,
    from_stop_id text,
    to_stop_id text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_fare_leg_join_rules_fv ON staging.gtfs_fare_leg_join_rules USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_fare_leg_join_rules IS 'Fares v2 leg join rules (GTFS fare_leg_join_rules.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_fare_leg_join_rules.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_fare_leg_join_rules.line_no IS 'Physical line of the record in fare_leg_join_rules.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_fare_leg_join_rules.from_network_id IS 'GTFS fare_leg_join_rules.txt from_network_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_join_rules.to_network_id IS 'GTFS fare_leg_join_rules.txt to_network_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_join_rules.from_stop_id IS 'GTFS fare_leg_join_rules.txt from_stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_join_rules.to_stop_id IS 'GTFS fare_leg_join_rules.txt to_stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_leg_join_rules.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_fare_transfer_rules (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    from_leg_group_id text,
    to_leg_group_id text,
    transfer_count integer,
    duration_limit integer,
    duration_limit_type smallint,
    fare_transfer_type smallint,
    fare_product_id text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_fare_transfer_rules_fv ON staging.gtfs_fare_transfer_rules USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_fare_transfer_rules IS 'Fares v2 transfer rules (GTFS fare_transfer_rules.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.line_no IS 'Physical line of the record in fare_transfer_rules.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.from_leg_group_id IS 'GTFS fare_transfer_rules.txt from_leg_group_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.to_leg_group_id IS 'GTFS fare_transfer_rules.txt to_leg_group_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.transfer_count IS 'GTFS fare_transfer_rules.txt transfer_count, as published.';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.duration_limit IS 'GTFS fare_transfer_rules.txt duration_limit, as published.';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.duration_limit_type IS 'GTFS fare_transfer_rules.txt duration_limit_type, as published.';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.fare_transfer_type IS 'GTFS fare_transfer_rules.txt fare_transfer_type, as published.';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.fare_product_id IS 'GTFS fare_transfer_rules.txt fare_product_id, as published.';
COMMENT ON COLUMN staging.gtfs_fare_transfer_rules.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_areas (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    area_id text,
    area_name text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_areas_fv ON staging.gtfs_areas USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_areas IS 'Fares v2 areas (GTFS areas.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_areas.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_areas.line_no IS 'Physical line of the record in areas.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_areas.area_id IS 'GTFS areas.txt area_id, as published.';
COMMENT ON COLUMN staging.gtfs_areas.area_name IS 'GTFS areas.txt area_name, as published.';
COMMENT ON COLUMN staging.gtfs_areas.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_stop_areas (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    area_id text,
    stop_id text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_stop_areas_fv ON staging.gtfs_stop_areas USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_stop_areas IS 'Fares v2 stops in areas (GTFS stop_areas.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_stop_areas.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_stop_areas.line_no IS 'Physical line of the record in stop_areas.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_stop_areas.area_id IS 'GTFS stop_areas.txt area_id, as published.';
COMMENT ON COLUMN staging.gtfs_stop_areas.stop_id IS 'GTFS stop_areas.txt stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_stop_areas.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_networks (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    network_id text,
    network_name text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_networks_fv ON staging.gtfs_networks USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_networks IS 'Fares v2 networks (GTFS networks.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_networks.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_networks.line_no IS 'Physical line of the record in networks.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_networks.network_id IS 'GTFS networks.txt network_id, as published.';
COMMENT ON COLUMN staging.gtfs_networks.network_name IS 'GTFS networks.txt network_name, as published.';
COMMENT ON COLUMN staging.gtfs_networks.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_route_networks (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    network_id text,
    route_id text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_route_networks_fv ON staging.gtfs_route_networks USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_route_networks IS 'Fares v2 routes in networks (GTFS route_networks.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_route_networks.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_route_networks.line_no IS 'Physical line of the record in route_networks.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_route_networks.network_id IS 'GTFS route_networks.txt network_id, as published.';
COMMENT ON COLUMN staging.gtfs_route_networks.route_id IS 'GTFS route_networks.txt route_id, as published.';
COMMENT ON COLUMN staging.gtfs_route_networks.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_location_groups (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    location_group_id text,
    location_group_name text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_location_groups_fv ON staging.gtfs_location_groups USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_location_groups IS 'GTFS-Flex location groups (GTFS location_groups.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_location_groups.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_location_groups.line_no IS 'Physical line of the record in location_groups.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_location_groups.location_group_id IS 'GTFS location_groups.txt location_group_id, as published.';
COMMENT ON COLUMN staging.gtfs_location_groups.location_group_name IS 'GTFS location_groups.txt location_group_name, as published.';
COMMENT ON COLUMN staging.gtfs_location_groups.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_location_group_stops (
    feed_version_id bigint NOT NULL,
    line_no integer NOT NULL,
    location_group_id text,
    stop_id text,
    extra jsonb
);
CREATE INDEX IF NOT EXISTS gtfs_location_group_stops_fv ON staging.gtfs_location_group_stops USING btree (feed_version_id);
COMMENT ON TABLE staging.gtfs_location_group_stops IS 'GTFS-Flex stops of location groups (GTFS location_group_stops.txt). One row per record as published; rows that failed validation are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gtfs_location_group_stops.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gtfs_location_group_stops.line_no IS 'Physical line of the record in location_group_stops.txt (header = line 1).';
COMMENT ON COLUMN staging.gtfs_location_group_stops.location_group_id IS 'GTFS location_group_stops.txt location_group_id, as published.';
COMMENT ON COLUMN staging.gtfs_location_group_stops.stop_id IS 'GTFS location_group_stops.txt stop_id, as published.';
COMMENT ON COLUMN staging.gtfs_location_group_stops.extra IS 'Columns of the file that GTFS does not define, kept as published: {column: value}.';

CREATE TABLE IF NOT EXISTS staging.gtfs_file (
    feed_version_id bigint NOT NULL,
    file_name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('gtfs', 'unknown', 'system')),
    size_bytes bigint,
    sha256 text,
    header text[],
    rows_in integer,
    content bytea,
    PRIMARY KEY (feed_version_id, file_name)
);
COMMENT ON TABLE staging.gtfs_file IS 'Every entry of a GTFS input (zip member or folder file): GTFS files with their header and row count, non-GTFS files and __MACOSX entries kept raw (reported as unknown_file).';
COMMENT ON COLUMN staging.gtfs_file.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.gtfs_file.file_name IS 'Path of the entry inside the archive or folder, as published.';
COMMENT ON COLUMN staging.gtfs_file.kind IS 'gtfs (a standard file, loaded into its staging table), unknown (not a GTFS file), system (__MACOSX, .DS_Store and similar).';
COMMENT ON COLUMN staging.gtfs_file.size_bytes IS 'Uncompressed size in bytes.';
COMMENT ON COLUMN staging.gtfs_file.sha256 IS 'SHA-256 of the uncompressed bytes.';
COMMENT ON COLUMN staging.gtfs_file.header IS 'Column names of the header line (GTFS and CSV-like unknown files).';
COMMENT ON COLUMN staging.gtfs_file.rows_in IS 'Data records read (GTFS files).';
COMMENT ON COLUMN staging.gtfs_file.content IS 'Raw bytes of unknown and system entries up to 1 MB (NULL for GTFS files and larger entries).';
