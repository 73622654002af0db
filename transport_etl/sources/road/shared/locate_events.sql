-- Staged road events of this feed version → unified.road_event + unified.road_event_location,
-- located by linear referencing on the CURRENT road network (transport_link, network 'road').
-- Parameters: feed_version_id, source_id, namespace, load_run_id, tolerance (m), network_source
-- (catalog id of the network to use, or NULL for every current road link), max_path_links.
--
-- 1. Section ids (DATEX sectionId, closure ROAD_ID) that exist in the network: that link, measures
--    from distanceAlong, else from the event's points projected onto it, else the whole link.
-- 2. Otherwise the start/end points are projected onto the nearest link of the event's road number
--    within the tolerance, and the links between them are found by walking the topology along
--    that road (shortest path). One location row per link; measures in metres from the link start.
-- 3. Events that neither locates are kept, unlocated, with the reason.

DROP TABLE IF EXISTS _net, _ev, _sec, _proj, _walk, _loc, _locrows, _road_locate_counts;

CREATE TEMP TABLE _net ON COMMIT DROP AS
SELECT id, local_id, road_number, start_node_id, end_node_id, length_m, geom
FROM unified.transport_link
WHERE network = 'road' AND recorded_to IS NULL AND length_m > 0
  AND (%(network_source)s::text IS NULL OR source_id = %(network_source)s::text);
CREATE INDEX ON _net USING gist (geom);
CREATE INDEX ON _net (local_id);
CREATE INDEX ON _net (start_node_id);
CREATE INDEX ON _net (end_node_id);
ANALYZE _net;

CREATE TEMP TABLE _ev ON COMMIT DROP AS
SELECT s.id AS sid, s.line_no, s.source_file, s.xml_path, s.local_id, s.road_number, s.sections,
       s.start_point, s.end_point,
       nextval((SELECT pg_get_serial_sequence('unified.road_event', 'id')::regclass)) AS event_id
FROM staging.road_event s
WHERE s.feed_version_id = %(feed_version_id)s;

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

CREATE TEMP TABLE _loc (
    event_id bigint, ord integer, link_id bigint, from_m float8, to_m float8, method text
) ON COMMIT DROP;

INSERT INTO _loc
SELECT s.event_id, s.ord, s.link_id,
       least(greatest(least(f, t), 0), s.length_m), least(greatest(greatest(f, t), 0), s.length_m), 'section_id'
FROM (
    SELECT s.*,
           CASE
             WHEN s.from_m IS NOT NULL AND s.to_m IS NOT NULL THEN s.from_m
             WHEN s.m_start IS NOT NULL AND s.m_end IS NOT NULL THEN s.m_start
             WHEN coalesce(s.m_start, s.m_end) IS NOT NULL AND s.point_event THEN coalesce(s.m_start, s.m_end)
             -- One event point on this link: the part towards the event's neighbouring section.
             WHEN coalesce(s.m_start, s.m_end) IS NOT NULL AND EXISTS (
                  SELECT 1 FROM _sec o WHERE o.event_id = s.event_id AND o.link_id <> s.link_id
                    AND s.end_node_id IN (o.start_node_id, o.end_node_id)) THEN coalesce(s.m_start, s.m_end)
             WHEN coalesce(s.m_start, s.m_end) IS NOT NULL AND EXISTS (
                  SELECT 1 FROM _sec o WHERE o.event_id = s.event_id AND o.link_id <> s.link_id
                    AND s.start_node_id IN (o.start_node_id, o.end_node_id)) THEN 0
             ELSE 0 END AS f,
           CASE
             WHEN s.from_m IS NOT NULL AND s.to_m IS NOT NULL THEN s.to_m
             WHEN s.m_start IS NOT NULL AND s.m_end IS NOT NULL THEN s.m_end
             WHEN coalesce(s.m_start, s.m_end) IS NOT NULL AND s.point_event THEN coalesce(s.m_start, s.m_end)
             WHEN coalesce(s.m_start, s.m_end) IS NOT NULL AND EXISTS (
                  SELECT 1 FROM _sec o WHERE o.event_id = s.event_id AND o.link_id <> s.link_id
                    AND s.end_node_id IN (o.start_node_id, o.end_node_id)) THEN s.length_m
             WHEN coalesce(s.m_start, s.m_end) IS NOT NULL AND EXISTS (
                  SELECT 1 FROM _sec o WHERE o.event_id = s.event_id AND o.link_id <> s.link_id
                    AND s.start_node_id IN (o.start_node_id, o.end_node_id)) THEN coalesce(s.m_start, s.m_end)
             ELSE s.length_m END AS t
    FROM _sec s
) s;

-- 2. By projection onto the nearest links of the event's road.
CREATE TEMP TABLE _proj ON COMMIT DROP AS
SELECT e.event_id, e.road_number, e.start_point, e.end_point,
       a.id AS link_a, a.m AS m_a, b.id AS link_b, b.m AS m_b
FROM _ev e
LEFT JOIN LATERAL (
    SELECT n.id, ST_LineLocatePoint(n.geom, e.start_point) * n.length_m AS m
    FROM _net n
    WHERE (e.road_number IS NULL OR n.road_number = e.road_number)
      AND ST_DWithin(n.geom, e.start_point, %(tolerance)s)
    ORDER BY ST_Distance(n.geom, e.start_point), n.id LIMIT 1
) a ON true
LEFT JOIN LATERAL (
    SELECT n.id, ST_LineLocatePoint(n.geom, e.end_point) * n.length_m AS m
    FROM _net n
    WHERE (e.road_number IS NULL OR n.road_number = e.road_number)
      AND ST_DWithin(n.geom, e.end_point, %(tolerance)s)
    ORDER BY ST_Distance(n.geom, e.end_point), n.id LIMIT 1
) b ON true
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

-- 3. Unified rows: every event, located or not.
INSERT INTO unified.road_event (id, source_id, feed_version_id, namespace, local_id, valid_from, valid_to,
                                event_type, status, starts_at, ends_at, road_number, comment, impact,
                                location_status, unlocated_reason, raw_location, geom)
OVERRIDING SYSTEM VALUE
SELECT e.event_id, %(source_id)s, %(feed_version_id)s, %(namespace)s, s.local_id,
       (s.starts_at AT TIME ZONE 'Europe/Prague')::date, (s.ends_at AT TIME ZONE 'Europe/Prague')::date,
       s.event_type, s.status, s.starts_at, s.ends_at, coalesce(s.road_number, s.road_number_raw), s.comment,
       s.impact,
       CASE WHEN located.n > 0 THEN 'located' ELSE 'unlocated' END,
       CASE WHEN located.n > 0 THEN NULL
            WHEN jsonb_array_length(s.sections) > 0 AND s.start_point IS NULL
                 THEN 'section ' || (SELECT string_agg(x->>'id', ', ') FROM jsonb_array_elements(s.sections) x)
                      || ' not in the current road network'
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
                 || ' between the start and end points' END,
       s.raw_location,
       NULL
FROM _ev e
JOIN staging.road_event s ON s.id = e.sid
LEFT JOIN _proj p ON p.event_id = e.event_id
CROSS JOIN LATERAL (SELECT count(*) AS n FROM _loc l WHERE l.event_id = e.event_id) located;

CREATE TEMP TABLE _locrows ON COMMIT DROP AS
SELECT l.*, e.local_id, e.source_file, e.line_no, n.geom AS link_geom, n.length_m,
       CASE WHEN l.to_m > l.from_m
            THEN ST_LineSubstring(n.geom, l.from_m / n.length_m, l.to_m / n.length_m) END AS part,
       ST_LineInterpolatePoint(n.geom, l.from_m / n.length_m) AS at_point,
       nextval((SELECT pg_get_serial_sequence('unified.road_event_location', 'id')::regclass)) AS loc_id
FROM _loc l JOIN _ev e ON e.event_id = l.event_id JOIN _net n ON n.id = l.link_id;

INSERT INTO unified.road_event_location (id, source_id, feed_version_id, namespace, local_id, valid_from, valid_to,
                                         road_event_id, transport_link_id, from_measure_m, to_measure_m, method, geom)
OVERRIDING SYSTEM VALUE
SELECT r.loc_id, %(source_id)s, %(feed_version_id)s, %(namespace)s, r.local_id || '/' || r.ord,
       ev.valid_from, ev.valid_to, r.event_id, r.link_id, r.from_m, r.to_m, r.method, r.part
FROM _locrows r JOIN unified.road_event ev ON ev.id = r.event_id;

-- Event geometry: the located parts of the links (a point for point events), else the published points.
UPDATE unified.road_event ev
SET geom = g.geom
FROM (
    SELECT e.event_id,
           coalesce(
               (SELECT ST_LineMerge(ST_Collect(r.part ORDER BY r.ord)) FROM _locrows r
                WHERE r.event_id = e.event_id AND r.part IS NOT NULL),
               (SELECT ST_Collect(r.at_point) FROM _locrows r WHERE r.event_id = e.event_id),
               CASE WHEN s.end_point IS NOT NULL THEN ST_Collect(s.start_point, s.end_point) ELSE s.start_point END
           ) AS geom
    FROM _ev e JOIN staging.road_event s ON s.id = e.sid
) g
WHERE ev.id = g.event_id AND g.geom IS NOT NULL;

INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, load_run_id)
SELECT 'unified.road_event', e.event_id, %(feed_version_id)s, e.source_file, e.line_no,
       coalesce(e.xml_path, e.local_id), 'source', %(load_run_id)s
FROM _ev e
UNION ALL
SELECT 'unified.road_event_location', r.loc_id, %(feed_version_id)s, r.source_file, r.line_no, r.local_id,
       r.method, %(load_run_id)s
FROM _locrows r;

CREATE TEMP TABLE _road_locate_counts AS
SELECT 'unified.road_event' AS tbl, count(*) AS n FROM _ev
UNION ALL SELECT 'unified.road_event (located)', count(DISTINCT event_id) FROM _loc
UNION ALL SELECT 'unified.road_event_location', count(*) FROM _locrows;
