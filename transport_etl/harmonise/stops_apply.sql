-- Publish one harmonisation run from the temp tables _canon, _member and _review (filled by
-- stops.py) in the caller's transaction. Parameter: %(namespace)s. Lineage: stops_lineage.sql.
-- Every table a later step reads right after an earlier step filled it is analysed first.

-- 1. Canonical stop places: upsert; version goes up when name, position or members change.
INSERT INTO unified.canonical_stop_place AS c
    (namespace, local_id, name, kind, municipality, district_code, register_ids, member_count, sources,
     name_source, name_member, name_reason, position_source, position_member, position_reason, content_hash, geom)
SELECT %(namespace)s, t.local_id, t.name, t.kind, t.municipality, t.district_code, t.register_ids, t.member_count,
       t.sources, t.name_source, t.name_member, t.name_reason, t.position_source, t.position_member,
       t.position_reason, t.content_hash,
       CASE WHEN t.x IS NULL THEN NULL ELSE ST_SetSRID(ST_MakePoint(t.x, t.y), 5514) END
FROM _canon t
ON CONFLICT (namespace, local_id) DO UPDATE SET
    name = EXCLUDED.name, kind = EXCLUDED.kind, municipality = EXCLUDED.municipality,
    district_code = EXCLUDED.district_code, register_ids = EXCLUDED.register_ids,
    member_count = EXCLUDED.member_count, sources = EXCLUDED.sources, name_source = EXCLUDED.name_source,
    name_member = EXCLUDED.name_member, name_reason = EXCLUDED.name_reason,
    position_source = EXCLUDED.position_source, position_member = EXCLUDED.position_member,
    position_reason = EXCLUDED.position_reason, geom = EXCLUDED.geom, recorded_to = NULL,
    version = c.version + CASE WHEN c.content_hash IS DISTINCT FROM EXCLUDED.content_hash
                                 OR c.recorded_to IS NOT NULL THEN 1 ELSE 0 END,
    updated_at = CASE WHEN c.content_hash IS DISTINCT FROM EXCLUDED.content_hash
                        OR c.recorded_to IS NOT NULL THEN now() ELSE c.updated_at END,
    content_hash = EXCLUDED.content_hash
-- An unchanged canonical stop is not rewritten (at 10^5 stops, rewriting every row and its indexes
-- on every run costs more than the matching itself).
WHERE (c.name, c.kind, c.municipality, c.district_code, c.register_ids, c.member_count, c.sources, c.name_source,
       c.name_member, c.name_reason, c.position_source, c.position_member, c.position_reason, c.content_hash,
       c.recorded_to, c.geom)
      IS DISTINCT FROM
      (EXCLUDED.name, EXCLUDED.kind, EXCLUDED.municipality, EXCLUDED.district_code, EXCLUDED.register_ids,
       EXCLUDED.member_count, EXCLUDED.sources, EXCLUDED.name_source, EXCLUDED.name_member, EXCLUDED.name_reason,
       EXCLUDED.position_source, EXCLUDED.position_member, EXCLUDED.position_reason, EXCLUDED.content_hash, NULL,
       EXCLUDED.geom);

-- Planner statistics for the anti-join below (without them: a nested loop, minutes at 10^5 stops).
ANALYZE unified.canonical_stop_place;

-- 2. Canonical stops without a current member are retired (their ids are never handed out again).
UPDATE unified.canonical_stop_place c
SET recorded_to = now(), member_count = 0, sources = '{}'
WHERE c.namespace = %(namespace)s AND c.recorded_to IS NULL
  AND NOT EXISTS (SELECT 1 FROM _canon t WHERE t.local_id = c.local_id);

-- 3. Members: keyed by source identity, so new stop_place row ids keep their canonical stop.
INSERT INTO unified.canonical_stop_member AS m
    (canonical_stop_place_id, source_id, member_namespace, member_local_id, stop_place_id, name, kind,
     register_key, match_method, matched_with, distance_m, name_similarity, score)
SELECT c.id, t.source_id, t.member_namespace, t.member_local_id, t.stop_place_id, t.name, t.kind, t.register_key,
       t.match_method, t.matched_with, t.distance_m, t.name_similarity, t.score
FROM _member t
JOIN unified.canonical_stop_place c ON c.namespace = %(namespace)s AND c.local_id = t.canonical_local_id
ON CONFLICT (source_id, member_local_id) DO UPDATE SET
    canonical_stop_place_id = EXCLUDED.canonical_stop_place_id, member_namespace = EXCLUDED.member_namespace,
    stop_place_id = EXCLUDED.stop_place_id, name = EXCLUDED.name, kind = EXCLUDED.kind,
    register_key = EXCLUDED.register_key, match_method = EXCLUDED.match_method,
    matched_with = EXCLUDED.matched_with, distance_m = EXCLUDED.distance_m,
    name_similarity = EXCLUDED.name_similarity, score = EXCLUDED.score, updated_at = now(), recorded_to = NULL
WHERE (m.canonical_stop_place_id, m.member_namespace, m.stop_place_id, m.name, m.kind, m.register_key,
       m.match_method, m.matched_with, m.distance_m, m.name_similarity, m.score, m.recorded_to)
      IS DISTINCT FROM
      (EXCLUDED.canonical_stop_place_id, EXCLUDED.member_namespace, EXCLUDED.stop_place_id, EXCLUDED.name,
       EXCLUDED.kind, EXCLUDED.register_key, EXCLUDED.match_method, EXCLUDED.matched_with, EXCLUDED.distance_m,
       EXCLUDED.name_similarity, EXCLUDED.score, NULL);

ANALYZE unified.canonical_stop_member;

-- Members no longer current keep their last canonical stop as memory (rows already closed stay as they are).
UPDATE unified.canonical_stop_member m
SET stop_place_id = NULL, recorded_to = coalesce(m.recorded_to, now())
WHERE (m.stop_place_id IS NOT NULL OR m.recorded_to IS NULL)
  AND NOT EXISTS (SELECT 1 FROM _member t WHERE t.source_id = m.source_id AND t.member_local_id = m.member_local_id);

-- 5. Review queue: refresh the algorithm's doubtful pairs; decided pairs keep their status.
INSERT INTO unified.stop_match_review AS r
    (a_source_id, a_local_id, b_source_id, b_local_id, a_name, b_name, a_canonical_id, b_canonical_id,
     distance_m, name_similarity, score, reason, geom)
SELECT t.a_source_id, t.a_local_id, t.b_source_id, t.b_local_id, t.a_name, t.b_name, t.a_canonical_id,
       t.b_canonical_id, t.distance_m, t.name_similarity, t.score, t.reason,
       CASE WHEN t.ax IS NULL OR t.bx IS NULL THEN NULL
            ELSE ST_SetSRID(ST_MakeLine(ST_MakePoint(t.ax, t.ay), ST_MakePoint(t.bx, t.by)), 5514) END
FROM _review t
ON CONFLICT (a_source_id, a_local_id, b_source_id, b_local_id) DO UPDATE SET
    a_name = EXCLUDED.a_name, b_name = EXCLUDED.b_name, a_canonical_id = EXCLUDED.a_canonical_id,
    b_canonical_id = EXCLUDED.b_canonical_id, distance_m = EXCLUDED.distance_m,
    name_similarity = EXCLUDED.name_similarity, score = EXCLUDED.score,
    reason = coalesce(r.reason, EXCLUDED.reason), geom = EXCLUDED.geom, updated_at = now();

DELETE FROM unified.stop_match_review r
WHERE r.status = 'open'
  AND NOT EXISTS (SELECT 1 FROM _review t WHERE (t.a_source_id, t.a_local_id, t.b_source_id, t.b_local_id)
                                              = (r.a_source_id, r.a_local_id, r.b_source_id, r.b_local_id));

-- Decided pairs: show where their stops are now.
UPDATE unified.stop_match_review r
SET a_canonical_id = ca.local_id, b_canonical_id = cb.local_id, a_name = coalesce(ma.name, r.a_name),
    b_name = coalesce(mb.name, r.b_name)
FROM unified.canonical_stop_member ma
JOIN unified.canonical_stop_place ca ON ca.id = ma.canonical_stop_place_id,
     unified.canonical_stop_member mb
JOIN unified.canonical_stop_place cb ON cb.id = mb.canonical_stop_place_id
WHERE r.status <> 'open'
  AND ma.source_id = r.a_source_id AND ma.member_local_id = r.a_local_id
  AND mb.source_id = r.b_source_id AND mb.member_local_id = r.b_local_id;
