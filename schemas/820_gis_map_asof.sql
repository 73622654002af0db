-- The web map's layers as of a date and a moment (issue 18): the network valid on `valid_on` as the
-- platform knew it at `known_at`, built on the as-of functions of 621. Served as OGC API collections
-- and vector tiles by `transport-etl serve` (tipg), which passes query parameters to functions as text:
-- the parameters are text so that the defaults 'today' and 'now' are read at call time (a date or
-- timestamptz default would be frozen when the function is created), and every function returns a
-- stable integer id and one EPSG:4326 geometry per row, as the gis views do.

CREATE OR REPLACE FUNCTION gis.map_stop_asof(valid_on text DEFAULT 'today', known_at text DEFAULT 'now')
RETURNS TABLE (id bigint, local_id text, name text, kind text, municipality text, sources text,
               member_count integer, geom geometry(Point, 4326))
LANGUAGE sql STABLE AS $$
    SELECT c.id, c.local_id, gis.display_stop_name(c.name), c.kind, c.municipality,
           array_to_string(c.sources, ', '), c.member_count, ST_Transform(c.geom, 4326)::geometry(Point, 4326)
    FROM unified.canonical_stop_place c
    WHERE c.geom IS NOT NULL
      AND c.recorded_from <= known_at::timestamptz
      AND (c.recorded_to IS NULL OR c.recorded_to > known_at::timestamptz)
      -- a canonical stop is on the map while one of its members is valid that day, as then known
      AND EXISTS (SELECT 1 FROM unified.canonical_stop_member m
                  JOIN gis.stop_place_asof(valid_on::date, known_at::timestamptz) sp ON sp.id = m.stop_place_id
                  WHERE m.canonical_stop_place_id = c.id AND m.recorded_from <= known_at::timestamptz
                    AND (m.recorded_to IS NULL OR m.recorded_to > known_at::timestamptz))
$$;
COMMENT ON FUNCTION gis.map_stop_asof(text, text) IS 'Canonical stops with at least one member stop place valid on valid_on as known at known_at (defaults: today, now; text so the web map and OGC API clients pass ISO strings); EPSG:4326. Example: SELECT name FROM gis.map_stop_asof(''2026-03-01'', ''2026-02-15 12:00+01'').';

CREATE OR REPLACE FUNCTION gis.map_line_asof(valid_on text DEFAULT 'today', known_at text DEFAULT 'now')
RETURNS TABLE (id bigint, line_codes text, line_ids text, journeys integer, derived_from text, source_id text,
               geom geometry(LineString, 4326))
LANGUAGE sql STABLE AS $$
    WITH j AS (SELECT t.id, t.line_id FROM gis.journey_asof(valid_on::date, known_at::timestamptz) t)
    SELECT p.id, u.line_codes, u.line_ids, u.journeys, p.derived_from, p.source_id,
           ST_Transform(p.geom, 4326)::geometry(LineString, 4326)
    FROM unified.service_pattern p
    JOIN LATERAL (SELECT string_agg(DISTINCT l.public_code, ', ' ORDER BY l.public_code) AS line_codes,
                         string_agg(DISTINCT l.id::text, ',') AS line_ids, count(DISTINCT j.id)::integer AS journeys
                  FROM j LEFT JOIN unified.line l ON l.id = j.line_id
                  WHERE j.id = ANY (p.journey_ids)) u ON u.journeys > 0
$$;
COMMENT ON FUNCTION gis.map_line_asof(text, text) IS 'Lines on the map: journey patterns (unified.service_pattern, the current derivation) with the journeys valid on valid_on as known at known_at (gis.journey_asof) and their line codes; a pattern none of whose journeys is valid then is left out; EPSG:4326.';

CREATE OR REPLACE FUNCTION gis.map_link_asof(valid_on text DEFAULT 'today', known_at text DEFAULT 'now')
RETURNS TABLE (id bigint, network text, road_number text, road_class text, name text, source_id text,
               feed_version_id bigint, geom geometry(LineString, 4326))
LANGUAGE sql STABLE AS $$
    SELECT t.id, t.network, t.road_number, t.road_class, t.name, t.source_id, t.feed_version_id,
           ST_Transform(t.geom, 4326)::geometry(LineString, 4326)
    FROM gis.transport_link_asof(valid_on::date, known_at::timestamptz) t
$$;
COMMENT ON FUNCTION gis.map_link_asof(text, text) IS 'Road and rail network links valid on valid_on as known at known_at (gis.transport_link_asof; defaults: today, now); EPSG:4326.';

CREATE OR REPLACE FUNCTION gis.map_road_event_asof(valid_on text DEFAULT 'today', known_at text DEFAULT 'now')
RETURNS TABLE (id bigint, event_type text, status text, starts_at timestamptz, ends_at timestamptz,
               road_number text, impact text, comment text, source_id text, feed_version_id bigint,
               geometry_type text, geom geometry(Geometry, 4326))
LANGUAGE sql STABLE AS $$
    SELECT e.id, e.event_type, e.status, e.starts_at, e.ends_at, e.road_number, e.impact, e.comment,
           e.source_id, e.feed_version_id, lower(GeometryType(e.geom)), ST_Transform(e.geom, 4326)
    FROM gis.road_event_asof(valid_on::date, known_at::timestamptz) e
    WHERE e.geom IS NOT NULL AND NOT ST_IsEmpty(e.geom)
$$;
COMMENT ON FUNCTION gis.map_road_event_asof(text, text) IS 'Located road events in force on valid_on as known at known_at (gis.road_event_asof; defaults: today, now); EPSG:4326, points and lines (geometry_type says which). The services an event affects: gis.affected_services(id, valid_on).';

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT EXECUTE ON FUNCTION gis.map_stop_asof(text, text), gis.map_line_asof(text, text),
                              gis.map_link_asof(text, text), gis.map_road_event_asof(text, text) TO gis_reader;
  END IF;
END $$;
