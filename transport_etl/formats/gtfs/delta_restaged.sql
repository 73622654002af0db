-- Carried trips staged after all (delta.py uncarry): their records the model cannot take leave gtfs_st and
-- staging as validate.sql's would (their quarantine was carried with them), and they are this version's own.
-- Parameters: %(feed_version_id)s, %(trips)s.
CREATE TEMP TABLE _restaged_bad ON COMMIT DROP AS
SELECT line_no FROM gtfs_st
WHERE trip_id = ANY (%(trips)s::text[]) AND (missing_req OR dup_key OR NOT trip_ok OR NOT stop_ok);
DELETE FROM gtfs_st WHERE line_no IN (SELECT line_no FROM _restaged_bad);
DELETE FROM staging.gtfs_stop_times
WHERE feed_version_id = %(feed_version_id)s AND line_no IN (SELECT line_no FROM _restaged_bad);
UPDATE staging.gtfs_trip_fact SET carried_from = NULL
WHERE feed_version_id = %(feed_version_id)s AND trip_id = ANY (%(trips)s::text[]);
