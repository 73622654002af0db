-- Persistent identity of road links across road-network versions (issue 16): a link keeps its
-- canonical id while its geometry changes little (Hausdorff distance within keep_max_hausdorff_m, same
-- road number and class); a split, merged or rerouted link gets a new id with evidence of its
-- predecessors. Written by transport_etl/harmonise/road_links.py (run by `transport-etl unify`).
CREATE TABLE IF NOT EXISTS unified.canonical_road_link (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    namespace     text NOT NULL,
    local_id      text NOT NULL,
    source_id     text NOT NULL,
    road_number   text,
    road_class    text,
    transport_link_id bigint,
    length_m      double precision,
    geom          geometry(LineString, 5514) NOT NULL,
    version       integer NOT NULL DEFAULT 1,
    recorded_from timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now(),
    recorded_to   timestamptz,
    UNIQUE (namespace, local_id)
);
CREATE INDEX IF NOT EXISTS canonical_road_link_geom ON unified.canonical_road_link USING gist (geom);
COMMENT ON TABLE unified.canonical_road_link IS 'Canonical road links: one persistent identity per stretch of road across road-network versions, whatever section ids the publisher uses. Retired links keep their row (recorded_to); their ids are never handed out again.';
COMMENT ON COLUMN unified.canonical_road_link.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.canonical_road_link.namespace IS 'Namespace of the canonical identity (cz.road.link).';
COMMENT ON COLUMN unified.canonical_road_link.local_id IS 'Persistent id: RL + 12 hex digits derived from the source, section id and geometry of the link that first had it.';
COMMENT ON COLUMN unified.canonical_road_link.source_id IS 'The road-network source (lineage.source.id) the link belongs to.';
COMMENT ON COLUMN unified.canonical_road_link.road_number IS 'Road number of the current member link.';
COMMENT ON COLUMN unified.canonical_road_link.road_class IS 'Road class of the current member link.';
COMMENT ON COLUMN unified.canonical_road_link.transport_link_id IS 'The current member row (unified.transport_link.id); NULL when retired.';
COMMENT ON COLUMN unified.canonical_road_link.length_m IS 'Length of the current geometry, m.';
COMMENT ON COLUMN unified.canonical_road_link.geom IS 'Geometry of the current (or, when retired, the last) member link, EPSG:5514.';
COMMENT ON COLUMN unified.canonical_road_link.version IS 'Incremented whenever the identity is kept by a changed geometry.';
COMMENT ON COLUMN unified.canonical_road_link.recorded_from IS 'When the identity was first issued.';
COMMENT ON COLUMN unified.canonical_road_link.updated_at IS 'When the geometry or attributes last changed.';
COMMENT ON COLUMN unified.canonical_road_link.recorded_to IS 'When the link had no successor within the keep rule (retired).';

CREATE TABLE IF NOT EXISTS unified.canonical_road_link_member (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_road_link_id bigint NOT NULL REFERENCES unified.canonical_road_link(id),
    source_id              text NOT NULL,
    feed_version_id        bigint NOT NULL,
    member_local_id        text NOT NULL,
    transport_link_id      bigint NOT NULL,
    match_method           text NOT NULL CHECK (match_method IN ('new', 'unchanged', 'geometry')),
    matched_with           text,
    hausdorff_m            double precision,
    recorded_from          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, feed_version_id, member_local_id)
);
CREATE INDEX IF NOT EXISTS canonical_road_link_member_link ON unified.canonical_road_link_member (canonical_road_link_id);
COMMENT ON TABLE unified.canonical_road_link_member IS 'Which link (section id) of which road-network version carries which canonical road link, and by what evidence. One row per network version, so every version keeps its mapping.';
COMMENT ON COLUMN unified.canonical_road_link_member.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.canonical_road_link_member.canonical_road_link_id IS 'The canonical road link.';
COMMENT ON COLUMN unified.canonical_road_link_member.source_id IS 'Road-network source (lineage.source.id).';
COMMENT ON COLUMN unified.canonical_road_link_member.feed_version_id IS 'Network version (lineage.feed_version.id) of the member.';
COMMENT ON COLUMN unified.canonical_road_link_member.member_local_id IS 'Section id of the link in that version (unified.transport_link.local_id).';
COMMENT ON COLUMN unified.canonical_road_link_member.transport_link_id IS 'The unified.transport_link row.';
COMMENT ON COLUMN unified.canonical_road_link_member.match_method IS 'new (no predecessor kept its id), unchanged (same link row as before), geometry (a link of the new version within keep_max_hausdorff_m of the canonical geometry, same road number and class).';
COMMENT ON COLUMN unified.canonical_road_link_member.matched_with IS 'geometry: the section id the canonical link had before.';
COMMENT ON COLUMN unified.canonical_road_link_member.hausdorff_m IS 'Hausdorff distance between the member and the canonical geometry it kept, m.';
COMMENT ON COLUMN unified.canonical_road_link_member.recorded_from IS 'When the mapping was recorded.';

CREATE TABLE IF NOT EXISTS unified.canonical_road_link_predecessor (
    id                     bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    canonical_road_link_id bigint NOT NULL REFERENCES unified.canonical_road_link(id),
    predecessor_id         bigint NOT NULL REFERENCES unified.canonical_road_link(id),
    relation               text NOT NULL CHECK (relation IN ('split', 'merged', 'rerouted')),
    shared_m               double precision,
    hausdorff_m            double precision,
    recorded_from          timestamptz NOT NULL DEFAULT now(),
    UNIQUE (canonical_road_link_id, predecessor_id)
);
COMMENT ON TABLE unified.canonical_road_link_predecessor IS 'Evidence that a new canonical road link continues retired ones: a part of a split link, the union of merged links, or a rerouted link between the same ends.';
COMMENT ON COLUMN unified.canonical_road_link_predecessor.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.canonical_road_link_predecessor.canonical_road_link_id IS 'The new canonical road link.';
COMMENT ON COLUMN unified.canonical_road_link_predecessor.predecessor_id IS 'A canonical road link retired in the same run that it continues.';
COMMENT ON COLUMN unified.canonical_road_link_predecessor.relation IS 'split (the new link lies along a part of the predecessor), merged (the predecessor lies along a part of the new link), rerouted (same road and ends, another path).';
COMMENT ON COLUMN unified.canonical_road_link_predecessor.shared_m IS 'Length the two geometries share within keep_max_hausdorff_m, m.';
COMMENT ON COLUMN unified.canonical_road_link_predecessor.hausdorff_m IS 'Hausdorff distance between the two geometries, m.';
COMMENT ON COLUMN unified.canonical_road_link_predecessor.recorded_from IS 'When the relation was recorded.';
