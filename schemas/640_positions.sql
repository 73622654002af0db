-- The one position rule in SQL (same rule as transport_etl/positions.py, kept in step by tests):
-- NaN/Inf never become geometry, 0,0 is never placed, swapped lat/lon and S-JTSK-in-WGS84 are named,
-- positions outside the expected extent are flagged, and placed only where EPSG:5514 is meaningful.
-- Default extent: Czechia (12.09-18.86 E, 48.55-51.06 N) widened by 50 km.

CREATE OR REPLACE FUNCTION unified.position_note(lat double precision, lon double precision,
    box double precision[] DEFAULT ARRAY[11.394, 48.101, 19.556, 51.509]) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE
    WHEN lat IS NULL OR lon IS NULL THEN 'missing_position'
    WHEN lat IN ('NaN', 'Infinity', '-Infinity') OR lon IN ('NaN', 'Infinity', '-Infinity') THEN 'non_finite_position'
    WHEN abs(lat) < 1 AND abs(lon) < 1 THEN 'point_near_origin'
    WHEN NOT (lon BETWEEN box[1] AND box[3] AND lat BETWEEN box[2] AND box[4])
         AND lat BETWEEN box[1] AND box[3] AND lon BETWEEN box[2] AND box[4] THEN 'lat_lon_swapped'
    WHEN greatest(abs(lat), abs(lon)) BETWEEN 100000 AND 2000000 AND least(abs(lat), abs(lon)) >= 100000
        THEN 'sjtsk_in_wgs84'
    WHEN abs(lat) > 90 OR abs(lon) > 180 THEN 'out_of_range'
    WHEN NOT (lon BETWEEN box[1] AND box[3] AND lat BETWEEN box[2] AND box[4]) THEN 'outside_expected_extent'
END $$;
COMMENT ON FUNCTION unified.position_note(double precision, double precision, double precision[]) IS
    'Why a WGS84 lat/lon is not taken as given (NULL when it is): the one position rule (transport_etl/positions.py).';

CREATE OR REPLACE FUNCTION unified.placeable(lat double precision, lon double precision,
    box double precision[] DEFAULT ARRAY[11.394, 48.101, 19.556, 51.509]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE unified.position_note(lat, lon, box)
           WHEN NULL THEN true
           WHEN 'outside_expected_extent' THEN lon BETWEEN 9 AND 22 AND lat BETWEEN 46 AND 53.5
           ELSE false END
       OR unified.position_note(lat, lon, box) IS NULL $$;
COMMENT ON FUNCTION unified.placeable(double precision, double precision, double precision[]) IS
    'True when a WGS84 lat/lon may become geometry under the one position rule (flagged or not).';

CREATE OR REPLACE FUNCTION unified.place_point(lat double precision, lon double precision,
    box double precision[] DEFAULT ARRAY[11.394, 48.101, 19.556, 51.509]) RETURNS geometry
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN unified.placeable(lat, lon, box) THEN ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 5514) END $$;
COMMENT ON FUNCTION unified.place_point(double precision, double precision, double precision[]) IS
    'A WGS84 lat/lon as an EPSG:5514 point under the one position rule, or NULL when it must not be placed.';

-- Last line of defence for every gis view: a geometry that is not finite or lies where EPSG:5514 means
-- nothing (so ST_Transform to 4326 could fail for every reader) is not stored; the row keeps a note.
CREATE OR REPLACE FUNCTION unified.geometry_readable(g geometry) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT g IS NULL OR (NOT ST_IsEmpty(g) AND ST_XMin(g) >= -1300000 AND ST_XMax(g) <= -100000
                     AND ST_YMin(g) >= -1600000 AND ST_YMax(g) <= -500000
                     AND ST_XMin(g) NOT IN ('NaN', '-Infinity') AND ST_YMin(g) NOT IN ('NaN', '-Infinity')
                     AND ST_XMax(g) NOT IN ('NaN', 'Infinity') AND ST_YMax(g) NOT IN ('NaN', 'Infinity')) $$;
COMMENT ON FUNCTION unified.geometry_readable(geometry) IS
    'True when an EPSG:5514 geometry is finite and within Czechia +- ~400 km (every gis view can transform it).';

CREATE OR REPLACE FUNCTION unified.keep_geometry_readable() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    IF NEW.geom IS NOT NULL AND NOT unified.geometry_readable(NEW.geom) THEN
        NEW.geom := NULL;
        IF TG_NARGS > 0 THEN
            NEW := jsonb_populate_record(NEW, jsonb_build_object(TG_ARGV[0], 'geometry_not_readable'));
        END IF;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION unified.keep_geometry_readable() IS
    'BEFORE INSERT/UPDATE trigger on unified tables with geom: an unreadable geometry is stored as NULL with a note.';

DO $$
DECLARE t record;
BEGIN
    FOR t IN SELECT c.table_name,
                    EXISTS (SELECT 1 FROM information_schema.columns n WHERE n.table_schema = 'unified'
                            AND n.table_name = c.table_name AND n.column_name = 'location_note') AS has_note
             FROM information_schema.columns c JOIN information_schema.tables tb
               ON tb.table_schema = c.table_schema AND tb.table_name = c.table_name AND tb.table_type = 'BASE TABLE'
             WHERE c.table_schema = 'unified' AND c.column_name = 'geom'
    LOOP
        EXECUTE format('DROP TRIGGER IF EXISTS keep_geometry_readable ON unified.%I', t.table_name);
        EXECUTE format('CREATE TRIGGER keep_geometry_readable BEFORE INSERT OR UPDATE OF geom ON unified.%I '
                       'FOR EACH ROW EXECUTE FUNCTION unified.keep_geometry_readable(%s)', t.table_name,
                       CASE WHEN t.has_note THEN quote_literal('location_note') ELSE '' END);
    END LOOP;
END $$;
