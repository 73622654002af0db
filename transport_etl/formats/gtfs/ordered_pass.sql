-- One ordered pass over this version's staged stop times (validate.py makes gtfs_st of it; delta.py adds the
-- trips it stages late): each stop time with the previous stop time of its trip. The window runs over the narrow
-- staging rows (trip_id sorted bytewise, COLLATE "C": the same groups, cheaper comparisons). Whether its trip and
-- stop exist is not joined on here: validate.sql asks that once per trip and per pattern (a join per stop time
-- cost ~0.2 s on HART), and the trip's own fields are per trip too. Rows come in (trip_id, stop_sequence)
-- order, and publish.sql writes unified.call in that order: with journey ids given in the same trip_id order,
-- each call key entry is appended at the index's right edge.
-- Parameters: %(feed_version_id)s, %(only_trips)s (text[]: just these trips; NULL: all staged).
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
