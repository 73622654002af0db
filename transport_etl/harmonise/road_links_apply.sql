-- Road-link identity, step 2 (road_links.py): publish the decisions in _rl_keep (old canonical id →
-- current link that keeps it) into unified.canonical_road_link, its members and predecessors.
-- Parameters: %(namespace)s, %(keep_max_hausdorff_m)s, %(min_cover)s.
ANALYZE _rl_keep;

-- 1. Kept identities follow their link; a changed geometry counts a new version.
UPDATE unified.canonical_road_link c
SET transport_link_id = n.link_id, road_number = n.road_number, road_class = n.road_class, length_m = n.len,
    geom = n.geom,
    version = c.version + CASE WHEN ST_OrderingEquals(c.geom, n.geom) THEN 0 ELSE 1 END,
    updated_at = CASE WHEN ST_OrderingEquals(c.geom, n.geom) THEN c.updated_at ELSE now() END
FROM _rl_keep k JOIN _rl_cur n ON n.link_id = k.link_id
WHERE c.id = k.canonical_id
  AND (c.transport_link_id IS DISTINCT FROM n.link_id OR NOT ST_OrderingEquals(c.geom, n.geom));

-- 2. Identities without a successor are retired (kept as rows; ids never reused).
CREATE TEMP TABLE _rl_retired ON COMMIT DROP AS
SELECT o.* FROM _rl_old o WHERE NOT EXISTS (SELECT 1 FROM _rl_keep k WHERE k.canonical_id = o.id);
ANALYZE _rl_retired;
UPDATE unified.canonical_road_link c SET recorded_to = now(), transport_link_id = NULL
FROM _rl_retired r WHERE c.id = r.id;

-- 3. Links that kept no identity get a new one: derived from source, section id and geometry, so a
--    rebuilt database hands out the same ids for the same data (a clash with an issued id: + link row id).
CREATE TEMP TABLE _rl_new ON COMMIT DROP AS
SELECT n.*, 'RL' || left(md5(n.source_id || ':' || n.local_id || ':' || encode(ST_AsBinary(n.geom), 'hex')), 12)
       AS new_local_id
FROM _rl_cur n WHERE NOT EXISTS (SELECT 1 FROM _rl_keep k WHERE k.link_id = n.link_id);
UPDATE _rl_new n SET new_local_id = n.new_local_id || '-' || n.link_id
WHERE EXISTS (SELECT 1 FROM unified.canonical_road_link c WHERE c.namespace = %(namespace)s
                AND c.local_id = n.new_local_id);
ANALYZE _rl_new;
INSERT INTO unified.canonical_road_link (namespace, local_id, source_id, road_number, road_class,
                                         transport_link_id, length_m, geom)
SELECT %(namespace)s, new_local_id, source_id, road_number, road_class, link_id, len, geom FROM _rl_new;
ANALYZE unified.canonical_road_link;

-- 4. Members of this run: one row per (source, network version, section id).
CREATE TEMP TABLE _rl_member ON COMMIT DROP AS
SELECT coalesce(k.canonical_id, c.id) AS canonical_id, n.source_id, n.feed_version_id, n.local_id, n.link_id,
       CASE WHEN k.link_id IS NULL THEN 'new' WHEN k.same_row THEN 'unchanged' ELSE 'geometry' END AS match_method,
       NULL::text AS matched_with, k.hausdorff_m
FROM _rl_cur n
LEFT JOIN _rl_keep k ON k.link_id = n.link_id
LEFT JOIN _rl_new w ON w.link_id = n.link_id
LEFT JOIN unified.canonical_road_link c ON c.namespace = %(namespace)s AND c.local_id = w.new_local_id;
-- The old member's section id, for a kept identity (matched_with): the link row it had before.
UPDATE _rl_member m SET matched_with = t.local_id
FROM _rl_keep k JOIN _rl_old o ON o.id = k.canonical_id JOIN unified.transport_link t ON t.id = o.transport_link_id
WHERE m.link_id = k.link_id AND m.match_method = 'geometry';
ANALYZE _rl_member;
INSERT INTO unified.canonical_road_link_member AS m
    (canonical_road_link_id, source_id, feed_version_id, member_local_id, transport_link_id, match_method,
     matched_with, hausdorff_m)
SELECT canonical_id, source_id, feed_version_id, local_id, link_id, match_method, matched_with, hausdorff_m
FROM _rl_member
ON CONFLICT (source_id, feed_version_id, member_local_id) DO UPDATE SET
    canonical_road_link_id = EXCLUDED.canonical_road_link_id, transport_link_id = EXCLUDED.transport_link_id,
    match_method = CASE WHEN m.canonical_road_link_id = EXCLUDED.canonical_road_link_id THEN m.match_method
                        ELSE EXCLUDED.match_method END,
    matched_with = CASE WHEN m.canonical_road_link_id = EXCLUDED.canonical_road_link_id THEN m.matched_with
                        ELSE EXCLUDED.matched_with END,
    hausdorff_m = CASE WHEN m.canonical_road_link_id = EXCLUDED.canonical_road_link_id THEN m.hausdorff_m
                       ELSE EXCLUDED.hausdorff_m END;
ANALYZE unified.canonical_road_link_member;  -- read by the lineage evidence next

-- 5. Predecessors of the new identities among the ones retired in this run (same source and road):
--    split (the new link lies along part of the old one), merged (the old one lies along part of the
--    new one), rerouted (both ends within the tolerance, another path between them).
INSERT INTO unified.canonical_road_link_predecessor (canonical_road_link_id, predecessor_id, relation, shared_m,
                                                     hausdorff_m)
SELECT c.id, r.id,
       CASE WHEN f.cover_new >= %(min_cover)s AND f.cover_old < %(min_cover)s THEN 'split'
            WHEN f.cover_old >= %(min_cover)s AND f.cover_new < %(min_cover)s THEN 'merged'
            ELSE 'rerouted' END,
       round(f.shared_m::numeric, 1), round(ST_HausdorffDistance(n.geom, r.geom)::numeric, 1)
FROM _rl_new n
JOIN unified.canonical_road_link c ON c.namespace = %(namespace)s AND c.local_id = n.new_local_id
JOIN _rl_retired r
  ON r.source_id = n.source_id AND r.road_number IS NOT DISTINCT FROM n.road_number
 AND ST_DWithin(r.geom, n.geom, %(keep_max_hausdorff_m)s)
CROSS JOIN LATERAL (
    SELECT ST_Length(ST_Intersection(n.geom, ST_Buffer(r.geom, %(keep_max_hausdorff_m)s))) AS shared_m,
           ST_Length(ST_Intersection(n.geom, ST_Buffer(r.geom, %(keep_max_hausdorff_m)s))) / nullif(n.len, 0)
             AS cover_new,
           ST_Length(ST_Intersection(r.geom, ST_Buffer(n.geom, %(keep_max_hausdorff_m)s))) / nullif(r.len, 0)
             AS cover_old
) f
WHERE (f.cover_new >= %(min_cover)s) <> (f.cover_old >= %(min_cover)s)
   OR ((ST_DWithin(ST_StartPoint(n.geom), ST_StartPoint(r.geom), %(keep_max_hausdorff_m)s)
        AND ST_DWithin(ST_EndPoint(n.geom), ST_EndPoint(r.geom), %(keep_max_hausdorff_m)s))
    OR (ST_DWithin(ST_StartPoint(n.geom), ST_EndPoint(r.geom), %(keep_max_hausdorff_m)s)
        AND ST_DWithin(ST_EndPoint(n.geom), ST_StartPoint(r.geom), %(keep_max_hausdorff_m)s)))
ON CONFLICT (canonical_road_link_id, predecessor_id) DO NOTHING;
