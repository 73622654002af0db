-- Domain sanity the GTFS validator vocabulary lacks (issue 13): stop times at or past 48:00:00 are legal
-- GTFS but almost always a typo (49:10:00 for 19:10:00); each gets a notice naming file and line.
-- Found in gtfs_st (validate.sql: this version's accepted stop times, times in seconds, narrow), not by a scan
-- of the wide staging rows; the staging rows of the few hits give the times as published. No hit (the usual
-- case): the staging table is not read at all (the count is a one-time filter). One statement: the hits are
-- a CTE (read twice, so materialised once), not a temp table.
WITH past_48h AS MATERIALIZED (
    SELECT line_no FROM gtfs_st WHERE arr >= 172800 OR dep >= 172800
)
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'time_at_or_past_48h', 'WARNING', 'stop_times.txt', st.line_no,
       CASE WHEN st.arrival_time_s >= 172800 THEN 'arrival_time' ELSE 'departure_time' END, st.trip_id,
       format('trip %%s: time %%s is at or past 48:00:00', st.trip_id,
              CASE WHEN st.arrival_time_s >= 172800 THEN st.arrival_time ELSE st.departure_time END)
FROM staging.gtfs_stop_times st JOIN past_48h h ON h.line_no = st.line_no
WHERE st.feed_version_id = %(feed_version_id)s AND (SELECT count(*) FROM past_48h) > 0;
