-- Identity kept by key while unchanged, written once for the loaders that publish small keyed registers as
-- whole versions (GBFS stations, parking facilities, fleet vehicles, charging points). Unlike
-- unified.keep_unchanged (840, content digests, incremental tables), a kept row moves to the new version
-- (its feed_version_id becomes the new one) and every row of the version gets a lineage.entity_source
-- row; what the new version no longer lists is closed by the runner as for any whole-version publish.
--
-- p_work is the loader's temp table of this version's rows: local_id (the record's key, unique), source_file,
-- source_line (may be NULL) and the content columns p_columns under their names in unified.<p_table>.
-- A current row of the source with the same local_id and the same content keeps its id; the others are
-- inserted. Content is compared with IS NOT DISTINCT FROM; a geometry by its EWKB (exact coordinates and
-- SRID). With p_extent_flagged, location_note is compared without the outside_expected_extent flag, which
-- the runner adds to the published rows of a positioned table after publish (ingest/extent.py), so a
-- stored note may carry it while the loader's note for the same position does not.
CREATE OR REPLACE FUNCTION unified.keep_identity(p_table text, p_work text, p_columns text[],
                                                 p_feed_version_id bigint, p_source_id text, p_namespace text,
                                                 p_load_run_id bigint, p_extent_flagged boolean DEFAULT false)
RETURNS TABLE (kept bigint, added bigint)
LANGUAGE plpgsql AS $$
DECLARE
    same text;
    cols text;
    vals text;
BEGIN
    SELECT string_agg(CASE
               WHEN a.atttypid = 'geometry'::regtype THEN format('ST_AsEWKB(u.%1$I) IS NOT DISTINCT FROM ST_AsEWKB(w.%1$I)', c)
               WHEN c = 'location_note' AND p_extent_flagged THEN
                   'nullif(regexp_replace(coalesce(u.location_note, ''''), ''(; )?outside_expected_extent'', ''''), '''')'
                   || ' IS NOT DISTINCT FROM '
                   || 'nullif(regexp_replace(coalesce(w.location_note, ''''), ''(; )?outside_expected_extent'', ''''), '''')'
               ELSE format('u.%1$I IS NOT DISTINCT FROM w.%1$I', c) END, ' AND ' ORDER BY i),
           string_agg(format('%I', c), ', ' ORDER BY i), string_agg(format('w.%I', c), ', ' ORDER BY i)
      INTO same, cols, vals
      FROM unnest(p_columns) WITH ORDINALITY AS x(c, i)
      LEFT JOIN pg_attribute a ON a.attrelid = format('unified.%I', p_table)::regclass AND a.attname = c
                              AND NOT a.attisdropped;
    EXECUTE format($q$
        WITH kept AS (
            UPDATE unified.%1$I u SET feed_version_id = $1
              FROM %2$I w
             WHERE u.source_id = $2 AND u.recorded_to IS NULL AND u.local_id = w.local_id AND %3$s
            RETURNING u.id, u.local_id
        ), added AS (
            INSERT INTO unified.%1$I (source_id, feed_version_id, namespace, local_id, %4$s)
            SELECT $2, $1, $3, w.local_id, %5$s
              FROM %2$I w WHERE NOT EXISTS (SELECT 1 FROM kept k WHERE k.local_id = w.local_id)
            RETURNING id, local_id
        ), sourced AS (
            INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line,
                                               source_key, load_run_id)
            SELECT 'unified.' || %1$L, x.id, $1, w.source_file, w.source_line, w.local_id, $4
              FROM (SELECT id, local_id FROM kept UNION ALL SELECT id, local_id FROM added) x
              JOIN %2$I w ON w.local_id = x.local_id
        )
        SELECT (SELECT count(*) FROM kept), (SELECT count(*) FROM added)$q$,
        p_table, p_work, same, cols, vals)
      INTO kept, added
     USING p_feed_version_id, p_source_id, p_namespace, p_load_run_id;
    RETURN NEXT;
END $$;
COMMENT ON FUNCTION unified.keep_identity(text, text, text[], bigint, text, text, bigint, boolean) IS 'Whole-version publish of a keyed table that keeps identity: rows of the loader''s temp table (local_id, source_file, source_line and the content columns) whose content equals the source''s current row of the same local_id keep that row (moved to the new feed version); the others are inserted; every row gets a lineage.entity_source row. Returns (kept, added).';
