-- Harmonisation: canonical stop places across sources (persistent INSPIRE-style identities), their
-- members, the review queue GIS staff decide in QGIS/SQL, and intermodal connections.
-- Written by transport_etl.harmonise.stops.unify; only stop_match_review is meant for hand edits.

CREATE TABLE IF NOT EXISTS unified.canonical_stop_place (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    namespace        text NOT NULL DEFAULT 'cz.ustecky.stop',
    local_id         text NOT NULL,
    version          integer NOT NULL DEFAULT 1,
    name             text,
    kind             text,
    municipality     text,
    district_code    text,
    register_ids     text[],
    member_count     integer NOT NULL DEFAULT 0,
    sources          text[],
    name_source      text,
    name_member      text,
    name_reason      text,
    position_source  text,
    position_member  text,
    position_reason  text,
    content_hash     text,
    geom             geometry(Point, 5514),
    recorded_from    timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    recorded_to      timestamptz,
    UNIQUE (namespace, local_id)
);
CREATE INDEX IF NOT EXISTS canonical_stop_place_geom ON unified.canonical_stop_place USING gist (geom);
COMMENT ON TABLE unified.canonical_stop_place IS 'Canonical stop places: one real-world stop or station however many sources describe it. (namespace, local_id) is the persistent identifier (INSPIRE inspireId); it survives reloads and new feed versions because it is kept by its members'' source identities (see canonical_stop_member). Name and position come from one member each, chosen by source priority (name_source / position_source and their reasons).';
COMMENT ON COLUMN unified.canonical_stop_place.id IS 'Surrogate key (use namespace + local_id to refer to the stop from outside the database).';
COMMENT ON COLUMN unified.canonical_stop_place.namespace IS 'Namespace of the persistent identifier: cz.ustecky.stop.';
COMMENT ON COLUMN unified.canonical_stop_place.local_id IS 'Local id of the persistent identifier, never reused: SR<5-digit SR70> or CRZ<number> when the stop was first created from a register, else H<hash of its first member identity>.';
COMMENT ON COLUMN unified.canonical_stop_place.version IS 'INSPIRE versionId: incremented when name, position or the member set changes.';
COMMENT ON COLUMN unified.canonical_stop_place.name IS 'Name (survivorship: from the member named in name_member).';
COMMENT ON COLUMN unified.canonical_stop_place.kind IS 'bus (road modes only), rail (rail only) or mixed (members of both).';
COMMENT ON COLUMN unified.canonical_stop_place.municipality IS 'Municipality, from the first member (by name priority) that gives one.';
COMMENT ON COLUMN unified.canonical_stop_place.district_code IS 'District (okres) code, from the first member (by name priority) that gives one.';
COMMENT ON COLUMN unified.canonical_stop_place.register_ids IS 'Register identifiers of the members, prefixed by register: crz:<CRZ>, sr70:<5-digit SR70>.';
COMMENT ON COLUMN unified.canonical_stop_place.member_count IS 'Number of current member stop places.';
COMMENT ON COLUMN unified.canonical_stop_place.sources IS 'Sources (lineage.source.id) of the current members.';
COMMENT ON COLUMN unified.canonical_stop_place.name_source IS 'Source that supplied the name.';
COMMENT ON COLUMN unified.canonical_stop_place.name_member IS 'Member (source_id:local_id) that supplied the name.';
COMMENT ON COLUMN unified.canonical_stop_place.name_reason IS 'Why that member''s name was chosen (source priority rule).';
COMMENT ON COLUMN unified.canonical_stop_place.position_source IS 'Source that supplied the position.';
COMMENT ON COLUMN unified.canonical_stop_place.position_member IS 'Member (source_id:local_id) that supplied the position.';
COMMENT ON COLUMN unified.canonical_stop_place.position_reason IS 'Why that member''s position was chosen (source priority rule).';
COMMENT ON COLUMN unified.canonical_stop_place.content_hash IS 'Hash of name, position and members, to detect changes (version).';
COMMENT ON COLUMN unified.canonical_stop_place.geom IS 'Position in EPSG:5514 (survivorship: from position_member); NULL if no member has one.';
COMMENT ON COLUMN unified.canonical_stop_place.recorded_from IS 'When the canonical stop was created (INSPIRE beginLifespanVersion of the identity).';
COMMENT ON COLUMN unified.canonical_stop_place.updated_at IS 'When name, position or members last changed.';
COMMENT ON COLUMN unified.canonical_stop_place.recorded_to IS 'When the stop lost its last current member (retired; the id is never reused). NULL = current.';

CREATE TABLE IF NOT EXISTS unified.canonical_stop_member (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_stop_place_id bigint NOT NULL REFERENCES unified.canonical_stop_place(id),
    source_id               text NOT NULL,
    member_namespace        text NOT NULL,
    member_local_id         text NOT NULL,
    stop_place_id           bigint,
    name                    text,
    kind                    text,
    register_key            text,
    match_method            text NOT NULL CHECK (match_method IN ('register_id', 'distance_name', 'manual', 'singleton')),
    matched_with            text,
    distance_m              double precision,
    name_similarity         double precision,
    score                   double precision,
    recorded_from           timestamptz NOT NULL DEFAULT now(),
    updated_at              timestamptz NOT NULL DEFAULT now(),
    recorded_to             timestamptz,
    UNIQUE (source_id, member_local_id)
);
CREATE INDEX IF NOT EXISTS canonical_stop_member_canonical ON unified.canonical_stop_member (canonical_stop_place_id);
CREATE INDEX IF NOT EXISTS canonical_stop_member_stop_place ON unified.canonical_stop_member (stop_place_id);
COMMENT ON TABLE unified.canonical_stop_member IS 'Which source stop places (by their persistent source identity source_id + local id) belong to which canonical stop place, and by what evidence. Rows of stop places that are no longer current are kept (recorded_to set) so that a stop returning in a later feed version gets its canonical id back.';
COMMENT ON COLUMN unified.canonical_stop_member.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.canonical_stop_member.canonical_stop_place_id IS 'The canonical stop place.';
COMMENT ON COLUMN unified.canonical_stop_member.source_id IS 'Source of the member (lineage.source.id).';
COMMENT ON COLUMN unified.canonical_stop_member.member_namespace IS 'Namespace of the member stop place (unified.stop_place.namespace).';
COMMENT ON COLUMN unified.canonical_stop_member.member_local_id IS 'Local id of the member stop place (unified.stop_place.local_id): its identity across feed versions.';
COMMENT ON COLUMN unified.canonical_stop_member.stop_place_id IS 'The current unified.stop_place row of the member (NULL when it is no longer current).';
COMMENT ON COLUMN unified.canonical_stop_member.name IS 'Member name as published.';
COMMENT ON COLUMN unified.canonical_stop_member.kind IS 'Member kind (unified.stop_place.kind).';
COMMENT ON COLUMN unified.canonical_stop_member.register_key IS 'Register identity used for register matching: crz:<CRZ> or sr70:<5-digit SR70>.';
COMMENT ON COLUMN unified.canonical_stop_member.match_method IS 'How the member joined: register_id (shared CRZ/SR70), distance_name (position + name evidence), manual (a GIS staff decision in stop_match_review), singleton (no match).';
COMMENT ON COLUMN unified.canonical_stop_member.matched_with IS 'The other member (source_id:local_id) of the strongest evidence that placed this member.';
COMMENT ON COLUMN unified.canonical_stop_member.distance_m IS 'Distance in metres (EPSG:5514) to matched_with.';
COMMENT ON COLUMN unified.canonical_stop_member.name_similarity IS 'Name similarity 0..1 to matched_with, after Czech normalisation.';
COMMENT ON COLUMN unified.canonical_stop_member.score IS 'Match score 0..1 of that evidence (1 for register and manual).';
COMMENT ON COLUMN unified.canonical_stop_member.recorded_from IS 'When the member was first assigned.';
COMMENT ON COLUMN unified.canonical_stop_member.updated_at IS 'When the assignment was last written.';
COMMENT ON COLUMN unified.canonical_stop_member.recorded_to IS 'When the member stopped being current in its source. NULL = current.';

CREATE TABLE IF NOT EXISTS unified.stop_match_review (
    id               bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    a_source_id      text NOT NULL,
    a_local_id       text NOT NULL,
    b_source_id      text NOT NULL,
    b_local_id       text NOT NULL,
    a_name           text,
    b_name           text,
    a_canonical_id   text,
    b_canonical_id   text,
    distance_m       double precision,
    name_similarity  double precision,
    score            double precision,
    reason           text,
    status           text NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'same', 'different')),
    decided_by       text,
    decided_at       timestamptz,
    note             text,
    created_at       timestamptz NOT NULL DEFAULT now(),
    updated_at       timestamptz NOT NULL DEFAULT now(),
    geom             geometry(LineString, 5514),
    UNIQUE (a_source_id, a_local_id, b_source_id, b_local_id),
    CHECK ((a_source_id, a_local_id) < (b_source_id, b_local_id))
);
CREATE INDEX IF NOT EXISTS stop_match_review_status ON unified.stop_match_review (status);
CREATE INDEX IF NOT EXISTS stop_match_review_geom ON unified.stop_match_review USING gist (geom);
COMMENT ON TABLE unified.stop_match_review IS 'Pairs of source stop places the matcher was not sure about (or any pair GIS staff want to decide). Set status to same or different (in QGIS or SQL); the decision wins over the algorithm on every later run. Pairs are stored ordered (a < b); the trigger swaps them if entered the other way round and stamps decided_by / decided_at.';
COMMENT ON COLUMN unified.stop_match_review.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.stop_match_review.a_source_id IS 'Source of the first stop place.';
COMMENT ON COLUMN unified.stop_match_review.a_local_id IS 'Local id (unified.stop_place.local_id) of the first stop place.';
COMMENT ON COLUMN unified.stop_match_review.b_source_id IS 'Source of the second stop place.';
COMMENT ON COLUMN unified.stop_match_review.b_local_id IS 'Local id of the second stop place.';
COMMENT ON COLUMN unified.stop_match_review.a_name IS 'Name of the first stop place (refreshed on every run).';
COMMENT ON COLUMN unified.stop_match_review.b_name IS 'Name of the second stop place (refreshed on every run).';
COMMENT ON COLUMN unified.stop_match_review.a_canonical_id IS 'Canonical stop (local_id) the first stop place belongs to after the last run.';
COMMENT ON COLUMN unified.stop_match_review.b_canonical_id IS 'Canonical stop (local_id) the second stop place belongs to after the last run.';
COMMENT ON COLUMN unified.stop_match_review.distance_m IS 'Distance in metres (EPSG:5514) between the two.';
COMMENT ON COLUMN unified.stop_match_review.name_similarity IS 'Name similarity 0..1 after Czech normalisation.';
COMMENT ON COLUMN unified.stop_match_review.score IS 'Match score 0..1 the algorithm gave the pair.';
COMMENT ON COLUMN unified.stop_match_review.reason IS 'Why the pair is here: low_confidence, register_far (same register id but far apart), source_conflict (would put two stops of one source together), or manual.';
COMMENT ON COLUMN unified.stop_match_review.status IS 'open (undecided), same (one stop place), different (two stop places). Decided pairs are kept and obeyed on every run.';
COMMENT ON COLUMN unified.stop_match_review.decided_by IS 'Who decided (defaults to the database user that set the status).';
COMMENT ON COLUMN unified.stop_match_review.decided_at IS 'When the status was set to same or different.';
COMMENT ON COLUMN unified.stop_match_review.note IS 'Free text note of the reviewer.';
COMMENT ON COLUMN unified.stop_match_review.created_at IS 'When the pair was first queued.';
COMMENT ON COLUMN unified.stop_match_review.updated_at IS 'When the matcher last refreshed the pair.';
COMMENT ON COLUMN unified.stop_match_review.geom IS 'Line between the two stop places (EPSG:5514), for display in QGIS.';

-- Keep pairs ordered and stamp decisions, whichever way staff enter them.
CREATE OR REPLACE FUNCTION unified.stop_match_review_normalise() RETURNS trigger
LANGUAGE plpgsql AS $$
DECLARE s text; l text; n text; c text;
BEGIN
    IF (NEW.a_source_id, NEW.a_local_id) > (NEW.b_source_id, NEW.b_local_id) THEN
        s := NEW.a_source_id; l := NEW.a_local_id; n := NEW.a_name; c := NEW.a_canonical_id;
        NEW.a_source_id := NEW.b_source_id; NEW.a_local_id := NEW.b_local_id;
        NEW.a_name := NEW.b_name; NEW.a_canonical_id := NEW.b_canonical_id;
        NEW.b_source_id := s; NEW.b_local_id := l; NEW.b_name := n; NEW.b_canonical_id := c;
    END IF;
    IF NEW.status <> 'open' AND (TG_OP = 'INSERT' OR OLD.status IS DISTINCT FROM NEW.status) THEN
        NEW.decided_at := coalesce(NEW.decided_at, now());
        NEW.decided_by := coalesce(NEW.decided_by, session_user);
    END IF;
    IF NEW.status = 'open' THEN
        NEW.decided_at := NULL;
        NEW.decided_by := NULL;
    END IF;
    RETURN NEW;
END $$;
COMMENT ON FUNCTION unified.stop_match_review_normalise() IS 'Trigger: orders the pair (a < b) and stamps decided_by / decided_at when a status is set.';
DROP TRIGGER IF EXISTS stop_match_review_normalise ON unified.stop_match_review;
CREATE TRIGGER stop_match_review_normalise BEFORE INSERT OR UPDATE ON unified.stop_match_review
    FOR EACH ROW EXECUTE FUNCTION unified.stop_match_review_normalise();

CREATE TABLE IF NOT EXISTS unified.stop_connection (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    connection_type        text NOT NULL DEFAULT 'intermodal'
                           CHECK (connection_type IN ('intermodal', 'crossBorderConnected', 'crossBorderIdentical')),
    from_stop_place_id     bigint NOT NULL,
    from_source_id         text NOT NULL,
    from_local_id          text NOT NULL,
    from_name              text,
    from_canonical_id      text,
    to_stop_place_id       bigint NOT NULL,
    to_source_id           text NOT NULL,
    to_local_id            text NOT NULL,
    to_name                text,
    to_canonical_id        text,
    distance_m             double precision NOT NULL,
    recorded_from          timestamptz NOT NULL DEFAULT now(),
    geom                   geometry(LineString, 5514)
);
CREATE INDEX IF NOT EXISTS stop_connection_geom ON unified.stop_connection USING gist (geom);
COMMENT ON TABLE unified.stop_connection IS 'Connections between stop places of different networks (INSPIRE NetworkConnection, ConnectionTypeValue): a bus/tram stop within walking distance of a rail station is an intermodal connection (bus → rail). Rebuilt by every harmonisation run from the current stop places.';
COMMENT ON COLUMN unified.stop_connection.id IS 'Surrogate key (rebuilt each run).';
COMMENT ON COLUMN unified.stop_connection.connection_type IS 'INSPIRE ConnectionTypeValue: intermodal.';
COMMENT ON COLUMN unified.stop_connection.from_stop_place_id IS 'The road-mode stop place (unified.stop_place.id, current row).';
COMMENT ON COLUMN unified.stop_connection.from_source_id IS 'Source of the road-mode stop place.';
COMMENT ON COLUMN unified.stop_connection.from_local_id IS 'Local id of the road-mode stop place.';
COMMENT ON COLUMN unified.stop_connection.from_name IS 'Name of the road-mode stop place.';
COMMENT ON COLUMN unified.stop_connection.from_canonical_id IS 'Canonical stop (local_id) of the road-mode stop place.';
COMMENT ON COLUMN unified.stop_connection.to_stop_place_id IS 'The rail station (unified.stop_place.id, current row).';
COMMENT ON COLUMN unified.stop_connection.to_source_id IS 'Source of the rail station.';
COMMENT ON COLUMN unified.stop_connection.to_local_id IS 'Local id of the rail station.';
COMMENT ON COLUMN unified.stop_connection.to_name IS 'Name of the rail station.';
COMMENT ON COLUMN unified.stop_connection.to_canonical_id IS 'Canonical stop (local_id) of the rail station.';
COMMENT ON COLUMN unified.stop_connection.distance_m IS 'Straight-line distance in metres (EPSG:5514).';
COMMENT ON COLUMN unified.stop_connection.recorded_from IS 'When the connection was computed.';
COMMENT ON COLUMN unified.stop_connection.geom IS 'Line from the stop to the station, EPSG:5514.';
