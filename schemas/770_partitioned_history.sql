-- Partitioned history: the append-only time series (GTFS-RT, GBFS and parking status, poll runs) become
-- monthly range partitions (native declarative partitioning), so a day's query touches one partition and
-- retention drops whole months instead of deleting rows. Partitions live in schema `history`, named
-- <schema>__<table>_pYYYY_MM (month boundaries in Europe/Prague time), plus one DEFAULT partition per table
-- for rows outside the prepared months (e.g. a feed's bogus timestamps). lineage.maintain_history_partitions()
-- (Dagster job history_partition_maintenance, `transport-etl db partitions`) makes months ahead and drops old
-- ones. Conversion keeps every column (name, type, order, default, identity) so the loaders do not change;
-- what cannot stay: primary keys gain the partition column (a partitioned table's unique keys must include it)
-- and the rt_* foreign keys become delete triggers (a foreign key cannot point into a partitioned table
-- unless it carries the partition key).

CREATE SCHEMA IF NOT EXISTS history;
COMMENT ON SCHEMA history IS 'Monthly partitions of the time-series tables (unified.rt_*, bike/parking status, lineage.poll_run); query the parent tables, not these.';

CREATE TABLE IF NOT EXISTS lineage.history_table (
    table_name       text PRIMARY KEY,
    partition_column text NOT NULL,
    premake_months   integer NOT NULL DEFAULT 3 CHECK (premake_months >= 0),
    retention_months integer CHECK (retention_months IS NULL OR retention_months > 0),
    converted_at     timestamptz
);
COMMENT ON TABLE lineage.history_table IS 'Time-series tables kept as monthly range partitions, and how lineage.maintain_history_partitions() maintains each.';
COMMENT ON COLUMN lineage.history_table.table_name IS 'Partitioned parent, schema-qualified (e.g. unified.bike_station_status).';
COMMENT ON COLUMN lineage.history_table.partition_column IS 'timestamptz column the months are ranges of.';
COMMENT ON COLUMN lineage.history_table.premake_months IS 'Months created ahead of the current one, so inserts never wait for DDL.';
COMMENT ON COLUMN lineage.history_table.retention_months IS 'Whole months kept before the current one; older partitions are dropped. NULL keeps all (per-source retention_days still deletes rows).';
COMMENT ON COLUMN lineage.history_table.converted_at IS 'When the table was converted to partitions.';

CREATE OR REPLACE FUNCTION lineage.history_month_bound(p_month date) RETURNS timestamptz
LANGUAGE sql IMMUTABLE AS $$ SELECT (date_trunc('month', p_month)::timestamp AT TIME ZONE 'Europe/Prague') $$;
COMMENT ON FUNCTION lineage.history_month_bound(date) IS 'Start of the month (Europe/Prague midnight) as a partition bound.';

CREATE OR REPLACE FUNCTION lineage.history_partition_name(p_table regclass, p_month date) RETURNS text
LANGUAGE sql STABLE AS $$
    SELECT format('%s__%s_p%s', n.nspname, c.relname, to_char(p_month, 'YYYY_MM'))
      FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE c.oid = p_table
$$;
COMMENT ON FUNCTION lineage.history_partition_name(regclass, date) IS 'Name (in schema history) of the partition of a table for a month.';

-- Make the partition of one month; rows of that month already in the DEFAULT partition move into it.
CREATE OR REPLACE FUNCTION lineage.ensure_history_partition(p_table regclass, p_month date) RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    part text := lineage.history_partition_name(p_table, p_month);
    lo timestamptz := lineage.history_month_bound(p_month);
    hi timestamptz := lineage.history_month_bound((date_trunc('month', p_month) + interval '1 month')::date);
    col text;
    def text;
    moved boolean;
BEGIN
    IF to_regclass(format('history.%I', part)) IS NOT NULL THEN
        RETURN false;
    END IF;
    SELECT partition_column INTO col FROM lineage.history_table WHERE table_name = p_table::text;
    SELECT format('%I.%I', n.nspname, c.relname) INTO def
      FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE i.inhparent = p_table AND pg_get_expr(c.relpartbound, c.oid) = 'DEFAULT';
    moved := false;
    IF def IS NOT NULL THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM %s WHERE %I >= %L AND %I < %L)', def, col, lo, col, hi)
           INTO moved;
    END IF;
    IF moved THEN
        EXECUTE format('ALTER TABLE %s DETACH PARTITION %s', p_table, def);
    END IF;
    EXECUTE format('CREATE TABLE history.%I PARTITION OF %s FOR VALUES FROM (%L) TO (%L)', part, p_table, lo, hi);
    EXECUTE format('COMMENT ON TABLE history.%I IS %L', part,
                   format('Partition of %s for %s (Europe/Prague month).', p_table, to_char(p_month, 'YYYY-MM')));
    IF moved THEN
        EXECUTE format('INSERT INTO %s OVERRIDING SYSTEM VALUE SELECT * FROM %s WHERE %I >= %L AND %I < %L',
                       p_table, def, col, lo, col, hi);
        EXECUTE format('DELETE FROM %s WHERE %I >= %L AND %I < %L', def, col, lo, col, hi);
        EXECUTE format('ALTER TABLE %s ATTACH PARTITION %s DEFAULT', p_table, def);
    END IF;
    RETURN true;
END $$;
COMMENT ON FUNCTION lineage.ensure_history_partition(regclass, date) IS 'Creates the monthly partition of a history table if missing (moving that month''s rows out of the DEFAULT partition); true if created.';

-- Monthly upkeep: months ahead, old months dropped. Returns what it did.
CREATE OR REPLACE FUNCTION lineage.maintain_history_partitions(p_now timestamptz DEFAULT now())
RETURNS TABLE (table_name text, action text, partition_name text)
LANGUAGE plpgsql AS $$
DECLARE
    t record;
    p record;
    m date;
    this_month date := date_trunc('month', p_now AT TIME ZONE 'Europe/Prague')::date;
BEGIN
    FOR t IN SELECT h.* FROM lineage.history_table h WHERE to_regclass(h.table_name) IS NOT NULL
             ORDER BY h.table_name LOOP
        FOR i IN 0 .. t.premake_months LOOP
            m := (this_month + make_interval(months => i))::date;
            IF lineage.ensure_history_partition(t.table_name::regclass, m) THEN
                table_name := t.table_name; action := 'created';
                partition_name := lineage.history_partition_name(t.table_name::regclass, m);
                RETURN NEXT;
            END IF;
        END LOOP;
        CONTINUE WHEN t.retention_months IS NULL;
        FOR p IN SELECT c.relname,
                        to_date(substring(c.relname FROM '_p([0-9]{4}_[0-9]{2})$'), 'YYYY_MM') AS month
                   FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
                  WHERE i.inhparent = t.table_name::regclass
                    AND c.relname ~ '_p[0-9]{4}_[0-9]{2}$' LOOP
            IF p.month < (this_month - make_interval(months => t.retention_months))::date THEN
                EXECUTE format('DROP TABLE history.%I', p.relname);
                table_name := t.table_name; action := 'dropped'; partition_name := p.relname;
                RETURN NEXT;
            END IF;
        END LOOP;
    END LOOP;
END $$;
COMMENT ON FUNCTION lineage.maintain_history_partitions(timestamptz) IS 'Creates the partitions of the current and premake_months next months of every lineage.history_table, drops months older than retention_months; run daily (Dagster job history_partition_maintenance).';

-- Convert one table in place: new partitioned table with the same columns, rows moved, names swapped,
-- views over it re-created (with their comments and grants). Idempotent: a partitioned table is left alone.
CREATE OR REPLACE FUNCTION lineage.convert_to_history_partitions(p_table text, p_column text,
                                                                 p_premake integer DEFAULT 3)
RETURNS boolean
LANGUAGE plpgsql AS $$
DECLARE
    nsp text := split_part(p_table, '.', 1);
    rel text := split_part(p_table, '.', 2);
    old_oid oid := to_regclass(p_table);
    tmp text := rel || '__partitioned';
    idx record;
    con record;
    v record;
    m date;
    first_month date;
    last_month date;
    this_month date := date_trunc('month', now() AT TIME ZONE 'Europe/Prague')::date;
    keys text;
    seq text;
BEGIN
    INSERT INTO lineage.history_table (table_name, partition_column, premake_months)
    VALUES (p_table, p_column, p_premake) ON CONFLICT (table_name) DO NOTHING;
    IF old_oid IS NULL OR (SELECT relkind FROM pg_class WHERE oid = old_oid) = 'p' THEN
        RETURN false;
    END IF;

    -- 1. The new parent: same columns, defaults, identity, checks and comments; keys get the partition column.
    EXECUTE format('CREATE TABLE %I.%I (LIKE %I.%I INCLUDING ALL EXCLUDING INDEXES) PARTITION BY RANGE (%I)',
                   nsp, tmp, nsp, rel, p_column);
    FOR con IN SELECT c.conname, c.contype, array_agg(a.attname ORDER BY k.ord) AS cols
                 FROM pg_constraint c
                 CROSS JOIN LATERAL unnest(c.conkey) WITH ORDINALITY AS k(attnum, ord)
                 JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = k.attnum
                WHERE c.conrelid = old_oid AND c.contype IN ('p', 'u')
                GROUP BY c.conname, c.contype LOOP
        keys := (SELECT string_agg(quote_ident(x), ', ')
                   FROM unnest(con.cols || CASE WHEN p_column = ANY (con.cols) THEN '{}'::name[]
                                                ELSE ARRAY[p_column::name] END) AS x);
        -- A short temporary name (the old key still holds its name until the swap), renamed back below.
        EXECUTE format('ALTER TABLE %I.%I ADD CONSTRAINT %I %s (%s)', nsp, tmp, 'k' || md5(con.conname),
                       CASE con.contype WHEN 'p' THEN 'PRIMARY KEY' ELSE 'UNIQUE' END, keys);
    END LOOP;

    -- 2. Months: those holding rows (at most two years back), the current one and premake ahead; a DEFAULT.
    EXECUTE format('SELECT date_trunc(''month'', min(%1$I) AT TIME ZONE ''Europe/Prague'')::date,
                           date_trunc(''month'', max(%1$I) AT TIME ZONE ''Europe/Prague'')::date FROM %2$I.%3$I',
                   p_column, nsp, rel) INTO first_month, last_month;
    first_month := greatest(coalesce(first_month, this_month), (this_month - interval '24 months')::date);
    last_month := greatest(coalesce(last_month, this_month), (this_month + make_interval(months => p_premake))::date);
    EXECUTE format('CREATE TABLE history.%I PARTITION OF %I.%I DEFAULT', nsp || '__' || rel || '_default', nsp, tmp);
    EXECUTE format('COMMENT ON TABLE history.%I IS %L', nsp || '__' || rel || '_default',
                   format('Rows of %s outside the prepared months (moved into a month when it is created).', p_table));
    m := first_month;
    WHILE m <= last_month LOOP
        EXECUTE format('CREATE TABLE history.%I PARTITION OF %I.%I FOR VALUES FROM (%L) TO (%L)',
                       format('%s__%s_p%s', nsp, rel, to_char(m, 'YYYY_MM')), nsp, tmp,
                       lineage.history_month_bound(m), lineage.history_month_bound((m + interval '1 month')::date));
        EXECUTE format('COMMENT ON TABLE history.%I IS %L', format('%s__%s_p%s', nsp, rel, to_char(m, 'YYYY_MM')),
                       format('Partition of %s for %s (Europe/Prague month).', p_table, to_char(m, 'YYYY-MM')));
        m := (m + interval '1 month')::date;
    END LOOP;

    -- 3. Rows move, keeping their ids; the identity continues after the highest.
    EXECUTE format('INSERT INTO %I.%I OVERRIDING SYSTEM VALUE SELECT * FROM %I.%I', nsp, tmp, nsp, rel);
    seq := pg_get_serial_sequence(format('%I.%I', nsp, tmp), 'id');
    IF seq IS NOT NULL THEN
        EXECUTE format('SELECT setval(%L, greatest((SELECT max(id) FROM %I.%I), 1))', seq, nsp, tmp);
    END IF;

    -- 4. Views over the old table (and views over those), in dependency order, with comments and grants.
    CREATE TEMP TABLE IF NOT EXISTS _history_views (ord int, ddl text) ON COMMIT DROP;
    DELETE FROM _history_views;
    INSERT INTO _history_views
    WITH RECURSIVE deps(oid, depth) AS (
        SELECT DISTINCT r.ev_class, 1 FROM pg_depend d JOIN pg_rewrite r ON r.oid = d.objid
         WHERE d.refobjid = old_oid AND d.classid = 'pg_rewrite'::regclass AND r.ev_class <> old_oid
        UNION
        SELECT r.ev_class, deps.depth + 1 FROM deps JOIN pg_depend d ON d.refobjid = deps.oid
          JOIN pg_rewrite r ON r.oid = d.objid
         WHERE d.classid = 'pg_rewrite'::regclass AND r.ev_class <> deps.oid
    ), ordered AS (SELECT oid, max(depth) AS depth FROM deps GROUP BY oid)
    SELECT o.depth,
           format('CREATE VIEW %s AS %s', o.oid::regclass, pg_get_viewdef(o.oid))
           || coalesce(format('; COMMENT ON VIEW %s IS %L', o.oid::regclass, obj_description(o.oid, 'pg_class')), '')
           || coalesce((SELECT string_agg(format('; COMMENT ON COLUMN %s.%I IS %L', o.oid::regclass, a.attname,
                                                 col_description(o.oid, a.attnum)), '')
                          FROM pg_attribute a WHERE a.attrelid = o.oid AND a.attnum > 0
                           AND col_description(o.oid, a.attnum) IS NOT NULL), '')
           || coalesce((SELECT string_agg(format('; GRANT %s ON %s TO %s', x.privilege_type, o.oid::regclass,
                                                 CASE WHEN x.grantee = 0 THEN 'PUBLIC'
                                                      ELSE quote_ident(pg_get_userbyid(x.grantee)) END), '')
                          FROM pg_class c, aclexplode(c.relacl) x
                         WHERE c.oid = o.oid AND x.grantee <> c.relowner), '')
      FROM ordered o JOIN pg_class c ON c.oid = o.oid WHERE c.relkind = 'v';
    -- Indexes of the old table (other than its keys), to re-create under their names.
    CREATE TEMP TABLE IF NOT EXISTS _history_indexes (ddl text) ON COMMIT DROP;
    DELETE FROM _history_indexes;
    INSERT INTO _history_indexes
    SELECT regexp_replace(pg_get_indexdef(i.indexrelid), ' ON (ONLY )?\S+ ', format(' ON %I.%I ', nsp, rel))
      FROM pg_index i WHERE i.indrelid = old_oid
       AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid);

    -- The table's own comment and grants (LIKE copies column comments only).
    INSERT INTO _history_views
    SELECT 0, format('COMMENT ON TABLE %I.%I IS %L', nsp, rel, obj_description(old_oid, 'pg_class'))
     WHERE obj_description(old_oid, 'pg_class') IS NOT NULL
    UNION ALL
    SELECT 0, format('GRANT %s ON %I.%I TO %s', x.privilege_type, nsp, rel,
                     CASE WHEN x.grantee = 0 THEN 'PUBLIC' ELSE quote_ident(pg_get_userbyid(x.grantee)) END)
      FROM pg_class c, aclexplode(c.relacl) x WHERE c.oid = old_oid AND x.grantee <> c.relowner;

    CREATE TEMP TABLE IF NOT EXISTS _history_keys (final_name text) ON COMMIT DROP;
    DELETE FROM _history_keys;
    INSERT INTO _history_keys SELECT k.conname FROM pg_constraint k WHERE k.conrelid = old_oid AND k.contype IN ('p', 'u');

    -- 5. Swap: the old table (and the foreign keys and views over it) goes, the new one takes its name.
    EXECUTE format('DROP TABLE %I.%I CASCADE', nsp, rel);
    EXECUTE format('ALTER TABLE %I.%I RENAME TO %I', nsp, tmp, rel);
    IF seq IS NOT NULL THEN
        EXECUTE format('ALTER SEQUENCE %s RENAME TO %I', seq, rel || '_id_seq');
    END IF;
    FOR con IN SELECT final_name FROM _history_keys LOOP
        EXECUTE format('ALTER TABLE %I.%I RENAME CONSTRAINT %I TO %I', nsp, rel, 'k' || md5(con.final_name),
                       con.final_name);
    END LOOP;
    FOR idx IN SELECT ddl FROM _history_indexes LOOP
        EXECUTE idx.ddl;
    END LOOP;
    FOR v IN SELECT ddl FROM _history_views ORDER BY ord LOOP
        EXECUTE v.ddl;
    END LOOP;
    UPDATE lineage.history_table SET converted_at = now() WHERE table_name = p_table;
    RETURN true;
END $$;
COMMENT ON FUNCTION lineage.convert_to_history_partitions(text, text, integer) IS 'Converts a time-series table into monthly range partitions in place (rows, ids, columns, indexes, views, comments and grants kept); does nothing to a table already partitioned.';

-- Partition keys: the column each table's unique key and day queries already use.
SELECT lineage.convert_to_history_partitions('lineage.poll_run', 'started_at');
SELECT lineage.convert_to_history_partitions('unified.bike_station_status', 'last_updated');
SELECT lineage.convert_to_history_partitions('unified.bike_vehicle_status', 'last_updated');
SELECT lineage.convert_to_history_partitions('unified.parking_occupancy', 'observed_at');
SELECT lineage.convert_to_history_partitions('unified.rt_message', 'recorded_at');
SELECT lineage.convert_to_history_partitions('unified.rt_trip_update', 'recorded_at');
SELECT lineage.convert_to_history_partitions('unified.rt_stop_time_update', 'recorded_at');
SELECT lineage.convert_to_history_partitions('unified.rt_vehicle_position', 'recorded_at');
SELECT lineage.convert_to_history_partitions('unified.rt_alert', 'recorded_at');
SELECT lineage.convert_to_history_partitions('unified.rt_alert_entity', 'recorded_at');

-- What the rt_* foreign keys' ON DELETE CASCADE did (per-source retention deletes rt_message rows).
CREATE OR REPLACE FUNCTION unified.rt_delete_children() RETURNS trigger
LANGUAGE plpgsql AS $$
BEGIN
    -- TG_ARGV[0], not TG_TABLE_NAME: the trigger fires on the partition, whose name is history.…
    IF TG_ARGV[0] = 'rt_message' THEN
        DELETE FROM unified.rt_trip_update WHERE message_id = OLD.id;
        DELETE FROM unified.rt_vehicle_position WHERE message_id = OLD.id;
        DELETE FROM unified.rt_alert WHERE message_id = OLD.id;
    ELSIF TG_ARGV[0] = 'rt_trip_update' THEN
        DELETE FROM unified.rt_stop_time_update WHERE trip_update_id = OLD.id;
    ELSIF TG_ARGV[0] = 'rt_alert' THEN
        DELETE FROM unified.rt_alert_entity WHERE alert_id = OLD.id;
    END IF;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION unified.rt_delete_children() IS 'Deletes the rt_* rows of a deleted GTFS-RT message, trip update or alert (the cascade the foreign keys did before the tables were partitioned).';
DROP TRIGGER IF EXISTS rt_message_children ON unified.rt_message;
CREATE TRIGGER rt_message_children AFTER DELETE ON unified.rt_message
    FOR EACH ROW EXECUTE FUNCTION unified.rt_delete_children('rt_message');
DROP TRIGGER IF EXISTS rt_trip_update_children ON unified.rt_trip_update;
CREATE TRIGGER rt_trip_update_children AFTER DELETE ON unified.rt_trip_update
    FOR EACH ROW EXECUTE FUNCTION unified.rt_delete_children('rt_trip_update');
DROP TRIGGER IF EXISTS rt_alert_children ON unified.rt_alert;
CREATE TRIGGER rt_alert_children AFTER DELETE ON unified.rt_alert
    FOR EACH ROW EXECUTE FUNCTION unified.rt_delete_children('rt_alert');

-- Day queries on the RT children prune by recorded_at; the loaders' lookups stay on their indexes.
CREATE INDEX IF NOT EXISTS rt_message_recorded_at ON unified.rt_message (recorded_at);
COMMENT ON INDEX unified.rt_message_recorded_at IS 'Day and retention queries over all sources.';
