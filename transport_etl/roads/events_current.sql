-- Input of locate_events.sql for a relocation after a new road-network version: the current events of
-- one event source (their unified ids kept); the links are road_net.sql's (the network as it will be once
-- the new network version is published).
-- Parameters: event_source (catalog id of the event source).

DROP TABLE IF EXISTS _ev, _road_locate_counts;

CREATE TEMP TABLE _ev ON COMMIT DROP AS
SELECT s.id AS sid, s.line_no, s.source_file, s.xml_path, s.local_id, s.road_number, s.sections,
       s.start_point, s.end_point, e.id AS event_id
FROM unified.road_event e
JOIN staging.road_event s ON s.feed_version_id = e.feed_version_id AND s.local_id = e.local_id
WHERE e.source_id = %(event_source)s AND e.recorded_to IS NULL;
CREATE INDEX ON _ev (event_id);
ANALYZE _ev;
