-- Candidate pairs for stop matching, from _current_stop (stops_current.sql) and the per-stop name
-- keys _stop_key (written by stops.py from the Python normaliser, the one source of the naming rule):
-- stop places of different sources within max_distance_m of each other in EPSG:5514, two stop places
-- of the same source within platform_max_distance_m (platform pairs), and a rail station with a
-- road-mode stop named after a station up to station_max_distance_m. One GiST index scan per stop
-- within the match radius: the pair count, not the stop count squared, bounds the work.
--
-- Blocking is set-based here, so per-pair Python only sees pairs whose names need fuzzy scoring.
-- Each pair leaves with an evidence class (equalities of keys only; no rule is written twice):
--   same_name       other sources, equal local name keys (similarity 1 by definition): scored by
--                   distance alone in Python (scoring.classify) plus the country guard
--   platform_same   same source, equal normalised names, no conflicting register ids, same mode
--   score           everything else that may match: full name scoring in Python (cluster.score_pair)
-- Dropped here: pairs with the same register key (register evidence covers them), pairs whose
-- municipality or district differ (scoring rejects them), same-source pairs of different modes or
-- register ids, or without a name (platform_pair refuses them).
-- Parameters: %(max_distance_m)s, %(station_max_distance_m)s, %(platform_max_distance_m)s.
WITH near AS (
    SELECT a.id AS a_id, b.id AS b_id, ST_Distance(a.geom, b.geom) AS distance_m
    FROM _current_stop a
    JOIN _current_stop b
      ON ST_DWithin(a.geom, b.geom, greatest(%(max_distance_m)s, %(platform_max_distance_m)s))
     AND (a.source_id, a.local_id) < (b.source_id, b.local_id)
    WHERE CASE WHEN a.source_id = b.source_id THEN ST_DWithin(a.geom, b.geom, %(platform_max_distance_m)s)
               ELSE ST_DWithin(a.geom, b.geom, %(max_distance_m)s) END
    UNION ALL
    -- Only the few station-named road-mode stops are looked at this far.
    SELECT CASE WHEN (r.source_id, r.local_id) < (b.source_id, b.local_id) THEN r.id ELSE b.id END,
           CASE WHEN (r.source_id, r.local_id) < (b.source_id, b.local_id) THEN b.id ELSE r.id END,
           ST_Distance(r.geom, b.geom)
    FROM _current_stop b
    JOIN _stop_key kb ON kb.id = b.id AND kb.station_named
    JOIN _current_stop r ON ST_DWithin(b.geom, r.geom, %(station_max_distance_m)s) AND r.kind = 'rail'
    WHERE b.kind <> 'rail' AND r.source_id <> b.source_id
      AND NOT ST_DWithin(b.geom, r.geom, %(max_distance_m)s)
), keyed AS (
    SELECT a.source_id AS a_source, a.local_id AS a_local, b.source_id AS b_source, b.local_id AS b_local,
           n.distance_m, a.source_id = b.source_id AS same_source,
           ka.name_key AS a_name, kb.name_key AS b_name, ka.local_key AS a_key, kb.local_key AS b_key,
           ka.muni_key AS a_muni, kb.muni_key AS b_muni, ka.rail AS a_rail, kb.rail AS b_rail,
           ka.register_key AS a_reg, kb.register_key AS b_reg,
           coalesce(ka.muni_key <> kb.muni_key, false)
             OR coalesce(a.district_code <> '' AND b.district_code <> '' AND a.district_code <> b.district_code,
                         false) AS other_place
    FROM near n
    JOIN _current_stop a ON a.id = n.a_id
    JOIN _current_stop b ON b.id = n.b_id
    JOIN _stop_key ka ON ka.id = n.a_id
    JOIN _stop_key kb ON kb.id = n.b_id
)
SELECT a_source, a_local, b_source, b_local, distance_m,
       CASE WHEN same_source THEN CASE WHEN a_name = b_name THEN 'platform_same' ELSE 'score' END
            WHEN a_key = b_key
                 -- a stop without a municipality is read with the other's municipality stripped from
                 -- its name in Python (scoring.local_tokens): when that prefix starts it, Python decides
                 AND NOT (a_muni IS NULL AND coalesce(b_muni, '') <> ''
                          AND left(a_name || ' ', length(b_muni) + 1) = b_muni || ' ')
                 AND NOT (b_muni IS NULL AND coalesce(a_muni, '') <> ''
                          AND left(b_name || ' ', length(a_muni) + 1) = a_muni || ' ')
            THEN 'same_name'
            ELSE 'score' END AS evidence
FROM keyed
WHERE NOT other_place
  AND NOT coalesce(a_reg = b_reg, false)
  AND NOT (same_source AND (a_rail <> b_rail OR a_name = '' OR b_name = '' OR coalesce(a_reg <> b_reg, false)))
