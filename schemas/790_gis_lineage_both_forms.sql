-- One provenance view for GIS staff over both lineage forms. gis.lineage (660) read lineage.entity_source
-- only, and 722 added a second view (gis.row_provenance) over lineage.row_source, which also holds the
-- provenance columns of unified rows (GTFS writes no entity_source rows any more). Here row_source gains a
-- stable integer key, gis.lineage reads row_source, and the duplicate view goes.
DROP VIEW IF EXISTS gis.row_provenance;
DROP FUNCTION IF EXISTS gis.row_lineage(text, bigint);
DROP VIEW IF EXISTS gis.lineage;
DROP VIEW IF EXISTS lineage.row_source;

CREATE OR REPLACE FUNCTION lineage.refresh_row_source() RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
  t text;
  k integer := 0;
  parts text[] := ARRAY[
    'SELECT es.unified_table, es.unified_id, es.feed_version_id, es.source_file, es.source_line, es.source_key,
            es.match_method, es.distance_m, es.name_similarity, es.score, es.load_run_id, es.recorded_at,
            es.id AS row_key
     FROM lineage.entity_source es'];
BEGIN
  FOR t IN SELECT c.table_name FROM information_schema.columns c
           JOIN information_schema.tables x ON x.table_schema = c.table_schema AND x.table_name = c.table_name
           WHERE c.table_schema = 'unified' AND c.column_name = 'source_file_id' AND x.table_type = 'BASE TABLE'
           ORDER BY 1
  LOOP
    k := k + 1;
    -- a row's key: negative, so it never meets an entity_source id; table rank × 10^12 + the row's id
    parts := parts || format(
      'SELECT %L::text, u.id, u.feed_version_id, sf.path, u.source_line, u.local_id, ''source''::text,
              NULL::double precision, NULL::double precision, NULL::double precision, fv.load_run_id, u.recorded_from,
              -(%s::bigint * 1000000000000 + u.id)
       FROM unified.%I u JOIN lineage.source_file sf ON sf.id = u.source_file_id
       JOIN lineage.feed_version fv ON fv.id = u.feed_version_id', 'unified.' || t, k, t);
  END LOOP;
  EXECUTE 'CREATE OR REPLACE VIEW lineage.row_source AS ' || array_to_string(parts, E'\nUNION ALL\n');
  COMMENT ON VIEW lineage.row_source IS 'The source records behind every unified row, whichever way they are stored: lineage.entity_source rows, and the provenance columns (source_file_id, source_line, local_id) of the unified rows. Ask it by unified_table and unified_id.';
  COMMENT ON COLUMN lineage.row_source.unified_table IS 'Schema-qualified unified table, e.g. unified.call.';
  COMMENT ON COLUMN lineage.row_source.unified_id IS 'id of the unified row.';
  COMMENT ON COLUMN lineage.row_source.feed_version_id IS 'Feed version of the source record.';
  COMMENT ON COLUMN lineage.row_source.source_file IS 'File of the source record: path inside the input (nested archives included).';
  COMMENT ON COLUMN lineage.row_source.source_line IS 'Physical line of the source record in that file (header = line 1).';
  COMMENT ON COLUMN lineage.row_source.source_key IS 'Key of the source record in its format (stop_id, trip_id:stop_sequence, ...).';
  COMMENT ON COLUMN lineage.row_source.match_method IS 'source (made from this record), or how a harmonised identity was matched.';
  COMMENT ON COLUMN lineage.row_source.distance_m IS 'Distance in metres between matched objects (harmonisation).';
  COMMENT ON COLUMN lineage.row_source.name_similarity IS 'Name similarity 0..1 of matched objects (harmonisation).';
  COMMENT ON COLUMN lineage.row_source.score IS 'Overall match score 0..1 (harmonisation).';
  COMMENT ON COLUMN lineage.row_source.load_run_id IS 'Load run that wrote the row.';
  COMMENT ON COLUMN lineage.row_source.recorded_at IS 'When the row was written.';
  COMMENT ON COLUMN lineage.row_source.row_key IS 'Stable unique key of the provenance row: the entity_source id, or a negative key derived from the unified table and row id.';
END $f$;
COMMENT ON FUNCTION lineage.refresh_row_source() IS 'Regenerates lineage.row_source over every unified table with provenance columns (call it after adding such a table).';
SELECT lineage.refresh_row_source();

CREATE VIEW gis.lineage AS
SELECT r.row_key AS id, r.unified_table, r.unified_id,
       s.id AS source_id, s.family AS source_family, s.format AS source_format, s.owner AS source_owner,
       fv.id AS feed_version_id, fv.feed_label, fv.sha256 AS feed_sha256, fv.status AS feed_version_status,
       fv.is_current AS feed_version_is_current, fv.coverage_from, fv.coverage_to,
       r.source_file, r.source_line, r.source_key, r.match_method, r.distance_m, r.name_similarity, r.score,
       lr.run_id, lr.run_kind, lr.asset_key, coalesce(fv.loaded_at, lr.finished_at, r.recorded_at) AS loaded_at
FROM lineage.row_source r
JOIN lineage.feed_version fv ON fv.id = r.feed_version_id
JOIN lineage.source s ON s.id = fv.source_id
LEFT JOIN lineage.load_run lr ON lr.id = coalesce(r.load_run_id, fv.load_run_id);
COMMENT ON VIEW gis.lineage IS 'Where each unified row came from, from both lineage forms: source, feed version, file and line, the run that loaded it and when. Read-only; no raw records. For a row of a gis layer call gis.row_lineage(''layer'', id).';
COMMENT ON COLUMN gis.lineage.id IS 'Stable unique key of the provenance row.';
COMMENT ON COLUMN gis.lineage.unified_table IS 'Unified table of the row, e.g. unified.stop_place (gis layer stop_place / stop_place_5514).';
COMMENT ON COLUMN gis.lineage.unified_id IS 'id of the row (the id column of the gis layer).';
COMMENT ON COLUMN gis.lineage.source_id IS 'Catalog id of the source.';
COMMENT ON COLUMN gis.lineage.source_family IS 'Source family: regional, road, rail or municipal.';
COMMENT ON COLUMN gis.lineage.source_format IS 'Format of the source (gtfs, jdf, ...).';
COMMENT ON COLUMN gis.lineage.source_owner IS 'Publishing organisation.';
COMMENT ON COLUMN gis.lineage.feed_version_id IS 'Feed version the source record belongs to.';
COMMENT ON COLUMN gis.lineage.feed_label IS 'Version label published by the source itself (GTFS feed_version, JDF batch, ...).';
COMMENT ON COLUMN gis.lineage.feed_sha256 IS 'SHA-256 of the feed version as fetched.';
COMMENT ON COLUMN gis.lineage.feed_version_status IS 'Status of the feed version (loaded, superseded, ...).';
COMMENT ON COLUMN gis.lineage.feed_version_is_current IS 'True if the feed version is the current one of its source.';
COMMENT ON COLUMN gis.lineage.coverage_from IS 'First date covered by the feed version.';
COMMENT ON COLUMN gis.lineage.coverage_to IS 'Last date covered by the feed version.';
COMMENT ON COLUMN gis.lineage.source_file IS 'File of the source record (path inside the input, nested archives included).';
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

CREATE FUNCTION gis.row_lineage(layer text, row_id bigint) RETURNS SETOF gis.lineage
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

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT SELECT ON gis.lineage TO gis_reader;
    GRANT EXECUTE ON FUNCTION gis.row_lineage(text, bigint) TO gis_reader;
  END IF;
END $$;
