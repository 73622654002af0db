-- Fleet analysis snapshots (refreshed as a whole by transport_etl/fleet/analysis.sql), the gis views
-- GIS staff read (trips trimmed by 250 m at both ends, no driver or person identifiers) and the grants
-- that keep raw tracks for fleet_analyst.

CREATE TABLE IF NOT EXISTS unified.fleet_vehicle_month (
    computed_at timestamptz NOT NULL DEFAULT now(),
    vehicle_id text NOT NULL,
    month date NOT NULL,
    trips integer NOT NULL,
    km double precision NOT NULL,
    hours_driven double precision NOT NULL,
    days_used integer NOT NULL,
    working_days integer NOT NULL,
    utilisation double precision,
    energy_kwh double precision,
    kwh_per_100km double precision,
    charging_kwh double precision,
    depot_charging_kwh double precision,
    public_charging_kwh double precision,
    charging_places text[],
    PRIMARY KEY (vehicle_id, month)
);
COMMENT ON TABLE unified.fleet_vehicle_month IS 'Per vehicle and month: use, energy and charging (snapshot refreshed by `transport-etl fleet report` and the Dagster asset fleet/fleet_analysis).';
COMMENT ON COLUMN unified.fleet_vehicle_month.computed_at IS 'When the snapshot was computed.';
COMMENT ON COLUMN unified.fleet_vehicle_month.vehicle_id IS 'Vehicle id.';
COMMENT ON COLUMN unified.fleet_vehicle_month.month IS 'First day of the month (Europe/Prague).';
COMMENT ON COLUMN unified.fleet_vehicle_month.trips IS 'Trips started in the month.';
COMMENT ON COLUMN unified.fleet_vehicle_month.km IS 'Distance driven, km.';
COMMENT ON COLUMN unified.fleet_vehicle_month.hours_driven IS 'Time driving, h.';
COMMENT ON COLUMN unified.fleet_vehicle_month.days_used IS 'Days with at least one trip.';
COMMENT ON COLUMN unified.fleet_vehicle_month.working_days IS 'Czech working days of the month within the telemetry''s coverage.';
COMMENT ON COLUMN unified.fleet_vehicle_month.utilisation IS 'days_used / working_days.';
COMMENT ON COLUMN unified.fleet_vehicle_month.energy_kwh IS 'Energy used driving (state-of-charge drops × capacity), kWh.';
COMMENT ON COLUMN unified.fleet_vehicle_month.kwh_per_100km IS 'energy_kwh per 100 km.';
COMMENT ON COLUMN unified.fleet_vehicle_month.charging_kwh IS 'Energy charged (charging sessions), kWh.';
COMMENT ON COLUMN unified.fleet_vehicle_month.depot_charging_kwh IS 'Of which at private (depot) charging points.';
COMMENT ON COLUMN unified.fleet_vehicle_month.public_charging_kwh IS 'Of which at public charging points or unmatched places.';
COMMENT ON COLUMN unified.fleet_vehicle_month.charging_places IS 'Names of the charging points used.';

CREATE TABLE IF NOT EXISTS unified.fleet_trip_substitution (
    computed_at timestamptz NOT NULL DEFAULT now(),
    trip_id bigint PRIMARY KEY,
    vehicle_id text NOT NULL,
    started_at timestamptz NOT NULL,
    car_minutes double precision NOT NULL,
    origin_stop text,
    destination_stop text,
    served_places boolean NOT NULL,
    journey_id bigint,
    line_code text,
    pt_departure timestamptz,
    pt_arrival timestamptz,
    departure_offset_min double precision,
    pt_minutes double precision,
    time_ratio double precision,
    servable boolean NOT NULL
);
COMMENT ON TABLE unified.fleet_trip_substitution IS 'Trips public transport could have served: for each fleet trip, whether a journey ran within ±30 min of its start from a stop within 500 m of the origin to one within 500 m of the destination (snapshot refreshed with the fleet analysis).';
COMMENT ON COLUMN unified.fleet_trip_substitution.computed_at IS 'When the snapshot was computed.';
COMMENT ON COLUMN unified.fleet_trip_substitution.trip_id IS 'unified.fleet_trip.id.';
COMMENT ON COLUMN unified.fleet_trip_substitution.vehicle_id IS 'Vehicle id.';
COMMENT ON COLUMN unified.fleet_trip_substitution.started_at IS 'Trip start.';
COMMENT ON COLUMN unified.fleet_trip_substitution.car_minutes IS 'Trip duration by car, min.';
COMMENT ON COLUMN unified.fleet_trip_substitution.origin_stop IS 'Boarding stop of the best journey (name).';
COMMENT ON COLUMN unified.fleet_trip_substitution.destination_stop IS 'Alighting stop of the best journey (name).';
COMMENT ON COLUMN unified.fleet_trip_substitution.served_places IS 'Both trip ends have a stop within 500 m that one line serves in this order (on any day).';
COMMENT ON COLUMN unified.fleet_trip_substitution.journey_id IS 'unified.journey.id of the best journey (smallest departure offset).';
COMMENT ON COLUMN unified.fleet_trip_substitution.line_code IS 'Line of that journey.';
COMMENT ON COLUMN unified.fleet_trip_substitution.pt_departure IS 'Departure from the boarding stop.';
COMMENT ON COLUMN unified.fleet_trip_substitution.pt_arrival IS 'Arrival at the alighting stop.';
COMMENT ON COLUMN unified.fleet_trip_substitution.departure_offset_min IS 'pt_departure − trip start, min (within ±30).';
COMMENT ON COLUMN unified.fleet_trip_substitution.pt_minutes IS 'In-vehicle time of the journey, min.';
COMMENT ON COLUMN unified.fleet_trip_substitution.time_ratio IS 'pt_minutes / car_minutes.';
COMMENT ON COLUMN unified.fleet_trip_substitution.servable IS 'A journey was found.';

-- GIS views -----------------------------------------------------------------------------------------
-- Trips for GIS staff: the first and last 250 m of the track cut off (home and office addresses), no
-- driver or person identifiers (telemetry driver columns are never read).
CREATE OR REPLACE FUNCTION unified.fleet_trim_track(g geometry, metres double precision) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN g IS NULL OR ST_Length(g) <= 2 * metres THEN NULL
                ELSE ST_LineSubstring(g, metres / ST_Length(g), 1 - metres / ST_Length(g)) END
$$;
COMMENT ON FUNCTION unified.fleet_trim_track(geometry, double precision) IS 'The track without its first and last `metres` (NULL when shorter than twice that): what GIS staff may see of a staff trip.';

DO $$
DECLARE v text;
BEGIN
  FOREACH v IN ARRAY ARRAY['fleet_vehicle', 'fleet_vehicle_5514', 'fleet_charging_point', 'fleet_charging_point_5514',
      'fleet_charging_session', 'fleet_trip', 'fleet_trip_5514', 'fleet_vehicle_month', 'fleet_trip_substitution']
  LOOP
    EXECUTE format('DROP VIEW IF EXISTS gis.%I', v);
  END LOOP;
END $$;

CREATE VIEW gis.fleet_vehicle_5514 AS
SELECT id, local_id AS vehicle_id, registration, model, battery_kwh, home_depot, depot_geom AS geom
FROM unified.fleet_vehicle WHERE recorded_to IS NULL;
CREATE VIEW gis.fleet_vehicle AS
SELECT id, vehicle_id, registration, model, battery_kwh, home_depot, ST_Transform(geom, 4326)::geometry(Point, 4326) AS geom
FROM gis.fleet_vehicle_5514;

CREATE VIEW gis.fleet_charging_point_5514 AS
SELECT id, source_id, local_id AS point_id, name, operator, address, municipality, connectors, power_kw, charge_points,
       access, geom
FROM unified.fleet_charging_point WHERE recorded_to IS NULL;
CREATE VIEW gis.fleet_charging_point AS
SELECT id, source_id, point_id, name, operator, address, municipality, connectors, power_kw, charge_points, access,
       ST_Transform(geom, 4326)::geometry(Point, 4326) AS geom
FROM gis.fleet_charging_point_5514;

CREATE VIEW gis.fleet_charging_session AS
SELECT s.id, s.vehicle_id, s.started_at, s.ended_at, s.energy_kwh, s.charging_point_id, p.name AS charging_point,
       p.access, s.match_method
FROM unified.fleet_charging_session s LEFT JOIN unified.fleet_charging_point p ON p.id = s.charging_point_id
WHERE s.recorded_to IS NULL;

CREATE VIEW gis.fleet_trip_5514 AS
SELECT id, vehicle_id, started_at, ended_at, duration_s, distance_km, energy_kwh, kwh_per_100km, season,
       matched_km, unified.fleet_trim_track(geom, 250)::geometry(LineString, 5514) AS geom
FROM unified.fleet_trip WHERE recorded_to IS NULL;
CREATE VIEW gis.fleet_trip AS
SELECT id, vehicle_id, started_at, ended_at, duration_s, distance_km, energy_kwh, kwh_per_100km, season, matched_km,
       ST_Transform(geom, 4326)::geometry(LineString, 4326) AS geom
FROM gis.fleet_trip_5514;

CREATE VIEW gis.fleet_vehicle_month AS SELECT * FROM unified.fleet_vehicle_month;
CREATE VIEW gis.fleet_trip_substitution AS SELECT * FROM unified.fleet_trip_substitution;

COMMENT ON VIEW gis.fleet_vehicle_5514 IS 'Current fleet vehicles with their depot; EPSG:5514.';
COMMENT ON VIEW gis.fleet_vehicle IS 'Current fleet vehicles with their depot; EPSG:4326.';
COMMENT ON VIEW gis.fleet_charging_point_5514 IS 'Current charging points (national register and the region''s own); EPSG:5514.';
COMMENT ON VIEW gis.fleet_charging_point IS 'Current charging points; EPSG:4326.';
COMMENT ON VIEW gis.fleet_charging_session IS 'Charging sessions with the charging point they were matched to.';
COMMENT ON VIEW gis.fleet_trip_5514 IS 'Fleet trips without their first and last 250 m (privacy) and without driver identifiers; EPSG:5514.';
COMMENT ON VIEW gis.fleet_trip IS 'Fleet trips without their first and last 250 m; EPSG:4326.';
COMMENT ON VIEW gis.fleet_vehicle_month IS 'Per vehicle and month: use, energy, charging (see unified.fleet_vehicle_month).';
COMMENT ON VIEW gis.fleet_trip_substitution IS 'Trips public transport could have served (see unified.fleet_trip_substitution).';

-- Column comments of the views: from the unified column of the same name, else written here.
DO $$
DECLARE r record; d text;
  extra jsonb := '{"vehicle_id": "Vehicle id.", "point_id": "Station id as published.", "geom": "Position or track (trips: trimmed by 250 m at both ends).", "charging_point": "Name of the matched charging point.", "id": "Surrogate key of the unified row."}';
BEGIN
  FOR r IN SELECT c.relname AS v, a.attname AS col FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
           JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
           WHERE n.nspname = 'gis' AND c.relkind = 'v' AND c.relname LIKE 'fleet\_%'
  LOOP
    SELECT col_description(a.attrelid, a.attnum) INTO d FROM pg_attribute a
      WHERE a.attrelid = ('unified.' || regexp_replace(r.v, '_5514$', ''))::regclass AND a.attname = r.col;
    IF d IS NULL AND r.col = 'access' THEN d := 'public or private (depot) charging point.'; END IF;
    d := coalesce(extra ->> r.col, d, 'See the unified table.');
    EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', r.v, r.col, d);
  END LOOP;
END $$;

-- Grants: GIS staff read the views and the aggregates, not raw tracks; fleet analysts read everything.
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    REVOKE ALL ON unified.fleet_trip FROM gis_reader;
    GRANT SELECT ON gis.fleet_vehicle, gis.fleet_vehicle_5514, gis.fleet_charging_point, gis.fleet_charging_point_5514,
        gis.fleet_charging_session, gis.fleet_trip, gis.fleet_trip_5514, gis.fleet_vehicle_month,
        gis.fleet_trip_substitution TO gis_reader;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_editor') THEN
    REVOKE ALL ON unified.fleet_trip FROM gis_editor;
  END IF;
END $$;
GRANT USAGE ON SCHEMA staging, unified, gis TO fleet_analyst;
GRANT SELECT ON staging.fleet_telemetry_record TO fleet_analyst;
GRANT SELECT ON unified.fleet_vehicle, unified.fleet_trip, unified.fleet_charging_point, unified.fleet_charging_session,
    unified.fleet_vehicle_month, unified.fleet_trip_substitution TO fleet_analyst;
GRANT SELECT ON ALL TABLES IN SCHEMA gis TO fleet_analyst;
