-- Pruning old feed versions of one source must not fail on rows of other sources that point at them:
-- an event located on a pruned (superseded) link version loses that stale location; a census count
-- keeps its row and loses only the join.
ALTER TABLE unified.road_event_location DROP CONSTRAINT IF EXISTS road_event_location_transport_link_id_fkey;
ALTER TABLE unified.road_event_location ADD CONSTRAINT road_event_location_transport_link_id_fkey
    FOREIGN KEY (transport_link_id) REFERENCES unified.transport_link(id) ON DELETE CASCADE;
ALTER TABLE unified.traffic_count DROP CONSTRAINT IF EXISTS traffic_count_transport_link_id_fkey;
ALTER TABLE unified.traffic_count ADD CONSTRAINT traffic_count_transport_link_id_fkey
    FOREIGN KEY (transport_link_id) REFERENCES unified.transport_link(id) ON DELETE SET NULL;
