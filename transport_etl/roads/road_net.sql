-- The road links events are located on (temp table _net of locate_events.sql): the current road network,
-- of the source network_source or of every source when NULL. During a relocation after a new road-network
-- version (new_network_source and new_network_version set) that network's previous rows are still open
-- (the runner closes them after publish), so for it only its NEW version's rows are taken.

DROP TABLE IF EXISTS _net;

CREATE TEMP TABLE _net ON COMMIT DROP AS
SELECT id, local_id, road_number, start_node_id, end_node_id, length_m, geom
FROM unified.transport_link
WHERE network = 'road' AND recorded_to IS NULL AND length_m > 0
  AND (%(network_source)s::text IS NULL OR source_id = %(network_source)s::text)
  AND (%(new_network_source)s::text IS NULL OR source_id <> %(new_network_source)s::text
       OR feed_version_id = %(new_network_version)s::bigint);
CREATE INDEX ON _net USING gist (geom);
CREATE INDEX ON _net (local_id);
CREATE INDEX ON _net (start_node_id);
CREATE INDEX ON _net (end_node_id);
CREATE INDEX ON _net (road_number);   -- an unlocated event's "road not in the network" check
ANALYZE _net;
