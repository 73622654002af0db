-- The vehicle register of one feed version → unified.fleet_vehicle (identity kept while unchanged) + lineage;
-- then trips of these vehicles still without energy get it (telemetry loaded before the register).
CREATE TEMP TABLE tmp_fleet_vehicle ON COMMIT DROP AS
SELECT r.*, CASE WHEN r.x IS NOT NULL THEN ST_SetSRID(ST_MakePoint(r.x, r.y), 5514) END AS geom
FROM staging.fleet_vehicle_record r WHERE r.feed_version_id = %(feed_version_id)s;

WITH kept AS (
    UPDATE unified.fleet_vehicle f SET feed_version_id = %(feed_version_id)s
    FROM tmp_fleet_vehicle t
    WHERE f.source_id = %(source_id)s AND f.recorded_to IS NULL AND f.local_id = t.vehicle_id
      AND (f.registration, f.model, f.battery_kwh, f.home_depot, f.location_note)
          IS NOT DISTINCT FROM (t.registration, t.model, t.battery_kwh, t.home_depot, t.location_note)
      AND ST_AsEWKB(f.depot_geom) IS NOT DISTINCT FROM ST_AsEWKB(t.geom)
    RETURNING f.id, f.local_id
), added AS (
    INSERT INTO unified.fleet_vehicle (source_id, feed_version_id, namespace, local_id, registration, model, battery_kwh,
        home_depot, depot_geom, location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, t.vehicle_id, t.registration, t.model, t.battery_kwh,
           t.home_depot, t.geom, t.location_note
    FROM tmp_fleet_vehicle t WHERE NOT EXISTS (SELECT 1 FROM kept k WHERE k.local_id = t.vehicle_id)
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   load_run_id)
SELECT 'unified.fleet_vehicle', x.id, %(feed_version_id)s, t.source_file, t.line_no, t.vehicle_id, %(load_run_id)s
FROM (SELECT id, local_id FROM kept UNION ALL SELECT id, local_id FROM added) x
JOIN tmp_fleet_vehicle t ON t.vehicle_id = x.local_id;

UPDATE unified.fleet_trip t
SET energy_kwh = round(((t.soc_start_pct - t.soc_end_pct) / 100.0 * v.battery_kwh)::numeric, 3),
    kwh_per_100km = CASE WHEN t.distance_km >= 1
        THEN round(((t.soc_start_pct - t.soc_end_pct) / 100.0 * v.battery_kwh / t.distance_km * 100)::numeric, 2) END
FROM tmp_fleet_vehicle v
WHERE t.vehicle_id = v.vehicle_id AND t.recorded_to IS NULL AND t.soc_start_pct IS NOT NULL
  AND t.soc_end_pct IS NOT NULL AND t.energy_kwh IS NULL;

DROP TABLE tmp_fleet_vehicle;
