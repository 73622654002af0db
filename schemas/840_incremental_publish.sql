-- Incremental publish (issue 11): a new feed version supersedes only the rows that changed. A loader that
-- publishes incrementally (formats/contract.py: Format.incremental_publish, GTFS first) stores a digest of
-- each row's mapped content in content_hash; the next version computes the same digest from its staging
-- rows, keeps every row whose digest is found among the source's current rows (same id, same
-- recorded_from, same feed_version_id and provenance), closes the others (recorded_to) and inserts only
-- what is new. The runner then does not close the previous version's rows wholesale.
--
-- What "the rows of feed version V" means, for every format: the rows of V's source that were current when
-- V was published, i.e. recorded_from <= V.loaded_at < coalesce(recorded_to, infinity)
-- (lineage.feed_version_instant below). feed_version_id names the version that first recorded a row; for an incrementally published
-- source it is not "the version the row belongs to" (a row kept by later versions belongs to all of them).
-- Pruning (ingest/run.py) therefore deletes the rows no retained version holds: closed at or before the
-- oldest retained version was published.
-- Provenance (source_file_id, source_line) refers to that first version's file: a kept row's content is
-- identical in later versions, but its line there may differ.

DO $$
DECLARE t text;
BEGIN
  FOR t IN SELECT c.table_name FROM information_schema.columns c
           JOIN information_schema.tables k ON k.table_schema = c.table_schema AND k.table_name = c.table_name
           WHERE c.table_schema = 'unified' AND c.column_name = 'feed_version_id' AND k.table_type = 'BASE TABLE'
             AND c.table_name IN (SELECT table_name FROM information_schema.columns
                                  WHERE table_schema = 'unified' AND column_name = 'recorded_to')
           ORDER BY 1
  LOOP
    EXECUTE format('ALTER TABLE unified.%I ADD COLUMN IF NOT EXISTS content_hash uuid', t);
    EXECUTE format('COMMENT ON COLUMN unified.%I.content_hash IS %L', t,
                   'Digest (md5) of the row''s content as its loader mapped it, including the ids of the rows it references (a journey''s also covers its calls); a later version of an incrementally published source keeps the row while the digest is unchanged. NULL: the loader publishes whole versions.');
    EXECUTE format('COMMENT ON COLUMN unified.%I.feed_version_id IS %L', t,
                   'Feed version (lineage.feed_version.id) that first recorded this row; source_file_id and source_line name its record in that version. A source published incrementally keeps unchanged rows in later versions (see lineage.feed_version_instant).');
  END LOOP;
END $$;

-- Membership of a version, by time: the rows of the source that were current when the version was published.
CREATE OR REPLACE FUNCTION lineage.feed_version_instant(p_feed_version_id bigint) RETURNS timestamptz
LANGUAGE sql STABLE AS $$
    SELECT loaded_at FROM lineage.feed_version
     WHERE id = p_feed_version_id AND status IN ('loaded', 'superseded', 'retired')
$$;
COMMENT ON FUNCTION lineage.feed_version_instant(bigint) IS 'When a published feed version became current (its loaded_at): its rows are those of its source with recorded_from <= this instant < coalesce(recorded_to, infinity). NULL for a version never published.';

-- The matching step, written once for every loader that publishes incrementally. p_work is the loader's
-- temp table of this version's rows for unified.<p_table>, with a digest column h and an order column
-- line_no; it gains id (the kept row's id, else a new one from the table's identity) and kept. Current rows
-- of the source are paired one-to-one with new rows of the same digest (duplicates in order); those left
-- unpaired are closed (recorded_to = now()) and their ids listed in temp table _closed_<p_table> (pairs in
-- _match_<p_table>). Nothing is
-- kept when the current version came from another loader (loader_digest) or lies in another namespace:
-- the loader's output may differ for the same input. Counts go to temp table _incremental_publish.
CREATE OR REPLACE FUNCTION unified.keep_unchanged(p_table text, p_work text, p_feed_version_id bigint,
                                                  p_source_id text, p_namespace text)
RETURNS TABLE (kept bigint, added bigint, closed bigint)
LANGUAGE plpgsql AS $$
DECLARE
    reuse boolean;
    seq text := pg_get_serial_sequence(format('unified.%I', p_table), 'id');
    pairs text := '_match_' || p_table;
BEGIN
    SELECT coalesce(n.loader_digest = c.loader_digest, false) INTO reuse
      FROM lineage.feed_version n JOIN lineage.feed_version c ON c.source_id = n.source_id AND c.is_current
     WHERE n.id = p_feed_version_id;
    reuse := coalesce(reuse, false);
    EXECUTE format('ALTER TABLE %I ADD COLUMN id bigint, ADD COLUMN kept boolean NOT NULL DEFAULT false', p_work);
    -- One pass over both sides: pairs (kept), new rows alone (row_ref only), current rows alone (to close).
    EXECUTE format('DROP TABLE IF EXISTS %I', pairs);
    EXECUTE format($q$
        CREATE TEMP TABLE %1$I ON COMMIT DROP AS
        SELECT c.row_ref, p.id AS current_id
          FROM (SELECT ctid AS row_ref, h, row_number() OVER (PARTITION BY h ORDER BY line_no) AS rn FROM %2$I) c
          FULL JOIN (SELECT u.id,
                            CASE WHEN $3 AND u.namespace = $2 THEN u.content_hash END AS h,
                            row_number() OVER (PARTITION BY u.content_hash ORDER BY u.id) AS rn
                       FROM unified.%3$I u WHERE u.source_id = $1 AND u.recorded_to IS NULL) p
            ON p.h = c.h AND p.rn = c.rn$q$, pairs, p_work, p_table) USING p_source_id, p_namespace, reuse;
    EXECUTE format('ANALYZE %I', pairs);
    EXECUTE format('UPDATE %I w SET id = m.current_id, kept = true FROM %I m
                     WHERE m.row_ref IS NOT NULL AND m.current_id IS NOT NULL AND w.ctid = m.row_ref', p_work, pairs);
    EXECUTE format('UPDATE %I SET id = nextval(%L) WHERE id IS NULL', p_work, seq);
    EXECUTE format('DROP TABLE IF EXISTS %I', '_closed_' || p_table);
    EXECUTE format('CREATE TEMP TABLE %I (id bigint PRIMARY KEY) ON COMMIT DROP', '_closed_' || p_table);
    EXECUTE format($q$
        WITH c AS (UPDATE unified.%1$I u SET recorded_to = now() FROM %2$I m
                    WHERE m.row_ref IS NULL AND u.id = m.current_id
                   RETURNING u.id)
        INSERT INTO %3$I SELECT id FROM c$q$, p_table, pairs, '_closed_' || p_table);
    GET DIAGNOSTICS closed = ROW_COUNT;
    EXECUTE format('ANALYZE %I', '_closed_' || p_table);
    EXECUTE format('SELECT count(*) FILTER (WHERE kept), count(*) FILTER (WHERE NOT kept) FROM %I', p_work)
       INTO kept, added;
    CREATE TEMP TABLE IF NOT EXISTS _incremental_publish (unified_table text, kept bigint, added bigint,
                                                          closed bigint) ON COMMIT DROP;
    INSERT INTO _incremental_publish VALUES (p_table, kept, added, closed);
    RETURN NEXT;
END $$;
COMMENT ON FUNCTION unified.keep_unchanged(text, text, bigint, text, text) IS 'Incremental publish of one unified table: pairs a loader''s new rows (temp table with digest h) with the source''s current rows of the same content_hash, gives the pairs the kept row''s id, new ids to the rest, and closes the current rows left unpaired (ids in temp table _closed_<table>). Returns (kept, added, closed).';
