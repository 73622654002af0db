-- Journey patterns of current road-mode journeys (rebuilt each run).
DELETE FROM unified.service_on_link;
DELETE FROM unified.service_pattern;

-- 1a. Patterns that are route geometries (GTFS shapes, loaders' stop-sequence paths).
INSERT INTO unified.service_pattern (pattern_key, source_id, derived_from, route_geometry_id, journey_ids, line_ids,
                                     length_m, geom)
SELECT 'rg:' || r.namespace || ':' || r.local_id, r.source_id, r.derived_from, r.id,
       array_agg(j.id ORDER BY j.id), array_agg(DISTINCT j.line_id) FILTER (WHERE j.line_id IS NOT NULL),
       ST_Length(r.geom), r.geom
FROM unified.route_geometry r
JOIN unified.journey j ON j.route_geometry_id = r.id AND j.recorded_to IS NULL
LEFT JOIN unified.line l ON l.id = j.line_id
WHERE r.recorded_to IS NULL AND r.geom IS NOT NULL AND ST_Length(r.geom) > 0 AND coalesce(l.mode, 'bus') <> 'rail'
GROUP BY r.id
ON CONFLICT (pattern_key) DO NOTHING;

-- 1b. Journeys without a route geometry (JDF): one pattern per stop sequence, through the stops' positions.
WITH seq AS (
    SELECT j.id AS journey_id, j.source_id, j.line_id,
           string_agg(c.stop_point_id::text, ',' ORDER BY c.sequence) AS stops_key,
           count(coalesce(pt.geom, sp.geom)) AS n_points,
           ST_MakeLine(coalesce(pt.geom, sp.geom) ORDER BY c.sequence)
               FILTER (WHERE coalesce(pt.geom, sp.geom) IS NOT NULL) AS path
    FROM unified.journey j
    JOIN unified.call c ON c.journey_id = j.id AND c.recorded_to IS NULL
    LEFT JOIN unified.stop_point pt ON pt.id = c.stop_point_id
    LEFT JOIN unified.stop_place sp ON sp.id = pt.stop_place_id
    LEFT JOIN unified.line l ON l.id = j.line_id
    WHERE j.recorded_to IS NULL AND j.route_geometry_id IS NULL AND coalesce(l.mode, 'bus') <> 'rail'
    GROUP BY j.id
), grouped AS (
    SELECT source_id, stops_key, (array_agg(path))[1] AS path, array_agg(journey_id ORDER BY journey_id) AS jids,
           array_agg(DISTINCT line_id) FILTER (WHERE line_id IS NOT NULL) AS lids
    FROM seq WHERE n_points >= 2
    GROUP BY source_id, stops_key
)
INSERT INTO unified.service_pattern (pattern_key, source_id, derived_from, route_geometry_id, journey_ids, line_ids,
                                     length_m, geom)
SELECT 'calls:' || g.source_id || ':' || md5(g.stops_key), g.source_id, 'calls', NULL, g.jids,
       coalesce(g.lids, '{}'), ST_Length(g.path), g.path
FROM grouped g
WHERE ST_Length(g.path) > 0
ON CONFLICT (pattern_key) DO NOTHING;

