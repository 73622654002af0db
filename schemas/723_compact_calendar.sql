-- Calendars without per-date rows (issue 11). A service calendar stores the dates it runs as one
-- datemultirange (Mon-Fri for a year: 52 ranges; daily: 1), GiST-indexed for "runs on date D".
-- Everything that asks which journeys run on D (departures, affected services, GTFS export, gis views)
-- reads it. GTFS no longer writes unified.service_day rows; JDF and CZPTT still do, and a statement
-- trigger folds what they insert into run_dates, so the compact form is complete for every format.
-- unified.service_date gives one row per date, computed, for those who need it.

ALTER TABLE unified.service_calendar ADD COLUMN IF NOT EXISTS run_dates datemultirange;
COMMENT ON COLUMN unified.service_calendar.run_dates IS 'Dates the calendar runs, as a multirange (regular weekdays in the validity range, minus removed, plus added dates). "Runs on D": run_dates @> D (GiST indexed). Empty = never runs.';
CREATE INDEX IF NOT EXISTS service_calendar_run_dates ON unified.service_calendar USING gist (run_dates);
COMMENT ON TABLE unified.service_calendar IS 'Service calendars (GTFS service_id, JDF fixed + time codes, CZPTT bitmap). The dates it runs are in run_dates; unified.service_date lists them one row per date.';
COMMENT ON TABLE unified.service_day IS 'Per-date rows as some loaders (JDF, CZPTT) still write them; their dates are folded into unified.service_calendar.run_dates on insert. Read unified.service_date (every format) instead.';

-- Calendars of loaders that still write per-date rows, and rows written before this migration.
CREATE OR REPLACE FUNCTION unified.fold_service_days() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    UPDATE unified.service_calendar c
    SET run_dates = coalesce(c.run_dates, '{}'::datemultirange) + n.dates
    FROM (SELECT service_calendar_id, range_agg(daterange(service_date, service_date, '[]')) AS dates
          FROM new_days GROUP BY service_calendar_id) n
    WHERE c.id = n.service_calendar_id;
    RETURN NULL;
END $$;
COMMENT ON FUNCTION unified.fold_service_days() IS 'Statement trigger: adds the dates of inserted unified.service_day rows to their calendar''s run_dates.';
DROP TRIGGER IF EXISTS service_day_fold ON unified.service_day;
CREATE TRIGGER service_day_fold AFTER INSERT ON unified.service_day REFERENCING NEW TABLE AS new_days
    FOR EACH STATEMENT EXECUTE FUNCTION unified.fold_service_days();
UPDATE unified.service_calendar c SET run_dates = n.dates
FROM (SELECT service_calendar_id, range_agg(daterange(service_date, service_date, '[]')) AS dates
      FROM unified.service_day GROUP BY service_calendar_id) n
WHERE c.id = n.service_calendar_id AND c.run_dates IS NULL;

CREATE OR REPLACE VIEW unified.service_date AS
SELECT c.id AS service_calendar_id, d::date AS service_date, c.source_id, c.feed_version_id, c.namespace,
       c.local_id || ':' || to_char(d, 'YYYYMMDD') AS local_id, c.recorded_from, c.recorded_to
FROM unified.service_calendar c
CROSS JOIN LATERAL unnest(c.run_dates) AS r(span)
CROSS JOIN LATERAL generate_series(lower(r.span), upper(r.span) - 1, interval '1 day') AS d;
COMMENT ON VIEW unified.service_date IS 'One row per date on which a service calendar runs, computed from service_calendar.run_dates (every format). To ask whether a calendar runs on D, use run_dates @> D instead.';
COMMENT ON COLUMN unified.service_date.service_calendar_id IS 'The service calendar.';
COMMENT ON COLUMN unified.service_date.service_date IS 'Service date (times of the journey count from noon minus 12 h of this date, local time).';
COMMENT ON COLUMN unified.service_date.source_id IS 'Source of the calendar.';
COMMENT ON COLUMN unified.service_date.feed_version_id IS 'Feed version of the calendar.';
COMMENT ON COLUMN unified.service_date.namespace IS 'Namespace of the calendar''s identifier.';
COMMENT ON COLUMN unified.service_date.local_id IS 'Calendar local id and date (service_id:YYYYMMDD).';
COMMENT ON COLUMN unified.service_date.recorded_from IS 'When the calendar row version entered the model.';
COMMENT ON COLUMN unified.service_date.recorded_to IS 'When a newer feed version superseded the calendar; NULL = current.';

-- Departures read the compact form: calendars running on the date (GiST), their journeys, their calls.
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
        FROM unified.service_calendar sc
        JOIN unified.journey jr ON jr.service_calendar_id = sc.id AND jr.recorded_to IS NULL
        LEFT JOIN unified.line l ON l.id = jr.line_id
        LEFT JOIN unified.operator o ON o.id = l.operator_id
        WHERE sc.run_dates @> p_date AND sc.recorded_to IS NULL
          AND (p_source_id IS NULL OR sc.source_id = p_source_id)
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
COMMENT ON FUNCTION unified.departures(date, text) IS 'Every call of every current journey running on a service date (optionally of one source), with absolute arrival/departure timestamptz: GTFS noon-minus-12h rule (DST-correct), frequencies.txt expanded (one row per run). Reads service_calendar.run_dates. Example: SELECT * FROM unified.departures(''2026-12-01'', ''municipal-dpmul-gtfs'') WHERE stop_point_id = 42 ORDER BY departure.';

-- gis views of calendars and their days, same columns as before, from the compact form.
CREATE OR REPLACE VIEW gis.service_calendar AS
SELECT sc.id, sc.description, sc.weekdays, lower(sc.run_dates) AS first_date, upper(sc.run_dates) - 1 AS last_date,
       coalesce((SELECT sum(upper(r) - lower(r)) FROM unnest(sc.run_dates) r), 0)::bigint AS days,
       sc.source_id, sc.namespace, sc.local_id, sc.valid_from, sc.valid_to, sc.feed_version_id
FROM unified.service_calendar sc
WHERE sc.recorded_to IS NULL;

CREATE OR REPLACE VIEW gis.service_day AS
SELECT (d.service_calendar_id << 20) | (d.service_date - date '2000-01-01')::bigint AS id, d.service_calendar_id,
       d.service_date, extract(isodow FROM d.service_date)::int AS iso_weekday,
       sc.description AS calendar_description, d.source_id, d.namespace, d.local_id, d.feed_version_id
FROM unified.service_date d
JOIN unified.service_calendar sc ON sc.id = d.service_calendar_id
WHERE d.recorded_to IS NULL;
COMMENT ON COLUMN gis.service_day.id IS 'Row key made of the calendar id and the date (the days are computed from unified.service_calendar.run_dates).';
