-- Raw telemetry arrives in time order, a month or a year of 1 Hz records at once (issue 19): keeping two
-- B-tree indexes up to date cost about a third of the staging time of the year benchmark (bench/fleet_load.py).
-- Block-range indexes serve the only two lookups, a feed version's records (trips.sql) and records past
-- the retention period (loader.apply_retention), at a fraction of that cost and size.
DROP INDEX IF EXISTS staging.fleet_telemetry_record_fv;
DROP INDEX IF EXISTS staging.fleet_telemetry_record_time;
CREATE INDEX IF NOT EXISTS fleet_telemetry_record_fv_brin ON staging.fleet_telemetry_record
    USING brin (feed_version_id);
CREATE INDEX IF NOT EXISTS fleet_telemetry_record_time_brin ON staging.fleet_telemetry_record
    USING brin (recorded_at);
COMMENT ON INDEX staging.fleet_telemetry_record_fv_brin IS
    'A feed version''s records (loaded together, so in few block ranges): trip segmentation.';
COMMENT ON INDEX staging.fleet_telemetry_record_time_brin IS
    'Records past a source''s retention_days (loaded in time order).';
