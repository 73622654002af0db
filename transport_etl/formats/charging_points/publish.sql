-- Charging stations of one feed version → unified.fleet_charging_point (identity kept while unchanged)
-- + lineage.entity_source.
CREATE TEMP TABLE tmp_charging_point ON COMMIT DROP AS
SELECT r.*, CASE WHEN r.x IS NOT NULL THEN ST_SetSRID(ST_MakePoint(r.x, r.y), 5514) END AS geom
FROM staging.fleet_charging_point_record r WHERE r.feed_version_id = %(feed_version_id)s;

WITH kept AS (
    UPDATE unified.fleet_charging_point f SET feed_version_id = %(feed_version_id)s
    FROM tmp_charging_point t
    WHERE f.source_id = %(source_id)s AND f.recorded_to IS NULL AND f.local_id = t.point_id
      AND (f.name, f.operator, f.address, f.municipality, f.connectors, f.power_kw, f.charge_points, f.access,
           f.location_note)
          IS NOT DISTINCT FROM (t.name, t.operator, t.address, t.municipality, t.connectors, t.power_kw,
                                t.charge_points, t.access, t.location_note)
      AND ST_AsEWKB(f.geom) IS NOT DISTINCT FROM ST_AsEWKB(t.geom)
    RETURNING f.id, f.local_id
), added AS (
    INSERT INTO unified.fleet_charging_point (source_id, feed_version_id, namespace, local_id, name, operator, address,
        municipality, connectors, power_kw, charge_points, access, geom, location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, t.point_id, t.name, t.operator, t.address, t.municipality,
           t.connectors, t.power_kw, t.charge_points, t.access, t.geom, t.location_note
    FROM tmp_charging_point t WHERE NOT EXISTS (SELECT 1 FROM kept k WHERE k.local_id = t.point_id)
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   load_run_id)
SELECT 'unified.fleet_charging_point', x.id, %(feed_version_id)s, t.source_file, t.line_no, t.point_id, %(load_run_id)s
FROM (SELECT id, local_id FROM kept UNION ALL SELECT id, local_id FROM added) x
JOIN tmp_charging_point t ON t.point_id = x.local_id;

DROP TABLE tmp_charging_point;
