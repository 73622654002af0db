-- Locate road events on road links by linear referencing (shared by the event publish and by the
-- relocation after a new network version). Expects two temp tables made by the caller:
--   _net (id, local_id, road_number, start_node_id, end_node_id, length_m, geom): the links to locate on;
--   _ev (sid = staging.road_event id, line_no, source_file, xml_path, local_id, road_number, sections,
--        start_point, end_point, event_id = unified.road_event id): the events.
-- Parameters: tolerance (m), max_path_links. Leaves _loc (one row per event and link), _evloc (status and
-- reason per event) and _locrows (location rows with their geometry and new ids).
--
-- 1. Section ids (DATEX sectionId, closure ROAD_ID) that exist in the network: that link, measures
--    from distanceAlong, else from the event's points projected onto it, else the whole link.
-- 2. Otherwise the start/end points are projected onto the nearest link of the event's road number
--    within the tolerance, and the links between them are found by walking the topology along
--    that road (shortest path). One location row per link; measures in metres from the link start.
-- 3. Events that neither locates are kept, unlocated, with the reason.

DROP TABLE IF EXISTS _sec, _near, _proj, _walk, _loc, _evloc, _locrows;

-- 1. By section id.
CREATE TEMP TABLE _sec ON COMMIT DROP AS
SELECT e.event_id, x.ord, n.id AS link_id, n.length_m, n.geom, n.start_node_id, n.end_node_id,
       (x.sec->>'from_m')::float8 AS from_m, (x.sec->>'to_m')::float8 AS to_m,
       CASE WHEN e.start_point IS NOT NULL AND ST_DWithin(n.geom, e.start_point, %(tolerance)s)
            THEN ST_LineLocatePoint(n.geom, e.start_point) * n.length_m END AS m_start,
       CASE WHEN e.end_point IS NOT NULL AND ST_DWithin(n.geom, e.end_point, %(tolerance)s)
            THEN ST_LineLocatePoint(n.geom, e.end_point) * n.length_m END AS m_end,
       e.end_point IS NULL AS point_event
FROM _ev e
CROSS JOIN LATERAL jsonb_array_elements(e.sections) WITH ORDINALITY AS x(sec, ord)
JOIN _net n ON n.local_id = x.sec->>'id';
-- The part below looks up each section's sibling sections of the same event.
CREATE INDEX ON _sec (event_id);
ANALYZE _sec;

CREATE TEMP TABLE _loc (
    event_id bigint, ord integer, link_id bigint, from_m float8, to_m float8, method text
) ON COMMIT DROP;

-- The part of a section link an event covers: given measures; between the event's two points on it; at its
-- one point for a point event; else from its one point towards the neighbouring section of the event (its
-- link touches this one at this link's end or start); else the whole link.
INSERT INTO _loc
SELECT s.event_id, s.ord, s.link_id,
       least(greatest(least(r.f, r.t), 0), s.length_m), least(greatest(greatest(r.f, r.t), 0), s.length_m), 'section_id'
FROM (
    SELECT s.*, coalesce(s.m_start, s.m_end) AS m,
           CASE WHEN s.from_m IS NOT NULL AND s.to_m IS NOT NULL THEN 'measures'
                WHEN s.m_start IS NOT NULL AND s.m_end IS NOT NULL THEN 'points'
                WHEN coalesce(s.m_start, s.m_end) IS NULL THEN 'whole'
                WHEN s.point_event THEN 'point'
                WHEN EXISTS (SELECT 1 FROM _sec o WHERE o.event_id = s.event_id AND o.link_id <> s.link_id
                               AND s.end_node_id IN (o.start_node_id, o.end_node_id)) THEN 'towards_end'
                WHEN EXISTS (SELECT 1 FROM _sec o WHERE o.event_id = s.event_id AND o.link_id <> s.link_id
                               AND s.start_node_id IN (o.start_node_id, o.end_node_id)) THEN 'towards_start'
                ELSE 'whole' END AS part
    FROM _sec s
) s
CROSS JOIN LATERAL (
    SELECT CASE s.part WHEN 'measures' THEN s.from_m WHEN 'points' THEN s.m_start WHEN 'point' THEN s.m
                       WHEN 'towards_end' THEN s.m ELSE 0 END AS f,
           CASE s.part WHEN 'measures' THEN s.to_m WHEN 'points' THEN s.m_end WHEN 'point' THEN s.m
                       WHEN 'towards_start' THEN s.m ELSE s.length_m END AS t
) r;
ANALYZE _loc;

-- 2. By projection onto the nearest links of the event's road: its start (a) and end (b) point each on the
--    nearest link of the road within the tolerance.
CREATE TEMP TABLE _near ON COMMIT DROP AS
SELECT e.event_id, x.end_name, k.id, k.m
FROM _ev e
CROSS JOIN LATERAL (VALUES ('a', e.start_point), ('b', e.end_point)) x(end_name, pt)
CROSS JOIN LATERAL (
    SELECT n.id, ST_LineLocatePoint(n.geom, x.pt) * n.length_m AS m
    FROM _net n
    WHERE (e.road_number IS NULL OR n.road_number = e.road_number)
      AND ST_DWithin(n.geom, x.pt, %(tolerance)s)
    ORDER BY ST_Distance(n.geom, x.pt), n.id LIMIT 1
) k
WHERE e.start_point IS NOT NULL AND NOT EXISTS (SELECT 1 FROM _loc l WHERE l.event_id = e.event_id);

CREATE TEMP TABLE _proj ON COMMIT DROP AS
SELECT e.event_id, e.road_number, e.start_point, e.end_point,
       a.id AS link_a, a.m AS m_a, b.id AS link_b, b.m AS m_b
FROM _ev e
LEFT JOIN _near a ON a.event_id = e.event_id AND a.end_name = 'a'
LEFT JOIN _near b ON b.event_id = e.event_id AND b.end_name = 'b'
WHERE e.start_point IS NOT NULL AND NOT EXISTS (SELECT 1 FROM _loc l WHERE l.event_id = e.event_id);

-- Point events and events within one link.
INSERT INTO _loc
SELECT event_id, 1, link_a, least(m_a, coalesce(m_b, m_a)), greatest(m_a, coalesce(m_b, m_a)), 'projection'
FROM _proj
WHERE link_a IS NOT NULL AND (end_point IS NULL OR link_b = link_a);

-- Events across links: shortest walk along links of the same road from link_a to link_b.
CREATE TEMP TABLE _walk ON COMMIT DROP AS
WITH RECURSIVE w(event_id, target, road_number, links, exits, travelled, budget, done) AS (
    SELECT p.event_id, p.link_b, n.road_number, ARRAY[n.id], ARRAY[x.node],
           CASE WHEN x.node = n.end_node_id THEN n.length_m - p.m_a ELSE p.m_a END,
           3 * ST_Distance(p.start_point, p.end_point) + 5000, false
    FROM _proj p
    JOIN _net n ON n.id = p.link_a
    CROSS JOIN LATERAL (VALUES (n.start_node_id), (n.end_node_id)) AS x(node)
    WHERE p.link_b IS NOT NULL AND p.link_b <> p.link_a AND p.end_point IS NOT NULL
  UNION ALL
    SELECT w.event_id, w.target, w.road_number, w.links || n.id,
           w.exits || CASE WHEN n.start_node_id = w.exits[cardinality(w.exits)] THEN n.end_node_id
                           ELSE n.start_node_id END,
           w.travelled + n.length_m, w.budget, n.id = w.target
    FROM w
    JOIN _net n ON (n.start_node_id = w.exits[cardinality(w.exits)] OR n.end_node_id = w.exits[cardinality(w.exits)])
               AND n.road_number IS NOT DISTINCT FROM w.road_number
    WHERE NOT w.done AND NOT n.id = ANY (w.links)
      AND cardinality(w.links) < %(max_path_links)s AND w.travelled < w.budget
)
SELECT DISTINCT ON (event_id) event_id, links, exits
FROM w WHERE done
ORDER BY event_id, travelled;

INSERT INTO _loc
SELECT w.event_id, u.ord, u.link_id,
       CASE WHEN u.ord = 1 THEN (CASE WHEN w.exits[1] = n.end_node_id THEN p.m_a ELSE 0 END)
            WHEN u.ord = cardinality(w.links) THEN (CASE WHEN w.exits[u.ord - 1] = n.start_node_id THEN 0 ELSE p.m_b END)
            ELSE 0 END,
       CASE WHEN u.ord = 1 THEN (CASE WHEN w.exits[1] = n.end_node_id THEN n.length_m ELSE p.m_a END)
            WHEN u.ord = cardinality(w.links) THEN (CASE WHEN w.exits[u.ord - 1] = n.start_node_id THEN p.m_b
                                                         ELSE n.length_m END)
            ELSE n.length_m END,
       'projection'
FROM _walk w
JOIN _proj p ON p.event_id = w.event_id
CROSS JOIN LATERAL unnest(w.links) WITH ORDINALITY AS u(link_id, ord)
JOIN _net n ON n.id = u.link_id;

-- 3. Status and reason per event.
CREATE TEMP TABLE _evloc ON COMMIT DROP AS
SELECT e.event_id,
       CASE WHEN located.n > 0 THEN 'located' ELSE 'unlocated' END AS location_status,
       CASE WHEN located.n > 0 THEN NULL
            WHEN jsonb_array_length(s.sections) > 0 AND s.start_point IS NULL
                 THEN 'section ' || (SELECT string_agg(x->>'id', ', ') FROM jsonb_array_elements(s.sections) x)
                      || ' not in the current road network'
            WHEN s.start_point IS NULL AND s.attributes ? 'alertc_unresolved' THEN s.attributes->>'alertc_unresolved'
            WHEN s.start_point IS NULL AND 'openlr' = ANY (s.location_methods)
                 THEN 'OpenLR location only (not decoded: no maintained OpenLR library); kept in raw_location'
            WHEN s.start_point IS NULL AND 'alertC' = ANY (s.location_methods)
                 THEN 'ALERT-C location only (no location table loaded); kept in raw_location'
            WHEN s.start_point IS NULL THEN 'no usable location: no network section id and no coordinates'
            WHEN s.road_number IS NOT NULL AND NOT EXISTS (SELECT 1 FROM _net n WHERE n.road_number = s.road_number)
                 THEN 'road ' || s.road_number || ' is not in the current road network'
            WHEN p.link_a IS NULL
                 THEN 'no link' || coalesce(' of road ' || s.road_number, '') || ' within '
                      || %(tolerance)s || ' m of the start point'
            WHEN s.end_point IS NOT NULL AND p.link_b IS NULL
                 THEN 'no link' || coalesce(' of road ' || s.road_number, '') || ' within '
                      || %(tolerance)s || ' m of the end point'
            ELSE 'no connected path' || coalesce(' along road ' || s.road_number, '')
                 || ' between the start and end points' END AS unlocated_reason
FROM _ev e
JOIN staging.road_event s ON s.id = e.sid
LEFT JOIN _proj p ON p.event_id = e.event_id
-- counted once per event (grouped), not per event over the whole of _loc
LEFT JOIN (SELECT event_id, count(*) AS n FROM _loc GROUP BY event_id) c ON c.event_id = e.event_id
CROSS JOIN LATERAL (SELECT coalesce(c.n, 0) AS n) located;

CREATE TEMP TABLE _locrows ON COMMIT DROP AS
SELECT l.*, e.local_id, e.source_file, e.line_no, n.geom AS link_geom, n.length_m,
       CASE WHEN l.to_m > l.from_m
            THEN ST_LineSubstring(n.geom, l.from_m / n.length_m, l.to_m / n.length_m) END AS part,
       ST_LineInterpolatePoint(n.geom, l.from_m / n.length_m) AS at_point,
       nextval((SELECT pg_get_serial_sequence('unified.road_event_location', 'id')::regclass)) AS loc_id
FROM _loc l JOIN _ev e ON e.event_id = l.event_id JOIN _net n ON n.id = l.link_id;
