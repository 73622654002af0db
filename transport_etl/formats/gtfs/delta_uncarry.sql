-- Carried trips whose journey cannot be the previous version's after all: they call at a stop whose stop
-- place changes kind (the modes served there, or at its station's children, changed with the trips that did
-- change), so its stop place and stop point get new ids and the trip's calls must be written again.
-- Parameters: %(feed_version_id)s, %(carried_from)s::bigint.
WITH changed AS (
    SELECT coalesce(n.stop_id, p.stop_id) AS stop_id
    FROM staging.gtfs_stop_kinds(%(feed_version_id)s) n
    FULL JOIN staging.gtfs_stop_kinds(%(carried_from)s::bigint) p ON p.stop_id = n.stop_id
    WHERE (n.own_kind, n.child_kind) IS DISTINCT FROM (p.own_kind, p.child_kind)
), affected AS (  -- stops whose own place, or whose (grand)parent station's place, changes
    SELECT s.stop_id
    FROM staging.gtfs_stops s
    LEFT JOIN staging.gtfs_stops ps ON ps.feed_version_id = s.feed_version_id AND ps.stop_id = s.parent_station
    WHERE s.feed_version_id = %(feed_version_id)s
      AND (s.stop_id IN (SELECT stop_id FROM changed) OR s.parent_station IN (SELECT stop_id FROM changed)
           OR ps.parent_station IN (SELECT stop_id FROM changed))
)
SELECT f.trip_id, f.first_line
FROM staging.gtfs_trip_fact f JOIN _pattern p ON p.pattern = f.pattern
WHERE f.feed_version_id = %(feed_version_id)s AND f.carried_from IS NOT NULL
  AND p.stop_ids && ARRAY(SELECT stop_id FROM affected)
