-- The fleet analysis looks up the calls at the stops near trip ends (unified.call by stop point).
CREATE INDEX IF NOT EXISTS call_stop_point ON unified.call (stop_point_id) WHERE recorded_to IS NULL;

-- Charging sessions carry a position: a view in each CRS, as every spatial table of the model has.
DROP VIEW IF EXISTS gis.fleet_charging_session;
DROP VIEW IF EXISTS gis.fleet_charging_session_5514;
CREATE VIEW gis.fleet_charging_session_5514 AS
SELECT s.id, s.vehicle_id, s.started_at, s.ended_at, s.energy_kwh, s.charging_point_id, p.name AS charging_point,
       p.access, s.match_method, s.match_distance_m, coalesce(s.geom, p.geom)::geometry(Point, 5514) AS geom
FROM unified.fleet_charging_session s LEFT JOIN unified.fleet_charging_point p ON p.id = s.charging_point_id
WHERE s.recorded_to IS NULL;
CREATE VIEW gis.fleet_charging_session AS
SELECT id, vehicle_id, started_at, ended_at, energy_kwh, charging_point_id, charging_point, access, match_method,
       match_distance_m, ST_Transform(geom, 4326)::geometry(Point, 4326) AS geom
FROM gis.fleet_charging_session_5514;
COMMENT ON VIEW gis.fleet_charging_session_5514 IS 'Charging sessions with the charging point they were matched to; position as exported, else the point''s; EPSG:5514.';
COMMENT ON VIEW gis.fleet_charging_session IS 'Charging sessions with their charging point; EPSG:4326.';
DO $$
DECLARE v text; r record; d text;
BEGIN
  FOREACH v IN ARRAY ARRAY['fleet_charging_session', 'fleet_charging_session_5514'] LOOP
    FOR r IN SELECT a.attname AS col FROM pg_attribute a WHERE a.attrelid = ('gis.' || v)::regclass AND a.attnum > 0
             AND NOT a.attisdropped LOOP
      SELECT col_description(a.attrelid, a.attnum) INTO d FROM pg_attribute a
        WHERE a.attrelid = 'unified.fleet_charging_session'::regclass AND a.attname = r.col;
      d := coalesce(CASE r.col WHEN 'charging_point' THEN 'Name of the matched charging point.'
                               WHEN 'access' THEN 'public or private (depot) charging point.'
                               WHEN 'geom' THEN 'Session position as exported, else the matched charging point''s.'
                               WHEN 'id' THEN 'Surrogate key of the unified row.' END, d, 'See unified.fleet_charging_session.');
      EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', v, r.col, d);
    END LOOP;
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT SELECT ON gis.fleet_charging_session, gis.fleet_charging_session_5514 TO gis_reader;
  END IF;
END $$;
GRANT SELECT ON gis.fleet_charging_session, gis.fleet_charging_session_5514 TO fleet_analyst;
