-- Rules that cross formats, written once for SQL (their Python twins live in transport_etl/ids/).
CREATE OR REPLACE FUNCTION unified.crz_pole_id(crz text, post text) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN nullif(btrim(post), '') IS NULL THEN NULL
        WHEN btrim(crz) ~ '^[0-9]+$' AND btrim(post) ~ '^[0-9]+$'
            THEN (btrim(crz)::bigint * 100 + btrim(post)::bigint)::text
        ELSE btrim(crz) || '/' || btrim(post)
    END
$$;
COMMENT ON FUNCTION unified.crz_pole_id(text, text) IS
    'Register id of a stop pole (CRZ_OZNACN): CRZ stop number × 100 + označník when both are numeric (58578, 1 → 5857801), else crz/post; NULL without a post. Used by the stop register and JDF loaders.';

-- The unified-table conventions, written once: every table of the model that holds rows of a feed
-- version gets the same identity and time columns, indexes and comments. A migration that creates a
-- unified table creates its own columns and then calls this (CALL unified.adopt_conventions('x')).
CREATE OR REPLACE PROCEDURE unified.adopt_conventions(t text)
LANGUAGE plpgsql AS $$
BEGIN
  EXECUTE format('ALTER TABLE unified.%I
      ADD COLUMN IF NOT EXISTS id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
      ADD COLUMN IF NOT EXISTS source_id text NOT NULL,
      ADD COLUMN IF NOT EXISTS feed_version_id bigint NOT NULL,
      ADD COLUMN IF NOT EXISTS namespace text NOT NULL,
      ADD COLUMN IF NOT EXISTS local_id text NOT NULL,
      ADD COLUMN IF NOT EXISTS valid_from date,
      ADD COLUMN IF NOT EXISTS valid_to date,
      ADD COLUMN IF NOT EXISTS recorded_from timestamptz NOT NULL DEFAULT now(),
      ADD COLUMN IF NOT EXISTS recorded_to timestamptz', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON unified.%I (namespace, local_id)', t || '_identity', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON unified.%I (feed_version_id)', t || '_fv', t);
  EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON unified.%I (source_id) WHERE recorded_to IS NULL', t || '_current', t);
  EXECUTE format('COMMENT ON COLUMN unified.%I.id IS %L', t, 'Surrogate key of this row version.');
  EXECUTE format('COMMENT ON COLUMN unified.%I.source_id IS %L', t, 'Source (lineage.source.id) the row came from.');
  EXECUTE format('COMMENT ON COLUMN unified.%I.feed_version_id IS %L', t, 'Feed version (lineage.feed_version.id) the row came from; lineage.entity_source names the file and line.');
  EXECUTE format('COMMENT ON COLUMN unified.%I.namespace IS %L', t, 'Namespace of the persistent identifier (INSPIRE inspireId.namespace), e.g. cz.ustecky.<source>.');
  EXECUTE format('COMMENT ON COLUMN unified.%I.local_id IS %L', t, 'Local id of the persistent identifier, stable across feed versions (the source key).');
  EXECUTE format('COMMENT ON COLUMN unified.%I.valid_from IS %L', t, 'Real-world validity start (INSPIRE validFrom).');
  EXECUTE format('COMMENT ON COLUMN unified.%I.valid_to IS %L', t, 'Real-world validity end (INSPIRE validTo).');
  EXECUTE format('COMMENT ON COLUMN unified.%I.recorded_from IS %L', t, 'When this row version entered the model (INSPIRE beginLifespanVersion).');
  EXECUTE format('COMMENT ON COLUMN unified.%I.recorded_to IS %L', t, 'When a newer feed version superseded this row (INSPIRE endLifespanVersion); NULL = current.');
END $$;
COMMENT ON PROCEDURE unified.adopt_conventions(text) IS
    'Gives a unified table the model''s identity and time columns (id, source_id, feed_version_id, namespace, local_id, valid_*, recorded_*), their indexes and comments. Idempotent; new unified tables call it in their migration.';

-- The tables that joined the model after 002 get the same conventions (idempotent for the others).
CALL unified.adopt_conventions('bike_station');
CALL unified.adopt_conventions('parking_facility');
