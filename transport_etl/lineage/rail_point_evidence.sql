-- Evidence of one rail-point identity run (ledger.record_rail_point_evidence, called after
-- harmonise/rail_points_apply.sql in the same transaction, reading its temp table _rp_member): one
-- lineage.entity_source row per member record of this run, with the decision on record
-- (sr70_code, renumbered + distance) and the register line or CZPTT file behind it. The rows of the
-- feed versions in this run are replaced; earlier versions keep theirs. Parameter: %(load_run_id)s.
DELETE FROM lineage.entity_source e
WHERE e.unified_table = 'unified.canonical_rail_point'
  AND e.feed_version_id IN (SELECT DISTINCT feed_version_id FROM _rp_member);
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, distance_m, name_similarity, load_run_id)
SELECT 'unified.canonical_rail_point', m.canonical_rail_point_id, m.feed_version_id, m.source_file, m.source_line,
       m.source_id || ':' || m.member_local_id, m.match_method, m.distance_m, m.name_similarity, %(load_run_id)s
FROM _rp_member t
-- The decision on record: a rerun over the same versions keeps the first run's (renumbered).
JOIN unified.canonical_rail_point_member m
  ON (m.source_id, m.feed_version_id, m.member_kind, m.member_local_id)
   = (t.source_id, t.feed_version_id, t.member_kind, t.code);
