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
