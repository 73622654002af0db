-- Rail links from the configured line layer; link ends snap to the nearest station node within
-- %(snap_m)s metres (else no node).
WITH feats AS (
    SELECT f.*,
           (SELECT n.id FROM unified.transport_node n
             WHERE n.feed_version_id = %(feed_version_id)s AND n.network = 'rail'
               AND ST_DWithin(n.geom, ST_StartPoint(f.geom), %(snap_m)s)
             ORDER BY n.geom <-> ST_StartPoint(f.geom) LIMIT 1) AS start_id,
           (SELECT n.id FROM unified.transport_node n
             WHERE n.feed_version_id = %(feed_version_id)s AND n.network = 'rail'
               AND ST_DWithin(n.geom, ST_EndPoint(f.geom), %(snap_m)s)
             ORDER BY n.geom <-> ST_EndPoint(f.geom) LIMIT 1) AS end_id
      FROM staging.czptt_rail_layer f WHERE f.feed_version_id = %(feed_version_id)s
), ins AS (
    INSERT INTO unified.transport_link (source_id, feed_version_id, namespace, local_id, network, start_node_id,
                                        end_node_id, road_number, name, length_m, geom)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, f.feature_id, 'rail', f.start_id, f.end_id,
           f.line_number, f.name, ST_Length(f.geom), f.geom
      FROM feats f
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   load_run_id)
SELECT 'unified.transport_link', ins.id, %(feed_version_id)s, f.source_file, f.feature_no, f.feature_id,
       %(load_run_id)s
  FROM ins JOIN feats f ON f.feature_id = ins.local_id;
