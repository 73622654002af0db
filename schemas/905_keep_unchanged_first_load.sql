-- unified.keep_unchanged (schemas/840) with less fixed cost per call: GTFS calls it seven times per load, and
-- on a small feed its ~13 statements each (two temp tables with an index, two ANALYZEs, two full UPDATEs of the
-- work table) cost more than the rows (Amtrak: ~0.1 s of a 2 s load).
-- - No current row of the source in the table (its first version, or a table it never filled): nothing can be
--   paired or closed. One UPDATE numbers every work row from the table's identity, in the work table's order
--   as before, and counts them; no pairs table, no ANALYZE, no second UPDATE, no count. (A volatile column
--   DEFAULT would number them by rewriting the table instead: ~3 ms more per call on a small table.)
-- - _closed_<table> has no primary key: it is read whole (= ANY, hash join), never probed; it is analysed
--   only when rows were closed.
-- Otherwise the pairing is the one of schemas/840, unchanged.
CREATE OR REPLACE FUNCTION unified.keep_unchanged(p_table text, p_work text, p_feed_version_id bigint,
                                                  p_source_id text, p_namespace text)
RETURNS TABLE (kept bigint, added bigint, closed bigint)
LANGUAGE plpgsql AS $$
DECLARE
    reuse boolean;
    has_current boolean;
    seq text := pg_get_serial_sequence(format('unified.%I', p_table), 'id');
    pairs text := '_match_' || p_table;
    gone text := '_closed_' || p_table;
BEGIN
    EXECUTE format('DROP TABLE IF EXISTS %I, %I', pairs, gone);
    EXECUTE format('CREATE TEMP TABLE %I (id bigint) ON COMMIT DROP', gone);
    EXECUTE format('SELECT EXISTS (SELECT FROM unified.%I WHERE source_id = $1 AND recorded_to IS NULL)', p_table)
       INTO has_current USING p_source_id;
    IF NOT has_current THEN
        EXECUTE format('ALTER TABLE %I ADD COLUMN id bigint, ADD COLUMN kept boolean NOT NULL DEFAULT false', p_work);
        EXECUTE format('UPDATE %I SET id = nextval(%L)', p_work, seq);
        GET DIAGNOSTICS added = ROW_COUNT;
        kept := 0;
        closed := 0;
    ELSE
        SELECT coalesce(n.loader_digest = c.loader_digest, false) INTO reuse
          FROM lineage.feed_version n JOIN lineage.feed_version c ON c.source_id = n.source_id AND c.is_current
         WHERE n.id = p_feed_version_id;
        reuse := coalesce(reuse, false);
        EXECUTE format('ALTER TABLE %I ADD COLUMN id bigint, ADD COLUMN kept boolean NOT NULL DEFAULT false', p_work);
        -- One pass over both sides: pairs (kept), new rows alone (row_ref only), current rows alone (to close).
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
                         WHERE m.row_ref IS NOT NULL AND m.current_id IS NOT NULL AND w.ctid = m.row_ref',
                       p_work, pairs);
        EXECUTE format('UPDATE %I SET id = nextval(%L) WHERE id IS NULL', p_work, seq);
        EXECUTE format($q$
            WITH c AS (UPDATE unified.%1$I u SET recorded_to = now() FROM %2$I m
                        WHERE m.row_ref IS NULL AND u.id = m.current_id
                       RETURNING u.id)
            INSERT INTO %3$I SELECT id FROM c$q$, p_table, pairs, gone);
        GET DIAGNOSTICS closed = ROW_COUNT;
        IF closed > 0 THEN
            EXECUTE format('ANALYZE %I', gone);
        END IF;
        EXECUTE format('SELECT count(*) FILTER (WHERE kept), count(*) FILTER (WHERE NOT kept) FROM %I', p_work)
           INTO kept, added;
    END IF;
    CREATE TEMP TABLE IF NOT EXISTS _incremental_publish (unified_table text, kept bigint, added bigint,
                                                          closed bigint) ON COMMIT DROP;
    INSERT INTO _incremental_publish VALUES (p_table, kept, added, closed);
    RETURN NEXT;
END $$;
COMMENT ON FUNCTION unified.keep_unchanged(text, text, bigint, text, text) IS 'Incremental publish of one unified table: pairs a loader''s new rows (temp table with digest h) with the source''s current rows of the same content_hash, gives the pairs the kept row''s id, new ids to the rest (in the work table''s order) and closes the current rows left unpaired (ids in temp table _closed_<table>; pairs in _match_<table> when the source had current rows). Returns (kept, added, closed).';
