-- What GIS staff see in QGIS: stop names as people write them, one geometry type per layer, a stable
-- unique integer key on every layer, and read-only provenance of any gis row (gis.lineage).
-- Views of 520 are changed by wrapping their own definition (pg_get_viewdef), not by restating them,
-- so columns other migrations add to those views survive. Idempotent: a re-run finds nothing to do.

-- ── Helpers for this file only (pg_temp: gone at the end of the session) ────────────────────────
-- The EPSG:4326 twin gis.<name> of a gis.<name>_5514 view, geometry transformed, comments copied.
CREATE OR REPLACE FUNCTION pg_temp.make_4326_twin(v5514 text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE twin text := left(v5514, -5); cols text; c record; txt text;
BEGIN
    EXECUTE format('DROP VIEW IF EXISTS gis.%I', twin);
    SELECT string_agg(CASE WHEN a.atttypid = 'geometry'::regtype
                           THEN format('ST_Transform(%1$I, 4326)::geometry(%2$s, 4326) AS %1$I', a.attname,
                                       coalesce(nullif(postgis_typmod_type(a.atttypmod), ''), 'Geometry'))
                           ELSE quote_ident(a.attname) END, ', ' ORDER BY a.attnum)
      INTO cols FROM pg_attribute a
     WHERE a.attrelid = format('gis.%I', v5514)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    EXECUTE format('CREATE VIEW gis.%I AS SELECT %s FROM gis.%I', twin, cols, v5514);
    EXECUTE format('COMMENT ON VIEW gis.%I IS %L', twin,
                   replace(obj_description(format('gis.%I', v5514)::regclass, 'pg_class'),
                           'EPSG:5514', 'EPSG:4326 (WGS 84; gis.' || v5514 || ' has EPSG:5514)'));
    FOR c IN SELECT a.attname, col_description(a.attrelid, a.attnum) AS d FROM pg_attribute a
             WHERE a.attrelid = format('gis.%I', v5514)::regclass AND a.attnum > 0 AND NOT a.attisdropped LOOP
        txt := c.d;
        IF c.attname = 'geom' THEN
            txt := replace(coalesce(txt, 'Geometry'), 'EPSG:5514', 'EPSG:4326 (WGS 84)');
            IF txt NOT LIKE '%4326%' THEN txt := txt || ' Transformed to EPSG:4326 (WGS 84).'; END IF;
        END IF;
        EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', twin, c.attname, txt);
    END LOOP;
END $$;

-- Re-define a view as its own definition with some columns passed through an expression (%s = the
-- column); same column names, types and order, so CREATE OR REPLACE keeps dependants and comments.
CREATE OR REPLACE FUNCTION pg_temp.wrap_columns(v text, names text[], expr text) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE def text; cols text;
BEGIN
    IF to_regclass(format('gis.%I', v)) IS NULL THEN RETURN; END IF;
    def := rtrim(pg_get_viewdef(format('gis.%I', v)::regclass), E'; \n');
    IF position(regexp_replace(split_part(expr, '(', 1), '^.*\.', '') IN def) > 0 THEN RETURN; END IF;  -- already wrapped
    SELECT string_agg(CASE WHEN a.attname = ANY (names) THEN format(expr, 's.' || quote_ident(a.attname))
                                                              || ' AS ' || quote_ident(a.attname)
                           ELSE 's.' || quote_ident(a.attname) END, ', ' ORDER BY a.attnum)
      INTO cols FROM pg_attribute a
     WHERE a.attrelid = format('gis.%I', v)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    EXECUTE format('CREATE OR REPLACE VIEW gis.%I AS SELECT %s FROM (%s) s', v, cols, def);
END $$;

-- ── Stop names as people write them ─────────────────────────────────────────────────────────────
-- JDF and the stop register write "municipality,part,place" with empty parts ("Ústí nad Labem,,Mírové
-- nám."); people write "Ústí nad Labem, Mírové nám.".
CREATE OR REPLACE FUNCTION gis.display_stop_name(name text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT nullif(array_to_string(ARRAY(
               SELECT regexp_replace(btrim(part), '\s+', ' ', 'g')
               FROM unnest(string_to_array(name, ',')) WITH ORDINALITY AS p(part, n)
               WHERE btrim(part) <> '' ORDER BY n), ', '), '')
$$;
COMMENT ON FUNCTION gis.display_stop_name(text) IS 'A stop name as people write it: comma-separated parts (municipality, part, place) trimmed, empty parts dropped, joined with ", " ("Ústí nad Labem,,Mírové nám." → "Ústí nad Labem, Mírové nám."). The gis stop layers show names through it; lineage keeps the name as published.';

SELECT pg_temp.wrap_columns(v, names, 'gis.display_stop_name(%s)')
FROM (VALUES ('canonical_stop_place_5514', ARRAY['name']),
             ('canonical_stop_member_5514', ARRAY['canonical_name', 'name']),
             ('stop_place_5514', ARRAY['name', 'canonical_name']),
             ('stop_point_5514', ARRAY['name', 'stop_place_name']),
             ('stop_connection_5514', ARRAY['from_name', 'to_name']),
             ('stop_match_review_5514', ARRAY['a_name', 'b_name']),
             ('call', ARRAY['stop_name'])) AS t(v, names);

-- ── One geometry type per layer ─────────────────────────────────────────────────────────────────
-- A gis view whose geometry column is untyped (points and lines mixed, e.g. road events located at a
-- point or along a section, census sections) becomes three layers: gis.<name> without geometry (every
-- row, also those without a position, with its geometry_type), gis.<name>_point[_5514] (MultiPoint)
-- and gis.<name>_line[_5514] (MultiLineString). Polygons have no layer (none of the sources has any).
DO $$
DECLARE v record; def text; plain text; base text; vcomment text;
BEGIN
    FOR v IN SELECT g.f_table_name AS name, g.f_geometry_column AS geom_col
             FROM geometry_columns g
             WHERE g.f_table_schema = 'gis' AND g.f_table_name LIKE '%\_5514' AND upper(g.type) = 'GEOMETRY'
             ORDER BY 1 LOOP
        base := left(v.name, -5);
        def := rtrim(pg_get_viewdef(format('gis.%I', v.name)::regclass), E'; \n');
        vcomment := obj_description(format('gis.%I', v.name)::regclass, 'pg_class');
        CREATE TEMP TABLE IF NOT EXISTS col_comment (attname text, description text) ON COMMIT DROP;
        TRUNCATE col_comment;
        INSERT INTO col_comment SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute a
         WHERE a.attrelid = format('gis.%I', v.name)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
        SELECT string_agg('s.' || quote_ident(attname), ', ') FILTER (WHERE attname <> v.geom_col)
          INTO plain FROM col_comment;
        EXECUTE format('DROP VIEW IF EXISTS gis.%I CASCADE', base);
        EXECUTE format('DROP VIEW IF EXISTS gis.%I CASCADE', v.name);

        EXECUTE format('CREATE VIEW gis.%I AS SELECT %s, lower(GeometryType(s.%I)) AS geometry_type FROM (%s) s',
                       base, plain, v.geom_col, def);
        EXECUTE format('COMMENT ON VIEW gis.%I IS %L', base,
                       regexp_replace(vcomment, ';? *EPSG:5514\.?', '', 'g')
                       || ' Without geometry (every row, also unlocated ones): the map layers are gis.' || base
                       || '_point and gis.' || base || '_line (and their _5514 twins).');
        EXECUTE format('COMMENT ON COLUMN gis.%I.geometry_type IS %L', base,
                       'Kind of position: point or linestring (or multi…); NULL when the row has no position. '
                       || 'Map layers: gis.' || base || '_point and gis.' || base || '_line.');

        EXECUTE format('CREATE VIEW gis.%I AS SELECT %s, ST_Multi(ST_CollectionExtract(s.%I, 1))::geometry(MultiPoint, 5514) '
                       || 'AS %I FROM (%s) s WHERE ST_Dimension(s.%I) = 0 OR (GeometryType(s.%I) = ''GEOMETRYCOLLECTION'' '
                       || 'AND NOT ST_IsEmpty(ST_CollectionExtract(s.%I, 1)))',
                       base || '_point_5514', plain, v.geom_col, v.geom_col, def, v.geom_col, v.geom_col, v.geom_col);
        EXECUTE format('CREATE VIEW gis.%I AS SELECT %s, ST_Multi(ST_CollectionExtract(s.%I, 2))::geometry(MultiLineString, 5514) '
                       || 'AS %I FROM (%s) s WHERE ST_Dimension(s.%I) = 1 OR (GeometryType(s.%I) = ''GEOMETRYCOLLECTION'' '
                       || 'AND NOT ST_IsEmpty(ST_CollectionExtract(s.%I, 2)))',
                       base || '_line_5514', plain, v.geom_col, v.geom_col, def, v.geom_col, v.geom_col, v.geom_col);
        EXECUTE format('COMMENT ON VIEW gis.%I IS %L', base || '_point_5514',
                       regexp_replace(vcomment, ';? *EPSG:5514\.?', '', 'g') || ' Those located at a point; EPSG:5514.');
        EXECUTE format('COMMENT ON VIEW gis.%I IS %L', base || '_line_5514',
                       regexp_replace(vcomment, ';? *EPSG:5514\.?', '', 'g') || ' Those located along a line; EPSG:5514.');
        EXECUTE (SELECT string_agg(format('COMMENT ON COLUMN gis.%I.%I IS %L; COMMENT ON COLUMN gis.%I.%I IS %L;'
                                          || CASE WHEN attname <> v.geom_col
                                                  THEN format('COMMENT ON COLUMN gis.%I.%I IS %L;', base, attname,
                                                              description) ELSE '' END,
                                          base || '_point_5514', attname,
                                          CASE WHEN attname = v.geom_col THEN 'Position as MultiPoint, EPSG:5514.'
                                               ELSE description END,
                                          base || '_line_5514', attname,
                                          CASE WHEN attname = v.geom_col THEN 'Position as MultiLineString, EPSG:5514.'
                                               ELSE description END), ' ')
                 FROM col_comment);
        PERFORM pg_temp.make_4326_twin(base || '_point_5514');
        PERFORM pg_temp.make_4326_twin(base || '_line_5514');
    END LOOP;
END $$;

-- ── A stable unique integer key on every layer (QGIS needs one) ─────────────────────────────────
-- Every view keyed by a unified table's id keeps it; the affected-services snapshot is rebuilt on
-- every refresh, so its key is derived from what identifies a row (date, event, journey).
DO $$
DECLARE r record;
BEGIN
    IF to_regclass('unified.affected_service') IS NULL THEN RETURN; END IF;
    IF EXISTS (SELECT 1 FROM pg_attribute WHERE attrelid = 'gis.affected_service'::regclass AND attname = 'id') THEN
        RETURN;
    END IF;
    DROP VIEW IF EXISTS gis.affected_service;
    CREATE VIEW gis.affected_service AS
    SELECT ('x' || left(md5(concat_ws('|', a.service_date, a.event_id, a.journey_id, a.line_id)), 15))::bit(60)::bigint
               AS id, a.*
    FROM unified.affected_service a;
    COMMENT ON VIEW gis.affected_service IS 'Journeys affected by current road events today (snapshot refreshed by Dagster; see unified.affected_service).';
    COMMENT ON COLUMN gis.affected_service.id IS 'Stable key of the row: derived from service date, event, journey and line, so it survives refreshes of the snapshot.';
    FOR r IN SELECT a.attname, col_description('unified.affected_service'::regclass, a.attnum) AS d
             FROM pg_attribute a WHERE a.attrelid = 'unified.affected_service'::regclass AND a.attnum > 0
               AND NOT a.attisdropped LOOP
        EXECUTE format('COMMENT ON COLUMN gis.affected_service.%I IS %L', r.attname, r.d);
    END LOOP;
END $$;

-- ── Provenance for GIS staff, without the lineage schema or raw records ─────────────────────────
-- A view runs with its owner's rights, so gis_reader reads these columns and nothing else of lineage.
-- To add provenance columns (e.g. a source-file table), extend the SELECT list here in a later migration.
CREATE OR REPLACE VIEW gis.lineage AS
SELECT es.id, es.unified_table, es.unified_id,
       s.id AS source_id, s.family AS source_family, s.format AS source_format, s.owner AS source_owner,
       fv.id AS feed_version_id, fv.feed_label, fv.sha256 AS feed_sha256, fv.status AS feed_version_status,
       fv.is_current AS feed_version_is_current, fv.coverage_from, fv.coverage_to,
       es.source_file, es.source_line, es.source_key, es.match_method, es.distance_m, es.name_similarity, es.score,
       lr.run_id, lr.run_kind, lr.asset_key, coalesce(fv.loaded_at, lr.finished_at, es.recorded_at) AS loaded_at
FROM lineage.entity_source es
JOIN lineage.feed_version fv ON fv.id = es.feed_version_id
JOIN lineage.source s ON s.id = fv.source_id
LEFT JOIN lineage.load_run lr ON lr.id = coalesce(es.load_run_id, fv.load_run_id);
COMMENT ON VIEW gis.lineage IS 'Where each unified row came from: source, feed version, file and line, the run that loaded it and when. Read-only; no raw records. For a row of a gis layer call gis.row_lineage(''layer'', id).';
COMMENT ON COLUMN gis.lineage.id IS 'Lineage row id.';
COMMENT ON COLUMN gis.lineage.unified_table IS 'Unified table of the row, e.g. unified.stop_place (gis layer stop_place / stop_place_5514).';
COMMENT ON COLUMN gis.lineage.unified_id IS 'id of the row (the id column of the gis layer).';
COMMENT ON COLUMN gis.lineage.source_id IS 'Catalog id of the source.';
COMMENT ON COLUMN gis.lineage.source_family IS 'Source family: regional, road, rail or municipal.';
COMMENT ON COLUMN gis.lineage.source_format IS 'Format of the source (gtfs, jdf, ...).';
COMMENT ON COLUMN gis.lineage.source_owner IS 'Publishing organisation.';
COMMENT ON COLUMN gis.lineage.feed_version_id IS 'Feed version the source record belongs to.';
COMMENT ON COLUMN gis.lineage.feed_label IS 'Version label published by the source itself (GTFS feed_version, JDF batch, ...).';
COMMENT ON COLUMN gis.lineage.feed_sha256 IS 'SHA-256 of the feed version as fetched.';
COMMENT ON COLUMN gis.lineage.feed_version_status IS 'loaded, rejected or superseded.';
COMMENT ON COLUMN gis.lineage.feed_version_is_current IS 'True if the feed version is the current one of its source.';
COMMENT ON COLUMN gis.lineage.coverage_from IS 'First date covered by the feed version.';
COMMENT ON COLUMN gis.lineage.coverage_to IS 'Last date covered by the feed version.';
COMMENT ON COLUMN gis.lineage.source_file IS 'File of the source record (inside the archive).';
COMMENT ON COLUMN gis.lineage.source_line IS 'Line of the source record in that file (header = line 1).';
COMMENT ON COLUMN gis.lineage.source_key IS 'Key of the source record in its format (stop_id, trip_id, ...).';
COMMENT ON COLUMN gis.lineage.match_method IS 'source (row made from this record) or how harmonisation matched it (register_id, distance_name, ...).';
COMMENT ON COLUMN gis.lineage.distance_m IS 'Distance in metres between matched objects (harmonisation).';
COMMENT ON COLUMN gis.lineage.name_similarity IS 'Name similarity 0..1 of matched objects (harmonisation).';
COMMENT ON COLUMN gis.lineage.score IS 'Match score 0..1 (harmonisation).';
COMMENT ON COLUMN gis.lineage.run_id IS 'Dagster run id (open http://localhost:3000/runs/<run_id>), or cli-… for command-line loads.';
COMMENT ON COLUMN gis.lineage.run_kind IS 'dagster, cli or test.';
COMMENT ON COLUMN gis.lineage.asset_key IS 'Dagster asset that loaded it.';
COMMENT ON COLUMN gis.lineage.loaded_at IS 'When the feed version was published.';

-- The provenance of one row of a gis layer: the layer name maps to its unified table (suffixes
-- _5514, _point, _line dropped); canonical stop members answer with their stop place's sources.
CREATE OR REPLACE FUNCTION gis.row_lineage(layer text, row_id bigint) RETURNS SETOF gis.lineage
LANGUAGE sql STABLE AS $$
    WITH target AS (
        SELECT 'unified.' || regexp_replace(regexp_replace(regexp_replace(layer, '^gis\.', ''), '_5514$', ''),
                                            '_(point|line)$', '') AS unified_table, row_id AS unified_id
        UNION ALL
        SELECT 'unified.stop_place', m.stop_place_id FROM unified.canonical_stop_member m
        WHERE regexp_replace(layer, '^gis\.', '') LIKE 'canonical_stop_member%' AND m.id = row_id
    )
    SELECT l.* FROM gis.lineage l JOIN target t USING (unified_table, unified_id)
    ORDER BY l.unified_table, l.id
$$;
COMMENT ON FUNCTION gis.row_lineage(text, bigint) IS 'Provenance of one row of a gis layer: SELECT * FROM gis.row_lineage(''stop_place'', 42) — source, feed version, file, line, run, loaded at.';

-- ── A login role for GIS staff ─────────────────────────────────────────────────────────────────
-- No password here (migrations are in git): `transport-etl db setup` sets it from
-- TRANSPORT_ETL_GIS_PASSWORD, or an administrator runs ALTER ROLE gis_analyst PASSWORD '…'.
DO $$
BEGIN
    BEGIN
        CREATE ROLE gis_analyst LOGIN IN ROLE gis_reader;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;  -- roles are cluster-wide
    END;
END $$;
ALTER ROLE gis_analyst LOGIN NOSUPERUSER NOCREATEDB NOCREATEROLE;
GRANT gis_reader TO gis_analyst;
COMMENT ON ROLE gis_analyst IS 'Login for GIS staff (QGIS, Python): member of gis_reader, read-only. Password from TRANSPORT_ETL_GIS_PASSWORD at `transport-etl db setup`, or ALTER ROLE gis_analyst PASSWORD ''…''.';

GRANT USAGE ON SCHEMA gis, unified TO gis_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA gis TO gis_reader;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA gis TO gis_reader;

-- Column comments of gis layers pointed GIS staff at lineage.entity_source, which they cannot read:
-- point them at what they can.
DO $$
DECLARE r record;
BEGIN
    FOR r IN SELECT c.relname, a.attname, col_description(c.oid, a.attnum) AS d
             FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
             WHERE n.nspname = 'gis' AND c.relkind = 'v' AND c.relname <> 'lineage'
               AND col_description(c.oid, a.attnum) LIKE '%lineage.entity_source%' LOOP
        EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', r.relname, r.attname,
                       replace(r.d, 'lineage.entity_source', 'gis.row_lineage(''' || r.relname || ''', id)'));
    END LOOP;
END $$;
