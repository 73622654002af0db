-- Open-data releases (issue 18): every dated release `transport-etl release` / the Dagster asset builds is
-- recorded here, with the exact feed versions it was built from. Written only by the lineage ledger
-- (transport_etl/lineage/ledger.py::record_release).
CREATE TABLE IF NOT EXISTS lineage.release (
    id            bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    release_date  date NOT NULL,
    checksum      text NOT NULL,
    location      text NOT NULL,
    files         jsonb NOT NULL DEFAULT '{}'::jsonb,
    summary       jsonb NOT NULL DEFAULT '{}'::jsonb,
    builder_digest text NOT NULL,
    run_kind      text NOT NULL DEFAULT 'cli',
    run_id        text,
    build_seconds double precision,
    built_at      timestamptz NOT NULL DEFAULT now(),
    same_as       bigint REFERENCES lineage.release(id)
);
CREATE INDEX IF NOT EXISTS release_date_idx ON lineage.release (release_date, id);
COMMENT ON TABLE lineage.release IS 'One row per built open-data release (releases/<date>/: regional GTFS, GeoPackage, stop crosswalk, road events, notes, manifest, DCAT-AP). A release is reproducible: the same feed versions, date and builder code give the same checksum.';
COMMENT ON COLUMN lineage.release.id IS 'Surrogate key (never written into the release files, which must not depend on when or how often they were built).';
COMMENT ON COLUMN lineage.release.release_date IS 'The date of the release: its folder name, dct:issued, and the day road events are taken as in force.';
COMMENT ON COLUMN lineage.release.checksum IS 'sha256 of the release''s SHA256SUMS file, i.e. a digest over every file of the release.';
COMMENT ON COLUMN lineage.release.location IS 'Folder the release was written to.';
COMMENT ON COLUMN lineage.release.files IS 'Every file of the release: name → {sha256, bytes}.';
COMMENT ON COLUMN lineage.release.summary IS 'Headline figures: journeys, stops, canonical stops, road events, validation notices per severity.';
COMMENT ON COLUMN lineage.release.builder_digest IS 'sha256 over the code that writes a release (transport_etl/export/release, gtfs.py, gpkg.py): like a feed version''s loader_digest.';
COMMENT ON COLUMN lineage.release.run_kind IS 'cli or dagster.';
COMMENT ON COLUMN lineage.release.run_id IS 'Dagster run id (dagster) or a generated id (cli).';
COMMENT ON COLUMN lineage.release.build_seconds IS 'Wall time of the build in seconds (kept here, never in the files).';
COMMENT ON COLUMN lineage.release.built_at IS 'When the release was built.';
COMMENT ON COLUMN lineage.release.same_as IS 'An earlier release of the same date with the same checksum (a rebuild that reproduced it byte for byte); NULL for the first build of that content.';

CREATE TABLE IF NOT EXISTS lineage.release_feed_version (
    release_id      bigint NOT NULL REFERENCES lineage.release(id) ON DELETE CASCADE,
    feed_version_id bigint NOT NULL REFERENCES lineage.feed_version(id),
    source_id       text NOT NULL REFERENCES lineage.source(id),
    PRIMARY KEY (release_id, feed_version_id)
);
CREATE INDEX IF NOT EXISTS release_feed_version_fv ON lineage.release_feed_version (feed_version_id);
COMMENT ON TABLE lineage.release_feed_version IS 'Which feed versions (the current version of every registered source at build time) a release was built from.';
COMMENT ON COLUMN lineage.release_feed_version.release_id IS 'The release (lineage.release.id).';
COMMENT ON COLUMN lineage.release_feed_version.feed_version_id IS 'A feed version the release was built from.';
COMMENT ON COLUMN lineage.release_feed_version.source_id IS 'Source of that feed version.';
