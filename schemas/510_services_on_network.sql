-- Journey patterns on the road network, and which services a road event affects on a date.
-- unified.service_on_link is rebuilt by transport_etl.harmonise.routes (part of `transport-etl unify`).

-- service_on_link is derived (rebuilt every run): an early layout without patterns is simply dropped.
DO $$
BEGIN
    IF to_regclass('unified.service_on_link') IS NOT NULL AND NOT EXISTS (
        SELECT 1 FROM information_schema.columns WHERE table_schema = 'unified' AND table_name = 'service_on_link'
          AND column_name = 'service_pattern_id') THEN
        DROP TABLE unified.service_on_link CASCADE;
    END IF;
END $$;

CREATE TABLE IF NOT EXISTS unified.service_pattern (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    pattern_key        text NOT NULL UNIQUE,
    source_id          text NOT NULL,
    derived_from       text NOT NULL,
    route_geometry_id  bigint,
    journey_ids        bigint[] NOT NULL,
    line_ids           bigint[] NOT NULL,
    length_m           double precision,
    recorded_from      timestamptz NOT NULL DEFAULT now(),
    geom               geometry(LineString, 5514) NOT NULL
);
CREATE INDEX IF NOT EXISTS service_pattern_geom ON unified.service_pattern USING gist (geom);
CREATE INDEX IF NOT EXISTS service_pattern_journeys ON unified.service_pattern USING gin (journey_ids);
COMMENT ON TABLE unified.service_pattern IS 'Journey patterns of current road-mode journeys (bus, tram, trolleybus): one per route geometry the journeys refer to, or, for journeys without one (JDF has no shapes), one per distinct stop sequence drawn through the stop positions. Rebuilt by every harmonisation run; matched onto road links in unified.service_on_link.';
COMMENT ON COLUMN unified.service_pattern.id IS 'Surrogate key (rebuilt each run).';
COMMENT ON COLUMN unified.service_pattern.pattern_key IS 'rg:<namespace>:<local_id> of the route geometry, or calls:<source>:<md5 of the stop point sequence>.';
COMMENT ON COLUMN unified.service_pattern.source_id IS 'Source of the journeys.';
COMMENT ON COLUMN unified.service_pattern.derived_from IS 'shape or stop_sequence (the route geometry''s own), or calls (drawn here through the positions of the called stops: approximate).';
COMMENT ON COLUMN unified.service_pattern.route_geometry_id IS 'The route geometry (unified.route_geometry.id) the pattern is, if any.';
COMMENT ON COLUMN unified.service_pattern.journey_ids IS 'Current journeys (unified.journey.id) following the pattern.';
COMMENT ON COLUMN unified.service_pattern.line_ids IS 'Lines (unified.line.id) of those journeys.';
COMMENT ON COLUMN unified.service_pattern.length_m IS 'Length in metres.';
COMMENT ON COLUMN unified.service_pattern.recorded_from IS 'When the pattern was computed.';
COMMENT ON COLUMN unified.service_pattern.geom IS 'Pattern path, LineString in EPSG:5514.';

CREATE TABLE IF NOT EXISTS unified.service_on_link (
    id                 bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    service_pattern_id bigint NOT NULL REFERENCES unified.service_pattern(id) ON DELETE CASCADE,
    pattern_key        text NOT NULL,
    route_geometry_id  bigint,
    source_id          text NOT NULL,
    derived_from       text,
    seq                integer NOT NULL,
    transport_link_id  bigint NOT NULL,
    link_namespace     text NOT NULL,
    link_local_id      text NOT NULL,
    road_number        text,
    link_from_m        double precision NOT NULL,
    link_to_m          double precision NOT NULL,
    route_from_m       double precision NOT NULL,
    route_to_m         double precision NOT NULL,
    direction          text NOT NULL CHECK (direction IN ('with', 'against')),
    link_coverage      double precision NOT NULL,
    route_coverage     double precision NOT NULL,
    buffer_m           double precision NOT NULL,
    recorded_from      timestamptz NOT NULL DEFAULT now(),
    geom               geometry(LineString, 5514)
);
CREATE INDEX IF NOT EXISTS service_on_link_link ON unified.service_on_link (link_namespace, link_local_id);
CREATE INDEX IF NOT EXISTS service_on_link_pattern ON unified.service_on_link (service_pattern_id, seq);
CREATE INDEX IF NOT EXISTS service_on_link_geom ON unified.service_on_link USING gist (geom);
COMMENT ON TABLE unified.service_on_link IS 'Journey patterns (unified.service_pattern) matched onto road transport links: for each pattern the ordered sequence of links it runs on (INSPIRE TransportLinkSequence in spirit) with the used part of each link as a linear reference and coverage ratios. Buffer matching in EPSG:5514; rebuilt by every harmonisation run.';
COMMENT ON COLUMN unified.service_on_link.id IS 'Surrogate key (rebuilt each run).';
COMMENT ON COLUMN unified.service_on_link.service_pattern_id IS 'The journey pattern (unified.service_pattern.id).';
COMMENT ON COLUMN unified.service_on_link.pattern_key IS 'Key of the pattern (see unified.service_pattern.pattern_key).';
COMMENT ON COLUMN unified.service_on_link.route_geometry_id IS 'The pattern''s route geometry (unified.route_geometry.id), if it has one.';
COMMENT ON COLUMN unified.service_on_link.source_id IS 'Source of the journeys.';
COMMENT ON COLUMN unified.service_on_link.derived_from IS 'How the pattern path was made (shape, stop_sequence, calls): the last two are approximate and matched with a wider buffer.';
COMMENT ON COLUMN unified.service_on_link.seq IS 'Order of the link along the pattern (1 = first).';
COMMENT ON COLUMN unified.service_on_link.transport_link_id IS 'The road link (unified.transport_link.id, current row).';
COMMENT ON COLUMN unified.service_on_link.link_namespace IS 'Namespace of the link identity (persistent across network versions).';
COMMENT ON COLUMN unified.service_on_link.link_local_id IS 'Local id of the link identity.';
COMMENT ON COLUMN unified.service_on_link.road_number IS 'Road number of the link (D8, I/13, II/261, ...).';
COMMENT ON COLUMN unified.service_on_link.link_from_m IS 'Start of the part of the link the pattern uses, metres along the link geometry (INSPIRE fromPosition).';
COMMENT ON COLUMN unified.service_on_link.link_to_m IS 'End of the part of the link the pattern uses, metres along the link geometry (INSPIRE toPosition).';
COMMENT ON COLUMN unified.service_on_link.route_from_m IS 'Where the pattern enters that part, metres along the pattern.';
COMMENT ON COLUMN unified.service_on_link.route_to_m IS 'Where the pattern leaves that part, metres along the pattern.';
COMMENT ON COLUMN unified.service_on_link.direction IS 'with (pattern runs in the link''s digitising direction) or against.';
COMMENT ON COLUMN unified.service_on_link.link_coverage IS 'Share 0..1 of the link''s length the pattern runs on.';
COMMENT ON COLUMN unified.service_on_link.route_coverage IS 'Share 0..1 of the pattern''s length covered by matched links (same on every row of the pattern; low = the network is incomplete there or the path is approximate).';
COMMENT ON COLUMN unified.service_on_link.buffer_m IS 'Matching buffer used, metres.';
COMMENT ON COLUMN unified.service_on_link.recorded_from IS 'When the match was computed.';
COMMENT ON COLUMN unified.service_on_link.geom IS 'The used part of the link, EPSG:5514.';

-- Services affected by a road event on a date. Road-event locations and service_on_link are both
-- linear references on link identities; they overlap when the intervals meet (within 1 m).
DROP FUNCTION IF EXISTS gis.affected_services(bigint, date);
CREATE FUNCTION gis.affected_services(p_event_id bigint, p_on_date date)
RETURNS TABLE (
    event_id bigint, event_local_id text, event_type text, service_date date,
    line_id bigint, line_code text, line_name text, line_source_id text,
    journey_id bigint, journey_local_id text, journey_code text, headsign text, first_departure text,
    road_numbers text[], transport_link_ids bigint[],
    affected_stop_place_ids bigint[], affected_stops text[], canonical_stop_ids text[]
)
LANGUAGE sql STABLE AS $$
WITH ev AS (
    SELECT e.* FROM unified.road_event e
    WHERE e.id = p_event_id
      AND (e.starts_at IS NULL OR e.starts_at < ((p_on_date + 1)::timestamp AT TIME ZONE 'Europe/Prague'))
      AND (e.ends_at IS NULL OR e.ends_at >= (p_on_date::timestamp AT TIME ZONE 'Europe/Prague'))
), loc AS (
    SELECT ev.id AS event_id, ev.local_id AS event_local_id, ev.event_type, tl.id AS link_id, tl.namespace,
           tl.local_id, tl.road_number,
           least(rel.from_measure_m, rel.to_measure_m) AS m_from, greatest(rel.from_measure_m, rel.to_measure_m) AS m_to,
           coalesce(rel.geom, CASE WHEN ST_Length(tl.geom) > 0 THEN ST_LineSubstring(tl.geom,
                    least(1, greatest(0, least(rel.from_measure_m, rel.to_measure_m) / ST_Length(tl.geom))),
                    least(1, greatest(0, greatest(rel.from_measure_m, rel.to_measure_m) / ST_Length(tl.geom))))
                    END) AS geom
    FROM ev
    JOIN unified.road_event_location rel ON rel.road_event_id = ev.id
    JOIN unified.transport_link tl ON tl.id = rel.transport_link_id
), hit AS (
    SELECT DISTINCT loc.event_id, loc.event_local_id, loc.event_type, sol.service_pattern_id, loc.road_number,
           sol.transport_link_id, loc.geom
    FROM loc
    JOIN unified.service_on_link sol
      ON sol.link_namespace = loc.namespace AND sol.link_local_id = loc.local_id
     AND sol.link_from_m <= loc.m_to + 1 AND sol.link_to_m >= loc.m_from - 1
), jr AS (
    SELECT h.event_id, h.event_local_id, h.event_type, j.id AS journey_id, j.local_id AS journey_local_id,
           j.public_code, j.headsign, j.line_id,
           array_agg(DISTINCT h.road_number) FILTER (WHERE h.road_number IS NOT NULL) AS road_numbers,
           array_agg(DISTINCT h.transport_link_id) AS link_ids,
           ST_Collect(h.geom) AS closed
    FROM hit h
    JOIN unified.service_pattern p ON p.id = h.service_pattern_id
    JOIN unified.journey j ON j.id = ANY (p.journey_ids) AND j.recorded_to IS NULL
    WHERE EXISTS (SELECT 1 FROM unified.service_day sd
                  WHERE sd.service_calendar_id = j.service_calendar_id AND sd.service_date = p_on_date
                    AND sd.recorded_to IS NULL)
    GROUP BY h.event_id, h.event_local_id, h.event_type, j.id, j.local_id, j.public_code, j.headsign, j.line_id
)
SELECT jr.event_id, jr.event_local_id, jr.event_type, p_on_date,
       l.id, l.public_code, l.name, l.source_id,
       jr.journey_id, jr.journey_local_id, jr.public_code, jr.headsign,
       (SELECT to_char(make_interval(secs => c.departure_s), 'HH24:MI') FROM unified.call c
        WHERE c.journey_id = jr.journey_id ORDER BY c.sequence LIMIT 1),
       jr.road_numbers, jr.link_ids,
       st.place_ids, st.names, st.canonical_ids
FROM jr
LEFT JOIN unified.line l ON l.id = jr.line_id
LEFT JOIN LATERAL (
    -- Stops of the journey on (within 50 m of) the closed section: passengers there are affected.
    SELECT array_agg(DISTINCT sp.id) AS place_ids, array_agg(DISTINCT coalesce(sp.name, pt.name)) AS names,
           array_agg(DISTINCT cs.local_id) FILTER (WHERE cs.local_id IS NOT NULL) AS canonical_ids
    FROM unified.call c
    JOIN unified.stop_point pt ON pt.id = c.stop_point_id
    LEFT JOIN unified.stop_place sp ON sp.id = pt.stop_place_id
    LEFT JOIN unified.canonical_stop_member m ON m.stop_place_id = sp.id
    LEFT JOIN unified.canonical_stop_place cs ON cs.id = m.canonical_stop_place_id
    WHERE c.journey_id = jr.journey_id
      AND ST_DWithin(coalesce(pt.geom, sp.geom), jr.closed, 50)
) st ON true
ORDER BY l.public_code, jr.public_code, jr.journey_id;
$$;
COMMENT ON FUNCTION gis.affected_services(bigint, date) IS 'Lines, journeys and stops affected by road event p_event_id on date p_on_date: journeys running that date (unified.service_day) whose pattern (unified.service_pattern) uses (unified.service_on_link) a part of a link the event occupies (unified.road_event_location). Empty when the event is not in force that day (Europe/Prague). affected_stops = the journey''s stops within 50 m of the closed section.';

-- Every current road event at once, for the operators' list (Dagster asset) and QGIS.
DROP FUNCTION IF EXISTS gis.affected_services_on(date);
CREATE FUNCTION gis.affected_services_on(p_on_date date DEFAULT current_date)
RETURNS TABLE (
    event_id bigint, event_local_id text, event_type text, service_date date,
    line_id bigint, line_code text, line_name text, line_source_id text,
    journey_id bigint, journey_local_id text, journey_code text, headsign text, first_departure text,
    road_numbers text[], transport_link_ids bigint[],
    affected_stop_place_ids bigint[], affected_stops text[], canonical_stop_ids text[]
)
LANGUAGE sql STABLE AS $$
    SELECT a.* FROM unified.road_event e
    CROSS JOIN LATERAL gis.affected_services(e.id, p_on_date) a
    WHERE e.recorded_to IS NULL
    ORDER BY a.event_id, a.line_code, a.journey_code
$$;
COMMENT ON FUNCTION gis.affected_services_on(date) IS 'gis.affected_services for every current road event on one date (default today): the list operators need.';
