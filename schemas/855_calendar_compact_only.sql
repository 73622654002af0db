-- Calendars without per-date rows, in every format (issue 11). 723 made service_calendar.run_dates (a
-- datemultirange, GiST indexed) the form everything asks "runs on D" of, but JDF and CZPTT still wrote one
-- unified.service_day row per calendar and date (plus a lineage row each) and a trigger folded them into
-- run_dates. Now JDF and CZPTT write run_dates themselves (CZPTT straight from its BitmapDays with the
-- functions below), the trigger goes, and unified.service_day becomes a view over the compact form with
-- the columns the table had, for those who want one row per date.

-- CZPTT-style operating-day bitmaps ('0110…', first character = first_day) as date ranges, one range per
-- run of '1's: a year-long Mon–Fri bitmap becomes 52 ranges without expanding 260 dates.
CREATE OR REPLACE FUNCTION unified.bitmap_dates(bitmap text, first_day date) RETURNS datemultirange
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(range_agg(daterange(first_day + (s.run_end - length(s.m[2]))::integer,
                                        first_day + s.run_end::integer)), '{}'::datemultirange)
      FROM (SELECT r.m, sum(length(r.m[1]) + length(r.m[2])) OVER (ORDER BY r.n) AS run_end
              FROM regexp_matches(bitmap, '([^1]*)(1+)', 'g') WITH ORDINALITY AS r(m, n)) s
$$;
COMMENT ON FUNCTION unified.bitmap_dates(text, date) IS 'Dates of an operating-day bitmap (one character per day from first_day, ''1'' = runs, anything else = does not) as a datemultirange, built run by run (no per-date rows). Example: unified.bitmap_dates(''1111100'', ''2027-03-01'') = {[2027-03-01,2027-03-06)}.';

CREATE OR REPLACE FUNCTION unified.shift_dates(dates datemultirange, days integer) RETURNS datemultirange
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT CASE WHEN days = 0 THEN dates ELSE
           coalesce((SELECT range_agg(daterange(lower(r) + days, upper(r) + days)) FROM unnest(dates) r),
                    '{}'::datemultirange) END
$$;
COMMENT ON FUNCTION unified.shift_dates(datemultirange, integer) IS 'The same dates moved by a number of days (CZPTT day_shift: a path whose first public call is on the day before its bitmap day).';

CREATE OR REPLACE FUNCTION unified.date_count(dates datemultirange) RETURNS integer
LANGUAGE sql IMMUTABLE STRICT PARALLEL SAFE AS $$
    SELECT coalesce(sum(upper(r) - lower(r)), 0)::integer FROM unnest(dates) r
$$;
COMMENT ON FUNCTION unified.date_count(datemultirange) IS 'Number of dates in a datemultirange of bounded ranges (e.g. the days a service calendar runs).';

-- Every per-date row is already in run_dates (723's trigger folded each insert; the union is idempotent);
-- fold once more so a database that skipped nothing loses nothing, then drop the trigger.
UPDATE unified.service_calendar c SET run_dates = coalesce(c.run_dates, '{}'::datemultirange) + n.dates
FROM (SELECT service_calendar_id, range_agg(daterange(service_date, service_date, '[]')) AS dates
        FROM unified.service_day GROUP BY service_calendar_id) n
WHERE c.id = n.service_calendar_id;
UPDATE unified.service_calendar SET run_dates = '{}'::datemultirange WHERE run_dates IS NULL;
DROP TRIGGER IF EXISTS service_day_fold ON unified.service_day;
DROP FUNCTION IF EXISTS unified.fold_service_days();

-- Lineage of the per-date rows named the same trips (JDF) and path files (CZPTT) as their calendar's.
DELETE FROM lineage.entity_source WHERE unified_table = 'unified.service_day';

-- lineage.row_source is generated over the unified base tables with provenance columns, service_day among
-- them: move the table out of schema unified, regenerate the view without it, then drop the table.
ALTER TABLE unified.service_day SET SCHEMA staging;
SELECT lineage.refresh_row_source();
DROP TABLE staging.service_day;

CREATE VIEW unified.service_day AS
SELECT (d.service_calendar_id << 20) | (d.service_date - date '2000-01-01')::bigint AS id,
       d.source_id, d.feed_version_id, d.namespace, d.local_id, d.service_date AS valid_from,
       d.service_date AS valid_to, d.recorded_from, d.recorded_to, d.service_calendar_id, d.service_date
FROM unified.service_date d;
COMMENT ON VIEW unified.service_day IS 'One row per calendar and date, computed from unified.service_calendar.run_dates (no rows are stored; every format). Filter by service_calendar_id; to ask whether a calendar runs on D use run_dates @> D (GiST indexed), not this view.';
COMMENT ON COLUMN unified.service_day.id IS 'Row key made of the calendar id and the date: (service_calendar_id << 20) | days since 2000-01-01 (gis.service_day uses the same).';
COMMENT ON COLUMN unified.service_day.source_id IS 'Source of the calendar.';
COMMENT ON COLUMN unified.service_day.feed_version_id IS 'Feed version of the calendar.';
COMMENT ON COLUMN unified.service_day.namespace IS 'Namespace of the calendar''s identifier.';
COMMENT ON COLUMN unified.service_day.local_id IS 'Calendar local id and date (local_id:YYYYMMDD).';
COMMENT ON COLUMN unified.service_day.valid_from IS 'The service date.';
COMMENT ON COLUMN unified.service_day.valid_to IS 'The service date.';
COMMENT ON COLUMN unified.service_day.recorded_from IS 'When the calendar row version entered the model.';
COMMENT ON COLUMN unified.service_day.recorded_to IS 'When a newer feed version superseded the calendar; NULL = current.';
COMMENT ON COLUMN unified.service_day.service_calendar_id IS 'The service calendar.';
COMMENT ON COLUMN unified.service_day.service_date IS 'Service date (times of the journey count from noon minus 12 h of this date, local time).';

COMMENT ON TABLE unified.service_calendar IS 'Service calendars (GTFS service_id, JDF fixed + time codes, CZPTT bitmap). The dates it runs are in run_dates (every format); unified.service_day lists them one row per date.';
COMMENT ON FUNCTION gis.journey_asof(date, timestamptz) IS 'Journeys whose validity covers valid_on as known at known_at (defaults: today, now); whether one runs on a date: its unified.service_calendar.run_dates @> the date.';

-- CZPTT stages its current paths' days no more: the calendar is built from the bitmaps in staging.czptt_message.
DROP TABLE IF EXISTS staging.czptt_path_day;
