-- Input of locate_events.sql for an event publish: this feed version's staged events (new unified ids);
-- the links are road_net.sql's (the CURRENT road network).
-- Parameters: feed_version_id.

DROP TABLE IF EXISTS _ev, _road_locate_counts;

CREATE TEMP TABLE _ev ON COMMIT DROP AS
SELECT s.id AS sid, s.line_no, s.source_file, s.xml_path, s.local_id, s.road_number, s.sections,
       s.start_point, s.end_point,
       nextval((SELECT pg_get_serial_sequence('unified.road_event', 'id')::regclass)) AS event_id
FROM staging.road_event s
WHERE s.feed_version_id = %(feed_version_id)s;
CREATE INDEX ON _ev (event_id);
ANALYZE _ev;
