-- What a road event did to public transport on a date as the platform knew it at a moment (issue 18):
-- the web map's road-event popup honours its "As known at" control as its layers do (820).
-- gis.affected_services (724) with every unified row read as recorded at known_at (recorded_from /
-- recorded_to, as the as-of functions of 621) instead of as current: the event's locations, the links
-- they lie on, the journeys and their calendars, lines, calls, stops and canonical stops.
-- Journey patterns (unified.service_pattern, service_on_link) keep no history: they are the current
-- derivation. A journey known at known_at is put on the pattern of the current journey of the same
-- identity (namespace, local_id), so a journey since replaced by a new feed version still counts, and one
-- dropped since (no current journey of that identity) is not found: a known limit.

CREATE OR REPLACE FUNCTION gis.affected_services_asof(p_event_id bigint, p_on_date date,
                                                      p_known_at timestamptz DEFAULT now())
RETURNS TABLE (
    event_id bigint, event_local_id text, event_type text, service_date date,
    line_id bigint, line_code text, line_name text, line_source_id text,
    journey_id bigint, journey_local_id text, journey_code text, headsign text, first_departure text,
    road_numbers text[], transport_link_ids bigint[],
    affected_stop_place_ids bigint[], affected_stops text[], canonical_stop_ids text[]
)
LANGUAGE sql STABLE AS $$
WITH ev AS (
    SELECT e.* FROM unified.road_event e
    WHERE e.id = p_event_id
      AND e.recorded_from <= p_known_at AND (e.recorded_to IS NULL OR e.recorded_to > p_known_at)
      AND (e.starts_at IS NULL OR e.starts_at < ((p_on_date + 1)::timestamp AT TIME ZONE 'Europe/Prague'))
      AND (e.ends_at IS NULL OR e.ends_at >= (p_on_date::timestamp AT TIME ZONE 'Europe/Prague'))
), loc AS (
    SELECT ev.id AS event_id, ev.local_id AS event_local_id, ev.event_type, tl.id AS link_id, tl.namespace,
           tl.local_id, tl.road_number,
           least(rel.from_measure_m, rel.to_measure_m) AS m_from, greatest(rel.from_measure_m, rel.to_measure_m) AS m_to,
           coalesce(rel.geom, CASE WHEN ST_Length(tl.geom) > 0 THEN ST_LineSubstring(tl.geom,
                    least(1, greatest(0, least(rel.from_measure_m, rel.to_measure_m) / ST_Length(tl.geom))),
                    least(1, greatest(0, greatest(rel.from_measure_m, rel.to_measure_m) / ST_Length(tl.geom))))
                    END) AS geom
    FROM ev
    JOIN unified.road_event_location rel ON rel.road_event_id = ev.id
     AND rel.recorded_from <= p_known_at AND (rel.recorded_to IS NULL OR rel.recorded_to > p_known_at)
    JOIN unified.transport_link tl ON tl.id = rel.transport_link_id
), hit AS (
    SELECT DISTINCT loc.event_id, loc.event_local_id, loc.event_type, sol.service_pattern_id, loc.road_number,
           sol.transport_link_id, loc.geom
    FROM loc
    JOIN unified.service_on_link sol
      ON sol.link_namespace = loc.namespace AND sol.link_local_id = loc.local_id
     AND sol.link_from_m <= loc.m_to + 1 AND sol.link_to_m >= loc.m_from - 1
), jr AS (
    SELECT h.event_id, h.event_local_id, h.event_type, j.id AS journey_id, j.local_id AS journey_local_id,
           j.public_code, j.headsign, j.line_id,
           array_agg(DISTINCT h.road_number) FILTER (WHERE h.road_number IS NOT NULL) AS road_numbers,
           array_agg(DISTINCT h.transport_link_id) AS link_ids,
           ST_Collect(h.geom) AS closed
    FROM hit h
    JOIN unified.service_pattern p ON p.id = h.service_pattern_id
    -- the pattern's (current) journeys, and by their identity the journey rows known at p_known_at
    JOIN unified.journey cur ON cur.id = ANY (p.journey_ids)
    JOIN unified.journey j ON j.namespace = cur.namespace AND j.local_id = cur.local_id
     AND j.recorded_from <= p_known_at AND (j.recorded_to IS NULL OR j.recorded_to > p_known_at)
    -- runs that day by the calendar then known
    JOIN unified.service_calendar sc ON sc.id = j.service_calendar_id AND sc.run_dates @> p_on_date
     AND sc.recorded_from <= p_known_at AND (sc.recorded_to IS NULL OR sc.recorded_to > p_known_at)
    GROUP BY h.event_id, h.event_local_id, h.event_type, j.id, j.local_id, j.public_code, j.headsign, j.line_id
)
SELECT jr.event_id, jr.event_local_id, jr.event_type, p_on_date,
       l.id, l.public_code, l.name, l.source_id,
       jr.journey_id, jr.journey_local_id, jr.public_code, jr.headsign,
       (SELECT to_char(make_interval(secs => c.departure_s), 'HH24:MI') FROM unified.call c
        WHERE c.journey_id = jr.journey_id ORDER BY c.sequence LIMIT 1),
       jr.road_numbers, jr.link_ids,
       st.place_ids, st.names, st.canonical_ids
FROM jr
LEFT JOIN unified.line l ON l.id = jr.line_id
LEFT JOIN LATERAL (
    -- Stops of the journey on (within 50 m of) the closed section, each lookup by key as in 724.
    SELECT array_agg(DISTINCT sp.id) AS place_ids, array_agg(DISTINCT coalesce(sp.name, pt.name)) AS names,
           array_agg(DISTINCT cs.local_id) FILTER (WHERE cs.local_id IS NOT NULL) AS canonical_ids
    FROM (SELECT DISTINCT c.stop_point_id FROM unified.call c WHERE c.journey_id = jr.journey_id OFFSET 0) c
    CROSS JOIN LATERAL (SELECT x.id, x.name, x.geom, x.stop_place_id FROM unified.stop_point x
                        WHERE x.id = c.stop_point_id OFFSET 0) pt
    LEFT JOIN LATERAL (SELECT x.id, x.name, x.geom FROM unified.stop_place x WHERE x.id = pt.stop_place_id
                       OFFSET 0) sp ON true
    LEFT JOIN LATERAL (SELECT x.local_id FROM unified.canonical_stop_member m
                       JOIN unified.canonical_stop_place x ON x.id = m.canonical_stop_place_id
                       WHERE m.stop_place_id = sp.id
                         AND m.recorded_from <= p_known_at AND (m.recorded_to IS NULL OR m.recorded_to > p_known_at)
                         AND x.recorded_from <= p_known_at AND (x.recorded_to IS NULL OR x.recorded_to > p_known_at)
                       OFFSET 0) cs ON true
    WHERE ST_DWithin(coalesce(pt.geom, sp.geom), jr.closed, 50)
) st ON true
ORDER BY l.public_code, jr.public_code, jr.journey_id;
$$;
COMMENT ON FUNCTION gis.affected_services_asof(bigint, date, timestamptz) IS 'gis.affected_services as the platform knew it at p_known_at (default now): the lines, journeys and stops road event p_event_id (a row known then) affects on p_on_date, from the event locations, journeys, calendars and canonical stops recorded at p_known_at. Journey patterns are the current derivation: a journey known then is matched by identity (namespace, local_id) to a current one; journeys since dropped are not found. Empty when the event was not known then or not in force that day. Example: SELECT DISTINCT line_code FROM gis.affected_services_asof(42, ''2026-03-01'', ''2026-02-15 12:00+01'').';

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT EXECUTE ON FUNCTION gis.affected_services_asof(bigint, date, timestamptz) TO gis_reader;
  END IF;
END $$;
