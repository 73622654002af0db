-- What each GTFS trip of a version was, so that the next version can carry a trip whose stop_times lines
-- are the same instead of staging, validating and publishing it again (issue 11: a version with 1 % of the
-- trips changed costs a fraction of a first load). Written by formats/gtfs (trip_lines.py while streaming,
-- validate.sql and publish.sql after), read by the next version's load (delta.sql); deleted with the
-- version's other staging rows (ingest/run.py prune).

-- One row per trip that has stop_times lines, for versions whose stop_times.txt was read on the regular
-- path (every trip's lines contiguous; otherwise the version has no rows here and the next one is loaded whole).
CREATE TABLE IF NOT EXISTS staging.gtfs_trip_fact (
    feed_version_id bigint NOT NULL,
    trip_id text NOT NULL,
    first_line integer,
    n_lines integer,
    digest uuid,
    carried_from bigint,
    t0 integer,
    t1 integer,
    pattern bigint,
    calls bigint,
    n_calls integer,
    PRIMARY KEY (feed_version_id, trip_id)
);
COMMENT ON TABLE staging.gtfs_trip_fact IS 'Per GTFS trip of a feed version: its block of stop_times.txt lines and what validation and publish derived from them, so that the next version can carry an unchanged trip (formats/gtfs/delta.sql).';
COMMENT ON COLUMN staging.gtfs_trip_fact.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.gtfs_trip_fact.trip_id IS 'GTFS trip_id, as published.';
COMMENT ON COLUMN staging.gtfs_trip_fact.first_line IS 'Physical line of the trip''s first stop_times.txt record (header = line 1); its lines are first_line .. first_line + n_lines - 1.';
COMMENT ON COLUMN staging.gtfs_trip_fact.n_lines IS 'Number of stop_times.txt lines of the trip (accepted or not).';
COMMENT ON COLUMN staging.gtfs_trip_fact.digest IS 'MD5 of the trip''s lines as published (line ends aside): equal digests mean the same records.';
COMMENT ON COLUMN staging.gtfs_trip_fact.carried_from IS 'Previous feed version whose staged rows, notices and unified rows this trip carries (its lines are not staged in this version); NULL when staged here.';
COMMENT ON COLUMN staging.gtfs_trip_fact.t0 IS 'First departure (else arrival) of the trip''s accepted stop times, seconds after noon minus 12 h.';
COMMENT ON COLUMN staging.gtfs_trip_fact.t1 IS 'Last arrival (else departure) of the trip''s accepted stop times.';
COMMENT ON COLUMN staging.gtfs_trip_fact.pattern IS 'The trip''s stop sequence (staging.gtfs_pattern.pattern).';
COMMENT ON COLUMN staging.gtfs_trip_fact.calls IS 'Digest of the trip''s accepted stop times (XOR of a 64-bit hash per record: sequence, stop, times, types, distance), part of its journey''s content_hash.';
COMMENT ON COLUMN staging.gtfs_trip_fact.n_calls IS 'Number of accepted stop times of the trip (its calls).';

CREATE TABLE IF NOT EXISTS staging.gtfs_pattern (
    feed_version_id bigint NOT NULL,
    pattern bigint NOT NULL,
    stop_ids text[] NOT NULL,
    PRIMARY KEY (feed_version_id, pattern)
);
COMMENT ON TABLE staging.gtfs_pattern IS 'Distinct stop sequences of a GTFS feed version''s trips (accepted stop times in stop_sequence order): what stop modes, shape distances and stop-sequence geometries are computed from, once per pattern instead of once per trip.';
COMMENT ON COLUMN staging.gtfs_pattern.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.gtfs_pattern.pattern IS '64-bit digest of the (stop_sequence, stop_id) pairs and their count.';
COMMENT ON COLUMN staging.gtfs_pattern.stop_ids IS 'The stop_ids in stop_sequence order.';

-- The inputs outside stop_times.txt that a trip's validation and unified rows depend on: a version can
-- carry trips from the previous one only when its basis is the same.
CREATE TABLE IF NOT EXISTS staging.gtfs_trip_basis (
    feed_version_id bigint PRIMARY KEY,
    basis text NOT NULL
);
COMMENT ON TABLE staging.gtfs_trip_basis IS 'Per GTFS feed version: digest of what a trip''s checks and unified rows depend on besides its own lines (stops, routes, agencies, shapes files; extent and check settings; namespace).';
COMMENT ON COLUMN staging.gtfs_trip_basis.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.gtfs_trip_basis.basis IS 'MD5 over those inputs'' sha256 and settings.';

-- Modes served at each stop of a version, from its trips' patterns and routes: the stop's own kind and, for
-- a station, the kind of its children (publish.sql's stop places; delta.sql compares two versions').
CREATE OR REPLACE FUNCTION staging.gtfs_stop_kinds(p_fv bigint)
RETURNS TABLE (stop_id text, own_kind text, child_kind text)
LANGUAGE sql STABLE AS $$
    WITH served AS (
        SELECT DISTINCT s.stop_id,
               CASE unified.gtfs_mode(r.route_type) WHEN 'metro' THEN 'rail' WHEN 'monorail' THEN 'rail'
                    WHEN 'funicular' THEN 'cableway' ELSE unified.gtfs_mode(r.route_type) END AS kind
        FROM (SELECT DISTINCT t.route_id, f.pattern
              FROM staging.gtfs_trip_fact f
              JOIN staging.gtfs_trips t ON t.feed_version_id = p_fv AND t.trip_id = f.trip_id
              WHERE f.feed_version_id = p_fv) rp
        JOIN staging.gtfs_pattern p ON p.feed_version_id = p_fv AND p.pattern = rp.pattern
        CROSS JOIN LATERAL unnest(p.stop_ids) AS s(stop_id)
        JOIN staging.gtfs_routes r ON r.feed_version_id = p_fv AND r.route_id = rp.route_id
    ), own AS (
        SELECT stop_id, CASE WHEN count(DISTINCT kind) > 1 THEN 'mixed' ELSE min(kind) END AS kind
        FROM served GROUP BY stop_id
    ), child AS (
        SELECT ch.parent_station AS stop_id,
               CASE WHEN count(DISTINCT o.kind) > 1 THEN 'mixed' ELSE min(o.kind) END AS kind
        FROM staging.gtfs_stops ch JOIN own o ON o.stop_id = ch.stop_id
        WHERE ch.feed_version_id = p_fv AND ch.parent_station IS NOT NULL
        GROUP BY ch.parent_station
    )
    SELECT coalesce(o.stop_id, c.stop_id), o.kind, c.kind FROM own o FULL JOIN child c ON c.stop_id = o.stop_id
$$;
COMMENT ON FUNCTION staging.gtfs_stop_kinds(bigint) IS 'Modes served at each stop of a GTFS feed version (own_kind, from its trips'' patterns and routes) and, for a parent station, at its children (child_kind): bus, tram, rail, ... or mixed.';

-- Shape lines of a version (placeable points, in sequence, 4326), as validate.sql builds them: a version with
-- the same shapes.txt that carries trips takes them instead of building them again.
CREATE TABLE IF NOT EXISTS staging.gtfs_shape_line (
    feed_version_id bigint NOT NULL,
    shape_id text NOT NULL,
    line_no integer,
    geom geometry,
    PRIMARY KEY (feed_version_id, shape_id)
);
COMMENT ON TABLE staging.gtfs_shape_line IS 'Per GTFS feed version: each shape as a line through its placeable points in shape_pt_sequence order (WGS 84), built by validate.sql.';
COMMENT ON COLUMN staging.gtfs_shape_line.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.gtfs_shape_line.shape_id IS 'GTFS shape_id, as published.';
COMMENT ON COLUMN staging.gtfs_shape_line.line_no IS 'Physical line of the shape''s first point in shapes.txt.';
COMMENT ON COLUMN staging.gtfs_shape_line.geom IS 'The line (EPSG:4326).';

-- The distinct (shape, stop) pairs of a version's trips, from their patterns: what stop_too_far_from_shape
-- measures (validate.sql), once per pair.
CREATE OR REPLACE FUNCTION staging.gtfs_shape_stops(p_fv bigint)
RETURNS TABLE (shape_id text, stop_id text)
LANGUAGE sql STABLE AS $$
    SELECT DISTINCT sp.shape_id, u.stop_id
    FROM (SELECT DISTINCT t.shape_id, f.pattern
          FROM staging.gtfs_trip_fact f
          JOIN staging.gtfs_trips t ON t.feed_version_id = p_fv AND t.trip_id = f.trip_id
          WHERE f.feed_version_id = p_fv AND t.shape_id IS NOT NULL) sp
    JOIN staging.gtfs_pattern p ON p.feed_version_id = p_fv AND p.pattern = sp.pattern
    CROSS JOIN LATERAL unnest(p.stop_ids) AS u(stop_id)
    WHERE u.stop_id IS NOT NULL
$$;
COMMENT ON FUNCTION staging.gtfs_shape_stops(bigint) IS 'Distinct (shape_id, stop_id) pairs of a GTFS feed version''s trips, from their stop patterns.';
