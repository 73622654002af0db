-- Vertices of approximate patterns (their stops, in order) with the nearest road network node.
SELECT p.id, d.path[1] AS vertex, n.id AS node_id, ST_Distance(d.geom, n.geom) AS distance_m
FROM unified.service_pattern p
CROSS JOIN LATERAL ST_DumpPoints(p.geom) d
CROSS JOIN LATERAL (
    SELECT tn.id, tn.geom FROM unified.transport_node tn
    WHERE tn.network = 'road' AND tn.recorded_to IS NULL
    ORDER BY tn.geom <-> d.geom LIMIT 1
) n
WHERE p.derived_from <> 'shape'
ORDER BY p.id, d.path[1]
