-- stop_times seconds columns become plain columns filled by the loader's stream (fastcopy.py computes
-- them once per distinct time while prefixing line numbers; the record-by-record path computes them too).
-- As STORED GENERATED columns they cost ~1.5 s of the 4.5 s COPY of HART's 435k stop_times, because the
-- server forms each tuple a second time. 100_gtfs_staging.sql still declares them GENERATED (fresh
-- databases create them that way); this turns them into plain integers, keeping existing values.
-- Other tables (frequencies, timeframes) are small and keep their generated seconds. Idempotent.
ALTER TABLE staging.gtfs_stop_times
    ALTER COLUMN arrival_time_s DROP EXPRESSION IF EXISTS,
    ALTER COLUMN departure_time_s DROP EXPRESSION IF EXISTS,
    ALTER COLUMN start_pickup_drop_off_window_s DROP EXPRESSION IF EXISTS,
    ALTER COLUMN end_pickup_drop_off_window_s DROP EXPRESSION IF EXISTS;
COMMENT ON COLUMN staging.gtfs_stop_times.arrival_time_s IS 'GTFS stop_times.txt arrival_time in seconds after noon minus 12 h of the service day (may exceed 86400); computed from arrival_time by the loader.';
COMMENT ON COLUMN staging.gtfs_stop_times.departure_time_s IS 'GTFS stop_times.txt departure_time in seconds after noon minus 12 h of the service day (may exceed 86400); computed from departure_time by the loader.';
COMMENT ON COLUMN staging.gtfs_stop_times.start_pickup_drop_off_window_s IS 'GTFS stop_times.txt start_pickup_drop_off_window in seconds after noon minus 12 h; computed by the loader.';
COMMENT ON COLUMN staging.gtfs_stop_times.end_pickup_drop_off_window_s IS 'GTFS stop_times.txt end_pickup_drop_off_window in seconds after noon minus 12 h; computed by the loader.';
