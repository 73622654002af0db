-- Map one GTFS feed version from staging into the unified model. Each unified row names its source
-- record in its own columns: source_file_id (lineage.source_file) + source_line (+ local_id as key).
-- Parameters: %(feed_version_id)s, %(load_run_id)s, %(source_id)s, %(namespace)s.
-- Pattern: each table's rows are built in a temp table with a digest h of their mapped content (including the
-- ids of the rows they reference, and for a journey its calls); unified.keep_unchanged (schemas/840) pairs them
-- with the source's current rows of the same digest, which keep their id, recorded_from and provenance (the
-- version that first recorded them), gives new ids to the rest and closes the current rows left unpaired. Only
-- new rows are inserted: a version that changes 1 %% of the trips writes about 1 %% of the calls.

SET LOCAL work_mem = '256MB';  -- hash joins and the materialised call set stay in memory

-- The staged files of this version (path inside the input, hash) that unified rows cite.
INSERT INTO lineage.source_file (feed_version_id, path, sha256, size_bytes)
SELECT feed_version_id, file_name, sha256, size_bytes FROM staging.gtfs_file
WHERE feed_version_id = %(feed_version_id)s AND kind = 'gtfs' AND header IS NOT NULL
ON CONFLICT (feed_version_id, path) DO NOTHING;
CREATE TEMP TABLE _sf ON COMMIT DROP AS
SELECT regexp_replace(sf.path, '^.*/', '') AS name, sf.id
FROM lineage.source_file sf JOIN staging.gtfs_file f ON f.feed_version_id = sf.feed_version_id AND f.file_name = sf.path
WHERE sf.feed_version_id = %(feed_version_id)s AND f.kind = 'gtfs' AND f.header IS NOT NULL;

-- Operators (agency.txt). An agency without agency_id (allowed for single-agency feeds) is keyed by name.
CREATE TEMP TABLE _op ON COMMIT DROP AS
SELECT a.line_no, a.agency_id, coalesce(a.agency_id, a.agency_name) AS local_id, a.agency_name, a.agency_url,
       a.agency_phone, a.agency_timezone,
       md5(ROW(coalesce(a.agency_id, a.agency_name), a.agency_name, a.agency_url, a.agency_phone,
               a.agency_timezone)::text)::uuid AS h
FROM staging.gtfs_agency a WHERE a.feed_version_id = %(feed_version_id)s;
SELECT unified.keep_unchanged('operator', '_op', %(feed_version_id)s, %(source_id)s, %(namespace)s);
INSERT INTO unified.operator (id, source_id, feed_version_id, namespace, local_id, name, url, phone, timezone,
                              source_file_id, source_line, content_hash)
OVERRIDING SYSTEM VALUE
SELECT id, %(source_id)s, %(feed_version_id)s, %(namespace)s, local_id, agency_name, agency_url, agency_phone,
       agency_timezone, (SELECT id FROM _sf WHERE name = 'agency.txt'), line_no, h
FROM _op WHERE NOT kept;

-- Modes served at each stop, and at the children of each station (a station's own stop_times are rare),
-- from the version's trip patterns (staging.gtfs_stop_kinds: once per pattern and route, not per stop time).
-- Joined whole (hash join): no index.
CREATE TEMP TABLE _stop_kind ON COMMIT DROP AS
SELECT * FROM staging.gtfs_stop_kinds(%(feed_version_id)s);

-- Stops with their checked position under the one position rule (schemas/640_positions.sql): NULL, with
-- a note, when missing, non-finite, at 0,0, swapped, S-JTSK or far away; flagged when outside the extent.
-- Placed in the same statement (the note computed once per stop: OFFSET 0 keeps the subquery from being
-- inlined into each use of it). Indexed and analysed: the stop-sequence paths below probe it by stop_id and
-- filter on location_note; the statistics of the columns later statements join or filter on are enough.
CREATE TEMP TABLE _stop ON COMMIT DROP AS
SELECT s.line_no, s.stop_id, s.stop_name, s.platform_code, s.location_type, s.parent_station, s.location_note,
       s.stop_lat, s.stop_lon,
       CASE WHEN s.location_note IS NULL OR s.location_note = 'outside_expected_extent'
            THEN unified.place_point(s.stop_lat, s.stop_lon, %(extent)s::float8[]) END::geometry(Point, 5514) AS geom
FROM (SELECT s.line_no, s.stop_id, s.stop_name, s.platform_code, coalesce(s.location_type, 0) AS location_type,
             s.parent_station, unified.position_note(s.stop_lat, s.stop_lon, %(extent)s::float8[]) AS location_note,
             s.stop_lat, s.stop_lon
      FROM staging.gtfs_stops s WHERE s.feed_version_id = %(feed_version_id)s OFFSET 0) s;
CREATE INDEX ON _stop (stop_id);
ANALYZE _stop (stop_id, location_type, parent_station, location_note);

-- Stop places: stations, and stops/platforms that have no (known) parent station, of the kind of the modes
-- served there or, for a station, at its children (_stop_kind). Read whole by the hash joins below: no index,
-- no statistics (as _line and _cal, which the journeys join whole).
CREATE TEMP TABLE _place ON COMMIT DROP AS
SELECT s.*, coalesce(k.own_kind, k.child_kind, 'bus') AS kind,
       md5(ROW(s.stop_id, coalesce(s.stop_name, s.stop_id), coalesce(k.own_kind, k.child_kind, 'bus'), s.geom,
               s.location_note)::text)::uuid AS h
FROM _stop s LEFT JOIN _stop_kind k ON k.stop_id = s.stop_id
WHERE s.location_type = 1
   OR (s.location_type = 0 AND (s.parent_station IS NULL
       OR NOT EXISTS (SELECT 1 FROM _stop p WHERE p.stop_id = s.parent_station AND p.location_type = 1)));
SELECT unified.keep_unchanged('stop_place', '_place', %(feed_version_id)s, %(source_id)s, %(namespace)s);
INSERT INTO unified.stop_place (id, source_id, feed_version_id, namespace, local_id, name, kind, geom, location_note,
                                source_file_id, source_line, content_hash)
OVERRIDING SYSTEM VALUE
SELECT id, %(source_id)s, %(feed_version_id)s, %(namespace)s, stop_id, coalesce(stop_name, stop_id), kind, geom,
       location_note, (SELECT id FROM _sf WHERE name = 'stops.txt'), line_no, h
FROM _place WHERE NOT kept;

-- Stop points: every stop that is not a station (platforms, entrances, nodes, boarding areas).
CREATE TEMP TABLE _point ON COMMIT DROP AS
SELECT p.*, md5(ROW(p.stop_id, p.stop_place_id, p.stop_name, p.platform_code, p.point_kind, p.geom,
                    p.location_note)::text)::uuid AS h
FROM (
SELECT s.line_no, s.stop_id, s.stop_name, s.platform_code, s.geom, s.location_note,
       CASE s.location_type WHEN 2 THEN 'entrance' WHEN 3 THEN 'generic_node' WHEN 4 THEN 'boarding_area'
            ELSE 'platform' END AS point_kind,
       -- own place, else the parent station's, else (boarding areas) the parent platform's station
       coalesce(own.id, par.id, gpar.id) AS stop_place_id
FROM _stop s
LEFT JOIN _place own ON own.stop_id = s.stop_id
LEFT JOIN _place par ON par.stop_id = s.parent_station
LEFT JOIN _stop ps ON ps.stop_id = s.parent_station
LEFT JOIN _place gpar ON gpar.stop_id = ps.parent_station
WHERE s.location_type <> 1) p;
SELECT unified.keep_unchanged('stop_point', '_point', %(feed_version_id)s, %(source_id)s, %(namespace)s);
-- Every stop time looks up its point (below): indexed, with the key's statistics.
CREATE INDEX ON _point (stop_id);
ANALYZE _point (stop_id);
INSERT INTO unified.stop_point (id, source_id, feed_version_id, namespace, local_id, stop_place_id, name,
                                platform_code, point_kind, geom, location_note, source_file_id, source_line,
                                content_hash)
OVERRIDING SYSTEM VALUE
SELECT id, %(source_id)s, %(feed_version_id)s, %(namespace)s, stop_id, stop_place_id, stop_name, platform_code,
       point_kind, geom, location_note, (SELECT id FROM _sf WHERE name = 'stops.txt'), line_no, h
FROM _point WHERE NOT kept;

-- Lines (routes.txt). A route without agency_id belongs to the feed's only agency.
CREATE TEMP TABLE _line ON COMMIT DROP AS
SELECT l.*, md5(ROW(l.route_id, l.operator_id, l.route_short_name, l.route_long_name, l.route_type,
                    upper(l.route_color))::text)::uuid AS h
FROM (
SELECT r.line_no, r.route_id, r.route_short_name, r.route_long_name, r.route_type, r.route_color,
       coalesce((SELECT o.id FROM _op o WHERE o.agency_id = r.agency_id),
                (SELECT min(o.id) FROM _op o HAVING count(*) = 1)) AS operator_id
FROM staging.gtfs_routes r WHERE r.feed_version_id = %(feed_version_id)s) l;
SELECT unified.keep_unchanged('line', '_line', %(feed_version_id)s, %(source_id)s, %(namespace)s);
INSERT INTO unified.line (id, source_id, feed_version_id, namespace, local_id, operator_id, public_code, name, mode,
                          route_type, color, source_file_id, source_line, content_hash)
OVERRIDING SYSTEM VALUE
SELECT id, %(source_id)s, %(feed_version_id)s, %(namespace)s, route_id, operator_id, route_short_name,
       route_long_name, unified.gtfs_mode(route_type), route_type, upper(route_color),
       (SELECT id FROM _sf WHERE name = 'routes.txt'), line_no, h
FROM _line WHERE NOT kept;

-- Service calendars: every service_id of calendar.txt or calendar_dates.txt (the key of the one, a key part
-- of the other), with when it runs as a datemultirange built without one row per date (Amtrak's 3,181
-- calendars expand to ~500k dates): per calendar.txt row, each block of consecutive weekdays (Mon..Sun)
-- becomes one range per week, clipped to start..end (ranges that touch merge); then removed dates
-- (exception_type 2) are subtracted and added dates (exception_type 1) added. One statement (its steps are
-- CTEs, not temp tables), and each service's dates are its pattern's as they are unless it has exceptions.
CREATE TEMP TABLE _cal ON COMMIT DROP AS
WITH c AS MATERIALIZED (
    SELECT service_id, line_no, start_date, end_date,
           concat(monday, tuesday, wednesday, thursday, friday, saturday, sunday) AS weekdays,
           concat(coalesce(monday, 0), coalesce(tuesday, 0), coalesce(wednesday, 0), coalesce(thursday, 0),
                  coalesce(friday, 0), coalesce(saturday, 0), coalesce(sunday, 0)) AS mask
    FROM staging.gtfs_calendar WHERE feed_version_id = %(feed_version_id)s
), pattern AS MATERIALIZED (
    -- calendars with the same weekdays and date range share their dates: each pattern is walked once
    -- (Amtrak: 3,181 calendars, 568 patterns)
    SELECT DISTINCT start_date, end_date, mask FROM c WHERE start_date <= end_date
), block AS MATERIALIZED (
    -- blocks of 1s in the Monday-first mask: first and last day offset (0 = Monday), found once per pattern
    SELECT p.start_date, p.end_date, p.mask, i AS first_day,
           i + length(substring(substr(p.mask, i + 1) FROM '^1+')) - 1 AS last_day
    FROM pattern p CROSS JOIN generate_series(0, 6) i
    WHERE p.mask <> '1111111' AND substr(p.mask, i + 1, 1) = '1' AND (i = 0 OR substr(p.mask, i, 1) <> '1')
), dates AS (
    SELECT b.start_date, b.end_date, b.mask,
           range_agg(daterange(greatest(w.w + b.first_day, b.start_date),
                               least(w.w + b.last_day + 1, b.end_date + 1))) AS dates
    FROM block b
    CROSS JOIN LATERAL (SELECT g::date AS w FROM generate_series(date_trunc('week', b.start_date), b.end_date,
                                                                  interval '7 days') g) w
    WHERE greatest(w.w + b.first_day, b.start_date) < least(w.w + b.last_day + 1, b.end_date + 1)
    GROUP BY b.start_date, b.end_date, b.mask
    UNION ALL  -- every day: one range, no weeks to walk
    SELECT start_date, end_date, mask, datemultirange(daterange(start_date, end_date, '[]'))
    FROM pattern WHERE mask = '1111111'
), pattern_dates AS MATERIALIZED (
    -- with the digest of the dates, once per pattern (two seeded 64-bit hashes of the bounds: formatting ~50
    -- ranges as text for md5 cost ~20 µs per calendar)
    SELECT start_date, end_date, mask, dates, hash_multirange_extended(dates, 0) AS h0,
           hash_multirange_extended(dates, 1) AS h1
    FROM dates
), x AS (
    SELECT service_id, min(line_no) AS line_no, count(date) AS n_exceptions,
           range_agg(daterange(date, date, '[]')) FILTER (WHERE exception_type = 1 AND date IS NOT NULL) AS added,
           range_agg(daterange(date, date, '[]')) FILTER (WHERE exception_type = 2 AND date IS NOT NULL) AS removed
    FROM staging.gtfs_calendar_dates WHERE feed_version_id = %(feed_version_id)s
    GROUP BY service_id
), runs AS MATERIALIZED (
    -- materialised: run_dates is computed once per service, not once per use below
    SELECT coalesce(c.service_id, x.service_id) AS service_id,
           CASE WHEN c.service_id IS NULL THEN 'calendar_dates.txt' ELSE 'calendar.txt' END AS file,
           coalesce(c.line_no, x.line_no) AS line_no, c.weekdays, coalesce(x.n_exceptions, 0) AS n_exceptions,
           CASE WHEN x.n_exceptions > 0
                THEN coalesce(d.dates, '{}'::datemultirange) - coalesce(x.removed, '{}'::datemultirange)
                     + coalesce(x.added, '{}'::datemultirange)
                ELSE coalesce(d.dates, '{}'::datemultirange) END AS run_dates,
           CASE WHEN x.n_exceptions > 0 THEN NULL ELSE d.h0 END AS h0,
           CASE WHEN x.n_exceptions > 0 THEN NULL ELSE d.h1 END AS h1
    FROM c LEFT JOIN pattern_dates d ON d.start_date = c.start_date AND d.end_date = c.end_date AND d.mask = c.mask
    FULL JOIN x ON x.service_id = c.service_id
)
SELECT service_id, file, line_no, weekdays, lower(run_dates) AS valid_from, upper(run_dates) - 1 AS valid_to,
       run_dates, n_exceptions,
       md5(ROW(service_id, weekdays, n_exceptions, coalesce(h0, hash_multirange_extended(run_dates, 0)),
               coalesce(h1, hash_multirange_extended(run_dates, 1)))::text)::uuid AS h
FROM runs;
SELECT unified.keep_unchanged('service_calendar', '_cal', %(feed_version_id)s, %(source_id)s, %(namespace)s);
INSERT INTO unified.service_calendar (id, source_id, feed_version_id, namespace, local_id, valid_from, valid_to,
                                      description, weekdays, run_dates, source_file_id, source_line, content_hash)
OVERRIDING SYSTEM VALUE
SELECT _cal.id, %(source_id)s, %(feed_version_id)s, %(namespace)s, service_id, valid_from, valid_to,
       CASE WHEN weekdays IS NULL THEN 'calendar_dates only' ELSE 'calendar' END
       || CASE WHEN n_exceptions > 0 THEN format(' + %%s exception(s)', n_exceptions) ELSE '' END,
       weekdays, run_dates, sf.id, line_no, h
FROM _cal LEFT JOIN _sf sf ON sf.name = _cal.file  -- joined, not looked up once per calendar
WHERE NOT kept;

-- Route geometries: published shapes (gtfs_shape_line is built by validate.sql) ...
CREATE TEMP TABLE _geom ON COMMIT DROP AS
SELECT 'shape'::text AS derived_from, l.shape_id AS local_id, 'shapes.txt'::text AS file, l.line_no,
       l.geom AS geom4326, md5(ROW('shape', l.shape_id, l.geom)::text)::uuid AS h
FROM gtfs_shape_line l;
-- ... else the straight path through the placed stops of the trip's pattern (validate.sql), one per distinct
-- sequence of placed stops: made once per pattern, not once per trip.
CREATE TEMP TABLE _pattern_line ON COMMIT DROP AS
SELECT p.pattern, md5(string_agg(s.stop_id, '|' ORDER BY o.i)) AS placed,
       ST_SetSRID(ST_MakeLine(ST_MakePoint(s.stop_lon, s.stop_lat) ORDER BY o.i), 4326) AS geom4326
FROM _pattern p
CROSS JOIN LATERAL unnest(p.stop_ids) WITH ORDINALITY AS o(stop_id, i)
JOIN _stop s ON s.stop_id = o.stop_id AND s.location_note IS NULL
GROUP BY p.pattern
HAVING count(*) >= 2;
CREATE TEMP TABLE _trip_pattern ON COMMIT DROP AS
SELECT a.trip_id, pl.placed AS pattern, pl.geom4326, a.line0 AS line_no
FROM _trip_agg a
JOIN staging.gtfs_trips t ON t.feed_version_id = %(feed_version_id)s AND t.trip_id = a.trip_id
JOIN _pattern_line pl ON pl.pattern = a.pattern
WHERE NOT EXISTS (SELECT 1 FROM gtfs_shape_line l WHERE l.shape_id = t.shape_id);
INSERT INTO _geom
SELECT 'stop_sequence', 'stops:' || pattern, 'stop_times.txt', line_no, geom4326,
       md5(ROW('stop_sequence', 'stops:' || pattern, geom4326)::text)::uuid
FROM (SELECT DISTINCT ON (pattern) pattern, line_no, geom4326 FROM _trip_pattern ORDER BY pattern, line_no) p;
SELECT unified.keep_unchanged('route_geometry', '_geom', %(feed_version_id)s, %(source_id)s, %(namespace)s);
ANALYZE _geom (local_id);
INSERT INTO unified.route_geometry (id, source_id, feed_version_id, namespace, local_id, derived_from, geom, length_m,
                                    source_file_id, source_line, content_hash)
OVERRIDING SYSTEM VALUE
SELECT g.id, %(source_id)s, %(feed_version_id)s, %(namespace)s, g.local_id, g.derived_from,
       ST_Transform(g.geom4326, 5514), ST_Length(g.geom4326::geography), sf.id, g.line_no, g.h
FROM _geom g LEFT JOIN _sf sf ON sf.name = g.file WHERE NOT g.kept;

-- Each pattern's stop point ids as one digest: with the trip's calls digest (validate.sql: sequence, stop_id,
-- times, ...), part of its journey's digest, so that a journey changes when a stop point it calls at gets a new
-- id. Made once per pattern, not once per stop time.
CREATE TEMP TABLE _pattern_points ON COMMIT DROP AS
SELECT p.pattern, bit_xor(hashint8extended(coalesce(pt.id, -1), o.i)) AS points
FROM _pattern p
CROSS JOIN LATERAL unnest(p.stop_ids) WITH ORDINALITY AS o(stop_id, i)
LEFT JOIN _point pt ON pt.stop_id = o.stop_id
GROUP BY p.pattern;

-- Carried trips (their lines, trips.txt record and calendar unchanged, on the same basis: delta.py) keep their
-- journey and calls as they are: they are left out of _journey and not compared again (keep_unchanged's
-- p_carried), so a version that changes 1 %% of the trips compares 1 %% of the journeys.
CREATE TEMP TABLE _carried_journey ON COMMIT DROP AS
SELECT trip_id AS local_id, n_calls FROM staging.gtfs_trip_fact
WHERE feed_version_id = %(feed_version_id)s AND carried_from IS NOT NULL;

-- Journeys (trips.txt), ids given in trip_id order (bytewise, as validate.sql sorts gtfs_st, from which the
-- calls are written).
CREATE TEMP TABLE _journey ON COMMIT DROP AS
SELECT j.*, md5(ROW(j.trip_id, j.line_id, j.cal_id, j.valid_from, j.valid_to, j.geom_id, j.trip_short_name,
                    j.trip_headsign, j.direction_id, j.block_id, j.wheelchair_accessible, j.bikes_allowed,
                    j.calls, j.n_calls, j.points)::text)::uuid AS h
FROM (
SELECT t.line_no, t.trip_id, l.id AS line_id,
       c.id AS cal_id, c.valid_from, c.valid_to, coalesce(g.id, gp.id) AS geom_id, t.trip_short_name,
       t.trip_headsign, t.direction_id, t.block_id, t.wheelchair_accessible, t.bikes_allowed, ta.calls, ta.n_calls,
       pp.points
FROM staging.gtfs_trips t
LEFT JOIN _line l ON l.route_id = t.route_id
LEFT JOIN _cal c ON c.service_id = t.service_id
LEFT JOIN _geom g ON g.derived_from = 'shape' AND g.local_id = t.shape_id
LEFT JOIN _trip_pattern tp ON tp.trip_id = t.trip_id
LEFT JOIN _geom gp ON gp.local_id = 'stops:' || tp.pattern
LEFT JOIN _trip_agg ta ON ta.trip_id = t.trip_id
LEFT JOIN _pattern_points pp ON pp.pattern = ta.pattern
WHERE t.feed_version_id = %(feed_version_id)s AND t.trip_id NOT IN (SELECT local_id FROM _carried_journey)
ORDER BY t.trip_id COLLATE "C") j;
SELECT unified.keep_unchanged('journey', '_journey', %(feed_version_id)s, %(source_id)s, %(namespace)s,
                              '_carried_journey');
-- the calls below join it whole on trip_id (a hash join: no index), reading only the new journeys
ANALYZE _journey (trip_id, kept);
INSERT INTO unified.journey (id, source_id, feed_version_id, namespace, local_id, valid_from, valid_to, line_id,
                             service_calendar_id, route_geometry_id, public_code, headsign, direction, block_id,
                             wheelchair_accessible, bikes_allowed, source_file_id, source_line, content_hash)
OVERRIDING SYSTEM VALUE
SELECT id, %(source_id)s, %(feed_version_id)s, %(namespace)s, trip_id, valid_from, valid_to, line_id, cal_id,
       geom_id, trip_short_name, trip_headsign, direction_id::text, block_id, wheelchair_accessible, bikes_allowed,
       (SELECT id FROM _sf WHERE name = 'trips.txt'), line_no, h
FROM _journey WHERE NOT kept;

-- Calls follow their journey: those of closed journeys close, new journeys get theirs (kept ones keep theirs).
-- A few closed journeys: their calls through the call key (journey_id, sequence) (= ANY: a join was planned as
-- a scan of every current call); many (a first version of new loader code): joined with the closed journeys as
-- the planner sees fit (their calls are most of the source's).
WITH c AS (UPDATE unified.call c SET recorded_to = now()
           WHERE c.journey_id = ANY (ARRAY(SELECT id FROM _closed_journey)) AND c.recorded_to IS NULL
             AND (SELECT count(*) FROM _closed_journey) <= 2000
           RETURNING 1)
INSERT INTO _incremental_publish SELECT 'call', NULL, NULL, count(*) FROM c;
WITH c AS (UPDATE unified.call c SET recorded_to = now() FROM _closed_journey j
           WHERE c.journey_id = j.id AND c.recorded_to IS NULL
             AND (SELECT count(*) FROM _closed_journey) > 2000
           RETURNING 1)
INSERT INTO _incremental_publish SELECT 'call', NULL, NULL, count(*) FROM c;

-- Calls (stop_times.txt) of the new journeys: the big one on a first load, in one pass over gtfs_st
-- (validate.sql: this version's accepted stop times, already in (trip_id, stop_sequence) order), so journey
-- ids arrive ascending and the call key (journey_id, sequence) grows at its right edge instead of taking 435k
-- random insertions (HART).
INSERT INTO unified.call (source_id, feed_version_id, namespace, local_id, valid_from, valid_to, journey_id,
                          stop_point_id, sequence, arrival_s, departure_s, pickup_type, drop_off_type, distance_m,
                          timepoint, source_file_id, source_line)
SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, st.trip_id || ':' || st.stop_sequence, j.valid_from,
       j.valid_to, j.id, p.id, st.stop_sequence, st.arr, st.dep, st.pickup_type, st.drop_off_type, st.dist,
       st.timepoint, (SELECT id FROM _sf WHERE name = 'stop_times.txt'), st.line_no
FROM gtfs_st st
JOIN _journey j ON j.trip_id = st.trip_id AND NOT j.kept
LEFT JOIN _point p ON p.stop_id = st.stop_id;

-- The calls this version holds, counted from its journeys (a kept journey keeps exactly its n_calls calls: they
-- are part of its digest), so that neither the version's table counts nor the publication guard count the
-- source's current calls again (~0.1 s per count on HART's 435k).
INSERT INTO _incremental_publish
SELECT 'call', coalesce(sum(n_calls) FILTER (WHERE kept), 0)
                   + (SELECT coalesce(sum(n_calls), 0) FROM _carried_journey),
       coalesce(sum(n_calls) FILTER (WHERE NOT kept), 0), 0
FROM _journey;
