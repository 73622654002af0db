-- Every gis view has a stable unique integer key named id (QGIS needs one): the trip substitution view
-- (741) exposed its key as trip_id only. The trip is the row's identity, so id is the trip id.
DROP VIEW IF EXISTS gis.fleet_trip_substitution;
CREATE VIEW gis.fleet_trip_substitution AS SELECT s.trip_id AS id, s.* FROM unified.fleet_trip_substitution s;
COMMENT ON VIEW gis.fleet_trip_substitution IS 'Trips public transport could have served (see unified.fleet_trip_substitution).';
DO $$
DECLARE r record; d text;
BEGIN
  FOR r IN SELECT a.attname AS col FROM pg_attribute a
           WHERE a.attrelid = 'gis.fleet_trip_substitution'::regclass AND a.attnum > 0 AND NOT a.attisdropped
  LOOP
    SELECT col_description(a.attrelid, a.attnum) INTO d FROM pg_attribute a
      WHERE a.attrelid = 'unified.fleet_trip_substitution'::regclass AND a.attname = r.col;
    d := coalesce(d, CASE WHEN r.col = 'id' THEN 'Stable key of the row: the fleet trip id.' END, 'See the unified table.');
    EXECUTE format('COMMENT ON COLUMN gis.fleet_trip_substitution.%I IS %L', r.col, d);
  END LOOP;
END $$;
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT SELECT ON gis.fleet_trip_substitution TO gis_reader;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_analyst') THEN
    GRANT SELECT ON gis.fleet_trip_substitution TO fleet_analyst;
  END IF;
END $$;
