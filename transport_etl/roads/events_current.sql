-- Input of locate_events.sql for a relocation after a new road-network version: the current events of
-- one event source (their unified ids kept) and the road network as it will be once the new network
-- version is published. The network's previous rows are still open here (the runner closes them after
-- publish), so for the network being published only its NEW version's rows are taken.
-- Parameters: event_source (catalog id of the event source), network_source (catalog id of the network
-- the event source locates on, or NULL for every road network), new_network_source and
-- new_network_version (the network source being published and its feed version).

DROP TABLE IF EXISTS _net, _ev, _road_locate_counts;

CREATE TEMP TABLE _net ON COMMIT DROP AS
SELECT id, local_id, road_number, start_node_id, end_node_id, length_m, geom
FROM unified.transport_link
WHERE network = 'road' AND recorded_to IS NULL AND length_m > 0
  AND (%(network_source)s::text IS NULL OR source_id = %(network_source)s::text)
  AND (source_id <> %(new_network_source)s OR feed_version_id = %(new_network_version)s);
CREATE INDEX ON _net USING gist (geom);
CREATE INDEX ON _net (local_id);
CREATE INDEX ON _net (start_node_id);
CREATE INDEX ON _net (end_node_id);
ANALYZE _net;

CREATE TEMP TABLE _ev ON COMMIT DROP AS
SELECT s.id AS sid, s.line_no, s.source_file, s.xml_path, s.local_id, s.road_number, s.sections,
       s.start_point, s.end_point, e.id AS event_id
FROM unified.road_event e
JOIN staging.road_event s ON s.feed_version_id = e.feed_version_id AND s.local_id = e.local_id
WHERE e.source_id = %(event_source)s AND e.recorded_to IS NULL;
CREATE INDEX ON _ev (event_id);
ANALYZE _ev;
