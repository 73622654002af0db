-- After locate_events.sql (and, for a publish, insert_events.sql): replace the location rows of the
-- events in _ev by the ones just found, and set each event's status, reason and geometry. Location rows
-- and their lineage belong to the event's own feed version and source record, whoever runs this.
-- Parameters: load_run_id, lineage_method (match_method of the lineage rows; NULL = the location method).

-- Old locations (a relocation: on links of the previous network version) and their lineage go.
WITH gone AS (
    DELETE FROM unified.road_event_location l
    USING _ev e
    WHERE l.road_event_id = e.event_id
    RETURNING l.id
)
DELETE FROM lineage.entity_source es
USING gone
WHERE es.unified_table = 'unified.road_event_location' AND es.unified_id = gone.id;

INSERT INTO unified.road_event_location (id, source_id, feed_version_id, namespace, local_id, valid_from, valid_to,
                                         road_event_id, transport_link_id, from_measure_m, to_measure_m, method, geom)
OVERRIDING SYSTEM VALUE
SELECT r.loc_id, ev.source_id, ev.feed_version_id, ev.namespace, r.local_id || '/' || r.ord,
       ev.valid_from, ev.valid_to, r.event_id, r.link_id, r.from_m, r.to_m, r.method, r.part
FROM _locrows r JOIN unified.road_event ev ON ev.id = r.event_id;

-- Event geometry: the located parts of the links (a point for point events), else the published points.
-- Each event's location rows aggregated once (grouped), not looked up per event: _locrows has no index.
UPDATE unified.road_event ev
SET location_status = v.location_status, unlocated_reason = v.unlocated_reason,
    geom = coalesce(g.line, g.points,
                    CASE WHEN s.end_point IS NOT NULL THEN ST_Collect(s.start_point, s.end_point) ELSE s.start_point END)
FROM _evloc v
JOIN _ev e ON e.event_id = v.event_id
JOIN staging.road_event s ON s.id = e.sid
LEFT JOIN (
    SELECT r.event_id, ST_LineMerge(ST_Collect(r.part ORDER BY r.ord) FILTER (WHERE r.part IS NOT NULL)) AS line,
           ST_Collect(r.at_point ORDER BY r.ord) AS points
    FROM _locrows r GROUP BY r.event_id
) g ON g.event_id = v.event_id
WHERE ev.id = v.event_id;

INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, load_run_id)
SELECT 'unified.road_event_location', r.loc_id, ev.feed_version_id, r.source_file, r.line_no, r.local_id,
       coalesce(%(lineage_method)s::text, r.method), %(load_run_id)s
FROM _locrows r JOIN unified.road_event ev ON ev.id = r.event_id;

CREATE TEMP TABLE _road_locate_counts AS
SELECT 'unified.road_event' AS tbl, count(*) AS n FROM _ev
UNION ALL SELECT 'unified.road_event (located)', count(DISTINCT event_id) FROM _loc
UNION ALL SELECT 'unified.road_event_location', count(*) FROM _locrows;
