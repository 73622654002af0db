-- Re-locating events on a new network version replaces their location rows by event id.
CREATE INDEX IF NOT EXISTS road_event_location_event ON unified.road_event_location (road_event_id);
