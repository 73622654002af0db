-- The vehicle register of one feed version → unified.fleet_vehicle (identity kept while unchanged,
-- unified.keep_identity: schemas/910) + lineage; then trips of these vehicles still without energy get it
-- (telemetry loaded before the register).
CREATE TEMP TABLE tmp_fleet_vehicle ON COMMIT DROP AS
SELECT r.vehicle_id AS local_id, r.source_file, r.line_no AS source_line, r.registration, r.model, r.battery_kwh,
       r.home_depot, CASE WHEN r.x IS NOT NULL THEN ST_SetSRID(ST_MakePoint(r.x, r.y), 5514) END AS depot_geom,
       r.location_note
FROM staging.fleet_vehicle_record r WHERE r.feed_version_id = %(feed_version_id)s;

SELECT unified.keep_identity('fleet_vehicle', 'tmp_fleet_vehicle',
                             ARRAY['registration', 'model', 'battery_kwh', 'home_depot', 'depot_geom', 'location_note'],
                             %(feed_version_id)s, %(source_id)s, %(namespace)s, %(load_run_id)s);

UPDATE unified.fleet_trip t
SET energy_kwh = round(((t.soc_start_pct - t.soc_end_pct) / 100.0 * v.battery_kwh)::numeric, 3),
    kwh_per_100km = CASE WHEN t.distance_km >= 1
        THEN round(((t.soc_start_pct - t.soc_end_pct) / 100.0 * v.battery_kwh / t.distance_km * 100)::numeric, 2) END
FROM tmp_fleet_vehicle v
WHERE t.vehicle_id = v.local_id AND t.recorded_to IS NULL AND t.soc_start_pct IS NOT NULL
  AND t.soc_end_pct IS NOT NULL AND t.energy_kwh IS NULL;

DROP TABLE tmp_fleet_vehicle;
