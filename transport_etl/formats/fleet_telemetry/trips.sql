-- Telemetry records of one feed version → trips (unified.fleet_trip) + lineage.
-- A record is moving when its speed (or, without one, the speed implied by the previous position) is at
-- least %(moving_kmh)s km/h and the vehicle is not charging. Consecutive moving records more than
-- %(stop_min)s minutes apart belong to different trips: a longer stop (or the logger off while parked)
-- ends a trip. Each trip also takes the standing record just before it (departure) and just after it
-- (arrival) when they are within that time, so odometer and state of charge cover the whole trip.
-- Every step is linear in the records: one sort by vehicle and time (the windows share it), and each record
-- carries what the trip steps need (its trip number, whether its neighbours move and when), so trips are
-- gathered without joining the records to themselves.
SET LOCAL work_mem = '64MB';
CREATE TEMP TABLE tmp_fleet_rec ON COMMIT DROP AS
WITH d AS (
    SELECT DISTINCT ON (vehicle_id, recorded_at) vehicle_id, recorded_at, x, y, speed_kmh, odometer_km, soc_pct,
           coalesce(charging, false) AS charging, source_file, line_no
    FROM staging.fleet_telemetry_record
    WHERE feed_version_id = %(feed_version_id)s
    ORDER BY vehicle_id, recorded_at, line_no
), s AS (
    SELECT d.*,
           coalesce(speed_kmh,
                    sqrt((x - lag(x) OVER w) ^ 2 + (y - lag(y) OVER w) ^ 2)
                      / nullif(extract(epoch FROM recorded_at - lag(recorded_at) OVER w), 0) * 3.6) AS v_kmh,
           row_number() OVER w AS seq
    FROM d WINDOW w AS (PARTITION BY vehicle_id ORDER BY recorded_at)
), m AS (
    SELECT s.*, (NOT charging AND coalesce(v_kmh, 0) >= %(moving_kmh)s) AS moving FROM s
), p AS (
    SELECT m.*,
           -- the time of the vehicle's previous moving record: more than stop_min before starts a trip
           max(CASE WHEN moving THEN recorded_at END) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
             AS prev_moving_at,
           coalesce(lag(moving) OVER w, true) AS prev_moving, recorded_at - lag(recorded_at) OVER w AS since_prev,
           coalesce(lead(moving) OVER w, true) AS next_moving, lead(recorded_at) OVER w - recorded_at AS until_next
    FROM m WINDOW w AS (PARTITION BY vehicle_id ORDER BY recorded_at)
), t AS (
    SELECT p.*, moving AND (prev_moving_at IS NULL
                            OR recorded_at - prev_moving_at > make_interval(secs => %(stop_min)s::float8 * 60))
                  AS new_trip
    FROM p
)
SELECT t.*, sum(CASE WHEN new_trip THEN 1 ELSE 0 END) OVER w AS trip_no,
       -- a standing record just before a trip's first moving one, within stop_min, is its departure
       NOT moving AND coalesce(lead(new_trip) OVER w, false)
         AND until_next <= make_interval(secs => %(stop_min)s::float8 * 60) AS departs
FROM t WINDOW w AS (PARTITION BY vehicle_id ORDER BY recorded_at);
ANALYZE tmp_fleet_rec;

-- Trip spans in record sequence numbers, widened by the standing record on each side (departure, arrival).
CREATE TEMP TABLE tmp_fleet_span ON COMMIT DROP AS
SELECT vehicle_id, trip_no, first_seq, first_at, last_at,
       CASE WHEN departure_seq = first_seq THEN first_seq - 1 ELSE first_seq END AS from_seq,
       CASE WHEN arrival_seq = last_seq THEN last_seq + 1 ELSE last_seq END AS to_seq
FROM (
    SELECT vehicle_id, trip_no, min(seq) AS first_seq, max(seq) AS last_seq, min(recorded_at) AS first_at,
           max(recorded_at) AS last_at,
           min(seq) FILTER (WHERE NOT prev_moving
                            AND since_prev <= make_interval(secs => %(stop_min)s::float8 * 60)) AS departure_seq,
           max(seq) FILTER (WHERE NOT next_moving
                            AND until_next <= make_interval(secs => %(stop_min)s::float8 * 60)) AS arrival_seq
    FROM tmp_fleet_rec WHERE moving GROUP BY vehicle_id, trip_no
) b;
ANALYZE tmp_fleet_span;

-- A trip's records: those carrying its number up to its arrival, and its departure record (which carries
-- the number of the trip before). They reach the aggregates in trip and record order (one sort, not one
-- per aggregate and trip): temporary tables are never scanned in parallel, so that order holds.
CREATE TEMP TABLE tmp_fleet_trip ON COMMIT DROP AS
SELECT vehicle_id, started_at, ended_at, point_count::int AS point_count, odo[cardinality(odo)] - odo[1] AS odo_km,
       soc[1] AS soc_start, soc[cardinality(soc)] AS soc_end, geom, source_file, line_no
FROM (
    SELECT vehicle_id, trip_no, min(recorded_at), max(recorded_at), count(*),
           array_agg(odometer_km) FILTER (WHERE odometer_km IS NOT NULL) AS odo,
           array_agg(soc_pct) FILTER (WHERE soc_pct IS NOT NULL) AS soc,
           ST_MakeLine(ST_SetSRID(ST_MakePoint(x, y), 5514)) FILTER (WHERE x IS NOT NULL) AS geom,
           (array_agg(source_file))[1] AS source_file, (array_agg(line_no))[1] AS line_no
    FROM (
        SELECT r.vehicle_id, s.trip_no, r.seq, r.recorded_at, r.odometer_km, r.soc_pct, r.x, r.y, r.source_file,
               r.line_no
        FROM tmp_fleet_span s
        JOIN (SELECT r.vehicle_id, r.trip_no, r.seq, r.recorded_at, r.odometer_km, r.soc_pct, r.x, r.y,
                     r.source_file, r.line_no
              FROM tmp_fleet_rec r WHERE r.trip_no > 0
              UNION ALL
              SELECT r.vehicle_id, r.trip_no + 1, r.seq, r.recorded_at, r.odometer_km, r.soc_pct, r.x, r.y,
                     r.source_file, r.line_no
              FROM tmp_fleet_rec r WHERE r.departs) r
          ON r.vehicle_id = s.vehicle_id AND r.trip_no = s.trip_no AND r.seq BETWEEN s.from_seq AND s.to_seq
        ORDER BY r.vehicle_id, s.trip_no, r.seq
    ) ordered
    GROUP BY vehicle_id, trip_no
) g(vehicle_id, trip_no, started_at, ended_at, point_count, odo, soc, geom, source_file, line_no);

WITH t AS (
    SELECT t.*, CASE WHEN ST_NPoints(t.geom) >= 2 THEN ST_Length(t.geom) / 1000 END AS gps_km,
           v.battery_kwh,
           extract(month FROM t.started_at AT TIME ZONE 'Europe/Prague')::int AS month
    FROM tmp_fleet_trip t
    LEFT JOIN LATERAL (SELECT battery_kwh FROM unified.fleet_vehicle v WHERE v.local_id = t.vehicle_id
                       AND v.recorded_to IS NULL ORDER BY v.id DESC LIMIT 1) v ON true
), k AS (
    SELECT t.*, coalesce(CASE WHEN odo_km >= 0 THEN odo_km END, gps_km) AS km,
           (soc_start - soc_end) / 100.0 * battery_kwh AS kwh
    FROM t
), added AS (
    INSERT INTO unified.fleet_trip (source_id, feed_version_id, namespace, local_id, vehicle_id, started_at, ended_at,
        duration_s, point_count, distance_km, gps_distance_km, soc_start_pct, soc_end_pct, energy_kwh, kwh_per_100km,
        season, start_geom, end_geom, geom, match_status)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s,
           k.vehicle_id || '/' || to_char(k.started_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
           k.vehicle_id, k.started_at, k.ended_at, extract(epoch FROM k.ended_at - k.started_at)::int, k.point_count,
           round(k.km::numeric, 3), round(k.gps_km::numeric, 3), k.soc_start, k.soc_end, round(k.kwh::numeric, 3),
           CASE WHEN k.km >= 1 THEN round((k.kwh / k.km * 100)::numeric, 2) END,
           CASE WHEN k.month IN (12, 1, 2) THEN 'winter' WHEN k.month IN (3, 4, 5) THEN 'spring'
                WHEN k.month IN (6, 7, 8) THEN 'summer' ELSE 'autumn' END,
           ST_StartPoint(k.geom), ST_EndPoint(k.geom), CASE WHEN ST_NPoints(k.geom) >= 2 THEN k.geom END, 'pending'
    FROM k
    WHERE coalesce(k.km, 0) >= %(min_trip_km)s
    RETURNING id, local_id, vehicle_id, started_at
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   load_run_id)
SELECT 'unified.fleet_trip', a.id, %(feed_version_id)s, t.source_file, t.line_no, a.local_id, %(load_run_id)s
FROM added a JOIN tmp_fleet_trip t ON t.vehicle_id = a.vehicle_id AND t.started_at = a.started_at;

-- What the loader reports: records read (repeats of a vehicle and time dropped) and the time they cover.
CREATE TEMP TABLE tmp_fleet_load_facts ON COMMIT DROP AS
SELECT count(*) AS records, min(recorded_at) AS first_at, max(recorded_at) AS last_at FROM tmp_fleet_rec;

DROP TABLE tmp_fleet_trip;
DROP TABLE tmp_fleet_span;
DROP TABLE tmp_fleet_rec;
