-- One ordered pass over this version's staged stop times (validate.py makes gtfs_st of it; delta.py adds the
-- trips it stages late): each stop time, whether its trip and stop exist, and the previous stop time of
-- the trip. The window runs over the narrow staging rows (trip_id sorted bytewise,
-- COLLATE "C": the same groups, cheaper comparisons), then whether the trip and stop exist is joined on. The
-- trip's own fields are not carried on each of its stop times (they are per trip: checks join them to the
-- few rows that need them); each column here costs every stop time (HART: ~70 ms for four of them). Rows come in
-- (trip_id, stop_sequence) order, and publish.sql writes unified.call in that order: with journey ids given in
-- the same trip_id order, each call_journey index entry is appended at the index's right edge.
-- Parameters: %(feed_version_id)s, %(only_trips)s (text[]: just these trips; NULL: all staged).
SELECT st.line_no, st.trip_id, st.stop_id, st.stop_sequence, st.arr, st.dep, st.dist, st.pickup_type,
       st.drop_off_type, st.timepoint, t.trip_id IS NOT NULL AS trip_ok,
       (st.stop_id IS NULL OR s.stop_id IS NOT NULL) AS stop_ok,
       st.missing_req, st.dup_key, st.prev_dep, st.prev_dist, st.prev_stop
FROM (
    SELECT st.line_no, st.trip_id, st.stop_id, st.stop_sequence, st.arrival_time_s AS arr,
           st.departure_time_s AS dep, st.shape_dist_traveled AS dist, st.pickup_type, st.drop_off_type,
           st.timepoint,
           -- required fields and the (trip_id, stop_sequence) key: checked here, in the same ordered pass
           -- (fastcopy.py leaves them to this pass; the record-by-record path has checked them already)
           (st.trip_id IS NULL OR st.stop_sequence IS NULL) AS missing_req,
           coalesce(st.stop_sequence = lag(st.stop_sequence) OVER w, false) AS dup_key,
           lag(coalesce(st.departure_time_s, st.arrival_time_s)) OVER w AS prev_dep,
           lag(st.shape_dist_traveled) OVER w AS prev_dist,
           lag(st.stop_id) OVER w AS prev_stop
    FROM staging.gtfs_stop_times st
    WHERE st.feed_version_id = %(feed_version_id)s
      AND (%(only_trips)s::text[] IS NULL OR st.trip_id = ANY (%(only_trips)s::text[]))
    WINDOW w AS (PARTITION BY st.trip_id COLLATE "C" ORDER BY st.stop_sequence, st.line_no)
) st
LEFT JOIN staging.gtfs_trips t ON t.feed_version_id = %(feed_version_id)s AND t.trip_id = st.trip_id
LEFT JOIN staging.gtfs_stops s ON s.feed_version_id = %(feed_version_id)s AND s.stop_id = st.stop_id
