-- Telemetry records of one feed version → trips (unified.fleet_trip) + lineage.
SET LOCAL work_mem = '64MB';  -- the sorts by vehicle and time stay in memory (bounded: one sort at a time)
-- A record is moving when its speed (or, without one, the speed implied by the previous position) is at
-- least %(moving_kmh)s km/h and the vehicle is not charging. Consecutive moving records more than
-- %(stop_min)s minutes apart belong to different trips: a longer stop (or the logger off while parked)
-- ends a trip. Each trip also takes the standing record just before it (departure) and just after it
-- (arrival) when they are within that time, so odometer and state of charge cover the whole trip.
-- Every step is linear in the records: one sort by vehicle and time (the windows share it), trip numbers
-- carried by every record (the last trip started at or before it), and trips gathered by equality joins.
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
                      / nullif(extract(epoch FROM recorded_at - lag(recorded_at) OVER w), 0) * 3.6) AS v_kmh
    FROM d WINDOW w AS (PARTITION BY vehicle_id ORDER BY recorded_at)
), m AS (
    SELECT s.*, (NOT charging AND coalesce(v_kmh, 0) >= %(moving_kmh)s) AS moving,
           row_number() OVER w AS seq
    FROM s WINDOW w AS (PARTITION BY vehicle_id ORDER BY recorded_at)
), p AS (
    -- the time of the vehicle's previous moving record
    SELECT m.*, max(CASE WHEN moving THEN recorded_at END) OVER (w ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING)
                  AS prev_moving_at
    FROM m WINDOW w AS (PARTITION BY vehicle_id ORDER BY recorded_at)
)
SELECT p.*, sum(CASE WHEN moving AND (prev_moving_at IS NULL
                                      OR recorded_at - prev_moving_at > make_interval(secs => %(stop_min)s::float8 * 60))
                     THEN 1 ELSE 0 END) OVER w AS trip_no
FROM p WINDOW w AS (PARTITION BY vehicle_id ORDER BY recorded_at);
ANALYZE tmp_fleet_rec;

-- Trip spans in record sequence numbers, widened by the standing record on each side.
CREATE TEMP TABLE tmp_fleet_span ON COMMIT DROP AS
WITH b AS (
    SELECT vehicle_id, trip_no, min(seq) AS first_seq, max(seq) AS last_seq, min(recorded_at) AS first_at,
           max(recorded_at) AS last_at
    FROM tmp_fleet_rec WHERE moving GROUP BY vehicle_id, trip_no
)
SELECT b.vehicle_id, b.trip_no, b.first_seq,
       CASE WHEN p.seq IS NOT NULL AND NOT p.moving AND b.first_at - p.recorded_at <= make_interval(secs => %(stop_min)s::float8 * 60)
            THEN p.seq ELSE b.first_seq END AS from_seq,
       CASE WHEN n.seq IS NOT NULL AND NOT n.moving AND n.recorded_at - b.last_at <= make_interval(secs => %(stop_min)s::float8 * 60)
            THEN n.seq ELSE b.last_seq END AS to_seq,
       b.first_at, b.last_at
FROM b
LEFT JOIN tmp_fleet_rec p ON p.vehicle_id = b.vehicle_id AND p.seq = b.first_seq - 1
LEFT JOIN tmp_fleet_rec n ON n.vehicle_id = b.vehicle_id AND n.seq = b.last_seq + 1;
ANALYZE tmp_fleet_span;

-- A trip's records: those carrying its number up to its arrival, and its departure record (which carries
-- the number of the trip before).
CREATE TEMP TABLE tmp_fleet_trip ON COMMIT DROP AS
SELECT s.vehicle_id, min(r.recorded_at) AS started_at, max(r.recorded_at) AS ended_at,
       count(*)::int AS point_count,
       (array_agg(r.odometer_km ORDER BY r.seq DESC) FILTER (WHERE r.odometer_km IS NOT NULL))[1]
         - (array_agg(r.odometer_km ORDER BY r.seq) FILTER (WHERE r.odometer_km IS NOT NULL))[1] AS odo_km,
       (array_agg(r.soc_pct ORDER BY r.seq) FILTER (WHERE r.soc_pct IS NOT NULL))[1] AS soc_start,
       (array_agg(r.soc_pct ORDER BY r.seq DESC) FILTER (WHERE r.soc_pct IS NOT NULL))[1] AS soc_end,
       ST_MakeLine(ST_SetSRID(ST_MakePoint(r.x, r.y), 5514) ORDER BY r.seq) FILTER (WHERE r.x IS NOT NULL) AS geom,
       (array_agg(r.source_file ORDER BY r.seq))[1] AS source_file,
       min(r.line_no) FILTER (WHERE r.seq = s.from_seq) AS line_no
FROM tmp_fleet_span s
JOIN (SELECT r.vehicle_id, r.trip_no, r.seq, r.recorded_at, r.odometer_km, r.soc_pct, r.x, r.y, r.source_file, r.line_no
      FROM tmp_fleet_rec r WHERE r.trip_no > 0
      UNION ALL
      SELECT r.vehicle_id, s.trip_no, r.seq, r.recorded_at, r.odometer_km, r.soc_pct, r.x, r.y, r.source_file, r.line_no
      FROM tmp_fleet_span s JOIN tmp_fleet_rec r ON r.vehicle_id = s.vehicle_id AND r.seq = s.from_seq
      WHERE s.from_seq < s.first_seq) r
  ON r.vehicle_id = s.vehicle_id AND r.trip_no = s.trip_no AND r.seq BETWEEN s.from_seq AND s.to_seq
GROUP BY s.vehicle_id, s.trip_no, s.first_at, s.last_at;

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

DROP TABLE tmp_fleet_trip;
DROP TABLE tmp_fleet_span;
DROP TABLE tmp_fleet_rec;
