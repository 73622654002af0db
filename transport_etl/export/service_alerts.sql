-- What the ServiceAlerts feed says: one row per (road event, affected journey, unreachable stop or NULL).
-- Events: current rows (recorded_to NULL), located on the network, not over at %(now)s (planned ones too:
-- passengers want to know ahead). Journeys: current ones whose pattern uses a part of a link the event
-- occupies (the rule of gis.affected_services) and that run on at least one date of the event's validity
-- from today on (Europe/Prague), and that the regional GTFS export writes (two or more positioned, timed
-- stops). Stops: gis.unreachable_stops (only closures have any). Ids are written as the regional GTFS
-- export writes them (transport_etl/export/gtfs.py, region mode): <source>:<local id> for trips, routes
-- and stop points, the canonical stop (<namespace>:<local id>) for the station.
-- Parameters: now (timestamptz).
WITH ev AS (
    SELECT e.id, e.source_id, e.feed_version_id, e.local_id, e.event_type, e.impact, e.status, e.starts_at,
           e.ends_at, e.road_number, e.comment, s.situation_id, s.situation_version, s.record_version,
           s.record_type, s.source_file, s.source_line AS line_no,
           daterange(greatest((e.starts_at AT TIME ZONE 'Europe/Prague')::date,
                              (%(now)s::timestamptz AT TIME ZONE 'Europe/Prague')::date),
                     (e.ends_at AT TIME ZONE 'Europe/Prague')::date, '[]') AS days
    FROM unified.road_event e
    LEFT JOIN gis.road_event_record s ON s.id = e.id   -- the published record (staging is not readable by the GIS role)
    WHERE e.recorded_to IS NULL AND e.location_status = 'located'
      AND (e.ends_at IS NULL OR e.ends_at > %(now)s::timestamptz)
), loc AS (
    SELECT ev.id AS event_id, tl.namespace, tl.local_id,
           least(rel.from_measure_m, rel.to_measure_m) AS m_from, greatest(rel.from_measure_m, rel.to_measure_m) AS m_to
    FROM ev
    JOIN unified.road_event_location rel ON rel.road_event_id = ev.id
    JOIN unified.transport_link tl ON tl.id = rel.transport_link_id
), hit AS (
    SELECT DISTINCT loc.event_id, j.id AS journey_id
    FROM loc
    JOIN unified.service_on_link sol
      ON sol.link_namespace = loc.namespace AND sol.link_local_id = loc.local_id
     AND sol.link_from_m <= loc.m_to + 1 AND sol.link_to_m >= loc.m_from - 1
    JOIN unified.service_pattern p ON p.id = sol.service_pattern_id
    JOIN unified.journey j ON j.id = ANY (p.journey_ids) AND j.recorded_to IS NULL
), running AS (
    SELECT h.event_id, h.journey_id
    FROM hit h
    JOIN ev ON ev.id = h.event_id
    JOIN unified.journey j ON j.id = h.journey_id
    JOIN unified.line l ON l.id = j.line_id
    JOIN unified.service_calendar sc ON sc.id = j.service_calendar_id AND sc.recorded_to IS NULL
    WHERE NOT isempty(ev.days) AND sc.run_dates && datemultirange(ev.days)
      AND (SELECT count(*) FROM unified.call c JOIN unified.stop_point sp ON sp.id = c.stop_point_id
           WHERE c.journey_id = j.id AND c.recorded_to IS NULL AND sp.geom IS NOT NULL
             AND coalesce(c.departure_s, c.arrival_s) IS NOT NULL) >= 2
), unreachable AS (
    SELECT u.* FROM (SELECT DISTINCT event_id FROM running) r
    CROSS JOIN LATERAL gis.unreachable_stops(r.event_id) u
)
SELECT ev.id, ev.source_id, ev.feed_version_id, ev.local_id, ev.event_type, ev.impact, ev.status,
       extract(epoch FROM ev.starts_at)::bigint, extract(epoch FROM ev.ends_at)::bigint, ev.road_number, ev.comment,
       ev.situation_id, ev.situation_version, ev.record_version, ev.record_type, ev.source_file, ev.line_no,
       j.source_id || ':' || j.local_id AS trip_id, l.source_id || ':' || l.local_id AS route_id,
       l.public_code, j.public_code, j.headsign,
       sp.source_id || ':' || sp.local_id AS stop_id,
       CASE WHEN sp.id IS NOT NULL THEN coalesce(cn.namespace || ':' || cn.local_id, pl.source_id || ':' || pl.local_id)
       END AS station_id,
       gis.display_stop_name(coalesce(cn.name, pl.name, sp.name)) AS stop_name,
       (SELECT count(*) FROM unified.call c JOIN unified.stop_point x ON x.id = c.stop_point_id
        WHERE c.journey_id = j.id AND c.recorded_to IS NULL AND x.geom IS NOT NULL
          AND coalesce(c.departure_s, c.arrival_s) IS NOT NULL) AS served_stops
FROM running r
JOIN ev ON ev.id = r.event_id
JOIN unified.journey j ON j.id = r.journey_id
JOIN unified.line l ON l.id = j.line_id
LEFT JOIN unreachable u ON u.event_id = r.event_id AND u.journey_id = r.journey_id
LEFT JOIN unified.stop_point sp ON sp.id = u.stop_point_id
LEFT JOIN unified.stop_place pl ON pl.id = sp.stop_place_id
LEFT JOIN unified.canonical_stop_place cn ON cn.id = u.canonical_stop_place_id
ORDER BY ev.id, l.public_code, trip_id, u.call_sequence;
