-- Intermodal connections (INSPIRE ConnectionTypeValue 'intermodal'): every current road-mode stop
-- place within walking distance of a rail station, one connection per rail canonical stop (the
-- nearest of its member stations). Rebuilt from scratch. Parameter: %(walking_distance_m)s.
DELETE FROM unified.stop_connection;
INSERT INTO unified.stop_connection
    (connection_type, from_stop_place_id, from_source_id, from_local_id, from_name, from_canonical_id,
     to_stop_place_id, to_source_id, to_local_id, to_name, to_canonical_id, distance_m, geom)
SELECT DISTINCT ON (b.id, coalesce(cr.local_id, r.id::text))
       'intermodal', b.id, b.source_id, b.local_id, b.name, cb.local_id,
       r.id, r.source_id, r.local_id, r.name, cr.local_id,
       round(ST_Distance(b.geom, r.geom)::numeric, 1), ST_MakeLine(b.geom, r.geom)
FROM unified.stop_place b
JOIN unified.stop_place r
  ON ST_DWithin(b.geom, r.geom, %(walking_distance_m)s) AND r.kind = 'rail' AND r.recorded_to IS NULL
LEFT JOIN unified.canonical_stop_member mb ON mb.stop_place_id = b.id
LEFT JOIN unified.canonical_stop_place cb ON cb.id = mb.canonical_stop_place_id
LEFT JOIN unified.canonical_stop_member mr ON mr.stop_place_id = r.id
LEFT JOIN unified.canonical_stop_place cr ON cr.id = mr.canonical_stop_place_id
WHERE b.recorded_to IS NULL AND b.kind <> 'rail'
ORDER BY b.id, coalesce(cr.local_id, r.id::text), ST_Distance(b.geom, r.geom), r.id;
