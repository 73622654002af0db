-- ALERT-C (TMC) location tables, ISO 14819-3 exchange format (format alertc-location-table): one staging row
-- per location code of a table version. The current version of each table source is what DATEX II events
-- with ALERT-C references are located through (transport_etl/formats/alertc_location_table/resolve.sql).
CREATE TABLE IF NOT EXISTS staging.alertc_location (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_version_id  bigint NOT NULL,
    line_no          integer,
    source_file      text NOT NULL,
    cid              integer,
    tabcd            integer NOT NULL,
    lcd              integer NOT NULL,
    class            text,
    tcd              integer,
    stcd             integer,
    type_code        text,
    road_number      text,
    road_lcd         integer,
    segment_lcd      integer,
    area_lcd         integer,
    neg_off_lcd      integer,
    pos_off_lcd      integer,
    name             text,
    junction_number  text,
    geom             geometry(Point, 5514)
);
CREATE INDEX IF NOT EXISTS alertc_location_fv ON staging.alertc_location (feed_version_id, tabcd, lcd);
COMMENT ON TABLE staging.alertc_location IS 'ALERT-C location table rows (ISO 14819-3 exchange files POINTS, SEGMENTS, ROADS with their offsets and names): points with coordinates and negative/positive offset links, segments and roads. The current version of an alertc-location-table source locates ALERT-C events.';
COMMENT ON COLUMN staging.alertc_location.id IS 'Staging row key.';
COMMENT ON COLUMN staging.alertc_location.feed_version_id IS 'Feed version (table version as loaded) the row belongs to.';
COMMENT ON COLUMN staging.alertc_location.line_no IS 'Line in the exchange file (1 = header).';
COMMENT ON COLUMN staging.alertc_location.source_file IS 'Exchange file the row was read from (POINTS.DAT, SEGMENTS.DAT, ROADS.DAT).';
COMMENT ON COLUMN staging.alertc_location.cid IS 'CID: country id of the table.';
COMMENT ON COLUMN staging.alertc_location.tabcd IS 'TABCD: location table number (DATEX alertCLocationTableNumber).';
COMMENT ON COLUMN staging.alertc_location.lcd IS 'LCD: location code, unique within the table.';
COMMENT ON COLUMN staging.alertc_location.class IS 'CLASS: P point, L linear (road, segment), A area.';
COMMENT ON COLUMN staging.alertc_location.tcd IS 'TCD: location type code.';
COMMENT ON COLUMN staging.alertc_location.stcd IS 'STCD: location subtype code.';
COMMENT ON COLUMN staging.alertc_location.type_code IS 'CLASS, TCD and STCD as one code (e.g. P1.3 motorway junction).';
COMMENT ON COLUMN staging.alertc_location.road_number IS 'Road number (ROADNUMBER of the road or segment), normalised (D8, I/13).';
COMMENT ON COLUMN staging.alertc_location.road_lcd IS 'ROA_LCD: the road the location belongs to.';
COMMENT ON COLUMN staging.alertc_location.segment_lcd IS 'SEG_LCD: the segment the location belongs to.';
COMMENT ON COLUMN staging.alertc_location.area_lcd IS 'POL_LCD: the administrative area the location lies in.';
COMMENT ON COLUMN staging.alertc_location.neg_off_lcd IS 'NEG_OFF_LCD: previous location along the road (negative direction).';
COMMENT ON COLUMN staging.alertc_location.pos_off_lcd IS 'POS_OFF_LCD: next location along the road (positive direction).';
COMMENT ON COLUMN staging.alertc_location.name IS 'First name of the location (N1ID in NAMES), else the road name.';
COMMENT ON COLUMN staging.alertc_location.junction_number IS 'JUNCTIONNUMBER (motorway exit number).';
COMMENT ON COLUMN staging.alertc_location.geom IS 'Point position from XCOORD/YCOORD (WGS84) in EPSG:5514; NULL for linear locations and points without coordinates.';

CREATE OR REPLACE VIEW gis.alertc_location_5514 AS
SELECT l.id, fv.source_id, l.feed_version_id, l.tabcd, l.lcd, l.class, l.type_code, l.road_number, l.name,
       l.junction_number, l.neg_off_lcd, l.pos_off_lcd, l.geom
FROM staging.alertc_location l
JOIN lineage.feed_version fv ON fv.id = l.feed_version_id AND fv.is_current
WHERE l.geom IS NOT NULL;
COMMENT ON VIEW gis.alertc_location_5514 IS 'Points of the current ALERT-C location tables in EPSG:5514 (TMC location codes with their offset links).';
CREATE OR REPLACE VIEW gis.alertc_location AS
SELECT id, source_id, feed_version_id, tabcd, lcd, class, type_code, road_number, name, junction_number,
       neg_off_lcd, pos_off_lcd, ST_Transform(geom, 4326)::geometry(Point, 4326) AS geom
FROM gis.alertc_location_5514;
COMMENT ON VIEW gis.alertc_location IS 'Points of the current ALERT-C location tables in EPSG:4326.';
GRANT SELECT ON gis.alertc_location, gis.alertc_location_5514 TO gis_reader;
-- Column comments of both views: those of the staging columns they show.
DO $$
DECLARE v text; c record;
BEGIN
    FOREACH v IN ARRAY ARRAY['alertc_location', 'alertc_location_5514'] LOOP
        FOR c IN SELECT a.attname FROM pg_attribute a WHERE a.attrelid = ('gis.' || v)::regclass AND a.attnum > 0
        LOOP
            EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', v, c.attname, CASE c.attname
                WHEN 'source_id' THEN 'Catalog source of the location table.'
                WHEN 'geom' THEN 'Point position (EPSG:4326 in gis.alertc_location, 5514 in gis.alertc_location_5514).'
                ELSE coalesce(col_description('staging.alertc_location'::regclass,
                     (SELECT attnum FROM pg_attribute WHERE attrelid = 'staging.alertc_location'::regclass
                      AND attname = c.attname)), c.attname) END);
        END LOOP;
    END LOOP;
END $$;
