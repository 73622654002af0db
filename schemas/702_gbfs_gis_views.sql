-- gis views of the GBFS vehicle types and pricing plans (current rows, no geometry).
CREATE OR REPLACE VIEW gis.bike_vehicle_type AS
SELECT id, source_id, system_id, local_id AS vehicle_type_id, name, form_factor, propulsion_type, max_range_m,
       pricing_plan_ids
FROM unified.bike_vehicle_type WHERE recorded_to IS NULL;
COMMENT ON VIEW gis.bike_vehicle_type IS 'Current vehicle types of shared-mobility systems (GBFS vehicle_types).';
CREATE OR REPLACE VIEW gis.bike_pricing_plan AS
SELECT id, source_id, system_id, local_id AS plan_id, name, currency, price, is_taxable, description,
       per_km_pricing, per_min_pricing, surge_pricing
FROM unified.bike_pricing_plan WHERE recorded_to IS NULL;
COMMENT ON VIEW gis.bike_pricing_plan IS 'Current pricing plans of shared-mobility systems (GBFS system_pricing_plans).';
DO $$
DECLARE v text; c record; src text;
BEGIN
    FOREACH v IN ARRAY ARRAY['bike_vehicle_type', 'bike_pricing_plan'] LOOP
        FOR c IN SELECT a.attname FROM pg_attribute a WHERE a.attrelid = ('gis.' || v)::regclass AND a.attnum > 0 LOOP
            src := CASE c.attname WHEN 'vehicle_type_id' THEN 'local_id' WHEN 'plan_id' THEN 'local_id'
                                  ELSE c.attname END;
            EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', v, c.attname, coalesce(
                col_description(('unified.' || v)::regclass,
                    (SELECT attnum FROM pg_attribute WHERE attrelid = ('unified.' || v)::regclass AND attname = src)),
                c.attname));
        END LOOP;
    END LOOP;
END $$;
GRANT SELECT ON gis.bike_vehicle_type, gis.bike_pricing_plan TO gis_reader;
