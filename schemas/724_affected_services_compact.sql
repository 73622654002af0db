-- gis.affected_services reads the compact calendar (service_calendar.run_dates, 723) instead of
-- unified.service_day, which GTFS no longer fills, and starts the affected-stops search from the journey's
-- calls, so its cost no longer grows with unrelated data. Same signature and result as 510.

-- Services affected by a road event on a date. Road-event locations and service_on_link are both
-- linear references on link identities; they overlap when the intervals meet (within 1 m).
CREATE OR REPLACE FUNCTION gis.affected_services(p_event_id bigint, p_on_date date)
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
    JOIN unified.journey j ON j.id = ANY (p.journey_ids) AND j.recorded_to IS NULL
    -- runs that day: the calendar's compact dates (no per-date rows to probe)
    JOIN unified.service_calendar sc ON sc.id = j.service_calendar_id AND sc.recorded_to IS NULL
                                    AND sc.run_dates @> p_on_date
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
    -- Stops of the journey on (within 50 m of) the closed section: passengers there are affected.
    SELECT array_agg(DISTINCT sp.id) AS place_ids, array_agg(DISTINCT coalesce(sp.name, pt.name)) AS names,
           array_agg(DISTINCT cs.local_id) FILTER (WHERE cs.local_id IS NOT NULL) AS canonical_ids
    -- Driven by the journey's own calls, each lookup by key (OFFSET 0 keeps every step a per-row index
    -- lookup): joined freely, the planner scanned every stop point and place of every source, so the
    -- cost grew with unrelated data (17 -> 220 ms for the demo closure once HART was loaded).
    FROM (SELECT DISTINCT c.stop_point_id FROM unified.call c WHERE c.journey_id = jr.journey_id OFFSET 0) c
    CROSS JOIN LATERAL (SELECT x.id, x.name, x.geom, x.stop_place_id FROM unified.stop_point x
                        WHERE x.id = c.stop_point_id OFFSET 0) pt
    LEFT JOIN LATERAL (SELECT x.id, x.name, x.geom FROM unified.stop_place x WHERE x.id = pt.stop_place_id
                       OFFSET 0) sp ON true
    LEFT JOIN LATERAL (SELECT x.local_id FROM unified.canonical_stop_member m
                       JOIN unified.canonical_stop_place x ON x.id = m.canonical_stop_place_id
                       WHERE m.stop_place_id = sp.id OFFSET 0) cs ON true
    WHERE ST_DWithin(coalesce(pt.geom, sp.geom), jr.closed, 50)
) st ON true
ORDER BY l.public_code, jr.public_code, jr.journey_id;
$$;
COMMENT ON FUNCTION gis.affected_services(bigint, date) IS 'Lines, journeys and stops affected by road event p_event_id on date p_on_date: journeys running that date (unified.service_calendar.run_dates) whose pattern (unified.service_pattern) uses (unified.service_on_link) a part of a link the event occupies (unified.road_event_location). Empty when the event is not in force that day (Europe/Prague). affected_stops = the journey''s stops within 50 m of the closed section.';
