-- Candidate pairs for distance + name matching, from _current_stop (stops_current.sql): stop places
-- of different sources within max_distance_m of each other in EPSG:5514, and two stop places of the
-- same source within platform_max_distance_m (platform pairs, checked in Python). One GiST index scan
-- per stop within the match radius: the pair count, not the stop count squared, bounds the work.
SELECT a.source_id, a.local_id, b.source_id, b.local_id, ST_Distance(a.geom, b.geom) AS distance_m
FROM _current_stop a
JOIN _current_stop b
  ON ST_DWithin(a.geom, b.geom, greatest(%(max_distance_m)s, %(platform_max_distance_m)s))
 AND (a.source_id, a.local_id) < (b.source_id, b.local_id)
WHERE CASE WHEN a.source_id = b.source_id THEN ST_DWithin(a.geom, b.geom, %(platform_max_distance_m)s)
           ELSE ST_DWithin(a.geom, b.geom, %(max_distance_m)s) END
UNION ALL
-- A rail station and a road-mode stop named after a station ("Louny,,žel.st.", flagged by Python:
-- station_named) up to station_max_distance_m: only the few station-named stops are looked at.
SELECT least_k.a_source, least_k.a_local, least_k.b_source, least_k.b_local, least_k.distance_m
FROM (
    SELECT CASE WHEN (r.source_id, r.local_id) < (b.source_id, b.local_id) THEN r.source_id ELSE b.source_id END AS a_source,
           CASE WHEN (r.source_id, r.local_id) < (b.source_id, b.local_id) THEN r.local_id ELSE b.local_id END AS a_local,
           CASE WHEN (r.source_id, r.local_id) < (b.source_id, b.local_id) THEN b.source_id ELSE r.source_id END AS b_source,
           CASE WHEN (r.source_id, r.local_id) < (b.source_id, b.local_id) THEN b.local_id ELSE r.local_id END AS b_local,
           ST_Distance(r.geom, b.geom) AS distance_m
    FROM _current_stop b
    JOIN _current_stop r ON ST_DWithin(b.geom, r.geom, %(station_max_distance_m)s) AND r.kind = 'rail'
    WHERE b.station_named AND b.kind <> 'rail' AND r.source_id <> b.source_id
      AND NOT ST_DWithin(b.geom, r.geom, %(max_distance_m)s)
) least_k
