-- Rail network nodes: every positioned station of the current paths (public stop or not).
WITH st AS (SELECT * FROM czptt_station WHERE geom IS NOT NULL), ins AS (
    INSERT INTO unified.transport_node (source_id, feed_version_id, namespace, local_id, network, name, node_kind,
                                        geom)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, st.sr70, 'rail', st.name, 'station', st.geom
      FROM st
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, load_run_id)
SELECT 'unified.transport_node', ins.id, s.feed_version_id, s.source_file, s.source_line, s.source_key, s.match_method,
       %(load_run_id)s
  FROM ins JOIN czptt_station_source s ON s.sr70 = ins.local_id
 ORDER BY s.ord;
