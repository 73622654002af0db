-- Census sections of this version → unified.traffic_count, joined to the current road link of the same
-- road number that the section overlaps most (lines) or lies nearest to (points), within the tolerance.
-- Parameters: feed_version_id, source_id, namespace, load_run_id, tolerance (m), network_source (or NULL).

DROP TABLE IF EXISTS _cnet, _cen, _census_counts, _census_unjoined;

CREATE TEMP TABLE _cnet ON COMMIT DROP AS
SELECT id, road_number, geom FROM unified.transport_link
WHERE network = 'road' AND recorded_to IS NULL
  AND (%(network_source)s::text IS NULL OR source_id = %(network_source)s::text);
CREATE INDEX ON _cnet USING gist (geom);
ANALYZE _cnet;

CREATE TEMP TABLE _cen ON COMMIT DROP AS
SELECT s.*, j.link_id, j.overlap_m,
       nextval((SELECT pg_get_serial_sequence('unified.traffic_count', 'id')::regclass)) AS count_id
FROM staging.traffic_census s
LEFT JOIN LATERAL (
    SELECT n.id AS link_id,
           CASE WHEN ST_Dimension(s.geom) = 1
                THEN ST_Length(ST_Intersection(n.geom, ST_Buffer(s.geom, %(tolerance)s))) END AS overlap_m
    FROM _cnet n
    WHERE s.geom IS NOT NULL AND n.road_number = s.road_number AND ST_DWithin(n.geom, s.geom, %(tolerance)s)
    ORDER BY CASE WHEN ST_Dimension(s.geom) = 1
                  THEN -ST_Length(ST_Intersection(n.geom, ST_Buffer(s.geom, %(tolerance)s)))
                  ELSE ST_Distance(n.geom, s.geom) END, n.id
    LIMIT 1
) j ON true
WHERE s.feed_version_id = %(feed_version_id)s;

INSERT INTO unified.traffic_count (id, source_id, feed_version_id, namespace, local_id, valid_from, valid_to,
                                   transport_link_id, road_number, census_section, census_year, light_vehicles,
                                   heavy_vehicles, motorcycles, total_vehicles, geom)
OVERRIDING SYSTEM VALUE
SELECT count_id, %(source_id)s, %(feed_version_id)s, %(namespace)s, local_id,
       make_date(census_year, 1, 1), make_date(census_year, 12, 31), link_id, road_number, section_code,
       census_year, light_vehicles, heavy_vehicles, motorcycles, total_vehicles, geom
FROM _cen;

INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, distance_m, load_run_id)
SELECT 'unified.traffic_count', count_id, %(feed_version_id)s, source_file, line_no, local_id, 'source', NULL,
       %(load_run_id)s
FROM _cen;

CREATE TEMP TABLE _census_unjoined AS
SELECT c.local_id, c.line_no, c.source_file,
       CASE WHEN c.geom IS NULL THEN 'no section geometry: not joined to a road link'
            WHEN NOT EXISTS (SELECT 1 FROM _cnet n WHERE n.road_number = c.road_number)
                 THEN 'road ' || c.road_number || ' is not in the current road network'
            ELSE 'no link of road ' || c.road_number || ' within ' || %(tolerance)s || ' m' END AS reason
FROM _cen c WHERE c.link_id IS NULL;

CREATE TEMP TABLE _census_counts AS
SELECT 'unified.traffic_count' AS tbl, count(*) AS n FROM _cen
UNION ALL SELECT 'unified.traffic_count (joined to a link)', count(link_id) FROM _cen;
