-- Road network version → unified.transport_node + unified.transport_link (network 'road').
-- Parameters: feed_version_id, source_id, namespace, load_run_id, snap_tolerance (m), valid_from (date or NULL).
--
-- Identity: a link is (namespace, local_id = section id). An unchanged link (same geometry to the
-- millimetre and same attributes) keeps its row, which moves to the new feed version; a changed one
-- gets a new row with version + 1; a missing one is left on the old version, so the runner closes
-- its recorded period. Nodes are link ends clustered within the snapping tolerance; a node within
-- the tolerance of a current node of the previous version keeps that node's row.

DROP TABLE IF EXISTS _rl, _p, _ends, _endcl, _nodes, _oldnodes, _links, _road_publish_counts;

CREATE TEMP TABLE _p ON COMMIT DROP AS
SELECT coalesce(%(valid_from)s::date, current_date) AS net_date,
       %(valid_from)s::date IS NULL AND NOT EXISTS (
           SELECT 1 FROM unified.transport_link t
           WHERE t.source_id = %(source_id)s AND t.network = 'road' AND t.feed_version_id <> %(feed_version_id)s
       ) AS first_version;

CREATE TEMP TABLE _rl ON COMMIT DROP AS
SELECT id AS sid, line_no, source_file, local_id, road_number, road_class, direction, form_of_way, name, geom
FROM staging.road_link WHERE feed_version_id = %(feed_version_id)s;

-- Link ends, clustered: every end within the tolerance of another joins its node.
CREATE TEMP TABLE _ends ON COMMIT DROP AS
SELECT sid, 's'::text AS end_kind, ST_StartPoint(geom) AS pt, line_no, source_file FROM _rl
UNION ALL
SELECT sid, 'e'::text, ST_EndPoint(geom), line_no, source_file FROM _rl;

CREATE TEMP TABLE _endcl ON COMMIT DROP AS
SELECT sid, end_kind, pt, line_no, source_file,
       ST_ClusterDBSCAN(pt, eps := %(snap_tolerance)s, minpoints := 1) OVER () AS cid
FROM _ends;
CREATE INDEX ON _endcl (sid, end_kind);
ANALYZE _endcl;

CREATE TEMP TABLE _nodes ON COMMIT DROP AS
SELECT cid, ST_Centroid(ST_Collect(pt)) AS geom, count(*) AS degree,
       min(line_no) AS first_line, min(source_file) AS source_file,
       NULL::bigint AS node_id, NULL::text AS local_id, false AS kept
FROM _endcl GROUP BY cid;
-- Each link finds its two end nodes by cid: without an index (and statistics) that was a scan of all nodes
-- per link end (a 32,000-link network took 38 s in the statement below).
CREATE UNIQUE INDEX ON _nodes (cid);
ANALYZE _nodes;

-- The current nodes of the previous version, taken once with their own spatial index: looked up in
-- unified.transport_node directly, each new node scanned every current node of the source (the planner
-- took the source_id index on statistics not yet refreshed by the load before: 414 s for 32,000 links).
CREATE TEMP TABLE _oldnodes ON COMMIT DROP AS
SELECT t.id, t.local_id, t.geom FROM unified.transport_node t
WHERE t.source_id = %(source_id)s AND t.network = 'road' AND t.recorded_to IS NULL;
CREATE INDEX ON _oldnodes USING gist (geom);
ANALYZE _oldnodes;

-- Keep the node rows of the previous version that are still there (one new node per old node).
UPDATE _nodes n SET node_id = m.old_id, local_id = m.old_local_id, kept = true
FROM (
    SELECT DISTINCT ON (o.id) n.cid, o.id AS old_id, o.local_id AS old_local_id
    FROM _nodes n
    JOIN LATERAL (
        SELECT t.id, t.local_id, t.geom FROM _oldnodes t
        WHERE ST_DWithin(t.geom, n.geom, %(snap_tolerance)s)
        ORDER BY t.geom <-> n.geom LIMIT 1
    ) o ON true
    ORDER BY o.id, ST_Distance(o.geom, n.geom)
) m
WHERE m.cid = n.cid;

UPDATE _nodes
SET node_id = nextval((SELECT pg_get_serial_sequence('unified.transport_node', 'id')::regclass)),
    local_id = 'node/' || round(ST_X(geom)::numeric, 1) || '/' || round(ST_Y(geom)::numeric, 1)
WHERE node_id IS NULL;

UPDATE unified.transport_node t
SET feed_version_id = %(feed_version_id)s,
    node_kind = CASE WHEN n.degree = 1 THEN 'end' WHEN n.degree = 2 THEN 'pseudo' ELSE 'junction' END
FROM _nodes n
WHERE n.kept AND t.id = n.node_id;

INSERT INTO unified.transport_node (id, source_id, feed_version_id, namespace, local_id, valid_from, network,
                                    node_kind, geom)
OVERRIDING SYSTEM VALUE
SELECT n.node_id, %(source_id)s, %(feed_version_id)s, %(namespace)s, n.local_id,
       CASE WHEN p.first_version THEN NULL ELSE p.net_date END, 'road',
       CASE WHEN n.degree = 1 THEN 'end' WHEN n.degree = 2 THEN 'pseudo' ELSE 'junction' END, n.geom
FROM _nodes n CROSS JOIN _p p
WHERE NOT n.kept;

INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, load_run_id)
SELECT 'unified.transport_node', node_id, %(feed_version_id)s, source_file, first_line, local_id, 'link_ends',
       %(load_run_id)s
FROM _nodes;

-- Links: compare with the current row of the same identity.
CREATE TEMP TABLE _links ON COMMIT DROP AS
SELECT r.*, ST_Length(r.geom) AS length_m, ns.node_id AS start_node_id, ne.node_id AS end_node_id,
       c.id AS cur_id,
       (c.id IS NOT NULL
        AND ST_OrderingEquals(ST_SnapToGrid(c.geom, 0.001), ST_SnapToGrid(r.geom, 0.001))
        AND c.road_number IS NOT DISTINCT FROM r.road_number AND c.road_class IS NOT DISTINCT FROM r.road_class
        AND c.direction IS NOT DISTINCT FROM r.direction AND c.form_of_way IS NOT DISTINCT FROM r.form_of_way
        AND c.name IS NOT DISTINCT FROM r.name) AS unchanged,
       (SELECT max(h.version) FROM unified.transport_link h
        WHERE h.namespace = %(namespace)s AND h.local_id = r.local_id AND h.network = 'road') AS last_version,
       NULL::bigint AS link_id
FROM _rl r
JOIN _endcl es ON es.sid = r.sid AND es.end_kind = 's'
JOIN _nodes ns ON ns.cid = es.cid
JOIN _endcl ee ON ee.sid = r.sid AND ee.end_kind = 'e'
JOIN _nodes ne ON ne.cid = ee.cid
LEFT JOIN unified.transport_link c
       ON c.source_id = %(source_id)s AND c.network = 'road' AND c.namespace = %(namespace)s
      AND c.local_id = r.local_id AND c.recorded_to IS NULL;

UPDATE _links SET link_id = cur_id WHERE unchanged;
-- New ids in the order of the input (staging row), not in whatever order the join above left _links in:
-- an event point equidistant from two links (at their shared end) takes the link with the lower id.
UPDATE _links l SET link_id = x.id
FROM (
    SELECT o.sid, nextval((SELECT pg_get_serial_sequence('unified.transport_link', 'id')::regclass)) AS id
    FROM (SELECT sid FROM _links WHERE NOT unchanged ORDER BY sid) o
) x
WHERE l.sid = x.sid;

-- Unchanged: same row, now part of this version (topology ids refreshed in place).
UPDATE unified.transport_link t
SET feed_version_id = %(feed_version_id)s, start_node_id = l.start_node_id, end_node_id = l.end_node_id
FROM _links l
WHERE l.unchanged AND t.id = l.cur_id;

-- Changed or removed: their real-world validity ends the day before this network version
-- (the runner closes their recorded period).
UPDATE unified.transport_link t
SET valid_to = CASE WHEN t.valid_from > p.net_date - 1 THEN t.valid_from ELSE p.net_date - 1 END
FROM _p p
WHERE t.source_id = %(source_id)s AND t.network = 'road' AND t.recorded_to IS NULL
  AND t.feed_version_id <> %(feed_version_id)s AND t.valid_to IS NULL;

INSERT INTO unified.transport_link (id, source_id, feed_version_id, namespace, local_id, valid_from, network, version,
                                    start_node_id, end_node_id, road_number, road_class, direction, form_of_way,
                                    name, length_m, geom)
OVERRIDING SYSTEM VALUE
SELECT l.link_id, %(source_id)s, %(feed_version_id)s, %(namespace)s, l.local_id,
       CASE WHEN p.first_version THEN NULL ELSE p.net_date END, 'road', coalesce(l.last_version, 0) + 1,
       l.start_node_id, l.end_node_id, l.road_number, l.road_class, l.direction, l.form_of_way, l.name,
       l.length_m, l.geom
FROM _links l CROSS JOIN _p p
WHERE NOT l.unchanged;

INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, load_run_id)
SELECT 'unified.transport_link', link_id, %(feed_version_id)s, source_file, line_no, local_id, 'source',
       %(load_run_id)s
FROM _links;

CREATE TEMP TABLE _road_publish_counts AS
SELECT 'unified.transport_link' AS tbl, count(*) FILTER (WHERE NOT unchanged) AS n FROM _links
UNION ALL SELECT 'unified.transport_link (unchanged, kept)', count(*) FILTER (WHERE unchanged) FROM _links
UNION ALL SELECT 'unified.transport_link (removed, closed)', count(*) FROM unified.transport_link t
          WHERE t.source_id = %(source_id)s AND t.network = 'road' AND t.recorded_to IS NULL
            AND t.feed_version_id <> %(feed_version_id)s
            AND NOT EXISTS (SELECT 1 FROM _links l WHERE l.local_id = t.local_id)
UNION ALL SELECT 'unified.transport_node', count(*) FILTER (WHERE NOT kept) FROM _nodes
UNION ALL SELECT 'unified.transport_node (unchanged, kept)', count(*) FILTER (WHERE kept) FROM _nodes;
