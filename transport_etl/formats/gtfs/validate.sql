-- Feed-level GTFS validation for one feed version (MobilityData notice codes).
-- Parameters: %(feed_version_id)s, %(load_run_id)s, %(stop_too_far_m)s, %(speeds)s (jsonb mode → km/h).
-- Notices go straight to lineage.notice; records the model cannot take go to lineage.rejected_record.

-- gtfs_st (ordered_pass.sql, made by validate.py): this version's staged stop times in (trip_id, stop_sequence)
-- order, each with its previous one; carried trips (trip_lines.py) are not in it.

-- gtfs_st_bad (facts.sql, bad_references.sql): the stop times the model cannot take, already out of gtfs_st; here
-- they leave staging and are recorded.
DELETE FROM staging.gtfs_stop_times st USING gtfs_st_bad b
WHERE EXISTS (SELECT 1 FROM gtfs_st_bad)  -- none, usually: then staging is not read at all
  AND st.feed_version_id = %(feed_version_id)s AND st.line_no = b.line_no;
INSERT INTO lineage.rejected_record (feed_version_id, file_name, line_no, reason_code, message, raw_text)
SELECT %(feed_version_id)s, 'stop_times.txt', line_no,
       CASE field WHEN 'required' THEN 'missing_required_field' WHEN 'key' THEN 'duplicate_key'
                  ELSE 'foreign_key_violation' END,
       CASE field WHEN 'required' THEN 'a required field is empty (trip_id, stop_sequence)'
                  WHEN 'key' THEN 'repeats the key of an earlier record (trip_id, stop_sequence)'
                  WHEN 'stop_id' THEN 'stop_id ' || stop_id || ' is not in stops.txt'
                  ELSE 'trip_id ' || trip_id || ' is not in trips.txt' END,
       concat_ws(',', trip_id, stop_id, stop_sequence)
FROM gtfs_st_bad;
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'foreign_key_violation', 'ERROR', 'stop_times.txt', line_no, field,
       CASE WHEN field = 'stop_id' THEN stop_id ELSE trip_id END,
       'stop time refers to an unknown ' || replace(field, '_id', '') || ' (record quarantined)'
FROM gtfs_st_bad WHERE field IN ('trip_id', 'stop_id');

INSERT INTO _trip_agg (trip_id, t0, t1, line0, pattern, calls, n_calls)
SELECT f.trip_id, f.t0, f.t1, l.first_line, f.pattern, f.calls, f.n_calls
FROM _trip_lines l JOIN staging.gtfs_trip_fact f ON f.feed_version_id = %(carried_from)s::bigint AND f.trip_id = l.trip_id
WHERE l.carried;
INSERT INTO _pattern
SELECT p.pattern, p.stop_ids FROM staging.gtfs_pattern p
WHERE p.feed_version_id = %(carried_from)s::bigint AND p.pattern IN (SELECT pattern FROM _trip_agg)
  AND p.pattern NOT IN (SELECT pattern FROM _pattern);
-- Kept for the next version (delta.py), and read by publish.sql through staging.gtfs_stop_kinds.
INSERT INTO staging.gtfs_trip_fact (feed_version_id, trip_id, first_line, n_lines, digest, carried_from, t0, t1,
                                    pattern, calls, n_calls)
SELECT %(feed_version_id)s, coalesce(a.trip_id, l.trip_id), l.first_line, l.n_lines, l.digest,
       CASE WHEN l.carried THEN %(carried_from)s::bigint END, a.t0, a.t1, a.pattern, a.calls, a.n_calls
FROM _trip_agg a
FULL JOIN _trip_lines l ON l.trip_id = a.trip_id
WHERE coalesce(a.trip_id, l.trip_id) IS NOT NULL;
INSERT INTO staging.gtfs_pattern (feed_version_id, pattern, stop_ids)
SELECT %(feed_version_id)s, pattern, stop_ids FROM _pattern;
CREATE INDEX ON _trip_agg (trip_id);
ANALYZE _trip_agg (trip_id, pattern);  -- what later statements join on (all columns: ~4 times as long)

-- A carried trip's records are those of the version it is carried from, and so are the notices and quarantined
-- records on its lines: they are copied, moved to where the lines now stand.
CREATE TEMP TABLE _carried_lines ON COMMIT DROP AS
SELECT pf.first_line AS p_first, pf.first_line + pf.n_lines - 1 AS p_last, l.first_line - pf.first_line AS shift
FROM _trip_lines l JOIN staging.gtfs_trip_fact pf ON pf.feed_version_id = %(carried_from)s::bigint AND pf.trip_id = l.trip_id
WHERE l.carried;
CREATE INDEX ON _carried_lines (p_first);
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, n.code, n.severity, n.file_name, n.line_no + c.shift, n.field_name, n.entity_key,
       n.message
FROM lineage.notice n
CROSS JOIN LATERAL (SELECT * FROM _carried_lines c WHERE c.p_first <= n.line_no
                    ORDER BY c.p_first DESC LIMIT 1) c
WHERE n.feed_version_id = %(carried_from)s::bigint AND n.file_name = 'stop_times.txt' AND n.line_no <= c.p_last;
INSERT INTO lineage.rejected_record (feed_version_id, file_name, line_no, reason_code, message, raw_text)
SELECT %(feed_version_id)s, r.file_name, r.line_no + c.shift, r.reason_code, r.message, r.raw_text
FROM lineage.rejected_record r
CROSS JOIN LATERAL (SELECT * FROM _carried_lines c WHERE c.p_first <= r.line_no
                    ORDER BY c.p_first DESC LIMIT 1) c
WHERE r.feed_version_id = %(carried_from)s::bigint AND r.file_name = 'stop_times.txt' AND r.line_no <= c.p_last;

-- Other foreign keys: reported; the unified row keeps a NULL reference.
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'foreign_key_violation', 'ERROR', f, line_no, fld, k, fld || ' ' || k || ' not found in ' || ref
FROM (
    SELECT 'trips.txt' f, t.line_no, 'route_id' fld, t.route_id k, 'routes.txt' ref
    FROM staging.gtfs_trips t WHERE t.feed_version_id = %(feed_version_id)s
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_routes r WHERE r.feed_version_id = t.feed_version_id
                      AND r.route_id = t.route_id)
    UNION ALL
    SELECT 'trips.txt', t.line_no, 'service_id', t.service_id, 'calendar.txt or calendar_dates.txt'
    FROM staging.gtfs_trips t WHERE t.feed_version_id = %(feed_version_id)s
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_calendar c WHERE c.feed_version_id = t.feed_version_id
                      AND c.service_id = t.service_id)
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_calendar_dates c WHERE c.feed_version_id = t.feed_version_id
                      AND c.service_id = t.service_id)
    UNION ALL
    SELECT 'trips.txt', t.line_no, 'shape_id', t.shape_id, 'shapes.txt'
    FROM staging.gtfs_trips t WHERE t.feed_version_id = %(feed_version_id)s AND t.shape_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_shapes s  -- shapes.txt may be that of an earlier version
                      WHERE s.feed_version_id = coalesce(%(shapes_from)s::bigint, t.feed_version_id)
                      AND s.shape_id = t.shape_id)
    UNION ALL
    SELECT 'stops.txt', s.line_no, 'parent_station', s.parent_station, 'stops.txt'
    FROM staging.gtfs_stops s WHERE s.feed_version_id = %(feed_version_id)s AND s.parent_station IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_stops p WHERE p.feed_version_id = s.feed_version_id
                      AND p.stop_id = s.parent_station)
    UNION ALL
    SELECT 'routes.txt', r.line_no, 'agency_id', r.agency_id, 'agency.txt'
    FROM staging.gtfs_routes r WHERE r.feed_version_id = %(feed_version_id)s AND r.agency_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_agency a WHERE a.feed_version_id = r.feed_version_id
                      AND a.agency_id = r.agency_id)
    UNION ALL
    SELECT 'frequencies.txt', q.line_no, 'trip_id', q.trip_id, 'trips.txt'
    FROM staging.gtfs_frequencies q WHERE q.feed_version_id = %(feed_version_id)s
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_trips t WHERE t.feed_version_id = q.feed_version_id
                      AND t.trip_id = q.trip_id)
    UNION ALL
    SELECT 'transfers.txt', x.line_no, 'from_stop_id', x.from_stop_id, 'stops.txt'
    FROM staging.gtfs_transfers x WHERE x.feed_version_id = %(feed_version_id)s AND x.from_stop_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_stops s WHERE s.feed_version_id = x.feed_version_id
                      AND s.stop_id = x.from_stop_id)
    UNION ALL
    SELECT 'transfers.txt', x.line_no, 'to_stop_id', x.to_stop_id, 'stops.txt'
    FROM staging.gtfs_transfers x WHERE x.feed_version_id = %(feed_version_id)s AND x.to_stop_id IS NOT NULL
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_stops s WHERE s.feed_version_id = x.feed_version_id
                      AND s.stop_id = x.to_stop_id)
) fk;

-- Agencies: one time zone per feed, and a valid IANA one: each of the feed's distinct zone names is looked up
-- once (schemas/906: one zone file each, not pg_timezone_names' ~1,200).
WITH used AS (
    SELECT agency_timezone AS name FROM staging.gtfs_agency
    WHERE feed_version_id = %(feed_version_id)s AND agency_timezone IS NOT NULL
    UNION
    SELECT stop_timezone FROM staging.gtfs_stops
    WHERE feed_version_id = %(feed_version_id)s AND stop_timezone IS NOT NULL
), unknown AS MATERIALIZED (
    SELECT u.name FROM used u WHERE NOT unified.is_time_zone_name(u.name)
)
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'invalid_timezone', 'ERROR', 'agency.txt', a.line_no, 'agency_timezone', a.agency_timezone,
       'agency_timezone ' || a.agency_timezone || ' is not an IANA time zone'
FROM staging.gtfs_agency a
WHERE a.feed_version_id = %(feed_version_id)s AND a.agency_timezone IN (SELECT name FROM unknown)
UNION ALL
SELECT %(feed_version_id)s, 'invalid_timezone', 'ERROR', 'stops.txt', s.line_no, 'stop_timezone', s.stop_timezone,
       'stop_timezone ' || s.stop_timezone || ' is not an IANA time zone'
FROM staging.gtfs_stops s
WHERE s.feed_version_id = %(feed_version_id)s AND s.stop_timezone IN (SELECT name FROM unknown);

-- Stops: positions and hierarchy.
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, code, sev, 'stops.txt', line_no, fld, stop_id, msg
FROM (
    -- The one position rule (schemas/640_positions.sql) names what is wrong with a position.
    SELECT s.line_no, s.stop_id,
           CASE WHEN s.n = 'missing_position' THEN 'stop_without_location'
                WHEN s.n = 'out_of_range' THEN 'number_out_of_range' ELSE s.n END AS code,
           CASE WHEN s.n = 'outside_expected_extent' THEN 'WARNING' ELSE 'ERROR' END AS sev, 'stop_lat' AS fld,
           CASE WHEN s.n = 'missing_position' THEN 'stop without stop_lat/stop_lon'
                WHEN s.n = 'outside_expected_extent' AND unified.placeable(s.stop_lat, s.stop_lon, %(extent)s::float8[])
                    THEN format('position %%s, %%s is outside the expected extent', s.stop_lat, s.stop_lon)
                ELSE format('position %%s, %%s: %%s (not placed on the map)', s.stop_lat, s.stop_lon,
                            replace(s.n, '_', ' '))
           END AS msg
    FROM (SELECT *, unified.position_note(stop_lat, stop_lon, %(extent)s::float8[]) AS n FROM staging.gtfs_stops
          WHERE feed_version_id = %(feed_version_id)s) s
    WHERE coalesce(s.location_type, 0) IN (0, 1, 2)
    UNION ALL
    SELECT s.line_no, s.stop_id, 'station_with_parent_station', 'ERROR', 'parent_station',
           'station ' || s.stop_id || ' has parent_station ' || s.parent_station
    FROM staging.gtfs_stops s
    WHERE s.feed_version_id = %(feed_version_id)s AND s.location_type = 1 AND s.parent_station IS NOT NULL
    UNION ALL
    SELECT s.line_no, s.stop_id, 'missing_stop_name', 'ERROR', 'stop_name', 'stop ' || s.stop_id || ' has no stop_name'
    FROM staging.gtfs_stops s
    WHERE s.feed_version_id = %(feed_version_id)s AND s.stop_name IS NULL AND coalesce(s.location_type, 0) IN (0, 1, 2)
) x WHERE code IS NOT NULL;

-- Routes.
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'route_both_short_and_long_name_missing', 'ERROR', 'routes.txt', r.line_no,
       'route_short_name', r.route_id, 'route ' || r.route_id || ' has neither route_short_name nor route_long_name'
FROM staging.gtfs_routes r
WHERE r.feed_version_id = %(feed_version_id)s AND r.route_short_name IS NULL AND r.route_long_name IS NULL;

-- Shape lines (4326), one per shape_id, reused by publish.sql in the same transaction and kept for the next
-- version. A version whose shapes.txt is the same file as an earlier one's (%(shapes_from)s: delta.carry_shapes)
-- takes that version's lines, and has its notices on shape points already (carry_shapes.sql). Read whole (hash
-- joins), never probed by key: no index. Its plans need the row count and shape_id's cardinality only.
CREATE TEMP TABLE gtfs_shape_line ON COMMIT DROP AS
SELECT shape_id, min(line_no) AS line_no,
       ST_SetSRID(ST_MakeLine(ST_MakePoint(shape_pt_lon, shape_pt_lat) ORDER BY shape_pt_sequence), 4326) AS geom
FROM staging.gtfs_shapes
WHERE feed_version_id = %(feed_version_id)s AND %(shapes_from)s::bigint IS NULL
  AND unified.placeable(shape_pt_lat, shape_pt_lon, %(extent)s::float8[])
GROUP BY shape_id
HAVING count(*) >= 2
UNION ALL
SELECT shape_id, line_no, geom FROM staging.gtfs_shape_line WHERE feed_version_id = %(shapes_from)s::bigint;
INSERT INTO staging.gtfs_shape_line (feed_version_id, shape_id, line_no, geom)
SELECT %(feed_version_id)s, shape_id, line_no, geom FROM gtfs_shape_line;
ANALYZE gtfs_shape_line (shape_id);

INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, code, sev, 'shapes.txt', line_no, fld, shape_id, msg
FROM (
    -- each point's note computed once (OFFSET 0: not inlined into both uses), placeable judged from it
    SELECT line_no, shape_id,
           CASE WHEN NOT unified.placeable_note(note, shape_pt_lat, shape_pt_lon) THEN note END AS code,
           'ERROR' AS sev, 'shape_pt_lat' AS fld, 'shape point not placeable (left out of the line)' AS msg
    FROM (SELECT line_no, shape_id, shape_pt_lat, shape_pt_lon,
                 unified.position_note(shape_pt_lat, shape_pt_lon, %(extent)s::float8[]) AS note
          FROM staging.gtfs_shapes WHERE feed_version_id = %(feed_version_id)s OFFSET 0) p
    UNION ALL
    SELECT line_no, shape_id,
           CASE WHEN shape_dist_traveled < lag(shape_dist_traveled) OVER w THEN 'decreasing_shape_distance' END,
           'ERROR', 'shape_dist_traveled', 'shape_dist_traveled decreases along the shape'
    FROM staging.gtfs_shapes WHERE feed_version_id = %(feed_version_id)s AND shape_dist_traveled IS NOT NULL
    WINDOW w AS (PARTITION BY shape_id ORDER BY shape_pt_sequence)
    UNION ALL
    SELECT min(s.line_no), s.shape_id, 'unused_shape', 'WARNING', 'shape_id', 'shape is used by no trip'
    FROM staging.gtfs_shapes s WHERE s.feed_version_id = coalesce(%(shapes_from)s::bigint, %(feed_version_id)s)
      AND NOT EXISTS (SELECT 1 FROM staging.gtfs_trips t WHERE t.feed_version_id = %(feed_version_id)s
                      AND t.shape_id = s.shape_id)
    GROUP BY s.shape_id
) x WHERE code IS NOT NULL;

-- Stop times: order of times and distances along each trip.
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, c.code, c.sev, 'stop_times.txt', q.line_no, c.fld, q.trip_id, c.msg
FROM (SELECT * FROM gtfs_st WHERE arr < prev_dep OR dist <= prev_dist) q  -- few rows get past this
CROSS JOIN LATERAL (VALUES
    (CASE WHEN q.arr < q.prev_dep THEN 'stop_time_with_arrival_before_previous_departure_time' END,
     'ERROR', 'arrival_time', 'arrival_time is before the previous stop''s departure_time'),
    (CASE WHEN q.dist <= q.prev_dist THEN 'decreasing_or_equal_stop_time_distance' END,
     'ERROR', 'shape_dist_traveled', 'shape_dist_traveled does not increase')
) AS c(code, sev, fld, msg)
WHERE c.code IS NOT NULL;

-- fast_travel_between_consecutive_stops: speed between consecutive timed stops above the mode's limit.
-- The few hops that can be too fast go to a small analysed table, so that they are hashed and all stop times
-- probe them (a CTE estimated at ~460k rows had the planner hash every stop time instead: ~120 ms on HART);
-- a merge join would sort every stop time.
CREATE TEMP TABLE _fast_hop ON COMMIT DROP AS
WITH pos AS (
    SELECT stop_id, ST_SetSRID(ST_MakePoint(stop_lon, stop_lat), 4326)::geography AS g
    FROM staging.gtfs_stops
    WHERE feed_version_id = %(feed_version_id)s AND unified.placeable(stop_lat, stop_lon, %(extent)s::float8[])
), hop AS (
    -- distances once per distinct pair of consecutive stops, found in the trips' patterns (_pattern: their
    -- accepted stop times in order), not in every stop time; only the staged trips' patterns (_pattern_trip,
    -- facts.sql): a carried trip is not in gtfs_st, and its notices are copied
    SELECT DISTINCT p.stop_ids[i - 1] AS prev_stop, p.stop_ids[i] AS stop_id
    FROM _pattern p CROSS JOIN LATERAL generate_series(2, cardinality(p.stop_ids)) AS i
    WHERE p.stop_ids[i - 1] <> p.stop_ids[i] AND p.pattern IN (SELECT pattern FROM _pattern_trip)
), hop_d AS MATERIALIZED (
    -- materialised: the planner must not push the filter below into a cross join of all stops
    SELECT h.prev_stop, h.stop_id, ST_Distance(a.g, b.g, false) AS dist_m
    FROM hop h JOIN pos a ON a.stop_id = h.prev_stop JOIN pos b ON b.stop_id = h.stop_id
)
-- a hop is timed at 60 s or more, so only a hop longer than the lowest limit covers in 60 s can be too fast
SELECT h.*, l.v_min FROM hop_d h
CROSS JOIN (SELECT least(min(coalesce((%(speeds)s::jsonb ->> unified.gtfs_mode(route_type))::float, 150)), 150)
                AS v_min
            FROM staging.gtfs_routes WHERE feed_version_id = %(feed_version_id)s) l
WHERE h.dist_m / 60 * 3.6 > l.v_min;
ANALYZE _fast_hop;
SET LOCAL enable_mergejoin = off;
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'fast_travel_between_consecutive_stops', 'WARNING', 'stop_times.txt', q.line_no,
       'arrival_time', q.trip_id,
       format('%%s → %%s: %%s m in %%s s (%%s km/h, limit %%s)', q.prev_stop, q.stop_id, round(q.dist_m::numeric),
              q.arr - q.prev_dep, round((q.dist_m / greatest(q.arr - q.prev_dep, 60) * 3.6)::numeric), q.v)
FROM (SELECT q.*,
             -- the limit of the trip's route's mode, looked up for the few stop times above the lowest limit
             CASE WHEN r.route_id IS NULL THEN 150
                  ELSE coalesce((%(speeds)s::jsonb ->> unified.gtfs_mode(r.route_type))::float, 150) END AS v
      FROM (SELECT q.line_no, q.trip_id, q.prev_stop, q.stop_id, q.arr, q.prev_dep, m.dist_m
            FROM gtfs_st q
            JOIN _fast_hop m ON m.prev_stop = q.prev_stop AND m.stop_id = q.stop_id
            -- Times are often rounded to the minute: like the validator, count a 0-minute hop as one minute.
            WHERE q.arr IS NOT NULL AND q.prev_dep IS NOT NULL
              AND m.dist_m / greatest(q.arr - q.prev_dep, 60) * 3.6 > m.v_min
            OFFSET 0) q
      LEFT JOIN staging.gtfs_trips t ON t.feed_version_id = %(feed_version_id)s AND t.trip_id = q.trip_id
      LEFT JOIN staging.gtfs_routes r ON r.feed_version_id = %(feed_version_id)s AND r.route_id = t.route_id) q
WHERE q.dist_m / greatest(q.arr - q.prev_dep, 60) * 3.6 > q.v;
RESET enable_mergejoin;

-- block_trips_with_overlapping_stop_times: trips of one block, same service, overlapping in time. In start
-- order, a trip that starts before an earlier-starting trip of its block has ended is reported once, with the
-- trip that ends latest among those (found by the window's running maximum of end and trip_id): every trip
-- that overlaps another is named, in a notice of its own or as the partner of a later one, in one sorted pass.
-- (Every overlapping pair would be quadratic in a block's trips: a block of n trips all at the same time gives
-- n²/2 pairs; HART's trips repeated ten times in their blocks gave ~660,000 notices in 18 s.)
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'block_trips_with_overlapping_stop_times', 'ERROR', 'trips.txt', o.line_no, 'block_id',
       o.trip_id, format('trips %%s and %%s of block %%s overlap in time', substr(o.latest, 12), o.trip_id,
                         o.block_id)
FROM (
    SELECT t.block_id, t.trip_id, t.line_no, a.t0,
           -- the end (zero-padded: text order is number order; times are seconds ≥ 0) and id of the trip that
           -- ends latest among those that start earlier in the block
           max(lpad(a.t1::text, 10, '0') || ':' || t.trip_id)
               OVER (PARTITION BY t.block_id, t.service_id ORDER BY a.t0, t.trip_id
                     ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS latest
    FROM _trip_agg a JOIN staging.gtfs_trips t ON t.feed_version_id = %(feed_version_id)s AND t.trip_id = a.trip_id
    WHERE t.block_id IS NOT NULL AND a.t0 IS NOT NULL AND a.t1 IS NOT NULL
) o
WHERE substr(o.latest, 1, 10)::integer > o.t0;

-- stop_too_far_from_shape: a stop of a trip more than %(stop_too_far_m)s m from the trip's shape. Each distinct
-- (shape, stop) pair of the trips (staging.gtfs_shape_stops: from their patterns), in shape order so that
-- PostGIS reuses its cached tree of each line across that line's stops. A version with the same pairs as
-- the one it carries from (same shapes and stops: delta.py's basis) has that version's notices.
CREATE TEMP TABLE _pairs ON COMMIT DROP AS
SELECT * FROM staging.gtfs_shape_stops(%(feed_version_id)s) ORDER BY shape_id, stop_id;
CREATE TEMP TABLE _pairs_carried ON COMMIT DROP AS
SELECT %(carried_from)s::bigint IS NOT NULL
       AND NOT EXISTS (SELECT * FROM _pairs EXCEPT SELECT * FROM staging.gtfs_shape_stops(%(carried_from)s::bigint))
       AND NOT EXISTS (SELECT * FROM staging.gtfs_shape_stops(%(carried_from)s::bigint) EXCEPT SELECT * FROM _pairs)
           AS same;
CREATE TEMP TABLE _shape_geog ON COMMIT DROP AS
SELECT shape_id, geom::geography AS g FROM gtfs_shape_line  -- cast once per shape, not once per stop
WHERE NOT (SELECT same FROM _pairs_carried);
CREATE INDEX ON _shape_geog (shape_id);
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'stop_too_far_from_shape', 'WARNING', 'stops.txt', s.line_no, 'stop_id', s.stop_id,
       format('stop %%s is %%s m from shape %%s', s.stop_id,
              round(ST_Distance(l.g, ST_SetSRID(ST_MakePoint(s.stop_lon, s.stop_lat), 4326)::geography)::numeric),
              p.shape_id)
FROM _pairs p
-- a lookup per pair (not a join the planner may reorder): the pairs stay in shape order
CROSS JOIN LATERAL (SELECT g FROM _shape_geog l WHERE l.shape_id = p.shape_id) l
JOIN staging.gtfs_stops s ON s.feed_version_id = %(feed_version_id)s AND s.stop_id = p.stop_id
WHERE NOT (SELECT same FROM _pairs_carried)
  AND unified.placeable(s.stop_lat, s.stop_lon, %(extent)s::float8[])
  AND NOT ST_DWithin(l.g, ST_SetSRID(ST_MakePoint(s.stop_lon, s.stop_lat), 4326)::geography,
                     %(stop_too_far_m)s, false)
UNION ALL
SELECT %(feed_version_id)s, code, severity, file_name, line_no, field_name, entity_key, message
FROM lineage.notice
WHERE (SELECT same FROM _pairs_carried) AND feed_version_id = %(carried_from)s::bigint
  AND code = 'stop_too_far_from_shape';

-- Calendars.
INSERT INTO lineage.notice (feed_version_id, code, severity, file_name, line_no, field_name, entity_key, message)
SELECT %(feed_version_id)s, 'expired_calendar', 'WARNING', 'calendar.txt', c.line_no, 'end_date', c.service_id,
       format('service %%s ended on %%s', c.service_id, c.end_date)
FROM staging.gtfs_calendar c
WHERE c.feed_version_id = %(feed_version_id)s AND c.end_date < current_date
  AND NOT EXISTS (SELECT 1 FROM staging.gtfs_calendar_dates d WHERE d.feed_version_id = c.feed_version_id
                  AND d.service_id = c.service_id AND d.exception_type = 1 AND d.date >= current_date)
UNION ALL
SELECT %(feed_version_id)s, 'start_and_end_range_out_of_order', 'ERROR', 'calendar.txt', c.line_no, 'start_date',
       c.service_id, format('service %%s: start_date %%s after end_date %%s', c.service_id, c.start_date, c.end_date)
FROM staging.gtfs_calendar c
WHERE c.feed_version_id = %(feed_version_id)s AND c.start_date > c.end_date;
