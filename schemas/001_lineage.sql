-- Lineage: where every unified row came from, and which run put it there.
CREATE EXTENSION IF NOT EXISTS postgis;
CREATE SCHEMA IF NOT EXISTS lineage;
CREATE SCHEMA IF NOT EXISTS staging;
CREATE SCHEMA IF NOT EXISTS unified;
CREATE SCHEMA IF NOT EXISTS gis;
COMMENT ON SCHEMA lineage IS 'Provenance: sources, feed versions, load runs, rejected records, validation notices and the source records behind every unified row.';
COMMENT ON SCHEMA staging IS 'Per-format typed tables, one row per source record, keyed by feed_version_id and line_no. Internal; query unified or gis instead.';
COMMENT ON SCHEMA unified IS 'The harmonised transport model (INSPIRE Transport Networks in spirit), geometry in EPSG:5514 (S-JTSK / Krovak East North).';
COMMENT ON SCHEMA gis IS 'Read-only views for GIS staff and web clients: current rows of the unified model, in EPSG:4326 and EPSG:5514.';

CREATE TABLE IF NOT EXISTS lineage.source (
    id            text PRIMARY KEY,
    family        text NOT NULL CHECK (family IN ('regional', 'road', 'rail', 'municipal')),
    format        text NOT NULL,
    owner         text,
    location      text,
    crs           text,
    encoding      text,
    schedule      text,
    description   text,
    options       jsonb NOT NULL DEFAULT '{}'::jsonb,
    registered_at timestamptz NOT NULL DEFAULT now(),
    updated_at    timestamptz NOT NULL DEFAULT now()
);
COMMENT ON TABLE lineage.source IS 'One row per data source of the source catalog (sources.yaml): who publishes it, in which format, where it is fetched from.';
COMMENT ON COLUMN lineage.source.id IS 'Catalog id of the source, e.g. municipal-dpmul-gtfs; also the namespace of its unified rows.';
COMMENT ON COLUMN lineage.source.family IS 'Source family: regional (JDF, stop register), road (ŘSD network, DATEX II, census), rail (CZPTT, SR70), municipal (GTFS, GBFS, parking).';
COMMENT ON COLUMN lineage.source.format IS 'Loader format name (gtfs, jdf, czptt, sr70, road-network, datex2, ...).';
COMMENT ON COLUMN lineage.source.owner IS 'Publishing organisation.';
COMMENT ON COLUMN lineage.source.location IS 'File path or http(s) URL the source is fetched from.';
COMMENT ON COLUMN lineage.source.crs IS 'Coordinate reference system of the source as published, e.g. EPSG:4326 or EPSG:5514.';
COMMENT ON COLUMN lineage.source.encoding IS 'Character encoding of the source files as published, e.g. UTF-8 or CP1250.';
COMMENT ON COLUMN lineage.source.schedule IS 'Cron expression of the scheduled refresh.';
COMMENT ON COLUMN lineage.source.description IS 'Free text description from the catalog.';
COMMENT ON COLUMN lineage.source.options IS 'Format-specific options from the catalog (attribute mappings, error thresholds, ...).';
COMMENT ON COLUMN lineage.source.registered_at IS 'When the source was first registered.';
COMMENT ON COLUMN lineage.source.updated_at IS 'When the catalog entry was last synchronised.';

CREATE TABLE IF NOT EXISTS lineage.feed_version (
    id             bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id      text NOT NULL REFERENCES lineage.source(id),
    sha256         text NOT NULL,
    size_bytes     bigint NOT NULL,
    location       text,
    fetched_at     timestamptz NOT NULL DEFAULT now(),
    loaded_at      timestamptz,
    coverage_from  date,
    coverage_to    date,
    feed_label     text,
    status         text NOT NULL CHECK (status IN ('loaded', 'rejected', 'superseded')),
    is_current     boolean NOT NULL DEFAULT false,
    reject_reason  text,
    file_stats     jsonb NOT NULL DEFAULT '{}'::jsonb,
    table_counts   jsonb NOT NULL DEFAULT '{}'::jsonb,
    rows_loaded    bigint NOT NULL DEFAULT 0,
    rows_rejected  bigint NOT NULL DEFAULT 0,
    load_run_id    bigint,
    UNIQUE (source_id, sha256)
);
CREATE UNIQUE INDEX IF NOT EXISTS feed_version_one_current ON lineage.feed_version (source_id) WHERE is_current;
COMMENT ON TABLE lineage.feed_version IS 'One row per distinct content (sha256 of the raw bytes) seen for a source. Exactly one loaded version per source is current.';
COMMENT ON COLUMN lineage.feed_version.id IS 'Feed version id; every staging and unified row carries it.';
COMMENT ON COLUMN lineage.feed_version.source_id IS 'The source this version belongs to.';
COMMENT ON COLUMN lineage.feed_version.sha256 IS 'SHA-256 of the raw bytes as fetched; an unchanged source is skipped by it.';
COMMENT ON COLUMN lineage.feed_version.size_bytes IS 'Size of the raw input in bytes.';
COMMENT ON COLUMN lineage.feed_version.location IS 'Where the bytes were fetched from (path or URL).';
COMMENT ON COLUMN lineage.feed_version.fetched_at IS 'When the bytes were fetched.';
COMMENT ON COLUMN lineage.feed_version.loaded_at IS 'When the version was published (NULL if rejected).';
COMMENT ON COLUMN lineage.feed_version.coverage_from IS 'First service / validity date covered by the version.';
COMMENT ON COLUMN lineage.feed_version.coverage_to IS 'Last service / validity date covered by the version.';
COMMENT ON COLUMN lineage.feed_version.feed_label IS 'Version label published by the source itself (GTFS feed_info.feed_version, JDF batch id, ...).';
COMMENT ON COLUMN lineage.feed_version.status IS 'loaded (published), rejected (input refused, see reject_reason), superseded (a newer version is current).';
COMMENT ON COLUMN lineage.feed_version.is_current IS 'True for the one version per source whose rows are current in unified.';
COMMENT ON COLUMN lineage.feed_version.reject_reason IS 'Why the version was rejected.';
COMMENT ON COLUMN lineage.feed_version.file_stats IS 'Per input file: sha256, bytes, rows read, rows loaded, rows rejected.';
COMMENT ON COLUMN lineage.feed_version.table_counts IS 'Rows written per staging and unified table.';
COMMENT ON COLUMN lineage.feed_version.rows_loaded IS 'Total source records loaded into staging.';
COMMENT ON COLUMN lineage.feed_version.rows_rejected IS 'Total source records quarantined in lineage.rejected_record.';
COMMENT ON COLUMN lineage.feed_version.load_run_id IS 'The load run that created this version.';

CREATE TABLE IF NOT EXISTS lineage.load_run (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    run_id          text NOT NULL,
    run_kind        text NOT NULL CHECK (run_kind IN ('dagster', 'cli', 'test')),
    asset_key       text,
    source_id       text REFERENCES lineage.source(id),
    feed_version_id bigint REFERENCES lineage.feed_version(id),
    started_at      timestamptz NOT NULL DEFAULT now(),
    finished_at     timestamptz,
    rows_in         bigint NOT NULL DEFAULT 0,
    rows_loaded     bigint NOT NULL DEFAULT 0,
    rows_rejected   bigint NOT NULL DEFAULT 0,
    outcome         text NOT NULL DEFAULT 'running'
                    CHECK (outcome IN ('running', 'loaded', 'skipped', 'rejected', 'failed')),
    message         text
);
CREATE INDEX IF NOT EXISTS load_run_source ON lineage.load_run (source_id, started_at);
COMMENT ON TABLE lineage.load_run IS 'One row per attempt to load a source (Dagster run or CLI call), whatever its outcome.';
COMMENT ON COLUMN lineage.load_run.run_id IS 'Dagster run id, or cli-<uuid> for command-line loads.';
COMMENT ON COLUMN lineage.load_run.run_kind IS 'dagster, cli or test.';
COMMENT ON COLUMN lineage.load_run.asset_key IS 'Dagster asset key that ran the load, if any.';
COMMENT ON COLUMN lineage.load_run.source_id IS 'Source loaded.';
COMMENT ON COLUMN lineage.load_run.feed_version_id IS 'Feed version created, or matched when skipped.';
COMMENT ON COLUMN lineage.load_run.started_at IS 'Start time.';
COMMENT ON COLUMN lineage.load_run.finished_at IS 'End time (NULL while running or if the process died).';
COMMENT ON COLUMN lineage.load_run.rows_in IS 'Source records read.';
COMMENT ON COLUMN lineage.load_run.rows_loaded IS 'Source records loaded into staging.';
COMMENT ON COLUMN lineage.load_run.rows_rejected IS 'Source records quarantined.';
COMMENT ON COLUMN lineage.load_run.outcome IS 'running, loaded, skipped (unchanged input), rejected (bad input), failed (internal error).';
COMMENT ON COLUMN lineage.load_run.message IS 'One-line reason for rejected or failed runs; summary otherwise.';

CREATE TABLE IF NOT EXISTS lineage.rejected_record (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_version_id bigint NOT NULL REFERENCES lineage.feed_version(id) ON DELETE CASCADE,
    file_name       text NOT NULL,
    line_no         integer,
    reason_code     text NOT NULL,
    message         text,
    raw_text        text
);
CREATE INDEX IF NOT EXISTS rejected_record_fv ON lineage.rejected_record (feed_version_id);
COMMENT ON TABLE lineage.rejected_record IS 'Source records quarantined instead of loaded: file, line and reason. Nothing is dropped silently.';
COMMENT ON COLUMN lineage.rejected_record.feed_version_id IS 'Feed version the record belongs to.';
COMMENT ON COLUMN lineage.rejected_record.file_name IS 'Input file (path inside the archive) of the record.';
COMMENT ON COLUMN lineage.rejected_record.line_no IS 'Physical line number of the record in its file (1 = first line, header included).';
COMMENT ON COLUMN lineage.rejected_record.reason_code IS 'Machine-readable reason (GTFS validator vocabulary where it applies, e.g. invalid_time).';
COMMENT ON COLUMN lineage.rejected_record.message IS 'Human-readable reason.';
COMMENT ON COLUMN lineage.rejected_record.raw_text IS 'The record as read, for correction and replay.';

CREATE TABLE IF NOT EXISTS lineage.notice (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_version_id bigint NOT NULL REFERENCES lineage.feed_version(id) ON DELETE CASCADE,
    code            text NOT NULL,
    severity        text NOT NULL CHECK (severity IN ('ERROR', 'WARNING', 'INFO')),
    file_name       text,
    line_no         integer,
    field_name      text,
    entity_key      text,
    message         text
);
CREATE INDEX IF NOT EXISTS notice_fv ON lineage.notice (feed_version_id, code);
COMMENT ON TABLE lineage.notice IS 'Validation notices per feed version (MobilityData GTFS validator vocabulary, reused for other formats).';
COMMENT ON COLUMN lineage.notice.feed_version_id IS 'Feed version validated.';
COMMENT ON COLUMN lineage.notice.code IS 'Notice code, e.g. foreign_key_violation, point_near_origin.';
COMMENT ON COLUMN lineage.notice.severity IS 'ERROR, WARNING or INFO.';
COMMENT ON COLUMN lineage.notice.file_name IS 'File the notice refers to.';
COMMENT ON COLUMN lineage.notice.line_no IS 'Line in the file, where one applies.';
COMMENT ON COLUMN lineage.notice.field_name IS 'Field the notice refers to.';
COMMENT ON COLUMN lineage.notice.entity_key IS 'Key of the entity concerned (stop_id, trip_id, ...).';
COMMENT ON COLUMN lineage.notice.message IS 'Human-readable explanation.';

CREATE TABLE IF NOT EXISTS lineage.entity_source (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    unified_table   text NOT NULL,
    unified_id      bigint NOT NULL,
    feed_version_id bigint NOT NULL,
    source_file     text,
    source_line     integer,
    source_key      text,
    match_method    text NOT NULL DEFAULT 'source',
    distance_m      double precision,
    name_similarity double precision,
    score           double precision,
    load_run_id     bigint,
    recorded_at     timestamptz NOT NULL DEFAULT now()
);
CREATE INDEX IF NOT EXISTS entity_source_target ON lineage.entity_source (unified_table, unified_id);
CREATE INDEX IF NOT EXISTS entity_source_fv ON lineage.entity_source (feed_version_id);
COMMENT ON TABLE lineage.entity_source IS 'The source records behind each unified row: unified table + id ↔ feed version, file, line or source key, and how it was matched. No foreign keys, for bulk-load speed; lineage.load_run and the loaders keep it consistent.';
COMMENT ON COLUMN lineage.entity_source.unified_table IS 'Schema-qualified unified table, e.g. unified.stop_place.';
COMMENT ON COLUMN lineage.entity_source.unified_id IS 'id of the unified row.';
COMMENT ON COLUMN lineage.entity_source.feed_version_id IS 'Feed version of the source record.';
COMMENT ON COLUMN lineage.entity_source.source_file IS 'File of the source record (inside the archive).';
COMMENT ON COLUMN lineage.entity_source.source_line IS 'Physical line of the source record in that file (header = line 1).';
COMMENT ON COLUMN lineage.entity_source.source_key IS 'Key of the source record in its format (stop_id, trip_id, JDF stop number, SR70 code, XML path ...).';
COMMENT ON COLUMN lineage.entity_source.match_method IS 'source (row derived directly from this record), or the matching method for harmonised identities (register_id, distance_name, manual, ...).';
COMMENT ON COLUMN lineage.entity_source.distance_m IS 'Distance in metres between the matched objects (harmonisation).';
COMMENT ON COLUMN lineage.entity_source.name_similarity IS 'Name similarity 0..1 of the matched objects (harmonisation).';
COMMENT ON COLUMN lineage.entity_source.score IS 'Overall match score 0..1 (harmonisation).';
COMMENT ON COLUMN lineage.entity_source.load_run_id IS 'Load run that wrote the row.';
COMMENT ON COLUMN lineage.entity_source.recorded_at IS 'When the row was written.';

COMMENT ON COLUMN lineage.load_run.id IS 'Load run id.';
COMMENT ON COLUMN lineage.rejected_record.id IS 'Rejected record id.';
COMMENT ON COLUMN lineage.notice.id IS 'Notice id.';
COMMENT ON COLUMN lineage.entity_source.id IS 'Lineage row id.';
