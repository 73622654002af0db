-- Domain sanity the GTFS validator vocabulary lacks (issue 13): stop times at or past 48:00:00 are legal
-- GTFS but almost always a typo (49:10:00 for 19:10:00); each gets a notice naming file and line.
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'time_at_or_past_48h', 'WARNING', 'stop_times.txt', line_no,
       CASE WHEN arrival_time_s >= 172800 THEN 'arrival_time' ELSE 'departure_time' END, trip_id,
       format('trip %%s: time %%s is at or past 48:00:00', trip_id,
              CASE WHEN arrival_time_s >= 172800 THEN arrival_time ELSE departure_time END)
FROM staging.gtfs_stop_times
WHERE feed_version_id = %(feed_version_id)s AND (arrival_time_s >= 172800 OR departure_time_s >= 172800);
