CREATE TABLE IF NOT EXISTS staging.gtfs_file (
    feed_version_id bigint NOT NULL,
    file_name text NOT NULL,
    kind text NOT NULL CHECK (kind IN ('gtfs', 'unknown', 'system')),
    size_bytes bigint,
    sha256 text,
    header text[],
    rows_in integer,
    content bytea,
    PRIMARY KEY (feed_version_id, file_name)
);
COMMENT ON TABLE staging.gtfs_file IS 'Every entry of a GTFS input (zip member or folder file): GTFS files with their header and row count, non-GTFS files and __MACOSX entries kept raw (reported as unknown_file).';
COMMENT ON COLUMN staging.gtfs_file.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.gtfs_file.file_name IS 'Path of the entry inside the archive or folder, as published.';
COMMENT ON COLUMN staging.gtfs_file.kind IS 'gtfs (a standard file, loaded into its staging table), unknown (not a GTFS file), system (__MACOSX, .DS_Store and similar).';
COMMENT ON COLUMN staging.gtfs_file.size_bytes IS 'Uncompressed size in bytes.';
COMMENT ON COLUMN staging.gtfs_file.sha256 IS 'SHA-256 of the uncompressed bytes.';
COMMENT ON COLUMN staging.gtfs_file.header IS 'Column names of the header line (GTFS and CSV-like unknown files).';
COMMENT ON COLUMN staging.gtfs_file.rows_in IS 'Data records read (GTFS files).';
COMMENT ON COLUMN staging.gtfs_file.content IS 'Raw bytes of unknown and system entries up to 1 MB (NULL for GTFS files and larger entries).';
