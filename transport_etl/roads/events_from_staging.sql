-- Input of locate_events.sql for an event publish: this feed version's staged events (new unified ids)
-- and the CURRENT road network (network 'road').
-- Parameters: feed_version_id, network_source (catalog id of the network to use, or NULL for every
-- current road link).

DROP TABLE IF EXISTS _net, _ev, _road_locate_counts;

CREATE TEMP TABLE _net ON COMMIT DROP AS
SELECT id, local_id, road_number, start_node_id, end_node_id, length_m, geom
FROM unified.transport_link
WHERE network = 'road' AND recorded_to IS NULL AND length_m > 0
  AND (%(network_source)s::text IS NULL OR source_id = %(network_source)s::text);
CREATE INDEX ON _net USING gist (geom);
CREATE INDEX ON _net (local_id);
CREATE INDEX ON _net (start_node_id);
CREATE INDEX ON _net (end_node_id);
ANALYZE _net;

CREATE TEMP TABLE _ev ON COMMIT DROP AS
SELECT s.id AS sid, s.line_no, s.source_file, s.xml_path, s.local_id, s.road_number, s.sections,
       s.start_point, s.end_point,
       nextval((SELECT pg_get_serial_sequence('unified.road_event', 'id')::regclass)) AS event_id
FROM staging.road_event s
WHERE s.feed_version_id = %(feed_version_id)s;
