-- GTFS-RT matches stop time updates against the static version's unified calls (journey identity +
-- call_journey), so the (feed_version_id, trip_id) btree on staging.gtfs_stop_times, maintained row by
-- row during every static load (~1.1 s of 2.1 s on HART's stop_times COPY), serves nothing any more.
DROP INDEX IF EXISTS staging.gtfs_rt_stop_times_lookup;
