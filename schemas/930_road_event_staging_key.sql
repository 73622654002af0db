-- A current road event finds its staged record by (feed_version_id, local_id): the relocation after a new
-- road-network version (roads/events_current.sql), the unlocated-event notices and a cumulative DATEX II
-- carry. With only a feed_version_id index each such lookup scanned the whole staged version (quadratic:
-- 8,000 events took minutes). The new index also serves every lookup by feed version alone.
CREATE INDEX IF NOT EXISTS road_event_staging_fv_local ON staging.road_event (feed_version_id, local_id);
DROP INDEX IF EXISTS staging.road_event_staging_fv;
