-- GIS access: read-only views of the current unified rows with readable columns, each spatial table
-- twice: gis.<name> in EPSG:4326 (web maps, GPS) and gis.<name>_5514 in S-JTSK / Krovak East North
-- (Czech cadastre and survey work). Tables without geometry have one view, gis.<name>.
-- Role gis_reader may read gis and unified, nothing else; gis_editor may also decide stop matches.
-- Views are rebuilt (DROP … CASCADE) so the file can be re-applied after edits.

DO $$
DECLARE v text;
BEGIN
    -- Only the views this file defines (their 4326 twins go with them); others' views stay.
    FOREACH v IN ARRAY ARRAY['operator', 'stop_place_5514', 'stop_point_5514', 'line', 'service_calendar',
        'service_day', 'route_geometry_5514', 'journey', 'call', 'transport_node_5514', 'transport_link_5514',
        'road_event_5514', 'road_event_location_5514', 'traffic_count_5514', 'canonical_stop_place_5514',
        'canonical_stop_member_5514', 'stop_match_review_5514', 'stop_connection_5514', 'service_pattern_5514',
        'service_on_link_5514']
    LOOP
        EXECUTE format('DROP VIEW IF EXISTS gis.%I CASCADE', v);
    END LOOP;
END $$;

-- Helper: seconds after "noon minus 12 h" → HH:MM:SS (may exceed 24:00:00, as in GTFS).
CREATE OR REPLACE FUNCTION gis.hms(seconds integer) RETURNS text
LANGUAGE sql IMMUTABLE AS $$
    SELECT CASE WHEN seconds IS NULL THEN NULL ELSE
        lpad((seconds / 3600)::text, 2, '0') || ':' || lpad((seconds / 60 % 60)::text, 2, '0') || ':'
        || lpad((seconds % 60)::text, 2, '0') END
$$;
COMMENT ON FUNCTION gis.hms(integer) IS 'Seconds after noon minus 12 h of the service date as HH:MM:SS (hours may exceed 24, as in GTFS).';

-- ── Views in EPSG:5514 (and non-spatial views) ─────────────────────────────────────────────────

CREATE VIEW gis.operator AS
SELECT o.id, o.name, o.company_id, o.url, o.phone, o.timezone,
       o.source_id, o.namespace, o.local_id, o.valid_from, o.valid_to, o.feed_version_id
FROM unified.operator o WHERE o.recorded_to IS NULL;
COMMENT ON VIEW gis.operator IS 'Current transport operators (unified.operator).';

CREATE VIEW gis.stop_place_5514 AS
SELECT sp.id, sp.name, sp.kind, sp.municipality, sp.district_code, sp.register_id,
       c.local_id AS canonical_id, c.name AS canonical_name,
       sp.source_id, sp.namespace, sp.local_id, sp.valid_from, sp.valid_to, sp.feed_version_id, sp.location_note,
       sp.geom
FROM unified.stop_place sp
LEFT JOIN unified.canonical_stop_member m ON m.stop_place_id = sp.id AND m.recorded_to IS NULL
LEFT JOIN unified.canonical_stop_place c ON c.id = m.canonical_stop_place_id
WHERE sp.recorded_to IS NULL;
COMMENT ON VIEW gis.stop_place_5514 IS 'Current stop places of every source (unified.stop_place) with the canonical stop each belongs to; EPSG:5514.';

CREATE VIEW gis.stop_point_5514 AS
SELECT pt.id, pt.name, pt.platform_code, pt.point_kind, pt.register_id, pt.stop_place_id,
       sp.name AS stop_place_name, c.local_id AS canonical_id,
       pt.source_id, pt.namespace, pt.local_id, pt.valid_from, pt.valid_to, pt.feed_version_id, pt.location_note,
       pt.geom
FROM unified.stop_point pt
LEFT JOIN unified.stop_place sp ON sp.id = pt.stop_place_id
LEFT JOIN unified.canonical_stop_member m ON m.stop_place_id = pt.stop_place_id AND m.recorded_to IS NULL
LEFT JOIN unified.canonical_stop_place c ON c.id = m.canonical_stop_place_id
WHERE pt.recorded_to IS NULL;
COMMENT ON VIEW gis.stop_point_5514 IS 'Current stop points (poles, platforms) with their stop place and canonical stop; EPSG:5514.';

CREATE VIEW gis.line AS
SELECT l.id, l.public_code, l.name, l.mode, l.route_type, l.color, l.operator_id, o.name AS operator_name,
       l.source_id, l.namespace, l.local_id, l.valid_from, l.valid_to, l.feed_version_id
FROM unified.line l
LEFT JOIN unified.operator o ON o.id = l.operator_id
WHERE l.recorded_to IS NULL;
COMMENT ON VIEW gis.line IS 'Current public transport lines with their operator''s name.';

CREATE VIEW gis.service_calendar AS
SELECT sc.id, sc.description, sc.weekdays, d.first_date, d.last_date, coalesce(d.days, 0) AS days,
       sc.source_id, sc.namespace, sc.local_id, sc.valid_from, sc.valid_to, sc.feed_version_id
FROM unified.service_calendar sc
LEFT JOIN LATERAL (SELECT min(sd.service_date) AS first_date, max(sd.service_date) AS last_date, count(*) AS days
                   FROM unified.service_day sd
                   WHERE sd.service_calendar_id = sc.id AND sd.recorded_to IS NULL) d ON true
WHERE sc.recorded_to IS NULL;
COMMENT ON VIEW gis.service_calendar IS 'Current service calendars with their first and last operating day and number of days.';

CREATE VIEW gis.service_day AS
SELECT sd.id, sd.service_calendar_id, sd.service_date, extract(isodow FROM sd.service_date)::int AS iso_weekday,
       sc.description AS calendar_description,
       sd.source_id, sd.namespace, sd.local_id, sd.feed_version_id
FROM unified.service_day sd
LEFT JOIN unified.service_calendar sc ON sc.id = sd.service_calendar_id
WHERE sd.recorded_to IS NULL;
COMMENT ON VIEW gis.service_day IS 'Current operating days of each service calendar.';

CREATE VIEW gis.route_geometry_5514 AS
SELECT r.id, r.derived_from, r.length_m, u.line_codes, coalesce(u.journeys, 0) AS journeys,
       r.source_id, r.namespace, r.local_id, r.valid_from, r.valid_to, r.feed_version_id, r.geom
FROM unified.route_geometry r
LEFT JOIN LATERAL (SELECT string_agg(DISTINCT l.public_code, ', ') AS line_codes, count(*) AS journeys
                   FROM unified.journey j LEFT JOIN unified.line l ON l.id = j.line_id
                   WHERE j.route_geometry_id = r.id AND j.recorded_to IS NULL) u ON true
WHERE r.recorded_to IS NULL;
COMMENT ON VIEW gis.route_geometry_5514 IS 'Current journey path geometries with the lines that use them; EPSG:5514.';

CREATE VIEW gis.journey AS
SELECT j.id, j.public_code, j.headsign, j.direction, j.line_id, l.public_code AS line_code, l.name AS line_name,
       j.service_calendar_id, j.route_geometry_id, j.block_id, j.wheelchair_accessible, j.bikes_allowed,
       j.source_id, j.namespace, j.local_id, j.valid_from, j.valid_to, j.feed_version_id
FROM unified.journey j
LEFT JOIN unified.line l ON l.id = j.line_id
WHERE j.recorded_to IS NULL;
COMMENT ON VIEW gis.journey IS 'Current scheduled journeys with their line code and name.';

CREATE VIEW gis.call AS
SELECT c.id, c.journey_id, j.public_code AS journey_code, l.public_code AS line_code, c.sequence,
       c.stop_point_id, coalesce(pt.name, sp.name) AS stop_name,
       gis.hms(c.arrival_s) AS arrival_time, gis.hms(c.departure_s) AS departure_time,
       c.pickup_type, c.drop_off_type, c.distance_m, c.timepoint,
       c.source_id, c.namespace, c.local_id, c.feed_version_id
FROM unified.call c
LEFT JOIN unified.journey j ON j.id = c.journey_id
LEFT JOIN unified.line l ON l.id = j.line_id
LEFT JOIN unified.stop_point pt ON pt.id = c.stop_point_id
LEFT JOIN unified.stop_place sp ON sp.id = pt.stop_place_id
WHERE c.recorded_to IS NULL;
COMMENT ON VIEW gis.call IS 'Current calls of journeys at stops, with stop names and times as HH:MM:SS.';

CREATE VIEW gis.transport_node_5514 AS
SELECT n.id, n.network, n.name, n.node_kind,
       n.source_id, n.namespace, n.local_id, n.valid_from, n.valid_to, n.feed_version_id, n.geom
FROM unified.transport_node n WHERE n.recorded_to IS NULL;
COMMENT ON VIEW gis.transport_node_5514 IS 'Current road and rail network nodes; EPSG:5514.';

CREATE VIEW gis.transport_link_5514 AS
SELECT tl.id, tl.network, tl.road_number, tl.road_class, tl.name, tl.form_of_way, tl.direction, tl.length_m,
       tl.version, tl.start_node_id, tl.end_node_id,
       tl.source_id, tl.namespace, tl.local_id, tl.valid_from, tl.valid_to, tl.feed_version_id, tl.geom
FROM unified.transport_link tl WHERE tl.recorded_to IS NULL;
COMMENT ON VIEW gis.transport_link_5514 IS 'Current road and rail network links (centrelines); EPSG:5514.';

CREATE VIEW gis.road_event_5514 AS
SELECT e.id, e.event_type, e.status, e.starts_at, e.ends_at, e.road_number, e.impact, e.comment,
       e.location_status, e.unlocated_reason,
       e.source_id, e.namespace, e.local_id, e.valid_from, e.valid_to, e.feed_version_id, e.geom
FROM unified.road_event e WHERE e.recorded_to IS NULL;
COMMENT ON VIEW gis.road_event_5514 IS 'Current road events (closures, works, ...); EPSG:5514. For the services an event affects call gis.affected_services(id, date).';

CREATE VIEW gis.road_event_location_5514 AS
SELECT rl.id, rl.road_event_id, e.event_type, e.status AS event_status, e.starts_at, e.ends_at,
       rl.transport_link_id, tl.road_number, rl.from_measure_m, rl.to_measure_m, rl.method,
       rl.source_id, rl.namespace, rl.local_id, rl.valid_from, rl.valid_to, rl.feed_version_id, rl.geom
FROM unified.road_event_location rl
LEFT JOIN unified.road_event e ON e.id = rl.road_event_id
LEFT JOIN unified.transport_link tl ON tl.id = rl.transport_link_id
WHERE rl.recorded_to IS NULL;
COMMENT ON VIEW gis.road_event_location_5514 IS 'Current road events located on road links (linear references); EPSG:5514.';

CREATE VIEW gis.traffic_count_5514 AS
SELECT t.id, t.census_year, t.census_section, t.road_number, t.light_vehicles, t.heavy_vehicles, t.motorcycles,
       t.total_vehicles, t.transport_link_id,
       t.source_id, t.namespace, t.local_id, t.valid_from, t.valid_to, t.feed_version_id, t.geom
FROM unified.traffic_count t WHERE t.recorded_to IS NULL;
COMMENT ON VIEW gis.traffic_count_5514 IS 'Current traffic census results per section; EPSG:5514.';

CREATE VIEW gis.canonical_stop_place_5514 AS
SELECT c.id, c.namespace, c.local_id, c.namespace || ':' || c.local_id AS inspire_id, c.version, c.name, c.kind,
       c.municipality, c.district_code, array_to_string(c.register_ids, ', ') AS register_ids, c.member_count,
       array_to_string(c.sources, ', ') AS sources, c.name_source, c.name_reason, c.position_source,
       c.position_reason, c.recorded_from, c.updated_at, c.geom
FROM unified.canonical_stop_place c WHERE c.recorded_to IS NULL;
COMMENT ON VIEW gis.canonical_stop_place_5514 IS 'Current canonical stop places (one per real-world stop across sources) with persistent ids and attribute survivorship; EPSG:5514.';

CREATE VIEW gis.canonical_stop_member_5514 AS
SELECT m.id, c.local_id AS canonical_id, c.name AS canonical_name, m.source_id, m.member_local_id, m.name, m.kind,
       m.register_key, m.match_method, m.matched_with, m.distance_m, m.name_similarity, m.score, m.stop_place_id,
       sp.geom
FROM unified.canonical_stop_member m
JOIN unified.canonical_stop_place c ON c.id = m.canonical_stop_place_id
LEFT JOIN unified.stop_place sp ON sp.id = m.stop_place_id
WHERE m.recorded_to IS NULL;
COMMENT ON VIEW gis.canonical_stop_member_5514 IS 'Current members of canonical stop places with the evidence that placed them, at the member''s own position; EPSG:5514.';

CREATE VIEW gis.stop_match_review_5514 AS
SELECT r.id, r.status, r.reason, r.a_source_id, r.a_local_id, r.a_name, r.a_canonical_id, r.b_source_id,
       r.b_local_id, r.b_name, r.b_canonical_id, r.distance_m, r.name_similarity, r.score, r.decided_by,
       r.decided_at, r.note, r.created_at, r.updated_at, r.geom
FROM unified.stop_match_review r;
COMMENT ON VIEW gis.stop_match_review_5514 IS 'Stop pairs for review (line between the two stops); EPSG:5514. To decide, edit unified.stop_match_review (role gis_editor): status same or different.';

CREATE VIEW gis.stop_connection_5514 AS
SELECT sc.id, sc.connection_type, sc.from_name, sc.from_canonical_id, sc.from_source_id, sc.from_local_id,
       sc.to_name, sc.to_canonical_id, sc.to_source_id, sc.to_local_id, sc.distance_m, sc.from_stop_place_id,
       sc.to_stop_place_id, sc.geom
FROM unified.stop_connection sc;
COMMENT ON VIEW gis.stop_connection_5514 IS 'Intermodal connections: bus stops within walking distance of rail stations; EPSG:5514.';

CREATE VIEW gis.service_pattern_5514 AS
SELECT p.id, p.pattern_key, p.derived_from, u.line_codes, cardinality(p.journey_ids) AS journeys, p.length_m,
       p.route_geometry_id, p.source_id, p.geom
FROM unified.service_pattern p
LEFT JOIN LATERAL (SELECT string_agg(DISTINCT l.public_code, ', ') AS line_codes
                   FROM unified.line l WHERE l.id = ANY (p.line_ids)) u ON true;
COMMENT ON VIEW gis.service_pattern_5514 IS 'Journey patterns of road-mode journeys with their lines; EPSG:5514.';

CREATE VIEW gis.service_on_link_5514 AS
SELECT s.id, s.service_pattern_id, s.pattern_key, u.line_codes, s.seq, s.transport_link_id, s.road_number,
       s.link_from_m, s.link_to_m, s.direction, s.link_coverage, s.route_coverage, s.route_from_m, s.route_to_m,
       s.derived_from, s.route_geometry_id, s.source_id, s.link_namespace, s.link_local_id, s.geom
FROM unified.service_on_link s
LEFT JOIN unified.service_pattern p ON p.id = s.service_pattern_id
LEFT JOIN LATERAL (SELECT string_agg(DISTINCT l.public_code, ', ') AS line_codes
                   FROM unified.line l WHERE l.id = ANY (p.line_ids)) u ON true;
COMMENT ON VIEW gis.service_on_link_5514 IS 'Journey patterns on road links: the used part of each link, in order, with the lines using it; EPSG:5514.';

-- Unified tables of other migrations (bike sharing, parking, ...) without a view of their own:
-- a generic current-rows view per table, EPSG:5514 geometry in <name>_5514 if it has one.
DO $$
DECLARE t record; has_geom boolean; has_rt boolean; vname text;
BEGIN
    FOR t IN SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
             WHERE n.nspname = 'unified' AND c.relkind IN ('r', 'p') ORDER BY c.relname LOOP
        SELECT EXISTS (SELECT 1 FROM geometry_columns WHERE f_table_schema = 'unified' AND f_table_name = t.relname)
          INTO has_geom;
        vname := CASE WHEN has_geom THEN t.relname || '_5514' ELSE t.relname END;
        CONTINUE WHEN to_regclass(format('gis.%I', t.relname)) IS NOT NULL
                   OR to_regclass(format('gis.%I', t.relname || '_5514')) IS NOT NULL;
        SELECT EXISTS (SELECT 1 FROM information_schema.columns WHERE table_schema = 'unified'
                       AND table_name = t.relname AND column_name = 'recorded_to') INTO has_rt;
        EXECUTE format('CREATE VIEW gis.%I AS SELECT * FROM unified.%I %s', vname, t.relname,
                       CASE WHEN has_rt THEN 'WHERE recorded_to IS NULL' ELSE '' END);
        EXECUTE format('COMMENT ON VIEW gis.%I IS %L', vname,
                       coalesce(obj_description(format('unified.%I', t.relname)::regclass, 'pg_class'),
                                'Rows of unified.' || t.relname)
                       || CASE WHEN has_rt THEN ' (current rows)' ELSE '' END
                       || CASE WHEN has_geom THEN '; EPSG:5514.' ELSE '.' END);
    END LOOP;
END $$;

-- ── EPSG:4326 twins: gis.<name> for every gis.<name>_5514, geometry transformed ──────────────────
DO $$
DECLARE v record; cols text; gtype text;
BEGIN
    FOR v IN SELECT table_name FROM information_schema.views
             WHERE table_schema = 'gis' AND table_name LIKE '%\_5514' ORDER BY table_name LOOP
        SELECT string_agg(CASE WHEN a.atttypid = 'geometry'::regtype
                               THEN format('ST_Transform(%1$I, 4326)::geometry(%2$s, 4326) AS %1$I', a.attname,
                                           coalesce(nullif(postgis_typmod_type(a.atttypmod), ''), 'Geometry'))
                               ELSE quote_ident(a.attname) END, ', ' ORDER BY a.attnum)
          INTO cols
          FROM pg_attribute a
         WHERE a.attrelid = format('gis.%I', v.table_name)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
        CONTINUE WHEN to_regclass(format('gis.%I', left(v.table_name, -5))) IS NOT NULL;
        EXECUTE format('CREATE VIEW gis.%I AS SELECT %s FROM gis.%I', left(v.table_name, -5), cols, v.table_name);
        EXECUTE format('COMMENT ON VIEW gis.%I IS %L', left(v.table_name, -5),
                       replace(obj_description(format('gis.%I', v.table_name)::regclass, 'pg_class'),
                               'EPSG:5514', 'EPSG:4326 (WGS 84; gis.' || v.table_name || ' has EPSG:5514)'));
    END LOOP;
END $$;

-- ── Column comments ─────────────────────────────────────────────────────────────────────────────
-- Derived columns first; every other column takes the comment of the same-named column of the
-- table it comes from (and 4326 views those of their 5514 twin).
COMMENT ON COLUMN gis.stop_place_5514.canonical_id IS 'Canonical stop (unified.canonical_stop_place.local_id, namespace cz.ustecky.stop) this stop place belongs to.';
COMMENT ON COLUMN gis.stop_place_5514.canonical_name IS 'Name of the canonical stop.';
COMMENT ON COLUMN gis.stop_point_5514.stop_place_name IS 'Name of the stop place the point belongs to.';
COMMENT ON COLUMN gis.stop_point_5514.canonical_id IS 'Canonical stop (local_id) of the point''s stop place.';
COMMENT ON COLUMN gis.line.operator_name IS 'Name of the operator.';
COMMENT ON COLUMN gis.service_calendar.first_date IS 'First operating day.';
COMMENT ON COLUMN gis.service_calendar.last_date IS 'Last operating day.';
COMMENT ON COLUMN gis.service_calendar.days IS 'Number of operating days.';
COMMENT ON COLUMN gis.service_day.iso_weekday IS 'ISO weekday of the date (1 = Monday … 7 = Sunday).';
COMMENT ON COLUMN gis.service_day.calendar_description IS 'Rule of the calendar as published.';
COMMENT ON COLUMN gis.route_geometry_5514.line_codes IS 'Public codes of the lines whose journeys use this path.';
COMMENT ON COLUMN gis.route_geometry_5514.journeys IS 'Number of current journeys using this path.';
COMMENT ON COLUMN gis.journey.line_code IS 'Public code of the line.';
COMMENT ON COLUMN gis.journey.line_name IS 'Name of the line.';
COMMENT ON COLUMN gis.call.journey_code IS 'Public code of the journey (train / spoj number).';
COMMENT ON COLUMN gis.call.line_code IS 'Public code of the line.';
COMMENT ON COLUMN gis.call.stop_name IS 'Name of the stop point (or of its stop place).';
COMMENT ON COLUMN gis.call.arrival_time IS 'Arrival as HH:MM:SS after noon minus 12 h of the service date (may exceed 24:00:00).';
COMMENT ON COLUMN gis.call.departure_time IS 'Departure as HH:MM:SS after noon minus 12 h of the service date (may exceed 24:00:00).';
COMMENT ON COLUMN gis.road_event_location_5514.event_type IS 'Type of the event (closure, roadworks, ...).';
COMMENT ON COLUMN gis.road_event_location_5514.event_status IS 'Status of the event as published.';
COMMENT ON COLUMN gis.road_event_location_5514.starts_at IS 'Start of the event.';
COMMENT ON COLUMN gis.road_event_location_5514.ends_at IS 'End of the event.';
COMMENT ON COLUMN gis.road_event_location_5514.road_number IS 'Road number of the link.';
COMMENT ON COLUMN gis.canonical_stop_place_5514.inspire_id IS 'Persistent identifier as namespace:local_id (INSPIRE inspireId).';
COMMENT ON COLUMN gis.canonical_stop_place_5514.register_ids IS 'Register identifiers of the members (crz:…, sr70:…), comma separated.';
COMMENT ON COLUMN gis.canonical_stop_place_5514.sources IS 'Sources of the current members, comma separated.';
COMMENT ON COLUMN gis.canonical_stop_member_5514.canonical_id IS 'Canonical stop (local_id) of the member.';
COMMENT ON COLUMN gis.canonical_stop_member_5514.canonical_name IS 'Name of the canonical stop.';
COMMENT ON COLUMN gis.canonical_stop_member_5514.geom IS 'Position of the member stop place, EPSG:5514.';
COMMENT ON COLUMN gis.service_on_link_5514.line_codes IS 'Public codes of the lines whose journeys follow this pattern.';
COMMENT ON COLUMN gis.service_pattern_5514.line_codes IS 'Public codes of the lines whose journeys follow this pattern.';
COMMENT ON COLUMN gis.service_pattern_5514.journeys IS 'Number of current journeys following this pattern.';

DO $$
DECLARE v record; c record; src regclass; txt text;
BEGIN
    -- 5514 and single views first: the 4326 twins copy their comments.
    FOR v IN SELECT table_name FROM information_schema.views WHERE table_schema = 'gis'
             ORDER BY to_regclass(format('gis.%I', table_name || '_5514')) IS NOT NULL, table_name LOOP
        -- The relation the columns come from: the 5514 twin, or the unified table of the same base name.
        src := coalesce(to_regclass(format('gis.%I', v.table_name || '_5514')),
                        to_regclass(format('unified.%I', regexp_replace(v.table_name, '_5514$', ''))));
        FOR c IN SELECT a.attnum, a.attname FROM pg_attribute a
                 WHERE a.attrelid = format('gis.%I', v.table_name)::regclass AND a.attnum > 0 AND NOT a.attisdropped
        LOOP
            CONTINUE WHEN col_description(format('gis.%I', v.table_name)::regclass, c.attnum) IS NOT NULL;
            txt := NULL;
            IF src IS NOT NULL THEN
                SELECT col_description(src, a.attnum) INTO txt FROM pg_attribute a
                 WHERE a.attrelid = src AND a.attname = c.attname;
            END IF;
            IF txt IS NULL THEN  -- shared identity/time columns are described once, on unified.stop_place
                SELECT col_description('unified.stop_place'::regclass, a.attnum) INTO txt FROM pg_attribute a
                 WHERE a.attrelid = 'unified.stop_place'::regclass AND a.attname = c.attname
                   AND c.attname IN ('id', 'source_id', 'feed_version_id', 'namespace', 'local_id', 'valid_from',
                                     'valid_to', 'recorded_from', 'recorded_to');
            END IF;
            IF txt IS NULL AND src IS NOT NULL THEN
                txt := format('%s of %s (the source table has no description of this column).', c.attname, src);
            END IF;
            IF txt IS NOT NULL AND v.table_name NOT LIKE '%\_5514' AND c.attname = 'geom'
               AND to_regclass(format('gis.%I', v.table_name || '_5514')) IS NOT NULL THEN
                txt := replace(txt, 'EPSG:5514', 'EPSG:4326 (WGS 84)');
                IF txt NOT LIKE '%4326%' THEN txt := txt || ' Transformed to EPSG:4326 (WGS 84).'; END IF;
            END IF;
            IF txt IS NOT NULL THEN
                EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', v.table_name, c.attname, txt);
            END IF;
        END LOOP;
    END LOOP;
END $$;

-- ── Roles ───────────────────────────────────────────────────────────────────────────────────────
DO $$
BEGIN
    BEGIN
        CREATE ROLE gis_reader NOLOGIN;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;  -- roles are cluster-wide
    END;
    BEGIN
        CREATE ROLE gis_editor NOLOGIN IN ROLE gis_reader;
    EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
    END;
END $$;
COMMENT ON ROLE gis_reader IS 'Read-only access for GIS staff and tools: SELECT on schemas gis and unified, nothing on lineage or staging. Grant it to login roles: GRANT gis_reader TO alice;';
COMMENT ON ROLE gis_editor IS 'gis_reader plus deciding stop matches: INSERT/UPDATE of unified.stop_match_review.';

REVOKE ALL ON SCHEMA lineage, staging FROM gis_reader, gis_editor;
REVOKE ALL ON ALL TABLES IN SCHEMA lineage FROM gis_reader, gis_editor;
REVOKE ALL ON ALL TABLES IN SCHEMA staging FROM gis_reader, gis_editor;
GRANT USAGE ON SCHEMA gis, unified TO gis_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA gis TO gis_reader;
GRANT SELECT ON ALL TABLES IN SCHEMA unified TO gis_reader;
GRANT EXECUTE ON ALL FUNCTIONS IN SCHEMA gis TO gis_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA gis GRANT SELECT ON TABLES TO gis_reader;
ALTER DEFAULT PRIVILEGES IN SCHEMA unified GRANT SELECT ON TABLES TO gis_reader;
GRANT INSERT, UPDATE (status, decided_by, decided_at, note, a_source_id, a_local_id, b_source_id, b_local_id)
    ON unified.stop_match_review TO gis_editor;
GRANT USAGE ON SEQUENCE unified.stop_match_review_id_seq TO gis_editor;
