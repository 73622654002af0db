-- Evidence of one road-link identity run (ledger.record_road_link_evidence, called after
-- harmonise/road_links_apply.sql in the same transaction, reading its temp table _rl_member):
-- one lineage.entity_source row per member link of this run, with the decision on record (new,
-- unchanged, geometry + Hausdorff distance) and the link's own source record (file, line). The rows of the
-- network versions in this run are replaced; earlier versions keep theirs. Parameter: %(load_run_id)s.
DELETE FROM lineage.entity_source e
WHERE e.unified_table = 'unified.canonical_road_link'
  AND e.feed_version_id IN (SELECT DISTINCT feed_version_id FROM _rl_member);
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, distance_m, load_run_id)
SELECT 'unified.canonical_road_link', m.canonical_road_link_id, m.feed_version_id, es.source_file, es.source_line,
       m.source_id || ':' || m.member_local_id, m.match_method, m.hausdorff_m, %(load_run_id)s
FROM _rl_member t
-- The decision on record: a rerun over the same network version keeps the first run's (new, geometry).
JOIN unified.canonical_road_link_member m
  ON (m.source_id, m.feed_version_id, m.member_local_id) = (t.source_id, t.feed_version_id, t.local_id)
LEFT JOIN LATERAL (
    SELECT e.source_file, e.source_line FROM lineage.row_source e  -- both lineage forms
    WHERE e.unified_table = 'unified.transport_link' AND e.unified_id = m.transport_link_id
    ORDER BY e.recorded_at DESC, e.source_line LIMIT 1
) es ON true;
