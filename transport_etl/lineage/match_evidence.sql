-- Evidence of one stop-identity run (ledger.record_match_evidence, called after harmonise/stops_apply.sql
-- in the same transaction, reading its temp table _member). Parameters: %(namespace)s, %(load_run_id)s.
-- one entity_source row per member of each canonical stop, with the decision and the
-- member's own source record (file, line). Replaced on every run: they describe the current decisions.
DELETE FROM lineage.entity_source WHERE unified_table = 'unified.canonical_stop_place';
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, distance_m, name_similarity, score, load_run_id)
SELECT 'unified.canonical_stop_place', c.id, t.feed_version_id, es.source_file, es.source_line,
       t.source_id || ':' || t.member_local_id, t.match_method, t.distance_m, t.name_similarity, t.score,
       %(load_run_id)s
FROM _member t
JOIN unified.canonical_stop_place c ON c.namespace = %(namespace)s AND c.local_id = t.canonical_local_id
LEFT JOIN LATERAL (
    SELECT e.source_file, e.source_line FROM lineage.row_source e  -- both lineage forms
    WHERE e.unified_table = 'unified.stop_place' AND e.unified_id = t.stop_place_id
    ORDER BY e.recorded_at, e.source_line LIMIT 1
) es ON true;

