-- Charging stations of one feed version → unified.fleet_charging_point (identity kept while unchanged,
-- unified.keep_identity: schemas/910) + lineage.entity_source.
CREATE TEMP TABLE tmp_charging_point ON COMMIT DROP AS
SELECT r.point_id AS local_id, r.source_file, r.line_no AS source_line, r.name, r.operator, r.address,
       r.municipality, r.connectors, r.power_kw, r.charge_points, r.access,
       CASE WHEN r.x IS NOT NULL THEN ST_SetSRID(ST_MakePoint(r.x, r.y), 5514) END AS geom, r.location_note
FROM staging.fleet_charging_point_record r WHERE r.feed_version_id = %(feed_version_id)s;

SELECT unified.keep_identity('fleet_charging_point', 'tmp_charging_point',
                             ARRAY['name', 'operator', 'address', 'municipality', 'connectors', 'power_kw',
                                   'charge_points', 'access', 'geom', 'location_note'],
                             %(feed_version_id)s, %(source_id)s, %(namespace)s, %(load_run_id)s);

DROP TABLE tmp_charging_point;
