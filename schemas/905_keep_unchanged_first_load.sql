-- unified.keep_unchanged (schemas/840) with less fixed cost when there is nothing to pair: GTFS calls it seven
-- times per load, and on a small feed its ~13 statements each (two temp tables with an index, two ANALYZEs, two
-- full UPDATEs of the work table) cost more than the rows (Amtrak: ~0.1 s of a 2 s load).
-- The pairing of schemas/840 is kept as it is, renamed unified.keep_unchanged_paired; unified.keep_unchanged
-- calls it when the source has current rows in the table. When it has none (its first version, or a table it
-- never filled), nothing can be paired or closed: one UPDATE numbers every work row from the table's identity,
-- in the work table's order as the pairing does, and counts them; _closed_<table> is created empty (without the
-- pairing's primary key: it is read whole, never probed) and there is no _match_<table>.
ALTER FUNCTION unified.keep_unchanged(text, text, bigint, text, text) RENAME TO keep_unchanged_paired;
COMMENT ON FUNCTION unified.keep_unchanged_paired(text, text, bigint, text, text) IS 'The pairing step of unified.keep_unchanged (schemas/840), used when the source has current rows in the table: pairs a loader''s new rows (temp table with digest h) with the source''s current rows of the same content_hash, gives the pairs the kept row''s id, new ids to the rest and closes the current rows left unpaired (ids in temp table _closed_<table>, pairs in _match_<table>). Returns (kept, added, closed).';

CREATE FUNCTION unified.keep_unchanged(p_table text, p_work text, p_feed_version_id bigint, p_source_id text,
                                       p_namespace text)
RETURNS TABLE (kept bigint, added bigint, closed bigint)
LANGUAGE plpgsql AS $$
DECLARE
    has_current boolean;
BEGIN
    EXECUTE format('SELECT EXISTS (SELECT FROM unified.%I WHERE source_id = $1 AND recorded_to IS NULL)', p_table)
       INTO has_current USING p_source_id;
    IF has_current THEN
        RETURN QUERY SELECT * FROM unified.keep_unchanged_paired(p_table, p_work, p_feed_version_id, p_source_id,
                                                                 p_namespace);
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
COMMENT ON FUNCTION unified.keep_unchanged(text, text, bigint, text, text) IS 'Incremental publish of one unified table: pairs a loader''s new rows (temp table with digest h) with the source''s current rows of the same content_hash, gives the pairs the kept row''s id, new ids to the rest (in the work table''s order) and closes the current rows left unpaired (ids in temp table _closed_<table>). Without current rows of the source in the table every row is new (unified.keep_unchanged_paired does the pairing). Returns (kept, added, closed).';
