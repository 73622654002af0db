-- Rail-point identity, step 2 (rail_points.py): every 5-digit code of this run gets its canonical
-- point (known before, renumbered: _rp_renumbered, else a new SR<code>), then members, attributes
-- and retirements are published. Parameter: %(namespace)s.
ANALYZE _rp_renumbered;
CREATE TEMP TABLE _rp_assign ON COMMIT DROP AS
SELECT DISTINCT m.code5, coalesce(k.canonical_id, r.canonical_id) AS canonical_id,
       CASE WHEN k.canonical_id IS NULL AND r.canonical_id IS NOT NULL THEN 'renumbered' ELSE 'sr70_code' END
         AS match_method,
       CASE WHEN k.canonical_id IS NULL THEN r.old_code END AS matched_with,
       CASE WHEN k.canonical_id IS NULL THEN r.distance_m END AS distance_m,
       CASE WHEN k.canonical_id IS NULL AND r.canonical_id IS NOT NULL THEN 1.0 END AS name_similarity
FROM _rp_member m
LEFT JOIN _rp_known k ON k.code5 = m.code5
LEFT JOIN _rp_renumbered r ON r.code5 = m.code5;

-- New points: SR + their code (should that id be taken already, SR<code>-2, -3 ...).
WITH ins AS (
    INSERT INTO unified.canonical_rail_point (namespace, local_id)
    SELECT %(namespace)s, 'SR' || a.code5 || CASE
               WHEN NOT EXISTS (SELECT 1 FROM unified.canonical_rail_point c
                                WHERE c.namespace = %(namespace)s AND c.local_id = 'SR' || a.code5) THEN ''
               ELSE '-' || (SELECT count(*) + 1 FROM unified.canonical_rail_point c
                            WHERE c.namespace = %(namespace)s AND c.local_id LIKE 'SR' || a.code5 || '-%%') END
    FROM _rp_assign a WHERE a.canonical_id IS NULL
    RETURNING id, local_id
)
UPDATE _rp_assign a SET canonical_id = ins.id FROM ins WHERE a.canonical_id IS NULL AND substr(ins.local_id, 3, 5) = a.code5;
ANALYZE unified.canonical_rail_point;
ANALYZE _rp_assign;

-- Members of this run (one row per source, version, kind and code).
INSERT INTO unified.canonical_rail_point_member AS m
    (canonical_rail_point_id, source_id, feed_version_id, member_kind, member_local_id, name, match_method,
     matched_with, distance_m, name_similarity, source_file, source_line)
SELECT a.canonical_id, t.source_id, t.feed_version_id, t.member_kind, t.code, t.name, a.match_method,
       a.matched_with, round(a.distance_m::numeric, 1), a.name_similarity, t.source_file, t.line_no
FROM _rp_member t JOIN _rp_assign a ON a.code5 = t.code5
ON CONFLICT (source_id, feed_version_id, member_kind, member_local_id) DO UPDATE SET
    canonical_rail_point_id = EXCLUDED.canonical_rail_point_id, name = EXCLUDED.name, recorded_to = NULL;
ANALYZE unified.canonical_rail_point_member;
-- Members of versions no longer current are history.
UPDATE unified.canonical_rail_point_member m SET recorded_to = now()
WHERE m.recorded_to IS NULL
  AND NOT EXISTS (SELECT 1 FROM _rp_member t WHERE (t.source_id, t.feed_version_id, t.member_kind, t.code)
                                                 = (m.source_id, m.feed_version_id, m.member_kind, m.member_local_id))
  AND EXISTS (SELECT 1 FROM lineage.feed_version fv WHERE fv.id = m.feed_version_id AND NOT fv.is_current);

-- Attributes from the current members: name and kind from the newest register record, else CZPTT.
UPDATE unified.canonical_rail_point c
SET name = s.name, kind_text = s.kind_text, geom = s.geom, sr70_codes = s.codes, member_count = s.n,
    recorded_to = NULL,
    updated_at = CASE WHEN (c.name, c.sr70_codes, c.geom) IS DISTINCT FROM (s.name, s.codes, s.geom) THEN now()
                      ELSE c.updated_at END
FROM (
    SELECT a.canonical_id,
           (array_agg(t.name ORDER BY t.member_kind DESC, t.loaded_at DESC, t.code) FILTER (WHERE t.name IS NOT NULL))[1] AS name,
           (array_agg(t.kind_text ORDER BY t.loaded_at DESC, t.code) FILTER (WHERE t.member_kind = 'sr70'))[1] AS kind_text,
           (array_agg(t.geom ORDER BY t.loaded_at DESC, t.code) FILTER (WHERE t.geom IS NOT NULL))[1] AS geom,
           array_agg(DISTINCT t.code5 ORDER BY t.code5) AS codes, count(*) AS n
    FROM _rp_member t JOIN _rp_assign a ON a.code5 = t.code5
    GROUP BY a.canonical_id
) s
WHERE c.id = s.canonical_id;
-- Points without a current member are retired; their ids stay theirs.
UPDATE unified.canonical_rail_point c SET recorded_to = now(), member_count = 0
WHERE c.namespace = %(namespace)s AND c.recorded_to IS NULL
  AND NOT EXISTS (SELECT 1 FROM _rp_assign a WHERE a.canonical_id = c.id);
