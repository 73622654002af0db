-- Fleet analysis snapshots, refreshed as a whole (one transaction): per vehicle and month, and the trips
-- public transport could have served. Expects tmp_fleet_workday (day date) with the Czech working days of
-- the months analysed (written by analysis.py, which knows the holidays).

DELETE FROM unified.fleet_vehicle_month;
WITH trips AS (
    SELECT t.vehicle_id, date_trunc('month', t.started_at AT TIME ZONE 'Europe/Prague')::date AS month,
           (t.started_at AT TIME ZONE 'Europe/Prague')::date AS day, t.distance_km, t.duration_s, t.energy_kwh
    FROM unified.fleet_trip t WHERE t.recorded_to IS NULL
), months AS (
    SELECT DISTINCT month FROM trips
), vehicles AS (
    SELECT DISTINCT local_id AS vehicle_id FROM unified.fleet_vehicle WHERE recorded_to IS NULL
    UNION SELECT DISTINCT vehicle_id FROM trips
), sessions AS (
    SELECT s.vehicle_id, date_trunc('month', s.started_at AT TIME ZONE 'Europe/Prague')::date AS month, s.energy_kwh,
           p.access, p.name
    FROM unified.fleet_charging_session s LEFT JOIN unified.fleet_charging_point p ON p.id = s.charging_point_id
    WHERE s.recorded_to IS NULL
)
INSERT INTO unified.fleet_vehicle_month (vehicle_id, month, trips, km, hours_driven, days_used, working_days,
    utilisation, energy_kwh, kwh_per_100km, charging_kwh, depot_charging_kwh, public_charging_kwh, charging_places)
SELECT v.vehicle_id, m.month,
       count(t.*)::int, coalesce(sum(t.distance_km), 0), coalesce(sum(t.duration_s), 0) / 3600.0,
       count(DISTINCT t.day)::int, w.n,
       round((count(DISTINCT t.day)::numeric / nullif(w.n, 0)), 3),
       round(sum(t.energy_kwh)::numeric, 2),
       round((sum(t.energy_kwh) FILTER (WHERE t.energy_kwh IS NOT NULL)
              / nullif(sum(t.distance_km) FILTER (WHERE t.energy_kwh IS NOT NULL), 0) * 100)::numeric, 2),
       (SELECT round(sum(s.energy_kwh)::numeric, 2) FROM sessions s WHERE s.vehicle_id = v.vehicle_id AND s.month = m.month),
       (SELECT round(sum(s.energy_kwh)::numeric, 2) FROM sessions s WHERE s.vehicle_id = v.vehicle_id AND s.month = m.month
          AND s.access = 'private'),
       (SELECT round(sum(s.energy_kwh)::numeric, 2) FROM sessions s WHERE s.vehicle_id = v.vehicle_id AND s.month = m.month
          AND s.access IS DISTINCT FROM 'private'),
       (SELECT array_agg(DISTINCT coalesce(s.name, 'unmatched') ORDER BY coalesce(s.name, 'unmatched')) FROM sessions s
        WHERE s.vehicle_id = v.vehicle_id AND s.month = m.month)
FROM vehicles v CROSS JOIN months m
CROSS JOIN LATERAL (SELECT count(*)::int AS n FROM tmp_fleet_workday d
                    WHERE date_trunc('month', d.day)::date = m.month) w
LEFT JOIN trips t ON t.vehicle_id = v.vehicle_id AND t.month = m.month
GROUP BY v.vehicle_id, m.month, w.n;

-- Trips public transport could have served: a journey running on the trip's day that departs within
-- ±30 min of the trip's start from a stop within 500 m of its origin and calls later at a stop within
-- 500 m of its destination. Stop positions: the stop point's, else its stop place's.
DELETE FROM unified.fleet_trip_substitution;
CREATE TEMP TABLE tmp_fleet_stop ON COMMIT DROP AS
SELECT sp.id AS stop_point_id, coalesce(sp.geom, pl.geom) AS geom, coalesce(pl.name, sp.name) AS name
FROM unified.stop_point sp LEFT JOIN unified.stop_place pl ON pl.id = sp.stop_place_id
WHERE sp.recorded_to IS NULL AND coalesce(sp.geom, pl.geom) IS NOT NULL;
CREATE INDEX ON tmp_fleet_stop USING gist (geom);

-- Stops near each trip's origin (o) and destination (d), kept with statistics so the joins with calls hash.
CREATE TEMP TABLE tmp_fleet_od ON COMMIT DROP AS
SELECT t.id AS trip_id, 'o'::text AS side, s.stop_point_id, s.name
FROM unified.fleet_trip t JOIN tmp_fleet_stop s ON ST_DWithin(s.geom, t.start_geom, %(radius_m)s)
WHERE t.recorded_to IS NULL
UNION ALL
SELECT t.id, 'd', s.stop_point_id, s.name
FROM unified.fleet_trip t JOIN tmp_fleet_stop s ON ST_DWithin(s.geom, t.end_geom, %(radius_m)s)
WHERE t.recorded_to IS NULL;
ANALYZE tmp_fleet_od;

CREATE TEMP TABLE tmp_fleet_pt ON COMMIT DROP AS
SELECT o.trip_id, o.name AS origin_stop, d.name AS destination_stop, c1.journey_id, j.service_calendar_id,
       c1.departure_s, coalesce(c2.arrival_s, c2.departure_s) AS arrival_s, t.started_at,
       (t.started_at AT TIME ZONE 'Europe/Prague')::date AS day
FROM tmp_fleet_od o
JOIN unified.fleet_trip t ON t.id = o.trip_id
JOIN unified.call c1 ON c1.stop_point_id = o.stop_point_id AND c1.recorded_to IS NULL AND c1.departure_s IS NOT NULL
JOIN unified.call c2 ON c2.journey_id = c1.journey_id AND c2.sequence > c1.sequence AND c2.recorded_to IS NULL
     AND coalesce(c2.arrival_s, c2.departure_s) IS NOT NULL
JOIN tmp_fleet_od d ON d.trip_id = o.trip_id AND d.side = 'd' AND d.stop_point_id = c2.stop_point_id
JOIN unified.journey j ON j.id = c1.journey_id AND j.recorded_to IS NULL
WHERE o.side = 'o';
ANALYZE tmp_fleet_pt;

-- The journeys of those that ran on the trip's day (or the day before, past midnight) near its start time;
-- set-based (hash joins), the nearest departure per trip wins.
CREATE TEMP TABLE tmp_fleet_best ON COMMIT DROP AS
SELECT DISTINCT ON (p.trip_id) p.trip_id, p.origin_stop, p.destination_stop, p.journey_id, x.dep, x.arr
FROM tmp_fleet_pt p
CROSS JOIN (VALUES (0), (1)) k(back)
-- the calendar runs on that service date: its compact dates (run_dates), no per-date rows
JOIN unified.service_calendar sc ON sc.id = p.service_calendar_id AND sc.recorded_to IS NULL
     AND sc.run_dates @> (p.day - k.back)
CROSS JOIN LATERAL (
    -- GTFS time: seconds after noon minus 12 h of the service date, in local time
    SELECT (((p.day - k.back) + time '12:00') AT TIME ZONE 'Europe/Prague') - interval '12 hours'
               + make_interval(secs => p.departure_s) AS dep,
           (((p.day - k.back) + time '12:00') AT TIME ZONE 'Europe/Prague') - interval '12 hours'
               + make_interval(secs => p.arrival_s) AS arr
) x
WHERE abs(extract(epoch FROM x.dep - p.started_at)) <= %(window_min)s * 60
ORDER BY p.trip_id, abs(extract(epoch FROM x.dep - p.started_at)), x.arr, p.journey_id;

INSERT INTO unified.fleet_trip_substitution (trip_id, vehicle_id, started_at, car_minutes, origin_stop, destination_stop,
    served_places, journey_id, line_code, pt_departure, pt_arrival, departure_offset_min, pt_minutes, time_ratio, servable)
SELECT t.id, t.vehicle_id, t.started_at, round(t.duration_s / 60.0, 1), b.origin_stop, b.destination_stop,
       t.id IN (SELECT trip_id FROM tmp_fleet_pt), b.journey_id, l.public_code, b.dep, b.arr,
       round((extract(epoch FROM b.dep - t.started_at) / 60)::numeric, 1),
       round((extract(epoch FROM b.arr - b.dep) / 60)::numeric, 1),
       round((extract(epoch FROM b.arr - b.dep) / nullif(t.duration_s, 0))::numeric, 2),
       b.journey_id IS NOT NULL
FROM unified.fleet_trip t
LEFT JOIN tmp_fleet_best b ON b.trip_id = t.id
LEFT JOIN unified.journey j ON j.id = b.journey_id
LEFT JOIN unified.line l ON l.id = j.line_id
WHERE t.recorded_to IS NULL;

DROP TABLE tmp_fleet_best;
DROP TABLE tmp_fleet_pt;
DROP TABLE tmp_fleet_od;
DROP TABLE tmp_fleet_stop;
