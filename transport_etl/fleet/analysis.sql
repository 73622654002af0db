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

CREATE TEMP TABLE tmp_fleet_pt ON COMMIT DROP AS
WITH trips AS (
    SELECT id, vehicle_id, started_at, duration_s, start_geom, end_geom,
           (started_at AT TIME ZONE 'Europe/Prague')::date AS day
    FROM unified.fleet_trip WHERE recorded_to IS NULL AND start_geom IS NOT NULL AND end_geom IS NOT NULL
), o AS (
    SELECT t.id AS trip_id, s.stop_point_id, s.name FROM trips t
    JOIN tmp_fleet_stop s ON ST_DWithin(s.geom, t.start_geom, %(radius_m)s)
), d AS (
    SELECT t.id AS trip_id, s.stop_point_id, s.name FROM trips t
    JOIN tmp_fleet_stop s ON ST_DWithin(s.geom, t.end_geom, %(radius_m)s)
)
SELECT o.trip_id, o.name AS origin_stop, d.name AS destination_stop, c1.journey_id, j.service_calendar_id,
       c1.departure_s, coalesce(c2.arrival_s, c2.departure_s) AS arrival_s
FROM o
JOIN unified.call c1 ON c1.stop_point_id = o.stop_point_id AND c1.recorded_to IS NULL AND c1.departure_s IS NOT NULL
JOIN d ON d.trip_id = o.trip_id
JOIN unified.call c2 ON c2.journey_id = c1.journey_id AND c2.stop_point_id = d.stop_point_id
     AND c2.sequence > c1.sequence AND c2.recorded_to IS NULL AND coalesce(c2.arrival_s, c2.departure_s) IS NOT NULL
JOIN unified.journey j ON j.id = c1.journey_id AND j.recorded_to IS NULL;

INSERT INTO unified.fleet_trip_substitution (trip_id, vehicle_id, started_at, car_minutes, origin_stop, destination_stop,
    served_places, journey_id, line_code, pt_departure, pt_arrival, departure_offset_min, pt_minutes, time_ratio, servable)
SELECT t.id, t.vehicle_id, t.started_at, round(t.duration_s / 60.0, 1), b.origin_stop, b.destination_stop,
       EXISTS (SELECT 1 FROM tmp_fleet_pt p WHERE p.trip_id = t.id), b.journey_id, b.line_code, b.dep, b.arr,
       round((extract(epoch FROM b.dep - t.started_at) / 60)::numeric, 1),
       round((extract(epoch FROM b.arr - b.dep) / 60)::numeric, 1),
       round((extract(epoch FROM b.arr - b.dep) / nullif(t.duration_s, 0))::numeric, 2),
       b.journey_id IS NOT NULL
FROM unified.fleet_trip t
LEFT JOIN LATERAL (
    SELECT p.*, l.public_code AS line_code, x.dep, x.arr
    FROM tmp_fleet_pt p
    JOIN unified.service_day sd ON sd.service_calendar_id = p.service_calendar_id AND sd.recorded_to IS NULL
         AND sd.service_date BETWEEN (t.started_at AT TIME ZONE 'Europe/Prague')::date - 1
                                 AND (t.started_at AT TIME ZONE 'Europe/Prague')::date
    CROSS JOIN LATERAL (
        -- GTFS time: seconds after noon minus 12 h of the service date, in local time
        SELECT ((sd.service_date + time '12:00') AT TIME ZONE 'Europe/Prague') - interval '12 hours'
                   + make_interval(secs => p.departure_s) AS dep,
               ((sd.service_date + time '12:00') AT TIME ZONE 'Europe/Prague') - interval '12 hours'
                   + make_interval(secs => p.arrival_s) AS arr
    ) x
    LEFT JOIN unified.journey j ON j.id = p.journey_id
    LEFT JOIN unified.line l ON l.id = j.line_id
    WHERE p.trip_id = t.id AND abs(extract(epoch FROM x.dep - t.started_at)) <= %(window_min)s * 60
    ORDER BY abs(extract(epoch FROM x.dep - t.started_at)), x.arr
    LIMIT 1
) b ON true
WHERE t.recorded_to IS NULL;

DROP TABLE tmp_fleet_pt;
DROP TABLE tmp_fleet_stop;
