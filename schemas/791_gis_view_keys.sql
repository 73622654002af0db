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

-- The same for the other views that joined after 660: a stable integer id on each.
DROP VIEW IF EXISTS gis.fleet_vehicle_month;
-- (vehicle, month) identify a row: a 63-bit hash of both is stable across refreshes
CREATE VIEW gis.fleet_vehicle_month AS
SELECT hashtextextended(m.vehicle_id || '|' || m.month::text, 0) AS id, m.* FROM unified.fleet_vehicle_month m;
COMMENT ON VIEW gis.fleet_vehicle_month IS 'Per vehicle and month: use, energy, charging (see unified.fleet_vehicle_month).';
DO $$
DECLARE r record; d text;
BEGIN
  FOR r IN SELECT a.attname AS col FROM pg_attribute a
           WHERE a.attrelid = 'gis.fleet_vehicle_month'::regclass AND a.attnum > 0 AND NOT a.attisdropped
  LOOP
    SELECT col_description(a.attrelid, a.attnum) INTO d FROM pg_attribute a
      WHERE a.attrelid = 'unified.fleet_vehicle_month'::regclass AND a.attname = r.col;
    d := coalesce(d, CASE WHEN r.col = 'id' THEN 'Stable key of the row, from vehicle and month.' END, 'See the unified table.');
    EXECUTE format('COMMENT ON COLUMN gis.fleet_vehicle_month.%I IS %L', r.col, d);
  END LOOP;
END $$;

-- regions: the rank of the NUTS code is stable (the list of kraje is fixed in lineage.region)
DROP VIEW IF EXISTS gis.region;
CREATE VIEW gis.region AS
SELECT row_number() OVER (ORDER BY r.code)::integer AS id, r.code, r.name, r.name_en, r.country,
       count(s.id)::integer AS sources
  FROM lineage.region r LEFT JOIN lineage.source s ON s.region = r.code
 GROUP BY r.code, r.name, r.name_en, r.country;
COMMENT ON VIEW gis.region IS 'Regions (NUTS 3 / kraje) and how many sources each has; filter any gis view with gis.in_region(source_id, code).';
COMMENT ON COLUMN gis.region.id IS 'Stable integer key (rank of the NUTS 3 code).';
COMMENT ON COLUMN gis.region.code IS 'NUTS 3 code, e.g. CZ042.';
COMMENT ON COLUMN gis.region.name IS 'Official Czech name of the region.';
COMMENT ON COLUMN gis.region.name_en IS 'English name.';
COMMENT ON COLUMN gis.region.country IS 'ISO 3166-1 alpha-2 country of the region.';
COMMENT ON COLUMN gis.region.sources IS 'Catalog sources of the region.';

DROP VIEW IF EXISTS gis.source_region;
CREATE VIEW gis.source_region AS
SELECT hashtextextended(s.id, 0) AS id, s.id AS source_id, s.region FROM lineage.source s;
COMMENT ON VIEW gis.source_region IS 'Region (NUTS 3) of each source: join any gis view on source_id to filter by region.';
COMMENT ON COLUMN gis.source_region.id IS 'Stable integer key (a 63-bit hash of the source id).';
COMMENT ON COLUMN gis.source_region.source_id IS 'Catalog id of the source (lineage.source.id).';
COMMENT ON COLUMN gis.source_region.region IS 'NUTS 3 code of the source''s region.';

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT SELECT ON gis.fleet_vehicle_month, gis.region, gis.source_region TO gis_reader;
  END IF;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'fleet_analyst') THEN
    GRANT SELECT ON gis.fleet_vehicle_month TO fleet_analyst;
  END IF;
END $$;
