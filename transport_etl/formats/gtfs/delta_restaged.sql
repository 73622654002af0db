-- Carried trips staged after all (delta.py uncarry): their records the model cannot take leave gtfs_st and
-- staging as validate.sql's would (their quarantine was carried with them), and they are this version's own.
-- Parameters: %(feed_version_id)s, %(trips)s.
CREATE TEMP TABLE _restaged_bad ON COMMIT DROP AS
SELECT g.line_no FROM gtfs_st g
WHERE g.trip_id = ANY (%(trips)s::text[])
  AND (g.missing_req OR g.dup_key
       OR NOT EXISTS (SELECT 1 FROM staging.gtfs_trips t WHERE t.feed_version_id = %(feed_version_id)s
                      AND t.trip_id = g.trip_id)
       OR g.stop_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM staging.gtfs_stops s
                                                WHERE s.feed_version_id = %(feed_version_id)s
                                                  AND s.stop_id = g.stop_id));
DELETE FROM gtfs_st WHERE line_no IN (SELECT line_no FROM _restaged_bad);
DELETE FROM staging.gtfs_stop_times
WHERE feed_version_id = %(feed_version_id)s AND line_no IN (SELECT line_no FROM _restaged_bad);
UPDATE staging.gtfs_trip_fact SET carried_from = NULL
WHERE feed_version_id = %(feed_version_id)s AND trip_id = ANY (%(trips)s::text[]);
