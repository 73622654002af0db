-- Health of frequent polls (GBFS status, GTFS-Realtime, parking occupancy): one row per poll attempt.
-- Polls do not create feed versions (a minute-by-minute series would flood lineage.feed_version);
-- every time-series row instead names the poll run that wrote it.
CREATE TABLE IF NOT EXISTS lineage.poll_run (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id       text NOT NULL,
    feed            text NOT NULL,
    location        text,
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    outcome         text NOT NULL DEFAULT 'running' CHECK (outcome IN ('running', 'ok', 'unchanged', 'failed')),
    error_message   text,
    rows_written    integer NOT NULL DEFAULT 0,
    source_updated_at timestamptz,
    lag_s           double precision,
    load_run_id     bigint,
    feed_version_id bigint
);
CREATE INDEX IF NOT EXISTS poll_run_source ON lineage.poll_run (source_id, started_at DESC);
COMMENT ON TABLE lineage.poll_run IS 'One row per poll of a live feed (GBFS station_status, GTFS-Realtime, parking occupancy), whatever its outcome: the health record operators watch (last success, lag, failures).';
COMMENT ON COLUMN lineage.poll_run.id IS 'Poll run id; time-series rows (bike_station_status, parking_occupancy, rt_*) name it in poll_run_id.';
COMMENT ON COLUMN lineage.poll_run.source_id IS 'Source polled (lineage.source.id).';
COMMENT ON COLUMN lineage.poll_run.feed IS 'What was polled: gbfs_status, gtfs_rt, parking_occupancy.';
COMMENT ON COLUMN lineage.poll_run.location IS 'URL or file polled.';
COMMENT ON COLUMN lineage.poll_run.started_at IS 'Start of the poll.';
COMMENT ON COLUMN lineage.poll_run.finished_at IS 'End of the poll (NULL while running or if the process died).';
COMMENT ON COLUMN lineage.poll_run.outcome IS 'ok (new data written), unchanged (the source''s last_updated / timestamp had not moved: nothing written), failed (timeout, HTTP error, unreadable answer: see error_message), running.';
COMMENT ON COLUMN lineage.poll_run.error_message IS 'One-line reason of a failed poll.';
COMMENT ON COLUMN lineage.poll_run.rows_written IS 'Time-series rows written by this poll.';
COMMENT ON COLUMN lineage.poll_run.source_updated_at IS 'Timestamp the source gave its data (GBFS last_updated, GTFS-RT header timestamp, newest parking timestamp).';
COMMENT ON COLUMN lineage.poll_run.lag_s IS 'Seconds between the source''s timestamp and the end of the poll (now − last_updated): how stale the live data is.';
COMMENT ON COLUMN lineage.poll_run.load_run_id IS 'Load run (lineage.load_run.id) when the rows came with a file ingest rather than a live poll.';
COMMENT ON COLUMN lineage.poll_run.feed_version_id IS 'Feed version (lineage.feed_version.id) when the rows came with a file ingest rather than a live poll.';
