-- GTFS helpers and the departures function over the unified model.

CREATE OR REPLACE FUNCTION unified.gtfs_mode(route_type integer) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
    SELECT CASE
        WHEN route_type IS NULL THEN 'bus'
        WHEN route_type IN (0, 5) OR route_type BETWEEN 900 AND 999 THEN 'tram'
        WHEN route_type = 1 OR route_type BETWEEN 400 AND 499 THEN 'metro'
        WHEN route_type = 2 OR route_type BETWEEN 100 AND 199 THEN 'rail'
        WHEN route_type = 3 OR route_type BETWEEN 200 AND 299 OR route_type BETWEEN 700 AND 799 THEN 'bus'
        WHEN route_type = 4 OR route_type BETWEEN 1000 AND 1299 THEN 'ferry'
        WHEN route_type = 6 OR route_type BETWEEN 1300 AND 1399 THEN 'cableway'
        WHEN route_type = 7 OR route_type BETWEEN 1400 AND 1499 THEN 'funicular'
        WHEN route_type = 11 OR route_type = 800 THEN 'trolleybus'
        WHEN route_type = 12 OR route_type = 405 THEN 'monorail'
        WHEN route_type BETWEEN 1100 AND 1199 THEN 'air'
        ELSE 'bus' END
$$;
COMMENT ON FUNCTION unified.gtfs_mode(integer) IS 'Transport mode (bus, tram, trolleybus, rail, metro, ferry, cableway, funicular, monorail) of a GTFS route_type, basic or extended.';

CREATE OR REPLACE FUNCTION unified.departures(p_date date, p_source_id text DEFAULT NULL)
RETURNS TABLE (
    source_id text, service_date date, journey_id bigint, call_id bigint, stop_point_id bigint, line_id bigint,
    line_code text, headsign text, sequence integer, arrival timestamptz, departure timestamptz,
    frequency_based boolean
)
LANGUAGE sql STABLE AS $$
    WITH j AS (
        SELECT jr.id, jr.source_id, jr.feed_version_id, jr.local_id, jr.line_id, jr.headsign,
               l.public_code AS line_code,
               -- GTFS times count from "noon minus 12 h" local time: correct on DST change days.
               ((p_date + time '12:00') AT TIME ZONE coalesce(o.timezone, 'Europe/Prague')) - interval '12 hours' AS t0
        FROM unified.service_day d
        JOIN unified.journey jr ON jr.service_calendar_id = d.service_calendar_id AND jr.recorded_to IS NULL
        LEFT JOIN unified.line l ON l.id = jr.line_id
        LEFT JOIN unified.operator o ON o.id = l.operator_id
        WHERE d.service_date = p_date AND d.recorded_to IS NULL
          AND (p_source_id IS NULL OR d.source_id = p_source_id)
    ), freq AS (
        -- frequencies.txt: the template trip repeats every headway from start_time to end_time.
        SELECT j.id AS journey_id, gs.start_s - first.first_s AS shift_s
        FROM j
        JOIN staging.gtfs_frequencies f ON f.feed_version_id = j.feed_version_id AND f.trip_id = j.local_id
        CROSS JOIN LATERAL (SELECT min(coalesce(c.departure_s, c.arrival_s)) AS first_s
                            FROM unified.call c WHERE c.journey_id = j.id) first
        CROSS JOIN LATERAL generate_series(f.start_time_s, f.end_time_s - 1, greatest(f.headway_secs, 1)) AS gs(start_s)
    ), runs AS (
        SELECT j.*, coalesce(freq.shift_s, 0) AS shift_s, freq.journey_id IS NOT NULL AS frequency_based
        FROM j LEFT JOIN freq ON freq.journey_id = j.id
    )
    SELECT r.source_id, p_date, r.id, c.id, c.stop_point_id, r.line_id, r.line_code, r.headsign, c.sequence,
           r.t0 + make_interval(secs => c.arrival_s + r.shift_s),
           r.t0 + make_interval(secs => c.departure_s + r.shift_s),
           r.frequency_based
    FROM runs r JOIN unified.call c ON c.journey_id = r.id
$$;
COMMENT ON FUNCTION unified.departures(date, text) IS 'Every call of every current journey running on a service date (optionally of one source), with absolute arrival/departure timestamptz: GTFS noon-minus-12h rule (DST-correct), frequencies.txt expanded (one row per run). Example: SELECT * FROM unified.departures(''2026-12-01'', ''municipal-dpmul-gtfs'') WHERE stop_point_id = 42 ORDER BY departure.';
