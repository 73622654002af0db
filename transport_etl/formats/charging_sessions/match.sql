-- Current charging sessions (of %(source_id)s, or all when NULL) → the charging point they used: the
-- current point whose id is the session's charger id, else the nearest placed point within 150 m of the
-- session's position. Re-run whenever points or sessions change (fleet analysis does).
-- Fresh row counts first: the sessions were just inserted in this transaction (and points may be new too); planned
-- on the old estimates (a table that looked empty) the charger-id match was a nested loop over every current point
-- per session (10,000 sessions × 2,000 points: 6.4 s).
ANALYZE unified.fleet_charging_session (source_id, charger_id, recorded_to, geom),
        unified.fleet_charging_point (local_id, recorded_to, geom);

-- Matches cleared; a row already without one is not rewritten (every session of a new version: 80,000 took 1.5 s).
UPDATE unified.fleet_charging_session s
SET charging_point_id = NULL, match_method = NULL, match_distance_m = NULL
WHERE s.recorded_to IS NULL AND (%(source_id)s::text IS NULL OR s.source_id = %(source_id)s)
  AND (s.charging_point_id IS NOT NULL OR s.match_method IS NOT NULL OR s.match_distance_m IS NOT NULL);

UPDATE unified.fleet_charging_session s
SET charging_point_id = p.id, match_method = 'charger_id',
    match_distance_m = CASE WHEN s.geom IS NOT NULL AND p.geom IS NOT NULL THEN round(ST_Distance(s.geom, p.geom)::numeric, 1) END
FROM (SELECT DISTINCT ON (local_id) id, local_id, geom FROM unified.fleet_charging_point
      WHERE recorded_to IS NULL ORDER BY local_id, id DESC) p
WHERE s.recorded_to IS NULL AND (%(source_id)s::text IS NULL OR s.source_id = %(source_id)s)
  AND s.charger_id = p.local_id;

UPDATE unified.fleet_charging_session s
SET charging_point_id = n.id, match_method = 'position', match_distance_m = round(n.d::numeric, 1)
FROM unified.fleet_charging_session s2
CROSS JOIN LATERAL (
    SELECT p.id, ST_Distance(p.geom, s2.geom) AS d FROM unified.fleet_charging_point p
    WHERE p.recorded_to IS NULL AND p.geom IS NOT NULL AND ST_DWithin(p.geom, s2.geom, 150)
    ORDER BY p.geom <-> s2.geom LIMIT 1
) n
WHERE s.id = s2.id AND s.recorded_to IS NULL AND s.charging_point_id IS NULL AND s.geom IS NOT NULL
  AND (%(source_id)s::text IS NULL OR s.source_id = %(source_id)s);
