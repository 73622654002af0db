-- GTFS staging: one typed table per GTFS Schedule file, one row per record, keyed by feed version.
-- Generated from transport_etl/sources/municipal/gtfs/spec.py (a unit test keeps them in step).
-- Times are kept as published (text) and as integer seconds after noon minus 12 h (<column>_s, generated).
-- Earlier development builds stored times as integers without the text: rebuild those staging tables
-- (staging is re-derivable from the archived inputs).
DO $$
BEGIN
  -- Rebuild only the old integer-times layout (arrival_time_s absent). stop_times seconds columns that are
  -- plain since 102_gtfs_stream_seconds.sql (no generation expression) are the current layout: keep them.
  IF to_regclass('staging.gtfs_stop_times') IS NOT NULL AND NOT EXISTS (
      SELECT 1 FROM information_schema.columns WHERE table_schema = 'staging' AND table_name = 'gtfs_stop_times'
        AND column_name = 'arrival_time_s'
        AND (generation_expression LIKE '%split_part%' OR generation_expression IS NULL)) THEN
    EXECUTE (SELECT string_agg(format('DROP TABLE %I.%I', table_schema, table_name), '; ')
             FROM information_schema.tables WHERE table_schema = 'staging' AND table_name LIKE 'gtfs\_%'
               AND table_name <> 'gtfs_file');
  END IF;
END $$;

CREATE OR REPLACE FUNCTION staging.gtfs_bad_time(t text) RETURNS integer
LANGUAGE plpgsql IMMUTABLE AS $$
BEGIN
  RAISE EXCEPTION 'invalid GTFS time: %', t USING ERRCODE = 'invalid_datetime_format';
END $$;
COMMENT ON FUNCTION staging.gtfs_bad_time(text) IS 'Raises invalid_datetime_format for a malformed GTFS time (used by staging.gtfs_time_s, so a bulk COPY fails and the loader falls back to record-by-record checks).';

CREATE OR REPLACE FUNCTION staging.gtfs_time_s(t text) RETURNS integer
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE WHEN t IS NULL OR t = '' THEN NULL
                WHEN t ~ '^\s*\d{1,3}:[0-5]\d:[0-5]\d\s*$'
                    THEN split_part(btrim(t), ':', 1)::int * 3600 + split_part(btrim(t), ':', 2)::int * 60
                         + split_part(btrim(t), ':', 3)::int
                ELSE staging.gtfs_bad_time(t) END
$$;
COMMENT ON FUNCTION staging.gtfs_time_s(text) IS 'GTFS time H:MM:SS (hours may exceed 23) → seconds after noon minus 12 h; raises on malformed input.';


