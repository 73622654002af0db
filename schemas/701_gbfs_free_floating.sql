-- GBFS 1.x–3.x beyond stations: vehicle types, geofencing zones (polygons) and pricing plans of a system,
-- staged per feed version and published as current rows (free-floating systems publish no stations).
CREATE TABLE IF NOT EXISTS staging.gbfs_geofencing_zone (
    feed_version_id bigint NOT NULL,
    source_file     text NOT NULL,
    json_index      integer NOT NULL,
    name            text,
    starts_at       timestamptz,
    ends_at         timestamptz,
    rules           jsonb,
    geojson         jsonb NOT NULL
);
CREATE INDEX IF NOT EXISTS gbfs_geofencing_zone_fv ON staging.gbfs_geofencing_zone (feed_version_id);
COMMENT ON TABLE staging.gbfs_geofencing_zone IS 'GBFS geofencing_zones.json features as published (one row per feature).';
COMMENT ON COLUMN staging.gbfs_geofencing_zone.feed_version_id IS 'Feed version the zone belongs to.';
COMMENT ON COLUMN staging.gbfs_geofencing_zone.source_file IS 'Feed file the zone was read from.';
COMMENT ON COLUMN staging.gbfs_geofencing_zone.json_index IS 'Position of the feature in data.geofencing_zones.features (0 = first).';
COMMENT ON COLUMN staging.gbfs_geofencing_zone.name IS 'properties.name (first text of a v3 localised name).';
COMMENT ON COLUMN staging.gbfs_geofencing_zone.starts_at IS 'properties.start: the zone applies from.';
COMMENT ON COLUMN staging.gbfs_geofencing_zone.ends_at IS 'properties.end: the zone applies until.';
COMMENT ON COLUMN staging.gbfs_geofencing_zone.rules IS 'properties.rules as published (vehicle types, ride allowed, speed).';
COMMENT ON COLUMN staging.gbfs_geofencing_zone.geojson IS 'The feature geometry (GeoJSON MultiPolygon or Polygon, WGS84).';

CREATE TABLE IF NOT EXISTS staging.gbfs_pricing_plan (
    feed_version_id bigint NOT NULL,
    source_file     text NOT NULL,
    json_index      integer NOT NULL,
    plan_id         text NOT NULL,
    name            text,
    currency        text,
    price           numeric,
    is_taxable      boolean,
    description     text,
    raw             jsonb
);
CREATE INDEX IF NOT EXISTS gbfs_pricing_plan_fv ON staging.gbfs_pricing_plan (feed_version_id);
COMMENT ON TABLE staging.gbfs_pricing_plan IS 'GBFS system_pricing_plans.json plans as published.';
COMMENT ON COLUMN staging.gbfs_pricing_plan.feed_version_id IS 'Feed version the plan belongs to.';
COMMENT ON COLUMN staging.gbfs_pricing_plan.source_file IS 'Feed file the plan was read from.';
COMMENT ON COLUMN staging.gbfs_pricing_plan.json_index IS 'Position in data.plans (0 = first).';
COMMENT ON COLUMN staging.gbfs_pricing_plan.plan_id IS 'plan_id.';
COMMENT ON COLUMN staging.gbfs_pricing_plan.name IS 'Plan name (first text of a v3 localised name).';
COMMENT ON COLUMN staging.gbfs_pricing_plan.currency IS 'ISO 4217 currency code.';
COMMENT ON COLUMN staging.gbfs_pricing_plan.price IS 'Fixed price of the plan in currency units.';
COMMENT ON COLUMN staging.gbfs_pricing_plan.is_taxable IS 'Whether tax is added to the price.';
COMMENT ON COLUMN staging.gbfs_pricing_plan.description IS 'Plan description (first text of a v3 localised description).';
COMMENT ON COLUMN staging.gbfs_pricing_plan.raw IS 'The plan object as published (per_km_pricing, per_min_pricing, surge_pricing).';

CREATE TABLE IF NOT EXISTS unified.bike_geofencing_zone (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    system_id text,
    name text,
    starts_at timestamptz,
    ends_at timestamptz,
    ride_start_allowed boolean,
    ride_end_allowed boolean,
    ride_through_allowed boolean,
    maximum_speed_kph double precision,
    station_parking boolean,
    rules jsonb,
    geom geometry(MultiPolygon, 5514)
);
CREATE INDEX IF NOT EXISTS bike_geofencing_zone_current ON unified.bike_geofencing_zone (source_id) WHERE recorded_to IS NULL;
CREATE INDEX IF NOT EXISTS bike_geofencing_zone_fv ON unified.bike_geofencing_zone (feed_version_id);
CREATE INDEX IF NOT EXISTS bike_geofencing_zone_geom ON unified.bike_geofencing_zone USING gist (geom);
COMMENT ON TABLE unified.bike_geofencing_zone IS 'Geofencing zones of shared-mobility systems (GBFS geofencing_zones): where rides may start, end or pass and at what speed. EPSG:5514.';
COMMENT ON COLUMN unified.bike_geofencing_zone.id IS 'Row key.';
COMMENT ON COLUMN unified.bike_geofencing_zone.source_id IS 'Catalog source (the GBFS system).';
COMMENT ON COLUMN unified.bike_geofencing_zone.feed_version_id IS 'Feed version the row was published by.';
COMMENT ON COLUMN unified.bike_geofencing_zone.namespace IS 'Namespace of local_id.';
COMMENT ON COLUMN unified.bike_geofencing_zone.local_id IS 'Zone key: the feature position in the feed (GBFS zones have no id).';
COMMENT ON COLUMN unified.bike_geofencing_zone.recorded_from IS 'When this row became current.';
COMMENT ON COLUMN unified.bike_geofencing_zone.recorded_to IS 'When a newer version replaced it (NULL = current).';
COMMENT ON COLUMN unified.bike_geofencing_zone.system_id IS 'GBFS system_id.';
COMMENT ON COLUMN unified.bike_geofencing_zone.name IS 'Zone name.';
COMMENT ON COLUMN unified.bike_geofencing_zone.starts_at IS 'The zone applies from (NULL = always).';
COMMENT ON COLUMN unified.bike_geofencing_zone.ends_at IS 'The zone applies until (NULL = always).';
COMMENT ON COLUMN unified.bike_geofencing_zone.ride_start_allowed IS 'First rule: may a ride start here (v3 ride_start_allowed; v2 ride_allowed).';
COMMENT ON COLUMN unified.bike_geofencing_zone.ride_end_allowed IS 'First rule: may a ride end here (v3 ride_end_allowed; v2 ride_allowed).';
COMMENT ON COLUMN unified.bike_geofencing_zone.ride_through_allowed IS 'First rule: may a ride pass through (ride_through_allowed).';
COMMENT ON COLUMN unified.bike_geofencing_zone.maximum_speed_kph IS 'First rule: speed limit in the zone, km/h.';
COMMENT ON COLUMN unified.bike_geofencing_zone.station_parking IS 'First rule: vehicles must be parked at stations.';
COMMENT ON COLUMN unified.bike_geofencing_zone.rules IS 'All rules as published (per vehicle type).';
COMMENT ON COLUMN unified.bike_geofencing_zone.geom IS 'Zone polygon(s), EPSG:5514.';

CREATE TABLE IF NOT EXISTS unified.bike_pricing_plan (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    system_id text,
    name text,
    currency text,
    price numeric,
    is_taxable boolean,
    description text,
    per_km_pricing jsonb,
    per_min_pricing jsonb,
    surge_pricing boolean
);
CREATE INDEX IF NOT EXISTS bike_pricing_plan_current ON unified.bike_pricing_plan (source_id) WHERE recorded_to IS NULL;
CREATE INDEX IF NOT EXISTS bike_pricing_plan_fv ON unified.bike_pricing_plan (feed_version_id);
COMMENT ON TABLE unified.bike_pricing_plan IS 'Pricing plans of shared-mobility systems (GBFS system_pricing_plans).';
COMMENT ON COLUMN unified.bike_pricing_plan.id IS 'Row key.';
COMMENT ON COLUMN unified.bike_pricing_plan.source_id IS 'Catalog source (the GBFS system).';
COMMENT ON COLUMN unified.bike_pricing_plan.feed_version_id IS 'Feed version the row was published by.';
COMMENT ON COLUMN unified.bike_pricing_plan.namespace IS 'Namespace of local_id.';
COMMENT ON COLUMN unified.bike_pricing_plan.local_id IS 'plan_id.';
COMMENT ON COLUMN unified.bike_pricing_plan.recorded_from IS 'When this row became current.';
COMMENT ON COLUMN unified.bike_pricing_plan.recorded_to IS 'When a newer version replaced it (NULL = current).';
COMMENT ON COLUMN unified.bike_pricing_plan.system_id IS 'GBFS system_id.';
COMMENT ON COLUMN unified.bike_pricing_plan.name IS 'Plan name.';
COMMENT ON COLUMN unified.bike_pricing_plan.currency IS 'ISO 4217 currency code.';
COMMENT ON COLUMN unified.bike_pricing_plan.price IS 'Fixed price (unlock fee or pass) in currency units.';
COMMENT ON COLUMN unified.bike_pricing_plan.is_taxable IS 'Whether tax is added to the price.';
COMMENT ON COLUMN unified.bike_pricing_plan.description IS 'Plan description.';
COMMENT ON COLUMN unified.bike_pricing_plan.per_km_pricing IS 'Distance-based segments [{start, rate, interval, end}] as published.';
COMMENT ON COLUMN unified.bike_pricing_plan.per_min_pricing IS 'Time-based segments [{start, rate, interval, end}] as published.';
COMMENT ON COLUMN unified.bike_pricing_plan.surge_pricing IS 'Whether surge pricing is in effect.';

CREATE TABLE IF NOT EXISTS unified.bike_vehicle_type (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    system_id text,
    name text,
    form_factor text,
    propulsion_type text,
    max_range_m double precision,
    pricing_plan_ids text[]
);
CREATE INDEX IF NOT EXISTS bike_vehicle_type_current ON unified.bike_vehicle_type (source_id) WHERE recorded_to IS NULL;
CREATE INDEX IF NOT EXISTS bike_vehicle_type_fv ON unified.bike_vehicle_type (feed_version_id);
COMMENT ON TABLE unified.bike_vehicle_type IS 'Vehicle types of shared-mobility systems (GBFS vehicle_types): bicycles, e-bikes, scooters, cars.';
COMMENT ON COLUMN unified.bike_vehicle_type.id IS 'Row key.';
COMMENT ON COLUMN unified.bike_vehicle_type.source_id IS 'Catalog source (the GBFS system).';
COMMENT ON COLUMN unified.bike_vehicle_type.feed_version_id IS 'Feed version the row was published by.';
COMMENT ON COLUMN unified.bike_vehicle_type.namespace IS 'Namespace of local_id.';
COMMENT ON COLUMN unified.bike_vehicle_type.local_id IS 'vehicle_type_id.';
COMMENT ON COLUMN unified.bike_vehicle_type.recorded_from IS 'When this row became current.';
COMMENT ON COLUMN unified.bike_vehicle_type.recorded_to IS 'When a newer version replaced it (NULL = current).';
COMMENT ON COLUMN unified.bike_vehicle_type.system_id IS 'GBFS system_id.';
COMMENT ON COLUMN unified.bike_vehicle_type.name IS 'Vehicle type name.';
COMMENT ON COLUMN unified.bike_vehicle_type.form_factor IS 'bicycle, cargo_bicycle, scooter_standing, scooter_seated, car, moped, other.';
COMMENT ON COLUMN unified.bike_vehicle_type.propulsion_type IS 'human, electric_assist, electric, combustion, ...';
COMMENT ON COLUMN unified.bike_vehicle_type.max_range_m IS 'Range on a full charge or tank, metres.';
COMMENT ON COLUMN unified.bike_vehicle_type.pricing_plan_ids IS 'Pricing plans that apply (v3 pricing_plan_ids, v2 default_pricing_plan_id).';

CREATE OR REPLACE VIEW gis.bike_geofencing_zone_5514 AS
SELECT id, source_id, system_id, name, starts_at, ends_at, ride_start_allowed, ride_end_allowed, ride_through_allowed,
       maximum_speed_kph, station_parking, geom
FROM unified.bike_geofencing_zone WHERE recorded_to IS NULL;
COMMENT ON VIEW gis.bike_geofencing_zone_5514 IS 'Current geofencing zones of shared-mobility systems, EPSG:5514.';
CREATE OR REPLACE VIEW gis.bike_geofencing_zone AS
SELECT id, source_id, system_id, name, starts_at, ends_at, ride_start_allowed, ride_end_allowed, ride_through_allowed,
       maximum_speed_kph, station_parking, ST_Transform(geom, 4326)::geometry(MultiPolygon, 4326) AS geom
FROM gis.bike_geofencing_zone_5514;
COMMENT ON VIEW gis.bike_geofencing_zone IS 'Current geofencing zones of shared-mobility systems, EPSG:4326.';
DO $$
DECLARE v text; c record;
BEGIN
    FOREACH v IN ARRAY ARRAY['bike_geofencing_zone', 'bike_geofencing_zone_5514'] LOOP
        FOR c IN SELECT a.attname FROM pg_attribute a WHERE a.attrelid = ('gis.' || v)::regclass AND a.attnum > 0 LOOP
            EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', v, c.attname, coalesce(
                col_description('unified.bike_geofencing_zone'::regclass,
                    (SELECT attnum FROM pg_attribute WHERE attrelid = 'unified.bike_geofencing_zone'::regclass
                     AND attname = c.attname)), c.attname)
                || CASE WHEN c.attname = 'geom' AND v = 'bike_geofencing_zone' THEN ' (here EPSG:4326)' ELSE '' END);
        END LOOP;
    END LOOP;
END $$;
GRANT SELECT ON gis.bike_geofencing_zone, gis.bike_geofencing_zone_5514 TO gis_reader;
