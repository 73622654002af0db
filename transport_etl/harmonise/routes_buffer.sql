-- Buffer matching: links inside a pattern's buffer, ordered along the pattern. For published shapes,
-- and for approximate patterns that could not be routed on the network (see routes.py).
-- A link is on a pattern when at least %(min_link_coverage)s of it (and %(min_covered_m)s metres)
-- lies inside the buffer; the buffer is wider for approximate paths.
-- Parameters: %(buffer_m)s, %(approx_buffer_m)s, %(min_link_coverage)s, %(min_covered_m)s.
WITH pat AS (
    SELECT p.id, p.pattern_key, p.route_geometry_id, p.source_id, p.derived_from, p.geom, p.length_m AS len,
           CASE WHEN p.derived_from = 'shape' THEN %(buffer_m)s ELSE %(approx_buffer_m)s END::double precision AS buf
    FROM unified.service_pattern p
    WHERE NOT EXISTS (SELECT 1 FROM unified.service_on_link s WHERE s.service_pattern_id = p.id)
), cand AS (
    SELECT pat.id AS pat_id, pat.len AS pat_len, pat.buf, pat.geom AS pgeom, tl.id AS link_id, tl.namespace,
           tl.local_id, tl.road_number, tl.geom AS lgeom, ST_Length(tl.geom) AS llen,
           ST_Intersection(tl.geom, ST_Buffer(pat.geom, pat.buf)) AS part
    FROM pat
    JOIN unified.transport_link tl
      ON tl.network = 'road' AND tl.recorded_to IS NULL AND ST_DWithin(tl.geom, pat.geom, pat.buf)
    WHERE ST_Length(tl.geom) > 0
), covered AS (
    SELECT c.*, ST_Length(c.part) AS part_len, f.f_from, f.f_to
    FROM cand c
    CROSS JOIN LATERAL (
        SELECT min(ST_LineLocatePoint(c.lgeom, d.geom)) AS f_from, max(ST_LineLocatePoint(c.lgeom, d.geom)) AS f_to
        FROM ST_DumpPoints(c.part) d
    ) f
    WHERE ST_Length(c.part) >= %(min_covered_m)s
      AND ST_Length(c.part) >= %(min_link_coverage)s * c.llen
), placed AS (
    SELECT v.*, ST_LineSubstring(v.lgeom, v.f_from, v.f_to) AS sub,
           ST_LineLocatePoint(v.pgeom, ST_LineInterpolatePoint(v.lgeom, v.f_from)) * v.pat_len AS r1,
           ST_LineLocatePoint(v.pgeom, ST_LineInterpolatePoint(v.lgeom, v.f_to)) * v.pat_len AS r2
    FROM covered v
    WHERE v.f_to > v.f_from
)
INSERT INTO unified.service_on_link
    (service_pattern_id, pattern_key, route_geometry_id, source_id, derived_from, seq, transport_link_id,
     link_namespace, link_local_id, road_number, link_from_m, link_to_m, route_from_m, route_to_m, direction,
     link_coverage, route_coverage, buffer_m, geom)
SELECT p.pat_id, pat.pattern_key, pat.route_geometry_id, pat.source_id, pat.derived_from,
       row_number() OVER (PARTITION BY p.pat_id ORDER BY least(p.r1, p.r2), p.link_id)::int,
       p.link_id, p.namespace, p.local_id, p.road_number,
       p.f_from * p.llen, p.f_to * p.llen, least(p.r1, p.r2), greatest(p.r1, p.r2),
       CASE WHEN p.r1 <= p.r2 THEN 'with' ELSE 'against' END,
       least(1.0, p.part_len / p.llen),
       least(1.0, sum(abs(p.r2 - p.r1)) OVER (PARTITION BY p.pat_id) / p.pat_len),
       p.buf, p.sub
FROM placed p
JOIN pat ON pat.id = p.pat_id;
