-- Append one GBFS status snapshot from the temp tables (keys already unique per snapshot); the
-- tables' unique keys make a repeated last_updated a no-op. Coordinates at 0,0 are not positions (NULL geometry).
INSERT INTO unified.bike_station_status (source_id, namespace, station_id, last_updated, last_reported,
    num_bikes_available, num_bikes_disabled, num_docks_available, num_docks_disabled, is_installed, is_renting,
    is_returning, vehicle_types_available, poll_run_id)
SELECT %(source_id)s, %(namespace)s, station_id, %(last_updated)s, last_reported,
    num_bikes_available, num_bikes_disabled, num_docks_available, num_docks_disabled, is_installed, is_renting,
    is_returning, vehicle_types_available, %(poll_run_id)s
FROM tmp_gbfs_status
ON CONFLICT (source_id, station_id, last_updated) DO NOTHING;

INSERT INTO unified.bike_vehicle_status (source_id, namespace, vehicle_id, last_updated, vehicle_type_id,
    station_id, is_reserved, is_disabled, current_range_m, geom, poll_run_id)
SELECT %(source_id)s, %(namespace)s, vehicle_id, %(vehicles_updated)s, vehicle_type_id,
    station_id, is_reserved, is_disabled, current_range_m,
    unified.place_point(lat, lon, %(extent)s::float8[]),  -- the one position rule (schemas/640_positions.sql)
    %(poll_run_id)s
FROM tmp_gbfs_vehicle
ON CONFLICT (source_id, vehicle_id, last_updated) DO NOTHING;
