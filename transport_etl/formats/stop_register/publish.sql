-- Stop register → unified.stop_place (one per CRZ number, at the centroid of its poles) and
-- unified.stop_point (one per pole, register_id = CRZ_OZNACN = CRZ × 100 + označník).

WITH src AS (
    SELECT crz, (array_agg(name ORDER BY line_no))[1] AS name,
           (array_agg(municipality ORDER BY line_no))[1] AS municipality,
           (array_agg(district_code ORDER BY line_no))[1] AS district_code,
           ST_Centroid(ST_Collect(geom)) AS geom,
           CASE WHEN count(geom) = 0 THEN (array_agg(location_note ORDER BY line_no))[1] END AS location_note
      FROM staging.stop_register WHERE feed_version_id = %(feed_version_id)s
     GROUP BY crz
), ins AS (
    INSERT INTO unified.stop_place (source_id, feed_version_id, namespace, local_id, name, kind, municipality,
                                    district_code, register_id, geom, location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, crz, name, 'bus', municipality, district_code, crz,
           geom, location_note
      FROM src
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key, load_run_id)
SELECT 'unified.stop_place', ins.id, %(feed_version_id)s, r.source_file, r.line_no, 'CRZ ' || r.crz, %(load_run_id)s
  FROM ins JOIN staging.stop_register r ON r.feed_version_id = %(feed_version_id)s AND r.crz = ins.local_id;

WITH src AS (
    SELECT r.*, sp.id AS stop_place_id,
           unified.crz_pole_id(r.crz, r.post_code) AS pole_id
      FROM staging.stop_register r
      JOIN unified.stop_place sp ON sp.feed_version_id = %(feed_version_id)s AND sp.local_id = r.crz
     WHERE r.feed_version_id = %(feed_version_id)s
), ins AS (
    INSERT INTO unified.stop_point (source_id, feed_version_id, namespace, local_id, stop_place_id, name,
                                    platform_code, point_kind, register_id, geom, location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, coalesce(pole_id, crz || '#'), stop_place_id, name,
           post_code, 'platform', pole_id, geom, location_note
      FROM src
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key, load_run_id)
SELECT 'unified.stop_point', ins.id, %(feed_version_id)s, src.source_file, src.line_no, ins.local_id, %(load_run_id)s
  FROM ins JOIN src ON coalesce(src.pole_id, src.crz || '#') = ins.local_id;
