-- Rail-point identity, step 1b (rail_points.py), after rail_points_members.sql.
-- Renumbering candidates: a register code never seen before, near a current canonical point none of
-- whose codes is in the register any more (names compared in Python, by the one normaliser).
-- Parameters: %(namespace)s, %(rename_max_distance_m)s.
SELECT DISTINCT ON (n.code5, c.id) n.code5, n.name, c.id, c.name, c.sr70_codes[1],
       ST_Distance(n.geom, c.geom) AS distance_m
FROM _rp_member n
JOIN unified.canonical_rail_point c
  ON c.namespace = %(namespace)s AND c.recorded_to IS NULL
 AND ST_DWithin(n.geom, c.geom, %(rename_max_distance_m)s)
WHERE n.member_kind = 'sr70'
  AND NOT EXISTS (SELECT 1 FROM _rp_known k WHERE k.code5 = n.code5)
  AND NOT EXISTS (SELECT 1 FROM _rp_member o WHERE o.member_kind = 'sr70' AND o.code5 = ANY(c.sr70_codes))
ORDER BY n.code5, c.id, n.feed_version_id DESC
