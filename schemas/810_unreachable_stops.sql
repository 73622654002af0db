-- The stops a road closure makes unreachable, per affected journey (for the GTFS-Realtime ServiceAlerts
-- feed, transport_etl/export/service_alerts.py, and anyone in QGIS).
--
-- unified.affected_service / gis.affected_services list the journeys whose pattern uses a part of a link a
-- road event occupies, and as their stops only those within 50 m of the closed part itself. A bus that
-- meets a closure does not stop at its edge: it leaves its route at the last junction before the closure
-- and rejoins it at the first junction after it. So the closed STRETCH is the run of links from the closed
-- links outwards through nodes where the road merely continues (exactly two current links of the network
-- meet) up to the first junction (three or more links) or dead end on each side. A journey's stops within
-- 50 m of the stretch cannot be served without turning back, and are unreachable; stops within 50 m of a
-- junction that bounds the stretch stay reachable (the detour passes there). Only closures close the road
-- (event_type closure, or a roadClosed / carriagewayClosures impact); other events leave every stop
-- reachable, so they yield no rows here.

CREATE OR REPLACE FUNCTION gis.closed_stretch(p_event_id bigint)
RETURNS TABLE (transport_link_id bigint, boundary_junction_ids bigint[])
LANGUAGE sql STABLE AS $$
WITH RECURSIVE closed AS (
    SELECT DISTINCT tl.id, tl.source_id, tl.start_node_id, tl.end_node_id
    FROM unified.road_event e
    JOIN unified.road_event_location rel ON rel.road_event_id = e.id
    JOIN unified.transport_link tl ON tl.id = rel.transport_link_id
    WHERE e.id = p_event_id
      AND (e.event_type = 'closure' OR e.impact IN ('roadClosed', 'carriagewayClosures', 'closedPermanentlyForTheWinter'))
      AND tl.start_node_id IS NOT NULL AND tl.end_node_id IS NOT NULL
), walk (link_id, source_id, node_id) AS (
    -- (a link of the stretch, a node at its end to look beyond)
    SELECT c.id, c.source_id, c.start_node_id FROM closed c
    UNION
    SELECT c.id, c.source_id, c.end_node_id FROM closed c
    UNION
    SELECT nx.id, w.source_id, CASE WHEN nx.start_node_id = w.node_id THEN nx.end_node_id ELSE nx.start_node_id END
    FROM walk w
    CROSS JOIN LATERAL (
        -- the links of the same network meeting at the node (found through the node's position: gist)
        SELECT array_agg(l.id) AS ids FROM unified.transport_node n
        JOIN unified.transport_link l ON l.geom && ST_Expand(n.geom, 1)
         AND (l.start_node_id = n.id OR l.end_node_id = n.id)
        WHERE n.id = w.node_id AND l.network = 'road' AND l.recorded_to IS NULL AND l.source_id = w.source_id
    ) m
    JOIN unified.transport_link nx ON nx.id = ANY (m.ids) AND nx.id <> w.link_id
    WHERE cardinality(m.ids) = 2          -- the road just continues: still the same stretch
), degree AS (
    SELECT DISTINCT w.node_id, (SELECT count(*) FROM unified.transport_node n
                                JOIN unified.transport_link l ON l.geom && ST_Expand(n.geom, 1)
                                 AND (l.start_node_id = n.id OR l.end_node_id = n.id)
                                WHERE n.id = w.node_id AND l.network = 'road' AND l.recorded_to IS NULL
                                  AND l.source_id = w.source_id) AS links
    FROM walk w
)
SELECT DISTINCT w.link_id,
       (SELECT array_agg(d.node_id ORDER BY d.node_id) FROM degree d WHERE d.links >= 3)
FROM walk w;
$$;
COMMENT ON FUNCTION gis.closed_stretch(bigint) IS 'The road a closure (road event p_event_id of type closure, or with a roadClosed / carriagewayClosures impact) cuts: its located links extended through nodes where exactly two current links meet, up to the first junction (3+ links) or dead end on each side. boundary_junction_ids: the junction nodes (unified.transport_node.id) that bound it, where a detour leaves and rejoins the road. Empty for other events.';

CREATE OR REPLACE FUNCTION gis.unreachable_stops(p_event_id bigint)
RETURNS TABLE (event_id bigint, journey_id bigint, stop_point_id bigint, stop_place_id bigint,
               canonical_stop_place_id bigint, call_sequence integer)
LANGUAGE sql STABLE AS $$
WITH stretch AS (
    SELECT s.transport_link_id, s.boundary_junction_ids, tl.geom FROM gis.closed_stretch(p_event_id) s
    JOIN unified.transport_link tl ON tl.id = s.transport_link_id
), junction AS (
    SELECT n.geom FROM unified.transport_node n
    WHERE n.id IN (SELECT unnest(s.boundary_junction_ids) FROM stretch s)
), loc AS (
    -- the event's own linear references: which journeys it affects (the rule of gis.affected_services)
    SELECT tl.namespace, tl.local_id, least(rel.from_measure_m, rel.to_measure_m) AS m_from,
           greatest(rel.from_measure_m, rel.to_measure_m) AS m_to
    FROM unified.road_event_location rel JOIN unified.transport_link tl ON tl.id = rel.transport_link_id
    WHERE rel.road_event_id = p_event_id AND EXISTS (SELECT 1 FROM stretch)
), journeys AS (
    SELECT DISTINCT j.id
    FROM loc
    JOIN unified.service_on_link sol
      ON sol.link_namespace = loc.namespace AND sol.link_local_id = loc.local_id
     AND sol.link_from_m <= loc.m_to + 1 AND sol.link_to_m >= loc.m_from - 1
    JOIN unified.service_pattern p ON p.id = sol.service_pattern_id
    JOIN unified.journey j ON j.id = ANY (p.journey_ids) AND j.recorded_to IS NULL
)
SELECT p_event_id, jr.id, pt.id, pt.stop_place_id, m.canonical_stop_place_id, c.sequence
FROM journeys jr
JOIN unified.call c ON c.journey_id = jr.id AND c.recorded_to IS NULL
                   AND coalesce(c.departure_s, c.arrival_s) IS NOT NULL     -- served, not passed
JOIN unified.stop_point pt ON pt.id = c.stop_point_id AND pt.geom IS NOT NULL
LEFT JOIN unified.canonical_stop_member m ON m.stop_place_id = pt.stop_place_id AND m.recorded_to IS NULL
WHERE EXISTS (SELECT 1 FROM stretch s WHERE ST_DWithin(s.geom, pt.geom, 50))
  AND NOT EXISTS (SELECT 1 FROM junction x WHERE ST_DWithin(x.geom, pt.geom, 50))
ORDER BY jr.id, c.sequence;
$$;
COMMENT ON FUNCTION gis.unreachable_stops(bigint) IS 'Stops a road closure makes unreachable: for each current journey whose pattern uses a part of a link the event occupies (as in gis.affected_services), its served stops (with a time and a position) within 50 m of the closed stretch (gis.closed_stretch) and not within 50 m of a junction bounding it, where the detour passes. One row per journey and call; canonical_stop_place_id is the stop''s canonical stop (unified.canonical_stop_place.id), if resolved. Empty for events that do not close the road.';

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT EXECUTE ON FUNCTION gis.closed_stretch(bigint), gis.unreachable_stops(bigint) TO gis_reader;
  END IF;
END $$;

-- The published record behind each current road event (DATEX II situation record id and version, or the
-- closure feature), readable by the GIS role: staging is not, and the alerts feed and map popups cite it.
CREATE OR REPLACE VIEW gis.road_event_record AS
SELECT e.id, e.source_id, e.feed_version_id, e.local_id, s.situation_id, s.situation_version, s.record_version,
       s.record_type, s.source_file, s.line_no AS source_line
FROM unified.road_event e
LEFT JOIN staging.road_event s ON s.feed_version_id = e.feed_version_id AND s.local_id = e.local_id
WHERE e.recorded_to IS NULL;
COMMENT ON VIEW gis.road_event_record IS 'The published record behind each current road event (unified.road_event): DATEX II situation and situation record with their versions, or the ŘSD closure feature; file and line it was read from. No geometry (see road_event_point / road_event_line).';
COMMENT ON COLUMN gis.road_event_record.id IS 'unified.road_event id (as in gis.road_event).';
COMMENT ON COLUMN gis.road_event_record.source_id IS 'Source (lineage.source.id) of the event.';
COMMENT ON COLUMN gis.road_event_record.feed_version_id IS 'Feed version (lineage.feed_version.id) the event came from.';
COMMENT ON COLUMN gis.road_event_record.local_id IS 'Record id: DATEX situationRecord@id, or the closure OBJECTID.';
COMMENT ON COLUMN gis.road_event_record.situation_id IS 'DATEX situation@id the record belongs to (NULL for closure layers).';
COMMENT ON COLUMN gis.road_event_record.situation_version IS 'DATEX situation@version.';
COMMENT ON COLUMN gis.road_event_record.record_version IS 'DATEX situationRecord@version (NULL where the publisher versions nothing).';
COMMENT ON COLUMN gis.road_event_record.record_type IS 'DATEX record type (xsi:type, e.g. MaintenanceWorks) or closure ddrType.';
COMMENT ON COLUMN gis.road_event_record.source_file IS 'File the record was read from.';
COMMENT ON COLUMN gis.road_event_record.source_line IS 'Line of the situationRecord start tag in the XML file, or the feature position in a closure layer.';
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT SELECT ON gis.road_event_record TO gis_reader;
  END IF;
END $$;
