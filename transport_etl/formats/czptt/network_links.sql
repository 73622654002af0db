-- Rail links without a line layer: a straight line between each pair of consecutive positioned
-- stations of the current paths, one link per unordered pair (local_id = lower code - higher code).
WITH seq AS (
    SELECT m.msg_no, m.pa_key, l.source_file, l.seq, l.sr70,
           lead(l.sr70) OVER (PARTITION BY l.msg_no ORDER BY l.seq) AS next_sr70
      FROM staging.czptt_location l
      JOIN staging.czptt_message m ON m.feed_version_id = l.feed_version_id AND m.msg_no = l.msg_no
      JOIN czptt_station st ON st.sr70 = l.sr70 AND st.geom IS NOT NULL
     WHERE l.feed_version_id = %(feed_version_id)s AND m.status = 'current'
), pairs AS (
    SELECT DISTINCT ON (least(sr70, next_sr70), greatest(sr70, next_sr70))
           least(sr70, next_sr70) AS a, greatest(sr70, next_sr70) AS b, source_file, pa_key
      FROM seq WHERE next_sr70 IS NOT NULL AND next_sr70 <> sr70
     ORDER BY least(sr70, next_sr70), greatest(sr70, next_sr70), msg_no, seq
), geo AS (
    SELECT p.*, na.id AS a_id, nb.id AS b_id, na.name || ' – ' || nb.name AS name,
           ST_MakeLine(na.geom, nb.geom) AS geom
      FROM pairs p
      JOIN unified.transport_node na ON na.feed_version_id = %(feed_version_id)s AND na.network = 'rail'
                                    AND na.local_id = p.a
      JOIN unified.transport_node nb ON nb.feed_version_id = %(feed_version_id)s AND nb.network = 'rail'
                                    AND nb.local_id = p.b
), ins AS (
    INSERT INTO unified.transport_link (source_id, feed_version_id, namespace, local_id, network, start_node_id,
                                        end_node_id, name, length_m, geom)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, g.a || '-' || g.b, 'rail', g.a_id, g.b_id, g.name,
           ST_Length(g.geom), g.geom
      FROM geo g
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_key, load_run_id)
SELECT 'unified.transport_link', ins.id, %(feed_version_id)s, g.source_file, g.pa_key || ' ' || g.a || '-' || g.b,
       %(load_run_id)s
  FROM ins JOIN geo g ON g.a || '-' || g.b = ins.local_id;
