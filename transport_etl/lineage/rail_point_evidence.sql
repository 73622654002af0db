-- Evidence of one rail-point identity run (ledger.record_rail_point_evidence, called after
-- harmonise/rail_points_apply.sql in the same transaction, reading its temp tables _rp_member and
-- _rp_assign): one lineage.entity_source row per member record of this run, with the decision
-- (sr70_code, renumbered + distance) and the register line or CZPTT file behind it. The rows of the
-- feed versions in this run are replaced; earlier versions keep theirs. Parameter: %(load_run_id)s.
DELETE FROM lineage.entity_source e
WHERE e.unified_table = 'unified.canonical_rail_point'
  AND e.feed_version_id IN (SELECT DISTINCT feed_version_id FROM _rp_member);
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, distance_m, name_similarity, load_run_id)
SELECT 'unified.canonical_rail_point', a.canonical_id, t.feed_version_id, t.source_file, t.line_no,
       t.source_id || ':' || t.code, a.match_method, a.distance_m, a.name_similarity, %(load_run_id)s
FROM _rp_member t JOIN _rp_assign a ON a.code5 = t.code5;
