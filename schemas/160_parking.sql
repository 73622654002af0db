-- Parking: records as read (staging), facilities (unified, EPSG:5514) and the occupancy time series.

CREATE TABLE IF NOT EXISTS staging.parking_record (
    feed_version_id bigint NOT NULL,
    source_file text NOT NULL,
    line_no integer,
    facility_id text NOT NULL,
    name text,
    capacity integer,
    free_places integer,
    observed_at timestamptz,
    x double precision,
    y double precision,
    srid integer,
    raw jsonb
);
CREATE INDEX IF NOT EXISTS parking_record_fv ON staging.parking_record (feed_version_id);
COMMENT ON TABLE staging.parking_record IS 'Parking records as read from CSV or GeoJSON through the source''s column mapping (options.columns); rejected records are in lineage.rejected_record.';
COMMENT ON COLUMN staging.parking_record.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.parking_record.source_file IS 'File the record was read from.';
COMMENT ON COLUMN staging.parking_record.line_no IS 'CSV: physical line (header = 1). GeoJSON: feature number (1 = first feature).';
COMMENT ON COLUMN staging.parking_record.facility_id IS 'Facility id as published (mapped id column).';
COMMENT ON COLUMN staging.parking_record.name IS 'Facility name.';
COMMENT ON COLUMN staging.parking_record.capacity IS 'Number of parking places.';
COMMENT ON COLUMN staging.parking_record.free_places IS 'Free places at observed_at (or capacity minus occupied).';
COMMENT ON COLUMN staging.parking_record.observed_at IS 'Time of the occupancy reading (naive times read in the source''s timezone, default Europe/Prague).';
COMMENT ON COLUMN staging.parking_record.x IS 'Easting / longitude as published.';
COMMENT ON COLUMN staging.parking_record.y IS 'Northing / latitude as published.';
COMMENT ON COLUMN staging.parking_record.srid IS 'EPSG code of x/y.';
COMMENT ON COLUMN staging.parking_record.raw IS 'The record as read (all columns / properties).';

CREATE TABLE IF NOT EXISTS unified.parking_facility (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    name text,
    capacity integer,
    geom geometry(Point, 5514),
    location_note text
);
COMMENT ON TABLE unified.parking_facility IS 'Car parks and parking areas (city / operator CSV or GeoJSON). local_id is the facility id of the source; occupancy over time is in unified.parking_occupancy.';
COMMENT ON COLUMN unified.parking_facility.name IS 'Facility name as published.';
COMMENT ON COLUMN unified.parking_facility.capacity IS 'Number of parking places (latest published).';
COMMENT ON COLUMN unified.parking_facility.geom IS 'Position in EPSG:5514 (a point inside the area for polygons); NULL when unknown or at 0,0.';
COMMENT ON COLUMN unified.parking_facility.location_note IS 'Why geom is NULL (missing_coordinates, point_near_origin).';
CREATE INDEX IF NOT EXISTS parking_facility_identity ON unified.parking_facility (namespace, local_id);
CREATE INDEX IF NOT EXISTS parking_facility_fv ON unified.parking_facility (feed_version_id);
CREATE INDEX IF NOT EXISTS parking_facility_current ON unified.parking_facility (source_id) WHERE recorded_to IS NULL;
CREATE INDEX IF NOT EXISTS parking_facility_geom ON unified.parking_facility USING gist (geom);

-- Time series without feed_version_id (the runner prunes old versions' rows; history stays).
CREATE TABLE IF NOT EXISTS unified.parking_occupancy (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL,
    namespace text NOT NULL,
    facility_id text NOT NULL,
    observed_at timestamptz NOT NULL,
    capacity integer,
    free_places integer NOT NULL,
    poll_run_id bigint NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, facility_id, observed_at)
);
CREATE INDEX IF NOT EXISTS parking_occupancy_recorded ON unified.parking_occupancy (source_id, recorded_at);
COMMENT ON TABLE unified.parking_occupancy IS 'Occupancy time series of parking facilities: one row per facility and reading time; a reading already stored adds nothing. Kept for the source''s retention_days (default 30, 0 = keep all).';
COMMENT ON COLUMN unified.parking_occupancy.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.parking_occupancy.source_id IS 'Source (lineage.source.id).';
COMMENT ON COLUMN unified.parking_occupancy.namespace IS 'Namespace of the facility identifier; with facility_id it names unified.parking_facility (namespace, local_id).';
COMMENT ON COLUMN unified.parking_occupancy.facility_id IS 'Facility id = unified.parking_facility.local_id.';
COMMENT ON COLUMN unified.parking_occupancy.observed_at IS 'Time of the reading: the deduplication key.';
COMMENT ON COLUMN unified.parking_occupancy.capacity IS 'Capacity at the time of the reading.';
COMMENT ON COLUMN unified.parking_occupancy.free_places IS 'Free places at observed_at.';
COMMENT ON COLUMN unified.parking_occupancy.poll_run_id IS 'Poll run (lineage.poll_run.id) that wrote the row; for file loads it names the load run and feed version.';
COMMENT ON COLUMN unified.parking_occupancy.recorded_at IS 'When the row was written; retention counts from it.';

CREATE OR REPLACE VIEW unified.parking_latest AS
SELECT f.id, f.source_id, f.local_id AS facility_id, f.name, f.capacity, f.geom,
       o.observed_at, o.free_places,
       CASE WHEN coalesce(o.capacity, f.capacity) > 0
            THEN round(1 - o.free_places::numeric / coalesce(o.capacity, f.capacity), 3) END AS occupancy_ratio
FROM unified.parking_facility f
LEFT JOIN LATERAL (
    SELECT * FROM unified.parking_occupancy x
    WHERE x.source_id = f.source_id AND x.facility_id = f.local_id
    ORDER BY x.observed_at DESC LIMIT 1
) o ON true
WHERE f.recorded_to IS NULL;
COMMENT ON VIEW unified.parking_latest IS 'Current parking facilities with their latest occupancy reading.';
COMMENT ON COLUMN unified.parking_latest.id IS 'unified.parking_facility.id.';
COMMENT ON COLUMN unified.parking_latest.source_id IS 'Source of the facility.';
COMMENT ON COLUMN unified.parking_latest.facility_id IS 'Facility id of the source.';
COMMENT ON COLUMN unified.parking_latest.name IS 'Facility name.';
COMMENT ON COLUMN unified.parking_latest.capacity IS 'Parking places.';
COMMENT ON COLUMN unified.parking_latest.geom IS 'Position, EPSG:5514.';
COMMENT ON COLUMN unified.parking_latest.observed_at IS 'Time of the latest reading (NULL if none).';
COMMENT ON COLUMN unified.parking_latest.free_places IS 'Free places at observed_at.';
COMMENT ON COLUMN unified.parking_latest.occupancy_ratio IS 'Share of places taken at observed_at, 0..1.';

DO $$
BEGIN
  EXECUTE 'COMMENT ON COLUMN unified.parking_facility.id IS ' || quote_literal('Surrogate key of this row version.');
  EXECUTE 'COMMENT ON COLUMN unified.parking_facility.source_id IS ' || quote_literal('Source (lineage.source.id) the row came from.');
  EXECUTE 'COMMENT ON COLUMN unified.parking_facility.feed_version_id IS ' || quote_literal('Feed version (lineage.feed_version.id) the row came from; lineage.entity_source names the file and line.');
  EXECUTE 'COMMENT ON COLUMN unified.parking_facility.namespace IS ' || quote_literal('Namespace of the persistent identifier (INSPIRE inspireId.namespace), e.g. cz.ustecky.<source>.');
  EXECUTE 'COMMENT ON COLUMN unified.parking_facility.local_id IS ' || quote_literal('Local id of the persistent identifier, stable across feed versions: the facility id of the source.');
  EXECUTE 'COMMENT ON COLUMN unified.parking_facility.valid_from IS ' || quote_literal('Real-world validity start (INSPIRE validFrom).');
  EXECUTE 'COMMENT ON COLUMN unified.parking_facility.valid_to IS ' || quote_literal('Real-world validity end (INSPIRE validTo).');
  EXECUTE 'COMMENT ON COLUMN unified.parking_facility.recorded_from IS ' || quote_literal('When this row version entered the model (INSPIRE beginLifespanVersion).');
  EXECUTE 'COMMENT ON COLUMN unified.parking_facility.recorded_to IS ' || quote_literal('When a newer feed version superseded this row (INSPIRE endLifespanVersion); NULL = current.');
END $$;
