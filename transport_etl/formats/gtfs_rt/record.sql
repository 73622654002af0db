-- One GTFS-RT message (temp tables tmp_rt_*) → unified.rt_* history, matched to the static feed
-- version %(static_fv)s (NULL: nothing to match against). Scheduled times: noon minus 12 h of
-- the service date in the agency timezone %(tz)s, plus the stop time's seconds.

-- Statistics of the message's temp tables: a whole message is one batch, and plans guessed on empty-table
-- estimates hashed the wrong side.
ANALYZE tmp_rt_tu;
ANALYZE tmp_rt_stu;

CREATE TEMP TABLE tmp_rt_tu_m ON COMMIT DROP AS
SELECT nextval((SELECT pg_get_serial_sequence('unified.rt_trip_update', 'id')::regclass)) AS id, tu.*,
       t.trip_id IS NOT NULL AS matched,
       coalesce(tu.route_id, t.route_id) AS route_id_eff,
       coalesce(tu.start_date, (%(header_ts)s::timestamptz AT TIME ZONE %(tz)s)::date,
                (now() AT TIME ZONE %(tz)s)::date) AS service_date,
       CASE WHEN %(static_fv)s::bigint IS NULL THEN 'no_static_feed'
            WHEN tu.trip_id IS NULL THEN 'no_trip_id'
            WHEN t.trip_id IS NULL AND tu.schedule_relationship IN ('ADDED', 'NEW', 'UNSCHEDULED', 'DUPLICATED')
                THEN 'added_trip'
            WHEN t.trip_id IS NULL THEN 'trip_not_in_static' END AS unmatched_reason
FROM tmp_rt_tu tu
LEFT JOIN LATERAL (
    SELECT g.trip_id, g.route_id FROM staging.gtfs_trips g
    WHERE g.feed_version_id = %(static_fv)s AND g.trip_id = tu.trip_id LIMIT 1
) t ON true;

INSERT INTO unified.rt_trip_update (id, message_id, source_id, entity_id, trip_id, route_id, direction_id, start_date,
    start_time, service_date, schedule_relationship, vehicle_id, vehicle_label, update_timestamp, delay_s,
    static_feed_version_id, matched, unmatched_reason)
OVERRIDING SYSTEM VALUE
SELECT id, %(message_id)s, %(source_id)s, entity_id, trip_id, route_id_eff, direction_id, start_date, start_time,
       service_date, schedule_relationship, vehicle_id, vehicle_label, update_timestamp, delay_s, %(static_fv)s,
       matched, unmatched_reason
FROM tmp_rt_tu_m;

-- Each matched trip update's static journey, found once per trip update (not once per stop time update): the
-- static source's current journey of that trip (a version published incrementally keeps unchanged journeys,
-- first recorded by an earlier version: schemas/840).
CREATE TEMP TABLE tmp_rt_journey ON COMMIT DROP AS
SELECT DISTINCT ON (m.key) m.key, j.id AS journey_id
FROM tmp_rt_tu_m m
JOIN unified.journey j ON j.local_id = m.trip_id AND j.source_id = %(static_source_id)s AND j.recorded_to IS NULL
WHERE m.matched
  AND j.namespace = (SELECT x.namespace FROM unified.journey x
                     WHERE x.source_id = %(static_source_id)s AND x.recorded_to IS NULL LIMIT 1)
ORDER BY m.key, j.id;
-- The static version's stops, each once (hashed below, instead of a scan of the version's stops per update).
CREATE TEMP TABLE tmp_rt_static_stop ON COMMIT DROP AS
SELECT DISTINCT ON (g.stop_id) g.stop_id, g.stop_lat, g.stop_lon
FROM staging.gtfs_stops g
WHERE g.feed_version_id = %(static_fv)s
ORDER BY g.stop_id, g.line_no;
ANALYZE tmp_rt_tu_m;
ANALYZE tmp_rt_journey;
ANALYZE tmp_rt_static_stop;

INSERT INTO unified.rt_stop_time_update (trip_update_id, message_id, source_id, stop_sequence, stop_id,
    schedule_relationship, arrival_time, arrival_delay_s, departure_time, departure_delay_s, scheduled_arrival,
    scheduled_departure, stop_matched, geom)
SELECT x.tu_id, %(message_id)s, %(source_id)s, x.stop_sequence, x.stop_id, x.schedule_relationship,
       coalesce(x.arrival_time, x.sched_arr + make_interval(secs => x.arrival_delay)),
       coalesce(x.arrival_delay, EXTRACT(EPOCH FROM x.arrival_time - x.sched_arr)::int),
       coalesce(x.departure_time, x.sched_dep + make_interval(secs => x.departure_delay)),
       coalesce(x.departure_delay, EXTRACT(EPOCH FROM x.departure_time - x.sched_dep)::int),
       x.sched_arr, x.sched_dep, x.stop_matched,
       unified.place_point(s.stop_lat, s.stop_lon, %(extent)s::float8[])  -- the one position rule (schemas/640_positions.sql)
FROM (
    SELECT m.id AS tu_id, coalesce(u.stop_sequence, st.stop_sequence) AS stop_sequence,
           coalesce(u.stop_id, st.stop_id) AS stop_id, u.schedule_relationship, u.arrival_time, u.arrival_delay,
           u.departure_time, u.departure_delay, st.stop_sequence IS NOT NULL AS stop_matched, u.ord,
           ((m.service_date + time '12:00') AT TIME ZONE %(tz)s) - interval '12 hours'
               + make_interval(secs => coalesce(st.arrival_time, st.departure_time)) AS sched_arr,
           ((m.service_date + time '12:00') AT TIME ZONE %(tz)s) - interval '12 hours'
               + make_interval(secs => coalesce(st.departure_time, st.arrival_time)) AS sched_dep
    FROM tmp_rt_stu u
    JOIN tmp_rt_tu_m m ON m.key = u.tu_key
    LEFT JOIN tmp_rt_journey rj ON rj.key = m.key
    LEFT JOIN LATERAL (
        -- The update's static call: by the call key (journey_id, sequence) when it gives its stop_sequence, else
        -- the journey's first call at its stop_id, walking the journey's calls in order (each call's stop by
        -- its id: OFFSET 0 keeps the planner from scanning every stop point by local_id instead, ~0.2 ms a
        -- update). No btree on the big staging.gtfs_stop_times to maintain on every static load (issue 11).
        SELECT c.sequence AS stop_sequence, p.local_id AS stop_id, c.arrival_s AS arrival_time,
               c.departure_s AS departure_time
        FROM unified.call c
        LEFT JOIN unified.stop_point p ON p.id = c.stop_point_id
        WHERE c.journey_id = rj.journey_id AND c.sequence = u.stop_sequence
        UNION ALL
        (SELECT c.sequence, p.local_id, c.arrival_s, c.departure_s
         FROM unified.call c
         CROSS JOIN LATERAL (SELECT x.local_id FROM unified.stop_point x WHERE x.id = c.stop_point_id OFFSET 0) p
         WHERE u.stop_sequence IS NULL AND c.journey_id = rj.journey_id AND p.local_id = u.stop_id
         ORDER BY c.sequence LIMIT 1)
    ) st ON true
) x
LEFT JOIN tmp_rt_static_stop s ON s.stop_id = x.stop_id
ORDER BY x.ord;

INSERT INTO unified.rt_vehicle_position (message_id, source_id, entity_id, vehicle_id, vehicle_label, trip_id,
    route_id, start_date, matched, unmatched_reason, static_feed_version_id, position_timestamp, lat, lon, bearing,
    speed_mps, current_stop_sequence, stop_id, current_status, occupancy_status, geom, location_note)
SELECT %(message_id)s, %(source_id)s, v.entity_id, v.vehicle_id, v.vehicle_label, v.trip_id,
       coalesce(v.route_id, t.route_id), v.start_date, t.trip_id IS NOT NULL,
       CASE WHEN v.trip_id IS NULL THEN 'no_trip'
            WHEN %(static_fv)s::bigint IS NULL THEN 'no_static_feed'
            WHEN t.trip_id IS NULL THEN 'trip_not_in_static' END,
       %(static_fv)s, v.position_timestamp, v.lat, v.lon, v.bearing, v.speed, v.current_stop_sequence, v.stop_id,
       v.current_status, v.occupancy_status,
       unified.place_point(v.lat, v.lon, %(extent)s::float8[]),  -- the one position rule (schemas/640_positions.sql)
       unified.position_note(v.lat, v.lon, %(extent)s::float8[])
FROM tmp_rt_vp v
LEFT JOIN LATERAL (
    SELECT g.trip_id, g.route_id FROM staging.gtfs_trips g
    WHERE g.feed_version_id = %(static_fv)s AND g.trip_id = v.trip_id LIMIT 1
) t ON true;

CREATE TEMP TABLE tmp_rt_alert_m ON COMMIT DROP AS
SELECT nextval((SELECT pg_get_serial_sequence('unified.rt_alert', 'id')::regclass)) AS id, a.* FROM tmp_rt_alert a;

INSERT INTO unified.rt_alert (id, message_id, source_id, entity_id, cause, effect, severity_level, header_text,
    description_text, url, active_from, active_to, active_periods)
OVERRIDING SYSTEM VALUE
SELECT id, %(message_id)s, %(source_id)s, entity_id, cause, effect, severity_level, header_text, description_text,
       url, active_from, active_to, active_periods
FROM tmp_rt_alert_m;

-- Lines and stops named by alerts: the current unified rows of the static source. Each informed entity's line
-- id (its own route, else its trip's route) first; then the source's current lines, stop points and stop places
-- so named, each once (the newest), hashed: a lookup per entity scanned all the source's current rows (their
-- indexes are on source_id), and 2 × 2,500 informed entities took 7 minutes against a 5,000-stop feed.
ANALYZE tmp_rt_alert_entity;
CREATE TEMP TABLE tmp_rt_alert_e ON COMMIT DROP AS
SELECT e.ord, a.id AS alert_id, e.agency_id, coalesce(e.route_id, j.route_id) AS route_id, e.route_type, e.trip_id,
       e.stop_id
FROM tmp_rt_alert_entity e
JOIN tmp_rt_alert_m a ON a.key = e.alert_key
LEFT JOIN LATERAL (
    SELECT g.route_id FROM staging.gtfs_trips g
    WHERE e.route_id IS NULL AND e.trip_id IS NOT NULL AND g.feed_version_id = %(static_fv)s
      AND g.trip_id = e.trip_id LIMIT 1
) j ON true;
ANALYZE tmp_rt_alert_e;  -- before it is joined: on the empty-table guess the named stops were a nested loop (15 s)
CREATE TEMP TABLE tmp_rt_alert_line ON COMMIT DROP AS
SELECT DISTINCT ON (x.local_id) x.local_id, x.id FROM unified.line x
WHERE x.source_id = %(static_source_id)s AND x.recorded_to IS NULL
  AND x.local_id IN (SELECT route_id FROM tmp_rt_alert_e)
ORDER BY x.local_id, x.id DESC;
CREATE TEMP TABLE tmp_rt_alert_point ON COMMIT DROP AS
SELECT DISTINCT ON (x.local_id) x.local_id, x.id, x.stop_place_id FROM unified.stop_point x
WHERE x.source_id = %(static_source_id)s AND x.recorded_to IS NULL
  AND x.local_id IN (SELECT stop_id FROM tmp_rt_alert_e)
ORDER BY x.local_id, x.id DESC;
CREATE TEMP TABLE tmp_rt_alert_place ON COMMIT DROP AS
SELECT DISTINCT ON (x.local_id) x.local_id, x.id FROM unified.stop_place x
WHERE x.source_id = %(static_source_id)s AND x.recorded_to IS NULL
  AND x.local_id IN (SELECT stop_id FROM tmp_rt_alert_e)
ORDER BY x.local_id, x.id DESC;
ANALYZE tmp_rt_alert_line;
ANALYZE tmp_rt_alert_point;
ANALYZE tmp_rt_alert_place;

INSERT INTO unified.rt_alert_entity (alert_id, source_id, agency_id, route_id, route_type, trip_id, stop_id, line_id,
    stop_point_id, stop_place_id)
SELECT e.alert_id, %(source_id)s, e.agency_id, e.route_id, e.route_type, e.trip_id, e.stop_id,
       l.id, sp.id, coalesce(pl.id, sp.stop_place_id)
FROM tmp_rt_alert_e e
LEFT JOIN tmp_rt_alert_line l ON l.local_id = e.route_id
LEFT JOIN tmp_rt_alert_point sp ON sp.local_id = e.stop_id
LEFT JOIN tmp_rt_alert_place pl ON pl.local_id = e.stop_id
ORDER BY e.ord;

DROP TABLE tmp_rt_tu_m, tmp_rt_alert_m, tmp_rt_journey, tmp_rt_static_stop, tmp_rt_alert_e, tmp_rt_alert_line,
           tmp_rt_alert_point, tmp_rt_alert_place;
