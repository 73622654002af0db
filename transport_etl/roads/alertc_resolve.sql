-- ALERT-C references of this feed version's staged road events → start/end points on the road network,
-- through the CURRENT ALERT-C location table(s). Runs before the generic locator (roads/locate_events.sql),
-- which then walks the network links between the points as for any point-located event.
-- Parameters: feed_version_id, table_source (catalog id of the location table, NULL = every current one),
-- network_source (NULL = every current road link), tolerance (m, table point to link).
--
-- 1. The walk: from the primary location along the table's offset links (NEG_OFF_LCD / POS_OFF_LCD) until
--    the secondary location, or for `extent` steps. Affected traffic in the positive direction has its
--    tail upstream, i.e. towards the negative offsets (and vice versa); with a secondary both ways are
--    tried and the direction the publisher coded wins a tie.
-- 2. Method 4 offsets move a point along the road towards the other end of the event (a point event:
--    upstream), measured on the road network's links of that road.
-- 3. Each resulting point is snapped onto the nearest link of the road within the tolerance; a point
--    farther than that is not used and the event keeps its reason (attributes.alertc_unresolved).

DROP TABLE IF EXISTS _acl, _acnet, _acev, _acwalk, _acpick, _acpts, _acres, _alertc_counts;

CREATE TEMP TABLE _acl ON COMMIT DROP AS
SELECT l.tabcd, l.lcd, l.neg_off_lcd, l.pos_off_lcd, l.road_number, l.segment_lcd, l.road_lcd, l.geom
FROM staging.alertc_location l
JOIN lineage.feed_version fv ON fv.id = l.feed_version_id AND fv.is_current
JOIN lineage.source src ON src.id = fv.source_id AND src.format = 'alertc-location-table'
WHERE (%(table_source)s::text IS NULL OR src.id = %(table_source)s::text);
CREATE INDEX ON _acl (lcd, tabcd);
ANALYZE _acl;

CREATE TEMP TABLE _acnet ON COMMIT DROP AS
SELECT id, road_number, geom
FROM unified.transport_link
WHERE network = 'road' AND recorded_to IS NULL AND length_m > 0
  AND (%(network_source)s::text IS NULL OR source_id = %(network_source)s::text);
CREATE INDEX ON _acnet USING gist (geom);

CREATE TEMP TABLE _acev ON COMMIT DROP AS
SELECT s.id AS sid, s.road_number AS event_road,
       nullif(substring(a->>'table' FROM '^\s*(\d+)'), '')::int AS tabcd,
       (a->>'primary')::int AS primary_lcd, (a->>'secondary')::int AS secondary_lcd,
       (a->>'extent')::int AS extent,
       coalesce((a->>'primary_offset_m')::float8, 0) AS off_p, coalesce((a->>'secondary_offset_m')::float8, 0) AS off_s,
       CASE WHEN a->>'direction' = 'negative' THEN 'pos' ELSE 'neg' END AS upstream,
       a->>'method' = 'linear_by_code' AS by_code
FROM staging.road_event s
CROSS JOIN LATERAL (SELECT s.attributes->'alertc' AS a) x
WHERE s.feed_version_id = %(feed_version_id)s AND a IS NOT NULL AND a->>'primary' IS NOT NULL
  AND s.start_point IS NULL AND jsonb_array_length(s.sections) = 0;

-- A linear location by code (a segment or road): from its first point to the point after its last one
-- (the junction that closes it), as primary = downstream end, secondary = upstream end.
UPDATE _acev e
SET primary_lcd = coalesce(ends.last_lcd, e.primary_lcd), secondary_lcd = ends.first_lcd
FROM (
    SELECT e2.sid,
           (SELECT p.lcd FROM _acl p
            WHERE e2.primary_lcd IN (p.segment_lcd, p.road_lcd) AND (e2.tabcd IS NULL OR p.tabcd = e2.tabcd)
              AND NOT EXISTS (SELECT 1 FROM _acl q WHERE q.tabcd = p.tabcd AND q.lcd = p.neg_off_lcd
                                AND e2.primary_lcd IN (q.segment_lcd, q.road_lcd))
            ORDER BY p.lcd LIMIT 1) AS first_lcd,
           (SELECT coalesce(nx.lcd, p.lcd) FROM _acl p
            LEFT JOIN _acl nx ON nx.tabcd = p.tabcd AND nx.lcd = p.pos_off_lcd
            WHERE e2.primary_lcd IN (p.segment_lcd, p.road_lcd) AND (e2.tabcd IS NULL OR p.tabcd = e2.tabcd)
              AND NOT EXISTS (SELECT 1 FROM _acl q WHERE q.tabcd = p.tabcd AND q.lcd = p.pos_off_lcd
                                AND e2.primary_lcd IN (q.segment_lcd, q.road_lcd))
            ORDER BY p.lcd LIMIT 1) AS last_lcd
    FROM _acev e2 WHERE e2.by_code
) ends
WHERE e.sid = ends.sid AND ends.first_lcd IS NOT NULL;

-- 1. Walk the table both ways from the primary location.
CREATE TEMP TABLE _acwalk ON COMMIT DROP AS
WITH RECURSIVE w(sid, dir, tabcd, lcd, path, steps) AS (
    SELECT e.sid, d.dir, p.tabcd, p.lcd, ARRAY[p.lcd], 0
    FROM _acev e
    JOIN _acl p ON p.lcd = e.primary_lcd AND (e.tabcd IS NULL OR p.tabcd = e.tabcd)
    CROSS JOIN (VALUES ('neg'), ('pos')) d(dir)
  UNION ALL
    SELECT w.sid, w.dir, n.tabcd, n.lcd, w.path || n.lcd, w.steps + 1
    FROM w
    JOIN _acev e ON e.sid = w.sid
    JOIN _acl c ON c.tabcd = w.tabcd AND c.lcd = w.lcd
    JOIN _acl n ON n.tabcd = w.tabcd AND n.lcd = CASE WHEN w.dir = 'neg' THEN c.neg_off_lcd ELSE c.pos_off_lcd END
    WHERE w.steps < coalesce(e.extent, CASE WHEN e.secondary_lcd IS NULL THEN 0 ELSE 500 END)
      AND w.lcd IS DISTINCT FROM e.secondary_lcd AND NOT n.lcd = ANY (w.path)
)
SELECT * FROM w;

CREATE TEMP TABLE _acpick ON COMMIT DROP AS
SELECT DISTINCT ON (w.sid) w.sid, w.dir, w.tabcd, w.path
FROM _acwalk w JOIN _acev e ON e.sid = w.sid
WHERE CASE WHEN e.secondary_lcd IS NOT NULL THEN w.lcd = e.secondary_lcd
           ELSE w.steps = coalesce(e.extent, 0) AND w.dir = e.upstream END
ORDER BY w.sid, (w.dir = e.upstream) DESC, w.steps;

-- 2. Points of both ends with the neighbour each offset moves towards.
CREATE TEMP TABLE _acpts ON COMMIT DROP AS
SELECT k.sid, k.path, pr.road_number AS road, e.off_p, e.off_s,
       pr.geom AS p_geom, nb.geom AS p_towards,
       CASE WHEN cardinality(k.path) > 1 THEN se.geom END AS s_geom,
       CASE WHEN cardinality(k.path) > 1 THEN sb.geom END AS s_towards
FROM _acpick k
JOIN _acev e ON e.sid = k.sid
JOIN _acl pr ON pr.tabcd = k.tabcd AND pr.lcd = k.path[1]
JOIN _acl se ON se.tabcd = k.tabcd AND se.lcd = k.path[cardinality(k.path)]
LEFT JOIN _acl nb ON nb.tabcd = k.tabcd AND nb.lcd = CASE WHEN cardinality(k.path) > 1 THEN k.path[2]
                                                         WHEN k.dir = 'neg' THEN pr.neg_off_lcd ELSE pr.pos_off_lcd END
LEFT JOIN _acl sb ON sb.tabcd = k.tabcd AND cardinality(k.path) > 1 AND sb.lcd = k.path[cardinality(k.path) - 1];

-- 3. Each end (p: primary, s: secondary) is moved by its offset along the road's links (the merged links of
--    the road around the point), then snapped onto the nearest link of the road.
CREATE TEMP TABLE _acres ON COMMIT DROP AS
SELECT p.sid, p.path, p.road, e.p_pt, e.p_dist, e.s_pt, e.s_dist
FROM _acpts p
CROSS JOIN LATERAL (
    SELECT (array_agg(snap.pt) FILTER (WHERE x.which = 'p'))[1] AS p_pt,
           (array_agg(snap.dist) FILTER (WHERE x.which = 'p'))[1] AS p_dist,
           (array_agg(snap.pt) FILTER (WHERE x.which = 's'))[1] AS s_pt,
           (array_agg(snap.dist) FILTER (WHERE x.which = 's'))[1] AS s_dist
    FROM (VALUES ('p', p.p_geom, p.p_towards, p.off_p), ('s', p.s_geom, p.s_towards, p.off_s)) x(which, geom, towards, off)
    LEFT JOIN LATERAL (
        SELECT ST_LineInterpolatePoint(z.piece, least(1, greatest(0, z.fp + sign(z.fq - z.fp)
                                       * least(x.off / z.len, abs(z.fq - z.fp))))) AS pt
        FROM (SELECT g.geom AS piece, ST_Length(g.geom) AS len, ST_LineLocatePoint(g.geom, x.geom) AS fp,
                     ST_LineLocatePoint(g.geom, x.towards) AS fq
              FROM ST_Dump(ST_LineMerge((SELECT ST_Collect(n.geom) FROM _acnet n
                                         WHERE n.road_number IS NOT DISTINCT FROM p.road
                                           AND n.geom && ST_Expand(ST_MakeLine(x.geom, x.towards), 500)))) g
              ORDER BY ST_Distance(g.geom, x.geom) LIMIT 1) z
        WHERE z.len > 0
    ) moved ON x.off > 0 AND x.towards IS NOT NULL AND x.geom IS NOT NULL
    CROSS JOIN LATERAL (SELECT coalesce(moved.pt, x.geom) AS at) m
    CROSS JOIN LATERAL (
        SELECT (SELECT ST_ClosestPoint(n.geom, m.at) FROM _acnet n
                WHERE n.road_number IS NOT DISTINCT FROM p.road AND ST_DWithin(n.geom, m.at, %(tolerance)s)
                ORDER BY ST_Distance(n.geom, m.at), n.id LIMIT 1) AS pt,
               (SELECT min(ST_Distance(n.geom, m.at)) FROM _acnet n
                WHERE n.road_number IS NOT DISTINCT FROM p.road AND ST_DWithin(n.geom, m.at, 1000)) AS dist
    ) snap
) e;

-- Located: the upstream end (secondary) starts the event, the primary ends it.
UPDATE staging.road_event s
SET start_point = coalesce(r.s_pt, r.p_pt),
    end_point = CASE WHEN r.s_pt IS NOT NULL THEN r.p_pt END,
    road_number = coalesce(s.road_number, r.road),
    location_methods = s.location_methods || ARRAY['alertC:table'],
    attributes = s.attributes || jsonb_build_object('alertc_path', to_jsonb(r.path))
FROM _acres r
WHERE s.id = r.sid AND r.p_pt IS NOT NULL AND (cardinality(r.path) = 1 OR r.s_pt IS NOT NULL);

-- Not located: why, in the domain's words.
UPDATE staging.road_event s
SET attributes = s.attributes || jsonb_build_object('alertc_unresolved', reason)
FROM (
    SELECT e.sid,
           CASE WHEN NOT EXISTS (SELECT 1 FROM _acl) THEN NULL   -- no table at all: the generic reason says so
                WHEN NOT EXISTS (SELECT 1 FROM _acl l WHERE l.lcd = e.primary_lcd AND (e.tabcd IS NULL OR l.tabcd = e.tabcd))
                    THEN 'ALERT-C location ' || e.primary_lcd || ' is not in location table ' || coalesce(e.tabcd::text, '(any)')
                WHEN k.sid IS NULL AND e.secondary_lcd IS NOT NULL
                    THEN 'ALERT-C secondary location ' || e.secondary_lcd || ' is not reached from ' || e.primary_lcd
                         || ' along the location table''s offsets'
                WHEN k.sid IS NULL
                    THEN 'ALERT-C extent ' || e.extent || ' from ' || e.primary_lcd || ' runs off the end of the road in the location table'
                WHEN r.p_pt IS NULL OR (cardinality(r.path) > 1 AND r.s_pt IS NULL)
                    THEN 'ALERT-C location ' || CASE WHEN r.p_pt IS NULL THEN r.path[1] ELSE r.path[cardinality(r.path)] END
                         || ' lies ' || coalesce(round((CASE WHEN r.p_pt IS NULL THEN r.p_dist ELSE r.s_dist END)::numeric)::text
                                                 || ' m', 'over 1 km')
                         || ' from the nearest link of road ' || coalesce(r.road, '(none)') || ' (tolerance '
                         || %(tolerance)s || ' m)'
           END AS reason
    FROM _acev e
    LEFT JOIN _acpick k ON k.sid = e.sid
    LEFT JOIN _acres r ON r.sid = e.sid
) u
WHERE s.id = u.sid AND u.reason IS NOT NULL;

CREATE TEMP TABLE _alertc_counts (tbl text, n bigint) ON COMMIT DROP;
INSERT INTO _alertc_counts
SELECT 'alertc references', count(*) FROM _acev
UNION ALL SELECT 'alertc references located through the table', count(*) FROM _acres
WHERE p_pt IS NOT NULL AND (cardinality(path) = 1 OR s_pt IS NOT NULL);
