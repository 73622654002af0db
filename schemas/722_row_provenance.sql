-- Lineage at COPY speed (issue 11): a unified row names its source record in its own columns
-- (source_file_id + source_line; the record key is its local_id) instead of one lineage.entity_source
-- row per unified row. entity_source stays for rows with several sources (canonical identities,
-- matches, derived rows) and for loaders not yet converted; lineage.row_source reads both forms.

CREATE TABLE IF NOT EXISTS lineage.source_file (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_version_id bigint NOT NULL REFERENCES lineage.feed_version(id) ON DELETE CASCADE,
    path            text NOT NULL,
    sha256          text,
    size_bytes      bigint,
    UNIQUE (feed_version_id, path)
);
COMMENT ON TABLE lineage.source_file IS 'One row per file of a feed version that unified rows cite (source_file_id): its path inside the input, including the folders and nested archives it sits in, and its hash.';
COMMENT ON COLUMN lineage.source_file.id IS 'Source file id (unified.*.source_file_id).';
COMMENT ON COLUMN lineage.source_file.feed_version_id IS 'Feed version the file belongs to.';
COMMENT ON COLUMN lineage.source_file.path IS 'Path of the file inside the input as published, e.g. gtfs/stops.txt or outer.zip/inner.zip/Zastavky.txt.';
COMMENT ON COLUMN lineage.source_file.sha256 IS 'SHA-256 of the file''s bytes, where known.';
COMMENT ON COLUMN lineage.source_file.size_bytes IS 'Size of the file in bytes, where known.';

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.table_name FROM information_schema.columns c
           JOIN information_schema.tables k ON k.table_schema = c.table_schema AND k.table_name = c.table_name
           WHERE c.table_schema = 'unified' AND c.column_name = 'feed_version_id' AND k.table_type = 'BASE TABLE'
           ORDER BY 1
  LOOP
    EXECUTE format('ALTER TABLE unified.%I ADD COLUMN IF NOT EXISTS source_file_id bigint', t);
    EXECUTE format('ALTER TABLE unified.%I ADD COLUMN IF NOT EXISTS source_line integer', t);
    EXECUTE format('COMMENT ON COLUMN unified.%I.source_file_id IS %L', t,
                   'File (lineage.source_file.id) of the source record this row was made from; NULL when lineage.entity_source holds the row''s sources.');
    EXECUTE format('COMMENT ON COLUMN unified.%I.source_line IS %L', t,
                   'Physical line of the source record in that file (header = line 1); the record key is local_id.');
  END LOOP;
END $$;

-- Both forms as one relation: "where did unified row X come from?". Regenerated from the unified
-- tables that have the provenance columns (re-run lineage.refresh_row_source() after adding a table).
CREATE OR REPLACE FUNCTION lineage.refresh_row_source() RETURNS void LANGUAGE plpgsql AS $f$
DECLARE
  t text;
  parts text[] := ARRAY[
    'SELECT es.unified_table, es.unified_id, es.feed_version_id, es.source_file, es.source_line, es.source_key,
            es.match_method, es.distance_m, es.name_similarity, es.score, es.load_run_id, es.recorded_at
     FROM lineage.entity_source es'];
BEGIN
  FOR t IN SELECT c.table_name FROM information_schema.columns c
           JOIN information_schema.tables k ON k.table_schema = c.table_schema AND k.table_name = c.table_name
           WHERE c.table_schema = 'unified' AND c.column_name = 'source_file_id' AND k.table_type = 'BASE TABLE'
           ORDER BY 1
  LOOP
    parts := parts || format(
      'SELECT %L::text, u.id, u.feed_version_id, sf.path, u.source_line, u.local_id, ''source''::text,
              NULL::double precision, NULL::double precision, NULL::double precision, fv.load_run_id, u.recorded_from
       FROM unified.%I u JOIN lineage.source_file sf ON sf.id = u.source_file_id
       JOIN lineage.feed_version fv ON fv.id = u.feed_version_id', 'unified.' || t, t);
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
END $f$;
COMMENT ON FUNCTION lineage.refresh_row_source() IS 'Regenerates lineage.row_source over every unified table with provenance columns.';
SELECT lineage.refresh_row_source();

-- The same for GIS staff (gis_reader sees no lineage schema): provenance of unified rows, with the source.
CREATE OR REPLACE VIEW gis.row_provenance AS
SELECT r.unified_table, r.unified_id, fv.source_id, r.feed_version_id, fv.feed_label, fv.is_current,
       r.source_file, r.source_line, r.source_key, r.match_method, r.score
FROM lineage.row_source r JOIN lineage.feed_version fv ON fv.id = r.feed_version_id;
COMMENT ON VIEW gis.row_provenance IS 'Where each unified row came from (file, line, record key, feed version), from both lineage forms; filter by unified_table and unified_id.';
COMMENT ON COLUMN gis.row_provenance.unified_table IS 'Schema-qualified unified table, e.g. unified.stop_place.';
COMMENT ON COLUMN gis.row_provenance.unified_id IS 'id of the unified row.';
COMMENT ON COLUMN gis.row_provenance.source_id IS 'Source of the feed version.';
COMMENT ON COLUMN gis.row_provenance.feed_version_id IS 'Feed version of the source record.';
COMMENT ON COLUMN gis.row_provenance.feed_label IS 'Version label published by the source.';
COMMENT ON COLUMN gis.row_provenance.is_current IS 'True when the feed version is the source''s current one.';
COMMENT ON COLUMN gis.row_provenance.source_file IS 'File of the source record inside the input.';
COMMENT ON COLUMN gis.row_provenance.source_line IS 'Line of the source record in that file (header = line 1).';
COMMENT ON COLUMN gis.row_provenance.source_key IS 'Key of the source record in its format.';
COMMENT ON COLUMN gis.row_provenance.match_method IS 'source, or how a harmonised identity was matched.';
COMMENT ON COLUMN gis.row_provenance.score IS 'Match score 0..1 (harmonisation).';
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT SELECT ON gis.row_provenance TO gis_reader;
  END IF;
END $$;
