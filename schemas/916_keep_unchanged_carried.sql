-- unified.keep_unchanged with rows a loader carries as they are (issue 11: a GTFS version carries its unchanged
-- trips, formats/gtfs/delta.py): p_carried names a temp table of local ids whose current rows of the source stay
-- current without being compared; they are neither paired nor closed, and count as kept. The loader's work
-- table then holds only the other rows (GTFS: the changed journeys instead of all of them).
-- Otherwise (p_carried NULL) as schemas/905 and 840.
DROP FUNCTION unified.keep_unchanged(text, text, bigint, text, text);
DROP FUNCTION unified.keep_unchanged_paired(text, text, bigint, text, text);

CREATE FUNCTION unified.keep_unchanged_paired(p_table text, p_work text, p_feed_version_id bigint,
                                              p_source_id text, p_namespace text, p_carried text DEFAULT NULL)
RETURNS TABLE (kept bigint, added bigint, closed bigint)
LANGUAGE plpgsql AS $$
DECLARE
    reuse boolean;
    seq text := pg_get_serial_sequence(format('unified.%I', p_table), 'id');
    pairs text := '_match_' || p_table;
    not_carried text := CASE WHEN p_carried IS NULL THEN ''
                             ELSE format(' AND u.local_id NOT IN (SELECT local_id FROM %I)', p_carried) END;
    n_carried bigint := 0;
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
                       FROM unified.%3$I u WHERE u.source_id = $1 AND u.recorded_to IS NULL%4$s) p
            ON p.h = c.h AND p.rn = c.rn$q$, pairs, p_work, p_table, not_carried)
        USING p_source_id, p_namespace, reuse;
    EXECUTE format('ANALYZE %I', pairs);
    EXECUTE format('UPDATE %I w SET id = m.current_id, kept = true FROM %I m
                     WHERE m.row_ref IS NOT NULL AND m.current_id IS NOT NULL AND w.ctid = m.row_ref', p_work, pairs);
    EXECUTE format('UPDATE %I SET id = nextval(%L) WHERE id IS NULL', p_work, seq);
    EXECUTE format('DROP TABLE IF EXISTS %I', '_closed_' || p_table);
    EXECUTE format('CREATE TEMP TABLE %I (id bigint) ON COMMIT DROP', '_closed_' || p_table);  -- read whole
    EXECUTE format($q$
        WITH c AS (UPDATE unified.%1$I u SET recorded_to = now() FROM %2$I m
                    WHERE m.row_ref IS NULL AND u.id = m.current_id
                   RETURNING u.id)
        INSERT INTO %3$I SELECT id FROM c$q$, p_table, pairs, '_closed_' || p_table);
    GET DIAGNOSTICS closed = ROW_COUNT;
    IF closed > 0 THEN
        EXECUTE format('ANALYZE %I', '_closed_' || p_table);
    END IF;
    EXECUTE format('SELECT count(*) FILTER (WHERE kept), count(*) FILTER (WHERE NOT kept) FROM %I', p_work)
       INTO kept, added;
    IF p_carried IS NOT NULL THEN
        EXECUTE format('SELECT count(*) FROM %I', p_carried) INTO n_carried;
        kept := kept + n_carried;
    END IF;
    CREATE TEMP TABLE IF NOT EXISTS _incremental_publish (unified_table text, kept bigint, added bigint,
                                                          closed bigint) ON COMMIT DROP;
    INSERT INTO _incremental_publish VALUES (p_table, kept, added, closed);
    RETURN NEXT;
END $$;
COMMENT ON FUNCTION unified.keep_unchanged_paired(text, text, bigint, text, text, text) IS 'The pairing step of unified.keep_unchanged, used when the source has current rows in the table: pairs a loader''s new rows (temp table with digest h) with the source''s current rows of the same content_hash, gives the pairs the kept row''s id, new ids to the rest and closes the current rows left unpaired (ids in temp table _closed_<table>, pairs in _match_<table>); current rows whose local_id is in temp table p_carried stay as they are and count as kept. Returns (kept, added, closed).';

CREATE FUNCTION unified.keep_unchanged(p_table text, p_work text, p_feed_version_id bigint, p_source_id text,
                                       p_namespace text, p_carried text DEFAULT NULL)
RETURNS TABLE (kept bigint, added bigint, closed bigint)
LANGUAGE plpgsql AS $$
DECLARE
    has_current boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT FROM unified.%I WHERE source_id = $1 AND recorded_to IS NULL)', p_table)
       INTO has_current USING p_source_id;
    IF has_current THEN
        RETURN QUERY SELECT * FROM unified.keep_unchanged_paired(p_table, p_work, p_feed_version_id, p_source_id,
                                                                 p_namespace, p_carried);
        RETURN;
    END IF;
    EXECUTE format('DROP TABLE IF EXISTS %I, %I', '_match_' || p_table, '_closed_' || p_table);
    EXECUTE format('CREATE TEMP TABLE %I (id bigint) ON COMMIT DROP', '_closed_' || p_table);
    EXECUTE format('ALTER TABLE %I ADD COLUMN id bigint, ADD COLUMN kept boolean NOT NULL DEFAULT false', p_work);
    EXECUTE format('UPDATE %I SET id = nextval(%L)', p_work,
                   pg_get_serial_sequence(format('unified.%I', p_table), 'id'));
    GET DIAGNOSTICS added = ROW_COUNT;
    kept := 0;
    closed := 0;
    CREATE TEMP TABLE IF NOT EXISTS _incremental_publish (unified_table text, kept bigint, added bigint,
                                                          closed bigint) ON COMMIT DROP;
    INSERT INTO _incremental_publish VALUES (p_table, kept, added, closed);
    RETURN NEXT;
END $$;
COMMENT ON FUNCTION unified.keep_unchanged(text, text, bigint, text, text, text) IS 'Incremental publish of one unified table: pairs a loader''s new rows (temp table with digest h) with the source''s current rows of the same content_hash, gives the pairs the kept row''s id, new ids to the rest (in the work table''s order) and closes the current rows left unpaired (ids in temp table _closed_<table>). Current rows whose local_id is in temp table p_carried (when given) stay as they are and count as kept. Without current rows of the source in the table every row is new (unified.keep_unchanged_paired does the pairing). Returns (kept, added, closed).';
