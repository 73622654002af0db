-- Road-link identity, step 1b (road_links.py): pairs of a canonical link current before this run
-- (_rl_old) and a current link (_rl_cur, road_links_current.sql) that may keep the identity: same
-- source, same road number and class, Hausdorff distance within %(keep_max_hausdorff_m)s (or the
-- very same link row). The one-to-one choice among them is made in Python (greedy, by distance).
SELECT o.id, n.link_id, o.transport_link_id = n.link_id AS same_row, ST_HausdorffDistance(o.geom, n.geom) AS h
FROM _rl_old o
JOIN _rl_cur n
  ON n.source_id = o.source_id AND ST_DWithin(o.geom, n.geom, %(keep_max_hausdorff_m)s)
 AND n.road_number IS NOT DISTINCT FROM o.road_number AND n.road_class IS NOT DISTINCT FROM o.road_class
WHERE o.transport_link_id = n.link_id OR ST_HausdorffDistance(o.geom, n.geom) <= %(keep_max_hausdorff_m)s
