-- SR70 passenger points → unified.stop_place (kind rail, local_id and register_id = 6-digit SR70),
-- one lineage.entity_source row each pointing at the CSV line.
WITH src AS (
    SELECT s.* FROM staging.sr70 s
     WHERE s.feed_version_id = %(feed_version_id)s AND s.is_passenger
), ins AS (
    INSERT INTO unified.stop_place (source_id, feed_version_id, namespace, local_id, name, kind, register_id,
                                    geom, location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, src.sr70, coalesce(src.name, src.sr70), 'rail',
           src.sr70, src.geom, src.location_note
      FROM src
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line,
                                   source_key, match_method, load_run_id)
SELECT 'unified.stop_place', ins.id, %(feed_version_id)s, src.source_file, src.line_no, src.sr70, 'source',
       %(load_run_id)s
  FROM ins JOIN src ON src.sr70 = ins.local_id;
