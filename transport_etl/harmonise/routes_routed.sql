-- service_on_link rows for patterns routed on the network in Python (temp table _routed: pattern id,
-- order, link id, whether the link is run in its digitising direction).
INSERT INTO unified.service_on_link
    (service_pattern_id, pattern_key, route_geometry_id, source_id, derived_from, seq, transport_link_id,
     link_namespace, link_local_id, road_number, link_from_m, link_to_m, route_from_m, route_to_m, direction,
     link_coverage, route_coverage, buffer_m, geom)
SELECT p.id, p.pattern_key, p.route_geometry_id, p.source_id, p.derived_from, r.seq, tl.id, tl.namespace,
       tl.local_id, tl.road_number, 0, ST_Length(tl.geom),
       coalesce(sum(ST_Length(tl.geom)) OVER w - ST_Length(tl.geom), 0), sum(ST_Length(tl.geom)) OVER w,
       CASE WHEN r.forward THEN 'with' ELSE 'against' END, 1.0, r.route_coverage, 0, tl.geom
FROM _routed r
JOIN unified.service_pattern p ON p.id = r.pattern_id
JOIN unified.transport_link tl ON tl.id = r.link_id
WINDOW w AS (PARTITION BY p.id ORDER BY r.seq);
