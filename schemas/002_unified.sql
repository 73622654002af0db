-- The unified model v1. Geometry in EPSG:5514 (S-JTSK / Krovak East North), GiST indexed.
-- Every table carries the same identity and time columns:
--   id (surrogate key of this row version), source_id + feed_version_id (where it came from),
--   namespace + local_id (persistent INSPIRE-style identifier, stable across feed versions),
--   valid_from/valid_to (real-world validity), recorded_from/recorded_to (when we knew it:
--   recorded_to is set when a newer feed version supersedes the row; current rows have it NULL).

CREATE TABLE IF NOT EXISTS unified.operator (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    name text NOT NULL,
    company_id text,
    url text,
    phone text,
    timezone text
);
COMMENT ON TABLE unified.operator IS 'Transport operators (GTFS agency, JDF Dopravci, rail ResponsibleRU).';
COMMENT ON COLUMN unified.operator.name IS 'Operator name as published.';
COMMENT ON COLUMN unified.operator.company_id IS 'Company registration number (IČO) or RU code where known.';
COMMENT ON COLUMN unified.operator.url IS 'Web address.';
COMMENT ON COLUMN unified.operator.phone IS 'Phone number.';
COMMENT ON COLUMN unified.operator.timezone IS 'IANA time zone of the operator''s times (Europe/Prague for Czech sources).';

CREATE TABLE IF NOT EXISTS unified.stop_place (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    name text NOT NULL,
    kind text NOT NULL DEFAULT 'bus',
    municipality text,
    district_code text,
    register_id text,
    geom geometry(Point, 5514),
    location_note text
);
COMMENT ON TABLE unified.stop_place IS 'Stop places (a named place where passengers board: bus stop, station). One row per source stop place; cross-source identities are resolved by harmonisation.';
COMMENT ON COLUMN unified.stop_place.name IS 'Stop place name as published (decoded to Unicode).';
COMMENT ON COLUMN unified.stop_place.kind IS 'Mode of the stop place: bus, tram, trolleybus, rail, ferry, cableway, mixed.';
COMMENT ON COLUMN unified.stop_place.municipality IS 'Municipality name, where the source gives it.';
COMMENT ON COLUMN unified.stop_place.district_code IS 'District (okres) code, e.g. UL, DC, TP, MO, CV, LT, LN.';
COMMENT ON COLUMN unified.stop_place.register_id IS 'Identifier in a national/regional register: CRZ stop number, SR70 station code.';
COMMENT ON COLUMN unified.stop_place.geom IS 'Position in EPSG:5514. NULL when the source has no usable position (missing, or at 0,0): never placed at the origin.';
COMMENT ON COLUMN unified.stop_place.location_note IS 'Why geom is NULL or approximate (e.g. point_near_origin, unmatched).';

CREATE TABLE IF NOT EXISTS unified.stop_point (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    stop_place_id bigint REFERENCES unified.stop_place(id),
    name text,
    platform_code text,
    point_kind text NOT NULL DEFAULT 'platform',
    register_id text,
    geom geometry(Point, 5514),
    location_note text
);
COMMENT ON TABLE unified.stop_point IS 'Stop points (boarding positions, poles, platforms, entrances) belonging to a stop place; calls refer to stop points.';
COMMENT ON COLUMN unified.stop_point.stop_place_id IS 'The stop place this point belongs to.';
COMMENT ON COLUMN unified.stop_point.name IS 'Name of the point as published.';
COMMENT ON COLUMN unified.stop_point.platform_code IS 'Platform or pole code (GTFS platform_code, JDF označník).';
COMMENT ON COLUMN unified.stop_point.point_kind IS 'platform, entrance, generic_node, boarding_area.';
COMMENT ON COLUMN unified.stop_point.register_id IS 'Register code of the pole (CRZ + označník) where known.';
COMMENT ON COLUMN unified.stop_point.geom IS 'Position in EPSG:5514; NULL when unknown or at 0,0.';
COMMENT ON COLUMN unified.stop_point.location_note IS 'Why geom is NULL or approximate.';

CREATE TABLE IF NOT EXISTS unified.line (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    operator_id bigint REFERENCES unified.operator(id),
    public_code text,
    name text,
    mode text NOT NULL DEFAULT 'bus',
    route_type integer,
    color text
);
COMMENT ON TABLE unified.line IS 'Public transport lines (GTFS route, JDF linka, rail train line/category).';
COMMENT ON COLUMN unified.line.operator_id IS 'Operator of the line.';
COMMENT ON COLUMN unified.line.public_code IS 'Line number shown to passengers (GTFS route_short_name, JDF line number, train number).';
COMMENT ON COLUMN unified.line.name IS 'Line name (GTFS route_long_name, JDF route name).';
COMMENT ON COLUMN unified.line.mode IS 'bus, tram, trolleybus, rail, ferry, cableway, ...';
COMMENT ON COLUMN unified.line.route_type IS 'GTFS route_type (basic or extended) equivalent.';
COMMENT ON COLUMN unified.line.color IS 'Line colour as hex RRGGBB, where published.';

CREATE TABLE IF NOT EXISTS unified.service_calendar (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    description text,
    weekdays text
);
COMMENT ON TABLE unified.service_calendar IS 'Service calendars (GTFS service_id, JDF fixed + time codes, CZPTT bitmap). The dates it runs are in unified.service_day.';
COMMENT ON COLUMN unified.service_calendar.description IS 'Human-readable rule as published (e.g. JDF codes "X,+ jede 24.12.").';
COMMENT ON COLUMN unified.service_calendar.weekdays IS 'Regular weekdays as 7 characters Monday..Sunday, 1 = runs (e.g. 1111100), NULL if irregular.';

CREATE TABLE IF NOT EXISTS unified.service_day (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    service_calendar_id bigint NOT NULL,
    service_date date NOT NULL
);
COMMENT ON TABLE unified.service_day IS 'One row per date on which a service calendar runs (expanded from calendar + exceptions / JDF codes / CZPTT bitmaps).';
COMMENT ON COLUMN unified.service_day.service_calendar_id IS 'The service calendar.';
COMMENT ON COLUMN unified.service_day.service_date IS 'Service date (times of the journey count from noon minus 12 h of this date, local time).';

CREATE TABLE IF NOT EXISTS unified.route_geometry (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    derived_from text NOT NULL CHECK (derived_from IN ('shape', 'stop_sequence', 'network')),
    geom geometry(LineString, 5514),
    length_m double precision
);
COMMENT ON TABLE unified.route_geometry IS 'Path geometry of journeys: from published shapes, or a straight-line path through the stop sequence (flagged in derived_from).';
COMMENT ON COLUMN unified.route_geometry.derived_from IS 'shape (published shape), stop_sequence (straight segments between stops: approximate), network (matched onto transport links).';
COMMENT ON COLUMN unified.route_geometry.geom IS 'LineString in EPSG:5514.';
COMMENT ON COLUMN unified.route_geometry.length_m IS 'Length in metres.';

CREATE TABLE IF NOT EXISTS unified.journey (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    line_id bigint REFERENCES unified.line(id),
    service_calendar_id bigint REFERENCES unified.service_calendar(id),
    route_geometry_id bigint REFERENCES unified.route_geometry(id),
    public_code text,
    headsign text,
    direction text,
    block_id text,
    wheelchair_accessible smallint,
    bikes_allowed smallint
);
COMMENT ON TABLE unified.journey IS 'Scheduled journeys (GTFS trip, JDF spoj, CZPTT train path) of a line on the days of a service calendar.';
COMMENT ON COLUMN unified.journey.line_id IS 'Line operated.';
COMMENT ON COLUMN unified.journey.service_calendar_id IS 'Days of operation.';
COMMENT ON COLUMN unified.journey.route_geometry_id IS 'Path geometry, if known.';
COMMENT ON COLUMN unified.journey.public_code IS 'Journey / train number shown to passengers (GTFS trip_short_name, JDF spoj number, train number).';
COMMENT ON COLUMN unified.journey.headsign IS 'Destination shown on the vehicle.';
COMMENT ON COLUMN unified.journey.direction IS 'Direction as published (GTFS direction_id 0/1, JDF odd/even).';
COMMENT ON COLUMN unified.journey.block_id IS 'Vehicle block (GTFS block_id).';
COMMENT ON COLUMN unified.journey.wheelchair_accessible IS 'GTFS wheelchair_accessible code (0 unknown, 1 yes, 2 no).';
COMMENT ON COLUMN unified.journey.bikes_allowed IS 'GTFS bikes_allowed code (0 unknown, 1 yes, 2 no).';

CREATE TABLE IF NOT EXISTS unified.call (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    journey_id bigint NOT NULL,
    stop_point_id bigint,
    sequence integer NOT NULL,
    arrival_s integer,
    departure_s integer,
    pickup_type smallint,
    drop_off_type smallint,
    distance_m double precision,
    timepoint smallint
);
COMMENT ON TABLE unified.call IS 'Calls of a journey at stop points, in order. Times are seconds after "noon minus 12 h" of the service date (may exceed 24 h).';
COMMENT ON COLUMN unified.call.journey_id IS 'The journey.';
COMMENT ON COLUMN unified.call.stop_point_id IS 'The stop point called at.';
COMMENT ON COLUMN unified.call.sequence IS 'Order of the call within the journey (source sequence numbers, increasing).';
COMMENT ON COLUMN unified.call.arrival_s IS 'Arrival, seconds after noon minus 12 h of the service date; NULL if not timed.';
COMMENT ON COLUMN unified.call.departure_s IS 'Departure, seconds after noon minus 12 h of the service date; NULL if not timed.';
COMMENT ON COLUMN unified.call.pickup_type IS 'GTFS pickup_type (0 regular, 1 none, 2 phone, 3 ask driver).';
COMMENT ON COLUMN unified.call.drop_off_type IS 'GTFS drop_off_type.';
COMMENT ON COLUMN unified.call.distance_m IS 'Distance travelled from the first call, metres (GTFS shape_dist_traveled in its unit, JDF km × 1000).';
COMMENT ON COLUMN unified.call.timepoint IS 'GTFS timepoint (1 exact, 0 approximate).';

CREATE TABLE IF NOT EXISTS unified.transport_node (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    network text NOT NULL CHECK (network IN ('road', 'rail')),
    name text,
    node_kind text,
    geom geometry(Point, 5514) NOT NULL
);
COMMENT ON TABLE unified.transport_node IS 'Network nodes (INSPIRE TransportNode): link ends shared within a snapping tolerance, stations on the rail network.';
COMMENT ON COLUMN unified.transport_node.network IS 'road or rail.';
COMMENT ON COLUMN unified.transport_node.name IS 'Name, e.g. station name.';
COMMENT ON COLUMN unified.transport_node.node_kind IS 'junction, end, station, pseudo.';
COMMENT ON COLUMN unified.transport_node.geom IS 'Position in EPSG:5514.';

CREATE TABLE IF NOT EXISTS unified.transport_link (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    network text NOT NULL CHECK (network IN ('road', 'rail')),
    version integer NOT NULL DEFAULT 1,
    start_node_id bigint,
    end_node_id bigint,
    road_number text,
    road_class text,
    direction text,
    form_of_way text,
    name text,
    length_m double precision,
    geom geometry(LineString, 5514) NOT NULL
);
COMMENT ON TABLE unified.transport_link IS 'Network links (INSPIRE TransportLink) of the road and rail networks. (namespace, local_id) is the persistent identity; version increments when the link changes between network versions.';
COMMENT ON COLUMN unified.transport_link.network IS 'road or rail.';
COMMENT ON COLUMN unified.transport_link.version IS 'Version of this link identity (1, 2, ...): incremented when geometry or attributes change.';
COMMENT ON COLUMN unified.transport_link.start_node_id IS 'Start node (transport_node.id).';
COMMENT ON COLUMN unified.transport_link.end_node_id IS 'End node (transport_node.id).';
COMMENT ON COLUMN unified.transport_link.road_number IS 'Road number with class, e.g. D8, I/13, II/261, III/25840; rail line number for rail.';
COMMENT ON COLUMN unified.transport_link.road_class IS 'Road class: D (motorway), I, II, III; or rail track category.';
COMMENT ON COLUMN unified.transport_link.direction IS 'Direction of digitisation / traffic flow as published (ŘSD DF).';
COMMENT ON COLUMN unified.transport_link.form_of_way IS 'Road type as published (ŘSD FW).';
COMMENT ON COLUMN unified.transport_link.name IS 'Name of the link or section.';
COMMENT ON COLUMN unified.transport_link.length_m IS 'Length in metres (in EPSG:5514).';
COMMENT ON COLUMN unified.transport_link.geom IS 'Centreline, LineString in EPSG:5514.';

CREATE TABLE IF NOT EXISTS unified.road_event (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    event_type text NOT NULL,
    status text,
    starts_at timestamptz,
    ends_at timestamptz,
    road_number text,
    comment text,
    impact text,
    location_status text NOT NULL DEFAULT 'unlocated' CHECK (location_status IN ('located', 'unlocated')),
    unlocated_reason text,
    raw_location jsonb,
    geom geometry(Geometry, 5514)
);
COMMENT ON TABLE unified.road_event IS 'Road closures, works and other events (DATEX II situation records, ŘSD closures), located on road transport links where possible.';
COMMENT ON COLUMN unified.road_event.event_type IS 'closure, roadworks, accident, restriction, ... (DATEX II record type mapped).';
COMMENT ON COLUMN unified.road_event.status IS 'Validity status as published (active, planned, suspended).';
COMMENT ON COLUMN unified.road_event.starts_at IS 'Start of the event.';
COMMENT ON COLUMN unified.road_event.ends_at IS 'End of the event (NULL if open-ended).';
COMMENT ON COLUMN unified.road_event.road_number IS 'Road number the event is on, as published.';
COMMENT ON COLUMN unified.road_event.comment IS 'Published comment (Czech).';
COMMENT ON COLUMN unified.road_event.impact IS 'Impact on traffic, e.g. roadClosed, laneClosures, trafficMayBeDelayed.';
COMMENT ON COLUMN unified.road_event.location_status IS 'located (on transport links, see road_event_location) or unlocated (see unlocated_reason).';
COMMENT ON COLUMN unified.road_event.unlocated_reason IS 'Why the event could not be located on the network.';
COMMENT ON COLUMN unified.road_event.raw_location IS 'Location as published (points, sectionId, ALERT-C), kept raw.';
COMMENT ON COLUMN unified.road_event.geom IS 'Located part of the links (EPSG:5514), or the published points if unlocated.';

CREATE TABLE IF NOT EXISTS unified.road_event_location (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    road_event_id bigint NOT NULL REFERENCES unified.road_event(id),
    transport_link_id bigint NOT NULL REFERENCES unified.transport_link(id),
    from_measure_m double precision NOT NULL,
    to_measure_m double precision NOT NULL,
    method text,
    geom geometry(LineString, 5514)
);
COMMENT ON TABLE unified.road_event_location IS 'Linear references of road events on transport links (INSPIRE SimpleLinearReference): link + from/to distance along its geometry.';
COMMENT ON COLUMN unified.road_event_location.road_event_id IS 'The event.';
COMMENT ON COLUMN unified.road_event_location.transport_link_id IS 'The link (a specific link version).';
COMMENT ON COLUMN unified.road_event_location.from_measure_m IS 'Start, metres along the link geometry from its start.';
COMMENT ON COLUMN unified.road_event_location.to_measure_m IS 'End, metres along the link geometry from its start.';
COMMENT ON COLUMN unified.road_event_location.method IS 'section_id (matched by identifier) or projection (points projected onto links of the road).';
COMMENT ON COLUMN unified.road_event_location.geom IS 'The located part of the link, EPSG:5514.';

CREATE TABLE IF NOT EXISTS unified.traffic_count (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    transport_link_id bigint REFERENCES unified.transport_link(id),
    road_number text,
    census_section text,
    census_year integer,
    light_vehicles integer,
    heavy_vehicles integer,
    motorcycles integer,
    total_vehicles integer,
    geom geometry(Geometry, 5514)
);
COMMENT ON TABLE unified.traffic_count IS 'Traffic census results per census section (ŘSD Celostátní sčítání dopravy), joined to road transport links.';
COMMENT ON COLUMN unified.traffic_count.transport_link_id IS 'Road link the section lies on (NULL if not joined).';
COMMENT ON COLUMN unified.traffic_count.road_number IS 'Road number (PSILNICE).';
COMMENT ON COLUMN unified.traffic_count.census_section IS 'Census section code (PKOD_R).';
COMMENT ON COLUMN unified.traffic_count.census_year IS 'Census year.';
COMMENT ON COLUMN unified.traffic_count.light_vehicles IS 'Light vehicles per 24 h (OA).';
COMMENT ON COLUMN unified.traffic_count.heavy_vehicles IS 'Heavy vehicles per 24 h (TV).';
COMMENT ON COLUMN unified.traffic_count.motorcycles IS 'Motorcycles per 24 h (M).';
COMMENT ON COLUMN unified.traffic_count.total_vehicles IS 'All vehicles per 24 h (SV).';
COMMENT ON COLUMN unified.traffic_count.geom IS 'Section geometry, EPSG:5514.';

-- Indexes: identity lookups, current-row filters, spatial.
DO $$
DECLARE t text;
BEGIN
  FOREACH t IN ARRAY ARRAY['operator','stop_place','stop_point','line','service_calendar','service_day',
      'route_geometry','journey','call','transport_node','transport_link','road_event','road_event_location',
      'traffic_count']
  LOOP
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON unified.%I (namespace, local_id)', t || '_identity', t);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON unified.%I (feed_version_id)', t || '_fv', t);
    EXECUTE format('CREATE INDEX IF NOT EXISTS %I ON unified.%I (source_id) WHERE recorded_to IS NULL', t || '_current', t);
    -- Shared columns get the same comment everywhere, so psql \d+ and QGIS show them.
    EXECUTE format('COMMENT ON COLUMN unified.%I.id IS %L', t, 'Surrogate key of this row version.');
    EXECUTE format('COMMENT ON COLUMN unified.%I.source_id IS %L', t, 'Source (lineage.source.id) the row came from.');
    EXECUTE format('COMMENT ON COLUMN unified.%I.feed_version_id IS %L', t, 'Feed version (lineage.feed_version.id) the row came from; lineage.entity_source names the file and line.');
    EXECUTE format('COMMENT ON COLUMN unified.%I.namespace IS %L', t, 'Namespace of the persistent identifier (INSPIRE inspireId.namespace), e.g. cz.ustecky.<source>.');
    EXECUTE format('COMMENT ON COLUMN unified.%I.local_id IS %L', t, 'Local id of the persistent identifier, stable across feed versions (the source key).');
    EXECUTE format('COMMENT ON COLUMN unified.%I.valid_from IS %L', t, 'Real-world validity start (INSPIRE validFrom).');
    EXECUTE format('COMMENT ON COLUMN unified.%I.valid_to IS %L', t, 'Real-world validity end (INSPIRE validTo).');
    EXECUTE format('COMMENT ON COLUMN unified.%I.recorded_from IS %L', t, 'When this row version entered the model (INSPIRE beginLifespanVersion).');
    EXECUTE format('COMMENT ON COLUMN unified.%I.recorded_to IS %L', t, 'When a newer feed version superseded this row (INSPIRE endLifespanVersion); NULL = current.');
  END LOOP;
END $$;
CREATE INDEX IF NOT EXISTS stop_place_geom ON unified.stop_place USING gist (geom);
CREATE INDEX IF NOT EXISTS stop_point_geom ON unified.stop_point USING gist (geom);
CREATE INDEX IF NOT EXISTS stop_point_place ON unified.stop_point (stop_place_id);
CREATE INDEX IF NOT EXISTS route_geometry_geom ON unified.route_geometry USING gist (geom);
CREATE INDEX IF NOT EXISTS transport_node_geom ON unified.transport_node USING gist (geom);
CREATE INDEX IF NOT EXISTS transport_link_geom ON unified.transport_link USING gist (geom);
CREATE INDEX IF NOT EXISTS road_event_geom ON unified.road_event USING gist (geom);
CREATE INDEX IF NOT EXISTS road_event_location_geom ON unified.road_event_location USING gist (geom);
CREATE INDEX IF NOT EXISTS traffic_count_geom ON unified.traffic_count USING gist (geom);
CREATE INDEX IF NOT EXISTS journey_line ON unified.journey (line_id);
CREATE INDEX IF NOT EXISTS call_journey ON unified.call (journey_id, sequence);
CREATE INDEX IF NOT EXISTS service_day_date ON unified.service_day (service_date, service_calendar_id);
