-- The operators' list: journeys affected by current road events on the day it was computed.
-- Refreshed as a whole by the Dagster asset unified/affected_services (one transaction).
CREATE TABLE IF NOT EXISTS unified.affected_service (
    computed_at      timestamptz NOT NULL DEFAULT now(),
    service_date     date NOT NULL,
    event_id         bigint NOT NULL,
    event_type       text,
    line_id          bigint,
    line_code        text,
    line_name        text,
    line_source_id   text,
    journey_id       bigint,
    journey_code     text,
    headsign         text,
    first_departure  text,
    road_numbers     text[],
    affected_stops   text[]
);
COMMENT ON TABLE unified.affected_service IS 'Snapshot for operators: journeys affected by current road events on service_date (from gis.affected_services_on), refreshed by the Dagster asset unified/affected_services.';
COMMENT ON COLUMN unified.affected_service.computed_at IS 'When the snapshot was computed.';
COMMENT ON COLUMN unified.affected_service.service_date IS 'Service date the list is for.';
COMMENT ON COLUMN unified.affected_service.event_id IS 'unified.road_event id.';
COMMENT ON COLUMN unified.affected_service.event_type IS 'Event type (closure, roadworks, ...).';
COMMENT ON COLUMN unified.affected_service.line_id IS 'unified.line id.';
COMMENT ON COLUMN unified.affected_service.line_code IS 'Public line code.';
COMMENT ON COLUMN unified.affected_service.line_name IS 'Line name.';
COMMENT ON COLUMN unified.affected_service.line_source_id IS 'Source of the line.';
COMMENT ON COLUMN unified.affected_service.journey_id IS 'unified.journey id.';
COMMENT ON COLUMN unified.affected_service.journey_code IS 'Journey / trip number.';
COMMENT ON COLUMN unified.affected_service.headsign IS 'Destination shown.';
COMMENT ON COLUMN unified.affected_service.first_departure IS 'First departure of the journey (HH:MM).';
COMMENT ON COLUMN unified.affected_service.road_numbers IS 'Roads of the event the journey uses.';
COMMENT ON COLUMN unified.affected_service.affected_stops IS 'Stops of the journey on the affected links.';
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT SELECT ON unified.affected_service TO gis_reader;
  END IF;
END $$;

CREATE OR REPLACE VIEW gis.affected_service AS SELECT * FROM unified.affected_service;
COMMENT ON VIEW gis.affected_service IS 'Journeys affected by current road events today (snapshot refreshed by Dagster; see unified.affected_service).';
DO $$
DECLARE r record;
BEGIN
  FOR r IN SELECT a.attname, col_description('unified.affected_service'::regclass, a.attnum) AS d
           FROM pg_attribute a WHERE a.attrelid = 'unified.affected_service'::regclass AND a.attnum > 0
             AND NOT a.attisdropped
  LOOP
    EXECUTE format('COMMENT ON COLUMN gis.affected_service.%I IS %L', r.attname, r.d);
  END LOOP;
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT SELECT ON gis.affected_service TO gis_reader;
  END IF;
END $$;
