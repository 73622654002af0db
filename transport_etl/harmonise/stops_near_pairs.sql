-- Candidate pairs for distance + name matching: current stop places of different sources within
-- max_distance_m of each other in EPSG:5514 (GiST index on unified.stop_place.geom); a rail station and
-- a road-mode stop up to station_max_distance_m (named-station evidence is scored in Python); two stop
-- places of the same source within platform_max_distance_m (platform pairs, checked in Python).
SELECT a.source_id, a.local_id, b.source_id, b.local_id, ST_Distance(a.geom, b.geom) AS distance_m
FROM unified.stop_place a
JOIN unified.stop_place b
  ON ST_DWithin(a.geom, b.geom, greatest(%(max_distance_m)s, %(station_max_distance_m)s))
 AND (a.source_id, a.local_id) < (b.source_id, b.local_id)
WHERE a.recorded_to IS NULL AND b.recorded_to IS NULL
  AND a.geom IS NOT NULL AND b.geom IS NOT NULL
  AND CASE WHEN a.source_id = b.source_id THEN ST_DWithin(a.geom, b.geom, %(platform_max_distance_m)s)
           ELSE ST_DWithin(a.geom, b.geom, %(max_distance_m)s) OR ((a.kind = 'rail') <> (b.kind = 'rail')) END
