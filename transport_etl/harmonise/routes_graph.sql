-- The current road graph: link, its end nodes and length.
SELECT tl.id, tl.start_node_id, tl.end_node_id, coalesce(tl.length_m, ST_Length(tl.geom))
FROM unified.transport_link tl
WHERE tl.network = 'road' AND tl.recorded_to IS NULL AND tl.start_node_id IS NOT NULL AND tl.end_node_id IS NOT NULL
