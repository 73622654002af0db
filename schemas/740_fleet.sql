-- The regional office's electric fleet (issue #19): family `fleet`, staging of telemetry, charging
-- sessions, charging points and the vehicle register, and the unified tables they publish to.
-- Raw telemetry stays in staging (personal data: staff movements), readable by role fleet_analyst only.

-- The family list of 001 gains `fleet` (001 stays as applied: the constraint is replaced here).
ALTER TABLE lineage.source DROP CONSTRAINT IF EXISTS source_family_check;
ALTER TABLE lineage.source ADD CONSTRAINT source_family_check
    CHECK (family IN ('regional', 'road', 'rail', 'municipal', 'fleet'));
COMMENT ON COLUMN lineage.source.family IS 'Source family: regional (JDF, stop register), road (ŘSD network, DATEX II, census), rail (CZPTT, SR70), municipal (GTFS, GBFS, parking), fleet (the regional office''s vehicles: telemetry, charging).';

-- Trips are matched onto road links with pgRouting (Debian postgresql-15-pgrouting; db setup installs it).
CREATE EXTENSION IF NOT EXISTS pgrouting;

DO $$ BEGIN
  IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_analyst') THEN
    CREATE ROLE fleet_analyst NOLOGIN;
  END IF;
END $$;
COMMENT ON ROLE fleet_analyst IS 'May read the raw vehicle telemetry (staging.fleet_telemetry_record: personal data of staff) and the untrimmed trips; grant it only to the fleet analysts: GRANT fleet_analyst TO bob;';

-- Staging -------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS staging.fleet_telemetry_record (
    feed_version_id bigint NOT NULL,
    source_file text NOT NULL,
    line_no integer,
    vehicle_id text NOT NULL,
    recorded_at timestamptz NOT NULL,
    x double precision,
    y double precision,
    location_note text,
    speed_kmh real,
    odometer_km double precision,
    soc_pct real,
    charging boolean
);
CREATE INDEX IF NOT EXISTS fleet_telemetry_record_fv ON staging.fleet_telemetry_record (feed_version_id, vehicle_id, recorded_at);
CREATE INDEX IF NOT EXISTS fleet_telemetry_record_time ON staging.fleet_telemetry_record (recorded_at);
COMMENT ON TABLE staging.fleet_telemetry_record IS 'Raw vehicle telemetry as read (CSV, JSON lines, GPX) through the source''s column mapping and units, converted to km/h, km, %. Personal data: readable by fleet_analyst only; deleted after the source''s retention_days (trips and aggregates stay).';
COMMENT ON COLUMN staging.fleet_telemetry_record.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.fleet_telemetry_record.source_file IS 'File the record was read from.';
COMMENT ON COLUMN staging.fleet_telemetry_record.line_no IS 'CSV: physical line (header = 1); JSON lines: line; GPX: line of the trkpt element.';
COMMENT ON COLUMN staging.fleet_telemetry_record.vehicle_id IS 'Vehicle id as published (mapped vehicle column, or the GPX file''s vehicle).';
COMMENT ON COLUMN staging.fleet_telemetry_record.recorded_at IS 'Time of the record.';
COMMENT ON COLUMN staging.fleet_telemetry_record.x IS 'Easting in EPSG:5514; NULL when the position was missing, NaN, at 0,0 or outside the region (see location_note).';
COMMENT ON COLUMN staging.fleet_telemetry_record.y IS 'Northing in EPSG:5514; NULL with x.';
COMMENT ON COLUMN staging.fleet_telemetry_record.location_note IS 'Why x/y are NULL: missing_coordinates, invalid_coordinates, point_near_origin, outside_region.';
COMMENT ON COLUMN staging.fleet_telemetry_record.speed_kmh IS 'Speed in km/h (converted from the source''s unit).';
COMMENT ON COLUMN staging.fleet_telemetry_record.odometer_km IS 'Odometer in km (converted).';
COMMENT ON COLUMN staging.fleet_telemetry_record.soc_pct IS 'Battery state of charge, 0..100 %.';
COMMENT ON COLUMN staging.fleet_telemetry_record.charging IS 'True while the vehicle is charging.';

CREATE TABLE IF NOT EXISTS staging.fleet_charging_session_record (
    feed_version_id bigint NOT NULL,
    source_file text NOT NULL,
    line_no integer,
    session_id text NOT NULL,
    vehicle_id text,
    charger_id text,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    energy_kwh double precision,
    x double precision,
    y double precision,
    location_note text
);
CREATE INDEX IF NOT EXISTS fleet_charging_session_record_fv ON staging.fleet_charging_session_record (feed_version_id);
COMMENT ON TABLE staging.fleet_charging_session_record IS 'Charging sessions as read (card or charger operator export): vehicle, charger, start, end, energy.';
COMMENT ON COLUMN staging.fleet_charging_session_record.feed_version_id IS 'Feed version the record belongs to.';
COMMENT ON COLUMN staging.fleet_charging_session_record.source_file IS 'File the record was read from.';
COMMENT ON COLUMN staging.fleet_charging_session_record.line_no IS 'Physical line (header = 1).';
COMMENT ON COLUMN staging.fleet_charging_session_record.session_id IS 'Session id as published (or file line when the export has none).';
COMMENT ON COLUMN staging.fleet_charging_session_record.vehicle_id IS 'Vehicle id.';
COMMENT ON COLUMN staging.fleet_charging_session_record.charger_id IS 'Charging point id as the export names it.';
COMMENT ON COLUMN staging.fleet_charging_session_record.started_at IS 'Session start.';
COMMENT ON COLUMN staging.fleet_charging_session_record.ended_at IS 'Session end.';
COMMENT ON COLUMN staging.fleet_charging_session_record.energy_kwh IS 'Energy delivered, kWh.';
COMMENT ON COLUMN staging.fleet_charging_session_record.x IS 'Easting (EPSG:5514) of the session when the export gives a position.';
COMMENT ON COLUMN staging.fleet_charging_session_record.y IS 'Northing (EPSG:5514).';
COMMENT ON COLUMN staging.fleet_charging_session_record.location_note IS 'Why x/y are NULL.';

CREATE TABLE IF NOT EXISTS staging.fleet_charging_point_record (
    feed_version_id bigint NOT NULL,
    source_file text NOT NULL,
    line_no integer,
    point_id text NOT NULL,
    name text,
    operator text,
    address text,
    municipality text,
    connectors text,
    power_kw double precision,
    charge_points integer,
    access text,
    x double precision,
    y double precision,
    location_note text
);
CREATE INDEX IF NOT EXISTS fleet_charging_point_record_fv ON staging.fleet_charging_point_record (feed_version_id);
COMMENT ON TABLE staging.fleet_charging_point_record IS 'Charging stations as read: the national register of public stations as published, or the region''s own chargers.';
COMMENT ON COLUMN staging.fleet_charging_point_record.feed_version_id IS 'Feed version the record belongs to.';
COMMENT ON COLUMN staging.fleet_charging_point_record.source_file IS 'File the record was read from.';
COMMENT ON COLUMN staging.fleet_charging_point_record.line_no IS 'Physical line (header = 1).';
COMMENT ON COLUMN staging.fleet_charging_point_record.point_id IS 'Station id as published.';
COMMENT ON COLUMN staging.fleet_charging_point_record.name IS 'Station name.';
COMMENT ON COLUMN staging.fleet_charging_point_record.operator IS 'Operator.';
COMMENT ON COLUMN staging.fleet_charging_point_record.address IS 'Street address.';
COMMENT ON COLUMN staging.fleet_charging_point_record.municipality IS 'Municipality.';
COMMENT ON COLUMN staging.fleet_charging_point_record.connectors IS 'Connector types as published (e.g. CCS, Type 2, CHAdeMO).';
COMMENT ON COLUMN staging.fleet_charging_point_record.power_kw IS 'Maximum power, kW.';
COMMENT ON COLUMN staging.fleet_charging_point_record.charge_points IS 'Number of vehicles that can charge at once.';
COMMENT ON COLUMN staging.fleet_charging_point_record.access IS 'public or private (the source''s options.access, e.g. the region''s depot chargers).';
COMMENT ON COLUMN staging.fleet_charging_point_record.x IS 'Easting, EPSG:5514 (NULL when unusable).';
COMMENT ON COLUMN staging.fleet_charging_point_record.y IS 'Northing, EPSG:5514.';
COMMENT ON COLUMN staging.fleet_charging_point_record.location_note IS 'Why x/y are NULL.';

CREATE TABLE IF NOT EXISTS staging.fleet_vehicle_record (
    feed_version_id bigint NOT NULL,
    source_file text NOT NULL,
    line_no integer,
    vehicle_id text NOT NULL,
    registration text,
    model text,
    battery_kwh double precision,
    home_depot text,
    x double precision,
    y double precision,
    location_note text
);
CREATE INDEX IF NOT EXISTS fleet_vehicle_record_fv ON staging.fleet_vehicle_record (feed_version_id);
COMMENT ON TABLE staging.fleet_vehicle_record IS 'The vehicle register as read: model, usable battery capacity, home depot.';
COMMENT ON COLUMN staging.fleet_vehicle_record.feed_version_id IS 'Feed version the record belongs to.';
COMMENT ON COLUMN staging.fleet_vehicle_record.source_file IS 'File the record was read from.';
COMMENT ON COLUMN staging.fleet_vehicle_record.line_no IS 'Physical line (header = 1).';
COMMENT ON COLUMN staging.fleet_vehicle_record.vehicle_id IS 'Vehicle id (the id telemetry and charging exports use).';
COMMENT ON COLUMN staging.fleet_vehicle_record.registration IS 'Registration plate.';
COMMENT ON COLUMN staging.fleet_vehicle_record.model IS 'Make and model.';
COMMENT ON COLUMN staging.fleet_vehicle_record.battery_kwh IS 'Usable battery capacity, kWh.';
COMMENT ON COLUMN staging.fleet_vehicle_record.home_depot IS 'Name of the depot the vehicle is based at.';
COMMENT ON COLUMN staging.fleet_vehicle_record.x IS 'Depot easting, EPSG:5514.';
COMMENT ON COLUMN staging.fleet_vehicle_record.y IS 'Depot northing, EPSG:5514.';
COMMENT ON COLUMN staging.fleet_vehicle_record.location_note IS 'Why x/y are NULL.';

-- Unified ------------------------------------------------------------------------------------------
CREATE TABLE IF NOT EXISTS unified.fleet_vehicle (
    registration text,
    model text,
    battery_kwh double precision,
    home_depot text,
    depot_geom geometry(Point, 5514),
    location_note text
);
CALL unified.adopt_conventions('fleet_vehicle');
CREATE INDEX IF NOT EXISTS fleet_vehicle_geom ON unified.fleet_vehicle USING gist (depot_geom);
COMMENT ON TABLE unified.fleet_vehicle IS 'Vehicles of the regional office''s fleet (vehicle register); local_id is the vehicle id telemetry and charging exports use.';
COMMENT ON COLUMN unified.fleet_vehicle.registration IS 'Registration plate.';
COMMENT ON COLUMN unified.fleet_vehicle.model IS 'Make and model.';
COMMENT ON COLUMN unified.fleet_vehicle.battery_kwh IS 'Usable battery capacity, kWh: turns a state-of-charge change into energy.';
COMMENT ON COLUMN unified.fleet_vehicle.home_depot IS 'Depot the vehicle is based at.';
COMMENT ON COLUMN unified.fleet_vehicle.depot_geom IS 'Depot position, EPSG:5514.';
COMMENT ON COLUMN unified.fleet_vehicle.location_note IS 'Why depot_geom is NULL.';

CREATE TABLE IF NOT EXISTS unified.fleet_charging_point (
    name text,
    operator text,
    address text,
    municipality text,
    connectors text,
    power_kw double precision,
    charge_points integer,
    access text NOT NULL DEFAULT 'public',
    geom geometry(Point, 5514),
    location_note text
);
CALL unified.adopt_conventions('fleet_charging_point');
CREATE INDEX IF NOT EXISTS fleet_charging_point_geom ON unified.fleet_charging_point USING gist (geom);
COMMENT ON TABLE unified.fleet_charging_point IS 'Charging stations for electric vehicles: the national register of public stations and the region''s own (depot) chargers.';
COMMENT ON COLUMN unified.fleet_charging_point.name IS 'Station name.';
COMMENT ON COLUMN unified.fleet_charging_point.operator IS 'Operator.';
COMMENT ON COLUMN unified.fleet_charging_point.address IS 'Street address.';
COMMENT ON COLUMN unified.fleet_charging_point.municipality IS 'Municipality.';
COMMENT ON COLUMN unified.fleet_charging_point.connectors IS 'Connector types.';
COMMENT ON COLUMN unified.fleet_charging_point.power_kw IS 'Maximum power, kW.';
COMMENT ON COLUMN unified.fleet_charging_point.charge_points IS 'Vehicles that can charge at once.';
COMMENT ON COLUMN unified.fleet_charging_point.access IS 'public (national register) or private (the region''s depot chargers).';
COMMENT ON COLUMN unified.fleet_charging_point.geom IS 'Position, EPSG:5514; NULL when unusable (see location_note).';
COMMENT ON COLUMN unified.fleet_charging_point.location_note IS 'Why geom is NULL.';

CREATE TABLE IF NOT EXISTS unified.fleet_charging_session (
    vehicle_id text,
    charger_id text,
    started_at timestamptz NOT NULL,
    ended_at timestamptz,
    energy_kwh double precision,
    geom geometry(Point, 5514),
    charging_point_id bigint,
    match_method text,
    match_distance_m double precision
);
CALL unified.adopt_conventions('fleet_charging_session');
CREATE INDEX IF NOT EXISTS fleet_charging_session_geom ON unified.fleet_charging_session USING gist (geom);
COMMENT ON TABLE unified.fleet_charging_session IS 'Charging sessions of fleet vehicles, matched to charging points (by charger id, else by position).';
COMMENT ON COLUMN unified.fleet_charging_session.vehicle_id IS 'Vehicle id (unified.fleet_vehicle.local_id).';
COMMENT ON COLUMN unified.fleet_charging_session.charger_id IS 'Charger id as the export names it.';
COMMENT ON COLUMN unified.fleet_charging_session.started_at IS 'Session start.';
COMMENT ON COLUMN unified.fleet_charging_session.ended_at IS 'Session end.';
COMMENT ON COLUMN unified.fleet_charging_session.energy_kwh IS 'Energy delivered, kWh.';
COMMENT ON COLUMN unified.fleet_charging_session.geom IS 'Session position as exported, EPSG:5514 (NULL if none).';
COMMENT ON COLUMN unified.fleet_charging_session.charging_point_id IS 'unified.fleet_charging_point.id the session was matched to (NULL: unmatched).';
COMMENT ON COLUMN unified.fleet_charging_session.match_method IS 'charger_id (same id as a charging point), position (nearest point within 150 m), or NULL.';
COMMENT ON COLUMN unified.fleet_charging_session.match_distance_m IS 'Distance to the matched charging point, m.';

CREATE TABLE IF NOT EXISTS unified.fleet_trip (
    vehicle_id text NOT NULL,
    started_at timestamptz NOT NULL,
    ended_at timestamptz NOT NULL,
    duration_s integer NOT NULL,
    point_count integer NOT NULL,
    distance_km double precision,
    gps_distance_km double precision,
    soc_start_pct real,
    soc_end_pct real,
    energy_kwh double precision,
    kwh_per_100km double precision,
    season text,
    start_geom geometry(Point, 5514),
    end_geom geometry(Point, 5514),
    geom geometry(LineString, 5514),
    matched_link_ids bigint[],
    matched_km double precision,
    match_status text
);
CALL unified.adopt_conventions('fleet_trip');
CREATE INDEX IF NOT EXISTS fleet_trip_geom ON unified.fleet_trip USING gist (geom);
CREATE INDEX IF NOT EXISTS fleet_trip_start_geom ON unified.fleet_trip USING gist (start_geom);
CREATE INDEX IF NOT EXISTS fleet_trip_end_geom ON unified.fleet_trip USING gist (end_geom);
CREATE INDEX IF NOT EXISTS fleet_trip_vehicle ON unified.fleet_trip (vehicle_id, started_at);
COMMENT ON TABLE unified.fleet_trip IS 'Trips of fleet vehicles segmented from telemetry (a stop longer than the source''s trip_stop_min ends a trip), matched onto road links with pgRouting. Full tracks are for fleet_analyst; gis.fleet_trip shows them without the first and last 250 m.';
COMMENT ON COLUMN unified.fleet_trip.vehicle_id IS 'Vehicle id (unified.fleet_vehicle.local_id).';
COMMENT ON COLUMN unified.fleet_trip.started_at IS 'Departure: the standing record just before the first moving one (if within trip_stop_min), else the first moving record.';
COMMENT ON COLUMN unified.fleet_trip.ended_at IS 'Arrival: the standing record just after the last moving one (if within trip_stop_min), else the last moving record.';
COMMENT ON COLUMN unified.fleet_trip.duration_s IS 'ended_at − started_at, s.';
COMMENT ON COLUMN unified.fleet_trip.point_count IS 'Telemetry records of the trip.';
COMMENT ON COLUMN unified.fleet_trip.distance_km IS 'Distance, km: odometer difference when the records carry one, else the GPS track length.';
COMMENT ON COLUMN unified.fleet_trip.gps_distance_km IS 'Length of the GPS track, km.';
COMMENT ON COLUMN unified.fleet_trip.soc_start_pct IS 'State of charge at the start, %.';
COMMENT ON COLUMN unified.fleet_trip.soc_end_pct IS 'State of charge at the end, %.';
COMMENT ON COLUMN unified.fleet_trip.energy_kwh IS 'Energy used: state-of-charge drop × battery capacity (unified.fleet_vehicle.battery_kwh), kWh.';
COMMENT ON COLUMN unified.fleet_trip.kwh_per_100km IS 'Consumption, kWh/100 km (NULL for trips under 1 km).';
COMMENT ON COLUMN unified.fleet_trip.season IS 'Temperature season of the start date: winter (Dec–Feb), spring, summer, autumn.';
COMMENT ON COLUMN unified.fleet_trip.start_geom IS 'First placed position, EPSG:5514.';
COMMENT ON COLUMN unified.fleet_trip.end_geom IS 'Last placed position, EPSG:5514.';
COMMENT ON COLUMN unified.fleet_trip.geom IS 'GPS track, EPSG:5514 (personal data: untrimmed only for fleet_analyst).';
COMMENT ON COLUMN unified.fleet_trip.matched_link_ids IS 'Road links (unified.transport_link.id) of the pgRouting path through the track, in order.';
COMMENT ON COLUMN unified.fleet_trip.matched_km IS 'Length of the matched road path, km.';
COMMENT ON COLUMN unified.fleet_trip.match_status IS 'matched, no_network (no current road network), unmatched (no path), too_short.';
