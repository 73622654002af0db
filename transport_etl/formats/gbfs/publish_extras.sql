-- GBFS vehicle types, geofencing zones and pricing plans of one feed version → unified (current rows);
-- the previous version's rows are closed here (the runner closes only its core tables).
WITH closed AS (
    UPDATE unified.bike_vehicle_type SET recorded_to = now()
    WHERE source_id = %(source_id)s AND recorded_to IS NULL RETURNING 1
), ins AS (
    INSERT INTO unified.bike_vehicle_type (source_id, feed_version_id, namespace, local_id, system_id, name, form_factor,
                                           propulsion_type, max_range_m, pricing_plan_ids)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, v.vehicle_type_id, sys.system_id, v.name, v.form_factor,
           v.propulsion_type, (v.raw->>'max_range_meters')::float8,
           coalesce(ARRAY(SELECT jsonb_array_elements_text(CASE WHEN jsonb_typeof(v.raw->'pricing_plan_ids') = 'array'
                                                              THEN v.raw->'pricing_plan_ids' ELSE '[]' END)),
                    ARRAY[]::text[]) || CASE WHEN v.raw ? 'default_pricing_plan_id'
                                             THEN ARRAY[v.raw->>'default_pricing_plan_id'] ELSE ARRAY[]::text[] END
    FROM staging.gbfs_vehicle_type v
    LEFT JOIN staging.gbfs_system sys ON sys.feed_version_id = v.feed_version_id
    WHERE v.feed_version_id = %(feed_version_id)s
    RETURNING 1
)
SELECT (SELECT count(*) FROM closed), (SELECT count(*) FROM ins);

UPDATE unified.bike_geofencing_zone SET recorded_to = now() WHERE source_id = %(source_id)s AND recorded_to IS NULL;
INSERT INTO unified.bike_geofencing_zone (source_id, feed_version_id, namespace, local_id, system_id, name, starts_at,
    ends_at, ride_start_allowed, ride_end_allowed, ride_through_allowed, maximum_speed_kph, station_parking, rules, geom)
SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, z.json_index::text, sys.system_id, z.name, z.starts_at, z.ends_at,
       coalesce((r->>'ride_start_allowed')::boolean, (r->>'ride_allowed')::boolean),
       coalesce((r->>'ride_end_allowed')::boolean, (r->>'ride_allowed')::boolean),
       (r->>'ride_through_allowed')::boolean, (r->>'maximum_speed_kph')::float8, (r->>'station_parking')::boolean,
       z.rules,
       ST_Multi(ST_CollectionExtract(ST_MakeValid(ST_Transform(ST_SetSRID(ST_GeomFromGeoJSON(z.geojson::text), 4326),
                                                               5514)), 3))
FROM staging.gbfs_geofencing_zone z
LEFT JOIN staging.gbfs_system sys ON sys.feed_version_id = z.feed_version_id
CROSS JOIN LATERAL (SELECT z.rules->0 AS r) x
WHERE z.feed_version_id = %(feed_version_id)s;

UPDATE unified.bike_pricing_plan SET recorded_to = now() WHERE source_id = %(source_id)s AND recorded_to IS NULL;
INSERT INTO unified.bike_pricing_plan (source_id, feed_version_id, namespace, local_id, system_id, name, currency, price,
                                       is_taxable, description, per_km_pricing, per_min_pricing, surge_pricing)
SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, p.plan_id, sys.system_id, p.name, p.currency, p.price,
       p.is_taxable, p.description, p.raw->'per_km_pricing', p.raw->'per_min_pricing', (p.raw->>'surge_pricing')::boolean
FROM staging.gbfs_pricing_plan p
LEFT JOIN staging.gbfs_system sys ON sys.feed_version_id = p.feed_version_id
WHERE p.feed_version_id = %(feed_version_id)s;

CREATE TEMP TABLE _gbfs_extra_counts ON COMMIT DROP AS
SELECT 'unified.bike_vehicle_type' AS tbl, count(*) AS n FROM unified.bike_vehicle_type
WHERE feed_version_id = %(feed_version_id)s
UNION ALL SELECT 'unified.bike_geofencing_zone', count(*) FROM unified.bike_geofencing_zone
WHERE feed_version_id = %(feed_version_id)s
UNION ALL SELECT 'unified.bike_pricing_plan', count(*) FROM unified.bike_pricing_plan
WHERE feed_version_id = %(feed_version_id)s;
