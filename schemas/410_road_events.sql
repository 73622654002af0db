-- Road events (formats datex2 and road-closures): one staging row per situation record / closure feature.
CREATE TABLE IF NOT EXISTS staging.road_event (
    id                bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_version_id   bigint NOT NULL,
    line_no           integer,
    source_file       text NOT NULL,
    xml_path          text,
    local_id          text NOT NULL,
    situation_id      text,
    situation_version text,
    record_version    text,
    record_type       text,
    event_type        text NOT NULL,
    status            text,
    starts_at         timestamptz,
    ends_at           timestamptz,
    road_number       text,
    road_number_raw   text,
    comment           text,
    impact            text,
    sections          jsonb NOT NULL DEFAULT '[]'::jsonb,
    chainage_from_km  double precision,
    chainage_to_km    double precision,
    start_point       geometry(Point, 5514),
    end_point         geometry(Point, 5514),
    location_methods  text[],
    raw_location      jsonb,
    attributes        jsonb
);
CREATE INDEX IF NOT EXISTS road_event_staging_fv ON staging.road_event (feed_version_id);
COMMENT ON TABLE staging.road_event IS 'Road events as published: DATEX II situation records (NDIC) and ŘSD closure features, before they are located on the road network.';
COMMENT ON COLUMN staging.road_event.id IS 'Staging row key.';
COMMENT ON COLUMN staging.road_event.feed_version_id IS 'Feed version the record belongs to.';
COMMENT ON COLUMN staging.road_event.line_no IS 'Line of the situationRecord start tag in the XML file, or the feature position (1 = first) in a closure layer.';
COMMENT ON COLUMN staging.road_event.source_file IS 'File the record was read from.';
COMMENT ON COLUMN staging.road_event.xml_path IS 'Path of the record in the XML document (situation id / record id); NULL for layers.';
COMMENT ON COLUMN staging.road_event.local_id IS 'Record id (DATEX situationRecord@id, closure OBJECTID or derived key).';
COMMENT ON COLUMN staging.road_event.situation_id IS 'DATEX situation@id the record belongs to.';
COMMENT ON COLUMN staging.road_event.situation_version IS 'DATEX situation@version.';
COMMENT ON COLUMN staging.road_event.record_version IS 'DATEX situationRecord@version.';
COMMENT ON COLUMN staging.road_event.record_type IS 'DATEX record type (xsi:type, e.g. MaintenanceWorks) or closure ddrType.';
COMMENT ON COLUMN staging.road_event.event_type IS 'Unified event type: closure, roadworks, accident, restriction, ...';
COMMENT ON COLUMN staging.road_event.status IS 'Validity status as published (DATEX validityStatus; closures: active/planned from ddrType).';
COMMENT ON COLUMN staging.road_event.starts_at IS 'Start (DATEX overallStartTime; closure ValidFrom).';
COMMENT ON COLUMN staging.road_event.ends_at IS 'End (DATEX overallEndTime; closure ValidTo); NULL if open-ended.';
COMMENT ON COLUMN staging.road_event.road_number IS 'Road number normalised (D8, I/13, II/261).';
COMMENT ON COLUMN staging.road_event.road_number_raw IS 'Road number as published.';
COMMENT ON COLUMN staging.road_event.comment IS 'Public comment, Czech where given.';
COMMENT ON COLUMN staging.road_event.impact IS 'Impact as published: management type (roadClosed, laneClosures), constriction or works type.';
COMMENT ON COLUMN staging.road_event.sections IS 'Network sections referenced: [{id (ŘSD ROAD_ID / DATEX sectionId), order, direction, from_m, to_m}].';
COMMENT ON COLUMN staging.road_event.chainage_from_km IS 'Road chainage of the start, km (ŘSD closures ChainageFrom).';
COMMENT ON COLUMN staging.road_event.chainage_to_km IS 'Road chainage of the end, km (ŘSD closures ChainageTo).';
COMMENT ON COLUMN staging.road_event.start_point IS 'Published start point (or the point of a point event), EPSG:5514.';
COMMENT ON COLUMN staging.road_event.end_point IS 'Published end point, EPSG:5514.';
COMMENT ON COLUMN staging.road_event.location_methods IS 'Location methods present: globalNetworkLinear, pointWithinLinearGNElement, coordinates:sjtsk|wgs84, alertC, geometry.';
COMMENT ON COLUMN staging.road_event.raw_location IS 'The location as published (DATEX groupOfLocations as JSON, ALERT-C included).';
COMMENT ON COLUMN staging.road_event.attributes IS 'Other published attributes (closure properties).';
