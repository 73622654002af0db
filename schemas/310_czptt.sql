-- Staging for CZPTT train path messages (Správa železnic via CIS JŘ), format `czptt`.
CREATE TABLE IF NOT EXISTS staging.czptt_message (
    feed_version_id  bigint NOT NULL,
    msg_no           integer NOT NULL,
    source_file      text NOT NULL,
    message_kind     text NOT NULL CHECK (message_kind IN ('path', 'cancel')),
    pa_key           text NOT NULL,
    pa_company       text,
    pa_core          text,
    pa_variant       text,
    pa_year          integer,
    tr_key           text,
    related_pa_key   text,
    created_at       timestamptz,
    bitmap           text,
    start_date       date,
    end_date         date,
    day_shift        integer NOT NULL DEFAULT 0,
    train_number     text,
    train_name       text,
    traffic_type     text,
    commercial_type  text,
    category         text,
    route_type       integer,
    mode             text,
    responsible_ru   text,
    location_count   integer,
    public_count     integer,
    status           text,
    PRIMARY KEY (feed_version_id, msg_no)
);
CREATE INDEX IF NOT EXISTS czptt_message_pa ON staging.czptt_message (feed_version_id, pa_key);
COMMENT ON TABLE staging.czptt_message IS 'One row per CZPTT message read (CZPTTCISMessage = a train path, CZCanceledPTTMessage = a cancellation of days of a path), with the merge decision in status.';
COMMENT ON COLUMN staging.czptt_message.feed_version_id IS 'Feed version (lineage.feed_version.id) the message was read from.';
COMMENT ON COLUMN staging.czptt_message.msg_no IS 'Order of the message within the feed version (1, 2, ...), in input file order.';
COMMENT ON COLUMN staging.czptt_message.source_file IS 'File of the message: its name, or archive/member for messages inside a zip.';
COMMENT ON COLUMN staging.czptt_message.message_kind IS 'path (CZPTTCISMessage) or cancel (CZCanceledPTTMessage).';
COMMENT ON COLUMN staging.czptt_message.pa_key IS 'Path identity PA as company:core:variant:timetable year; the key of a train run.';
COMMENT ON COLUMN staging.czptt_message.pa_company IS 'PA Company (e.g. 0054 = Správa železnic).';
COMMENT ON COLUMN staging.czptt_message.pa_core IS 'PA Core, 12 characters, e.g. --KADR079263.';
COMMENT ON COLUMN staging.czptt_message.pa_variant IS 'PA Variant, 2 characters.';
COMMENT ON COLUMN staging.czptt_message.pa_year IS 'PA TimetableYear.';
COMMENT ON COLUMN staging.czptt_message.tr_key IS 'Train identity TR as company:core:variant:year (shared by replacement paths, so not unique).';
COMMENT ON COLUMN staging.czptt_message.related_pa_key IS 'RelatedPlannedTransportIdentifiers: the original path of a diversion, if given.';
COMMENT ON COLUMN staging.czptt_message.created_at IS 'CZPTTCreation (paths) or CZPTTCancelation (cancellations): the newer message of a PA wins.';
COMMENT ON COLUMN staging.czptt_message.bitmap IS 'PlannedCalendar BitmapDays: one character per day from start_date, 1 = runs (cancellations: 1 = cancelled).';
COMMENT ON COLUMN staging.czptt_message.start_date IS 'ValidityPeriod StartDateTime (date part): the day of the first bitmap character.';
COMMENT ON COLUMN staging.czptt_message.end_date IS 'ValidityPeriod EndDateTime (date part), NULL when omitted (bitmap "1").';
COMMENT ON COLUMN staging.czptt_message.day_shift IS 'Days added to bitmap dates to get service dates (negative when the first public call has a negative Offset); call times are shifted back by the same days.';
COMMENT ON COLUMN staging.czptt_message.train_number IS 'OperationalTrainNumber of the first public location.';
COMMENT ON COLUMN staging.czptt_message.train_name IS 'NetworkSpecificParameter CZTrainName, if any.';
COMMENT ON COLUMN staging.czptt_message.traffic_type IS 'TrafficType of the first public location (11 Os, C1 Ex, C2 R, C3 Sp, 32 replacement bus ...).';
COMMENT ON COLUMN staging.czptt_message.commercial_type IS 'CommercialTrafficType of the first public location (84 regional, 157 R, 63 IC, 9000 Rex ...).';
COMMENT ON COLUMN staging.czptt_message.category IS 'Category abbreviation shown to passengers (Os, Sp, R, Ex, IC, EC, RJ ...).';
COMMENT ON COLUMN staging.czptt_message.route_type IS 'GTFS extended route_type derived from the category (106 regional, 103 interregional, 102 long distance, 105 sleeper, 714 rail replacement bus, 100 other).';
COMMENT ON COLUMN staging.czptt_message.mode IS 'rail, or bus for replacement bus services (TrafficType 32).';
COMMENT ON COLUMN staging.czptt_message.responsible_ru IS 'ResponsibleRU (railway undertaking code) of the first public location: the operator.';
COMMENT ON COLUMN staging.czptt_message.location_count IS 'Number of CZPTTLocation elements.';
COMMENT ON COLUMN staging.czptt_message.public_count IS 'Number of public stops among them.';
COMMENT ON COLUMN staging.czptt_message.status IS 'Merge decision: current (newest path of its PA), superseded (an older or equal-time duplicate of the PA), applied (cancellation applied), outdated (cancellation older than the current path), orphan (cancellation of a PA not in the input).';

CREATE TABLE IF NOT EXISTS staging.czptt_location (
    feed_version_id  bigint NOT NULL,
    msg_no           integer NOT NULL,
    seq              integer NOT NULL,
    source_file      text NOT NULL,
    xml_path         text NOT NULL,
    location_type    text,
    country          text,
    primary_code     text,
    sr70             text,
    name             text,
    subsidiary_code  text,
    subsidiary_type  text,
    arrival_time     text,
    arrival_offset   integer,
    departure_time   text,
    departure_offset integer,
    arrival_s        integer,
    departure_s      integer,
    dwell_min        double precision,
    responsible_ru   text,
    responsible_im   text,
    train_type       text,
    traffic_type     text,
    commercial_type  text,
    train_number     text,
    activities       text[],
    is_public        boolean NOT NULL,
    params           jsonb,
    PRIMARY KEY (feed_version_id, msg_no, seq)
);
COMMENT ON TABLE staging.czptt_location IS 'Every CZPTTLocation of every message (public stops and operational points alike), in path order.';
COMMENT ON COLUMN staging.czptt_location.feed_version_id IS 'Feed version the location was read from.';
COMMENT ON COLUMN staging.czptt_location.msg_no IS 'The message (staging.czptt_message.msg_no).';
COMMENT ON COLUMN staging.czptt_location.seq IS 'Position of the location in the message (1, 2, ...).';
COMMENT ON COLUMN staging.czptt_location.source_file IS 'File of the message.';
COMMENT ON COLUMN staging.czptt_location.xml_path IS 'XPath of the CZPTTLocation element in its file.';
COMMENT ON COLUMN staging.czptt_location.location_type IS 'JourneyLocationTypeCode: 01 origin, 02 intermediate, 03 destination, 04 handover, 05 interchange, 06 handover+interchange, 07 state border.';
COMMENT ON COLUMN staging.czptt_location.country IS 'CountryCodeISO.';
COMMENT ON COLUMN staging.czptt_location.primary_code IS 'LocationPrimaryCode as published: SR70 code without check digit (5 digits).';
COMMENT ON COLUMN staging.czptt_location.sr70 IS '6-digit SR70 code with computed check digit (Czech locations only).';
COMMENT ON COLUMN staging.czptt_location.name IS 'PrimaryLocationName.';
COMMENT ON COLUMN staging.czptt_location.subsidiary_code IS 'LocationSubsidiaryCode (track / platform).';
COMMENT ON COLUMN staging.czptt_location.subsidiary_type IS 'LocationSubsidiaryTypeCode of that code.';
COMMENT ON COLUMN staging.czptt_location.arrival_time IS 'Timing ALA Time as published (local time, zone offset ignored).';
COMMENT ON COLUMN staging.czptt_location.arrival_offset IS 'Timing ALA Offset: days after the bitmap day.';
COMMENT ON COLUMN staging.czptt_location.departure_time IS 'Timing ALD Time as published.';
COMMENT ON COLUMN staging.czptt_location.departure_offset IS 'Timing ALD Offset: days after the bitmap day.';
COMMENT ON COLUMN staging.czptt_location.arrival_s IS 'Arrival in seconds after noon minus 12 h of the bitmap day (Offset included, may exceed 24 h or be negative).';
COMMENT ON COLUMN staging.czptt_location.departure_s IS 'Departure in seconds after noon minus 12 h of the bitmap day.';
COMMENT ON COLUMN staging.czptt_location.dwell_min IS 'DwellTime (minutes).';
COMMENT ON COLUMN staging.czptt_location.responsible_ru IS 'ResponsibleRU: railway undertaking operating the train here.';
COMMENT ON COLUMN staging.czptt_location.responsible_im IS 'ResponsibleIM: infrastructure manager.';
COMMENT ON COLUMN staging.czptt_location.train_type IS 'TrainType (1 = passenger public).';
COMMENT ON COLUMN staging.czptt_location.traffic_type IS 'TrafficType here.';
COMMENT ON COLUMN staging.czptt_location.commercial_type IS 'CommercialTrafficType here.';
COMMENT ON COLUMN staging.czptt_location.train_number IS 'OperationalTrainNumber here.';
COMMENT ON COLUMN staging.czptt_location.activities IS 'TrainActivityType codes (0001 stop, 0002 operational stop, 0028 boarding only, 0029 alighting only, 0030 request stop, CZ13 unpublished ...).';
COMMENT ON COLUMN staging.czptt_location.is_public IS 'Public stop: TrainType 1 and activity 0001, without 0002 or CZ13. Only these become unified.call rows.';
COMMENT ON COLUMN staging.czptt_location.params IS 'NetworkSpecificParameter Name/Value pairs of the location.';

CREATE TABLE IF NOT EXISTS staging.czptt_path_day (
    feed_version_id bigint NOT NULL,
    msg_no          integer NOT NULL,
    service_date    date NOT NULL,
    PRIMARY KEY (feed_version_id, msg_no, service_date)
);
COMMENT ON TABLE staging.czptt_path_day IS 'Service dates of each current path: its bitmap days minus the days of applicable cancellations, moved by day_shift.';
COMMENT ON COLUMN staging.czptt_path_day.feed_version_id IS 'Feed version.';
COMMENT ON COLUMN staging.czptt_path_day.msg_no IS 'The current path message (staging.czptt_message.msg_no).';
COMMENT ON COLUMN staging.czptt_path_day.service_date IS 'A date the path runs (times count from noon minus 12 h of it).';

CREATE TABLE IF NOT EXISTS staging.czptt_rail_layer (
    feed_version_id bigint NOT NULL,
    feature_no      integer NOT NULL,
    source_file     text NOT NULL,
    feature_id      text,
    name            text,
    line_number     text,
    attributes      jsonb,
    geom            geometry(LineString, 5514),
    PRIMARY KEY (feed_version_id, feature_no)
);
CREATE INDEX IF NOT EXISTS czptt_rail_layer_geom ON staging.czptt_rail_layer USING gist (geom);
COMMENT ON TABLE staging.czptt_rail_layer IS 'Rail line features read from the optional OGR layer of a czptt source (option rail_layer), one row per single line part, in EPSG:5514.';
COMMENT ON COLUMN staging.czptt_rail_layer.feed_version_id IS 'Feed version of the czptt source that read the layer.';
COMMENT ON COLUMN staging.czptt_rail_layer.feature_no IS 'Order of the line part in the layer (1, 2, ...).';
COMMENT ON COLUMN staging.czptt_rail_layer.source_file IS 'File name of the layer.';
COMMENT ON COLUMN staging.czptt_rail_layer.feature_id IS 'Feature id (option rail_layer_id_field, else the OGR FID), with #n for parts of multi-lines.';
COMMENT ON COLUMN staging.czptt_rail_layer.name IS 'Name (option rail_layer_name_field).';
COMMENT ON COLUMN staging.czptt_rail_layer.line_number IS 'Rail line number (option rail_layer_line_field).';
COMMENT ON COLUMN staging.czptt_rail_layer.attributes IS 'All attributes of the feature.';
COMMENT ON COLUMN staging.czptt_rail_layer.geom IS 'Line geometry reprojected to EPSG:5514.';
