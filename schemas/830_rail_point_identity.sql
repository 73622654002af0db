-- Persistent identity of rail points (issue 16): one canonical rail point per place of the SR70
-- register, across register versions and the CZPTT timetables' locations. Written by
-- transport_etl/harmonise/rail_points.py (run by `transport-etl unify`); evidence through the lineage ledger.
CREATE TABLE IF NOT EXISTS unified.canonical_rail_point (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    namespace     text NOT NULL,
    local_id      text NOT NULL,
    name          text,
    sr70_codes    text[] NOT NULL DEFAULT '{}',
    kind_text     text,
    member_count  integer NOT NULL DEFAULT 0,
    geom          geometry(Point, 5514),
    recorded_from timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    recorded_to   timestamptz,
    UNIQUE (namespace, local_id)
);
CREATE INDEX IF NOT EXISTS canonical_rail_point_geom ON unified.canonical_rail_point USING gist (geom);
COMMENT ON TABLE unified.canonical_rail_point IS 'Canonical rail points (stations, halts, junctions, borders): one persistent identity per place across SR70 register versions and CZPTT locations. Retired points keep their row (recorded_to) and their id is never handed out again.';
COMMENT ON COLUMN unified.canonical_rail_point.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.canonical_rail_point.namespace IS 'Namespace of the canonical identity (cz.rail.point).';
COMMENT ON COLUMN unified.canonical_rail_point.local_id IS 'Persistent id: SR + the 5-digit SR70 code the point was first known by (kept when the register renumbers the point).';
COMMENT ON COLUMN unified.canonical_rail_point.name IS 'Name from the newest SR70 register member, else from CZPTT.';
COMMENT ON COLUMN unified.canonical_rail_point.sr70_codes IS 'The 5-digit SR70 codes the current members use (more than one after a renumbering).';
COMMENT ON COLUMN unified.canonical_rail_point.kind_text IS 'Kind of point as the SR70 register writes it (stanice, zastávka, odbočka, ...).';
COMMENT ON COLUMN unified.canonical_rail_point.member_count IS 'Current members (SR70 register records and CZPTT locations).';
COMMENT ON COLUMN unified.canonical_rail_point.geom IS 'Position from the SR70 register, EPSG:5514.';
COMMENT ON COLUMN unified.canonical_rail_point.recorded_from IS 'When the identity was first issued.';
COMMENT ON COLUMN unified.canonical_rail_point.updated_at IS 'When name, codes or position last changed.';
COMMENT ON COLUMN unified.canonical_rail_point.recorded_to IS 'When the point lost its last current member (retired).';

CREATE TABLE IF NOT EXISTS unified.canonical_rail_point_member (
    id                      bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_rail_point_id bigint NOT NULL REFERENCES unified.canonical_rail_point(id),
    source_id               text NOT NULL,
    feed_version_id         bigint NOT NULL,
    member_kind             text NOT NULL CHECK (member_kind IN ('sr70', 'czptt')),
    member_local_id         text NOT NULL,
    name                    text,
    match_method            text NOT NULL CHECK (match_method IN ('sr70_code', 'renumbered')),
    matched_with            text,
    distance_m              double precision,
    name_similarity         double precision,
    source_file             text,
    source_line             integer,
    recorded_from           timestamptz NOT NULL DEFAULT now(),
    recorded_to             timestamptz,
    UNIQUE (source_id, feed_version_id, member_kind, member_local_id)
);
CREATE INDEX IF NOT EXISTS canonical_rail_point_member_point ON unified.canonical_rail_point_member (canonical_rail_point_id);
COMMENT ON TABLE unified.canonical_rail_point_member IS 'Which SR70 register record or CZPTT location of which feed version belongs to which canonical rail point, and by what evidence. One row per feed version, so every register version keeps its mapping.';
COMMENT ON COLUMN unified.canonical_rail_point_member.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.canonical_rail_point_member.canonical_rail_point_id IS 'The canonical rail point.';
COMMENT ON COLUMN unified.canonical_rail_point_member.source_id IS 'Source of the member (lineage.source.id).';
COMMENT ON COLUMN unified.canonical_rail_point_member.feed_version_id IS 'Feed version the member record was read from.';
COMMENT ON COLUMN unified.canonical_rail_point_member.member_kind IS 'sr70 (a register record) or czptt (a timetable location).';
COMMENT ON COLUMN unified.canonical_rail_point_member.member_local_id IS 'The record''s SR70 code as published (6 digits in the register, 5 or 6 in CZPTT).';
COMMENT ON COLUMN unified.canonical_rail_point_member.name IS 'Name in the member record.';
COMMENT ON COLUMN unified.canonical_rail_point_member.match_method IS 'sr70_code (same 5-digit SR70 code), renumbered (a register code that replaced a vanished one: same normalised name within rename_max_distance_m).';
COMMENT ON COLUMN unified.canonical_rail_point_member.matched_with IS 'renumbered: the SR70 code the point had before.';
COMMENT ON COLUMN unified.canonical_rail_point_member.distance_m IS 'renumbered: distance to the vanished point, m.';
COMMENT ON COLUMN unified.canonical_rail_point_member.name_similarity IS 'renumbered: 1 (the normalised names are equal).';
COMMENT ON COLUMN unified.canonical_rail_point_member.source_file IS 'File of the member record.';
COMMENT ON COLUMN unified.canonical_rail_point_member.source_line IS 'Line of the member record (register CSV; NULL for CZPTT XML).';
COMMENT ON COLUMN unified.canonical_rail_point_member.recorded_from IS 'When the mapping was first recorded.';
COMMENT ON COLUMN unified.canonical_rail_point_member.recorded_to IS 'When the member record stopped being current (its feed version was superseded).';
