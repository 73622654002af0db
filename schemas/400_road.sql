-- Road network (format road-network): one staging row per network section (OGR feature).
CREATE TABLE IF NOT EXISTS staging.road_link (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_version_id bigint NOT NULL,
    line_no         integer NOT NULL,
    source_file     text NOT NULL,
    local_id        text NOT NULL,
    road_number     text,
    road_number_raw text,
    road_class      text,
    direction       text,
    form_of_way     text,
    name            text,
    attributes      jsonb NOT NULL DEFAULT '{}'::jsonb,
    geom            geometry(LineString, 5514) NOT NULL
);
CREATE INDEX IF NOT EXISTS road_link_fv ON staging.road_link (feed_version_id, local_id);
COMMENT ON TABLE staging.road_link IS 'Road network sections as read from the source layer (ŘSD Global Network / ISSDS style), one row per feature, geometry already in EPSG:5514.';
COMMENT ON COLUMN staging.road_link.id IS 'Staging row key.';
COMMENT ON COLUMN staging.road_link.feed_version_id IS 'Feed version (network version) the section belongs to.';
COMMENT ON COLUMN staging.road_link.line_no IS 'Position of the feature in its layer (1 = first feature).';
COMMENT ON COLUMN staging.road_link.source_file IS 'File (or file inside the zip) the layer was read from.';
COMMENT ON COLUMN staging.road_link.local_id IS 'Section id (ŘSD ROAD_ID, or the mapped id attribute): the persistent local id of the link.';
COMMENT ON COLUMN staging.road_link.road_number IS 'Road number with class, normalised (D8, I/13, II/261, III/25840).';
COMMENT ON COLUMN staging.road_link.road_number_raw IS 'Road number as published (ŘSD RN).';
COMMENT ON COLUMN staging.road_link.road_class IS 'Road class derived from the number: D, I, II, III.';
COMMENT ON COLUMN staging.road_link.direction IS 'Traffic direction as published (ŘSD DF: 1 both, 2 against digitisation, 3 with digitisation, 4 closed).';
COMMENT ON COLUMN staging.road_link.form_of_way IS 'Road type as published (ŘSD FW: 1 motorway, 2 multi-lane, 3 single carriageway, 4 roundabout, 10 slip road, ...).';
COMMENT ON COLUMN staging.road_link.name IS 'Name of the section or street, decoded from the source encoding.';
COMMENT ON COLUMN staging.road_link.attributes IS 'All attributes of the feature as published (JSON), for fields not mapped to columns.';
COMMENT ON COLUMN staging.road_link.geom IS 'Section centreline, EPSG:5514.';
