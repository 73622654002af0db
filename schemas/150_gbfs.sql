-- GBFS (bike sharing): staging of the discovery's static feeds, unified bike stations, and the
-- polled status time series (bounded retention, deduplicated by the feed's last_updated).

CREATE TABLE IF NOT EXISTS staging.gbfs_system (
    feed_version_id bigint NOT NULL,
    source_file text NOT NULL,
    system_id text,
    language text,
    name text,
    operator text,
    url text,
    timezone text,
    last_updated timestamptz,
    raw jsonb
);
CREATE INDEX IF NOT EXISTS gbfs_system_fv ON staging.gbfs_system (feed_version_id);
COMMENT ON TABLE staging.gbfs_system IS 'GBFS system_information: one row per feed version (the bike-sharing system as published).';
COMMENT ON COLUMN staging.gbfs_system.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gbfs_system.source_file IS 'File or URL of system_information the record was read from.';
COMMENT ON COLUMN staging.gbfs_system.system_id IS 'GBFS system_id, e.g. nextbike_uo.';
COMMENT ON COLUMN staging.gbfs_system.language IS 'Language section of gbfs.json used (GBFS 2.x), e.g. cs or en.';
COMMENT ON COLUMN staging.gbfs_system.name IS 'System name as published.';
COMMENT ON COLUMN staging.gbfs_system.operator IS 'Operator as published.';
COMMENT ON COLUMN staging.gbfs_system.url IS 'System web address.';
COMMENT ON COLUMN staging.gbfs_system.timezone IS 'IANA time zone of the system.';
COMMENT ON COLUMN staging.gbfs_system.last_updated IS 'last_updated of system_information (POSIX time, stored as timestamptz).';
COMMENT ON COLUMN staging.gbfs_system.raw IS 'The data object as published.';

CREATE TABLE IF NOT EXISTS staging.gbfs_station (
    feed_version_id bigint NOT NULL,
    source_file text NOT NULL,
    json_index integer NOT NULL,
    station_id text,
    name text,
    short_name text,
    lat double precision,
    lon double precision,
    capacity integer,
    address text,
    region_id text,
    raw jsonb
);
CREATE INDEX IF NOT EXISTS gbfs_station_fv ON staging.gbfs_station (feed_version_id);
COMMENT ON TABLE staging.gbfs_station IS 'GBFS station_information: one row per station as published; invalid stations are in lineage.rejected_record instead.';
COMMENT ON COLUMN staging.gbfs_station.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gbfs_station.source_file IS 'File or URL of station_information the record was read from.';
COMMENT ON COLUMN staging.gbfs_station.json_index IS 'Position of the station in data.stations (0-based): the record''s locator in the JSON file.';
COMMENT ON COLUMN staging.gbfs_station.station_id IS 'GBFS station_id (stable key of the station).';
COMMENT ON COLUMN staging.gbfs_station.name IS 'Station name as published.';
COMMENT ON COLUMN staging.gbfs_station.short_name IS 'Short name or number of the station.';
COMMENT ON COLUMN staging.gbfs_station.lat IS 'Latitude, WGS84.';
COMMENT ON COLUMN staging.gbfs_station.lon IS 'Longitude, WGS84.';
COMMENT ON COLUMN staging.gbfs_station.capacity IS 'Number of docks / parking spaces (GBFS capacity).';
COMMENT ON COLUMN staging.gbfs_station.address IS 'Address as published.';
COMMENT ON COLUMN staging.gbfs_station.region_id IS 'GBFS region_id.';
COMMENT ON COLUMN staging.gbfs_station.raw IS 'The station object as published.';

CREATE TABLE IF NOT EXISTS staging.gbfs_vehicle_type (
    feed_version_id bigint NOT NULL,
    source_file text NOT NULL,
    json_index integer NOT NULL,
    vehicle_type_id text,
    form_factor text,
    propulsion_type text,
    name text,
    raw jsonb
);
CREATE INDEX IF NOT EXISTS gbfs_vehicle_type_fv ON staging.gbfs_vehicle_type (feed_version_id);
COMMENT ON TABLE staging.gbfs_vehicle_type IS 'GBFS vehicle_types: kinds of vehicles of the system (bicycle, e-bike, cargo bike ...).';
COMMENT ON COLUMN staging.gbfs_vehicle_type.feed_version_id IS 'Feed version (lineage.feed_version.id) the record belongs to.';
COMMENT ON COLUMN staging.gbfs_vehicle_type.source_file IS 'File or URL of vehicle_types the record was read from.';
COMMENT ON COLUMN staging.gbfs_vehicle_type.json_index IS 'Position in data.vehicle_types (0-based).';
COMMENT ON COLUMN staging.gbfs_vehicle_type.vehicle_type_id IS 'GBFS vehicle_type_id.';
COMMENT ON COLUMN staging.gbfs_vehicle_type.form_factor IS 'bicycle, cargo_bicycle, car, moped, scooter, other.';
COMMENT ON COLUMN staging.gbfs_vehicle_type.propulsion_type IS 'human, electric_assist, electric, combustion.';
COMMENT ON COLUMN staging.gbfs_vehicle_type.name IS 'Name as published.';
COMMENT ON COLUMN staging.gbfs_vehicle_type.raw IS 'The vehicle type object as published.';

CREATE TABLE IF NOT EXISTS unified.bike_station (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL, feed_version_id bigint NOT NULL,
    namespace text NOT NULL, local_id text NOT NULL,
    valid_from date, valid_to date,
    recorded_from timestamptz NOT NULL DEFAULT now(), recorded_to timestamptz,
    system_id text,
    name text,
    short_name text,
    capacity integer,
    address text,
    geom geometry(Point, 5514),
    location_note text
);
COMMENT ON TABLE unified.bike_station IS 'Bike-sharing stations (GBFS station_information). local_id is the GBFS station_id; live availability is in unified.bike_station_status.';
COMMENT ON COLUMN unified.bike_station.system_id IS 'GBFS system_id of the bike-sharing system, e.g. nextbike_uo (Most).';
COMMENT ON COLUMN unified.bike_station.name IS 'Station name as published.';
COMMENT ON COLUMN unified.bike_station.short_name IS 'Short name or number of the station.';
COMMENT ON COLUMN unified.bike_station.capacity IS 'Number of docks / parking spaces (GBFS capacity); NULL if not published.';
COMMENT ON COLUMN unified.bike_station.address IS 'Address as published.';
COMMENT ON COLUMN unified.bike_station.geom IS 'Position in EPSG:5514; NULL when the source has no usable position (never placed at the origin).';
COMMENT ON COLUMN unified.bike_station.location_note IS 'Why geom is NULL (point_near_origin, outside_region).';
CREATE INDEX IF NOT EXISTS bike_station_identity ON unified.bike_station (namespace, local_id);
CREATE INDEX IF NOT EXISTS bike_station_fv ON unified.bike_station (feed_version_id);
CREATE INDEX IF NOT EXISTS bike_station_current ON unified.bike_station (source_id) WHERE recorded_to IS NULL;
CREATE INDEX IF NOT EXISTS bike_station_geom ON unified.bike_station USING gist (geom);

-- Time series: no feed_version_id column on purpose (the runner prunes old feed versions' rows;
-- history must outlive them). Lineage goes through poll_run_id → lineage.poll_run.
CREATE TABLE IF NOT EXISTS unified.bike_station_status (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL,
    namespace text NOT NULL,
    station_id text NOT NULL,
    last_updated timestamptz NOT NULL,
    last_reported timestamptz,
    num_bikes_available integer,
    num_bikes_disabled integer,
    num_docks_available integer,
    num_docks_disabled integer,
    is_installed boolean,
    is_renting boolean,
    is_returning boolean,
    vehicle_types_available jsonb,
    poll_run_id bigint NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, station_id, last_updated)
);
CREATE INDEX IF NOT EXISTS bike_station_status_recorded ON unified.bike_station_status (source_id, recorded_at);
COMMENT ON TABLE unified.bike_station_status IS 'Time series of bike-sharing station availability (GBFS station_status), one row per station and feed last_updated; a poll that sees the same last_updated adds nothing. Kept for the source''s retention_days (default 30).';
COMMENT ON COLUMN unified.bike_station_status.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.bike_station_status.source_id IS 'Source (lineage.source.id) polled.';
COMMENT ON COLUMN unified.bike_station_status.namespace IS 'Namespace of the station identifier; with station_id it names the unified.bike_station (namespace, local_id).';
COMMENT ON COLUMN unified.bike_station_status.station_id IS 'GBFS station_id = unified.bike_station.local_id.';
COMMENT ON COLUMN unified.bike_station_status.last_updated IS 'Feed-level last_updated of station_status: the deduplication key.';
COMMENT ON COLUMN unified.bike_station_status.last_reported IS 'When the station last reported (GBFS last_reported).';
COMMENT ON COLUMN unified.bike_station_status.num_bikes_available IS 'Vehicles available for rental.';
COMMENT ON COLUMN unified.bike_station_status.num_bikes_disabled IS 'Disabled vehicles at the station.';
COMMENT ON COLUMN unified.bike_station_status.num_docks_available IS 'Free docks / places to return a vehicle.';
COMMENT ON COLUMN unified.bike_station_status.num_docks_disabled IS 'Docks out of service.';
COMMENT ON COLUMN unified.bike_station_status.is_installed IS 'Station installed on the street.';
COMMENT ON COLUMN unified.bike_station_status.is_renting IS 'Station renting vehicles.';
COMMENT ON COLUMN unified.bike_station_status.is_returning IS 'Station accepting returns.';
COMMENT ON COLUMN unified.bike_station_status.vehicle_types_available IS 'Available vehicles per vehicle type as published ([{vehicle_type_id, count}]).';
COMMENT ON COLUMN unified.bike_station_status.poll_run_id IS 'Poll run (lineage.poll_run.id) that wrote the row: where and when it was fetched.';
COMMENT ON COLUMN unified.bike_station_status.recorded_at IS 'When the row was written; retention counts from it.';

CREATE TABLE IF NOT EXISTS unified.bike_vehicle_status (
    id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    source_id text NOT NULL,
    namespace text NOT NULL,
    vehicle_id text NOT NULL,
    last_updated timestamptz NOT NULL,
    vehicle_type_id text,
    station_id text,
    is_reserved boolean,
    is_disabled boolean,
    current_range_m double precision,
    geom geometry(Point, 5514),
    poll_run_id bigint NOT NULL,
    recorded_at timestamptz NOT NULL DEFAULT now(),
    UNIQUE (source_id, vehicle_id, last_updated)
);
CREATE INDEX IF NOT EXISTS bike_vehicle_status_recorded ON unified.bike_vehicle_status (source_id, recorded_at);
CREATE INDEX IF NOT EXISTS bike_vehicle_status_geom ON unified.bike_vehicle_status USING gist (geom);
COMMENT ON TABLE unified.bike_vehicle_status IS 'Time series of free-floating / available vehicles (GBFS free_bike_status or vehicle_status), one row per vehicle and feed last_updated. Kept for retention_days.';
COMMENT ON COLUMN unified.bike_vehicle_status.id IS 'Surrogate key.';
COMMENT ON COLUMN unified.bike_vehicle_status.source_id IS 'Source (lineage.source.id) polled.';
COMMENT ON COLUMN unified.bike_vehicle_status.namespace IS 'Namespace of the source''s identifiers.';
COMMENT ON COLUMN unified.bike_vehicle_status.vehicle_id IS 'GBFS bike_id / vehicle_id (may rotate for privacy).';
COMMENT ON COLUMN unified.bike_vehicle_status.last_updated IS 'Feed-level last_updated: the deduplication key.';
COMMENT ON COLUMN unified.bike_vehicle_status.vehicle_type_id IS 'GBFS vehicle_type_id.';
COMMENT ON COLUMN unified.bike_vehicle_status.station_id IS 'Station the vehicle stands at, if any.';
COMMENT ON COLUMN unified.bike_vehicle_status.is_reserved IS 'Vehicle reserved.';
COMMENT ON COLUMN unified.bike_vehicle_status.is_disabled IS 'Vehicle disabled.';
COMMENT ON COLUMN unified.bike_vehicle_status.current_range_m IS 'Remaining range in metres (e-bikes).';
COMMENT ON COLUMN unified.bike_vehicle_status.geom IS 'Position in EPSG:5514; NULL when not published or at 0,0.';
COMMENT ON COLUMN unified.bike_vehicle_status.poll_run_id IS 'Poll run (lineage.poll_run.id) that wrote the row.';
COMMENT ON COLUMN unified.bike_vehicle_status.recorded_at IS 'When the row was written; retention counts from it.';

CREATE OR REPLACE VIEW unified.bike_station_latest AS
SELECT s.id, s.source_id, s.local_id AS station_id, s.name, s.capacity, s.geom,
       st.last_updated, st.num_bikes_available, st.num_docks_available, st.is_renting, st.is_returning
FROM unified.bike_station s
LEFT JOIN LATERAL (
    SELECT * FROM unified.bike_station_status x
    WHERE x.source_id = s.source_id AND x.station_id = s.local_id
    ORDER BY x.last_updated DESC LIMIT 1
) st ON true
WHERE s.recorded_to IS NULL;
COMMENT ON VIEW unified.bike_station_latest IS 'Current bike-sharing stations with their latest polled availability.';
COMMENT ON COLUMN unified.bike_station_latest.id IS 'unified.bike_station.id.';
COMMENT ON COLUMN unified.bike_station_latest.source_id IS 'Source of the station.';
COMMENT ON COLUMN unified.bike_station_latest.station_id IS 'GBFS station_id.';
COMMENT ON COLUMN unified.bike_station_latest.name IS 'Station name.';
COMMENT ON COLUMN unified.bike_station_latest.capacity IS 'Docks / places.';
COMMENT ON COLUMN unified.bike_station_latest.geom IS 'Position, EPSG:5514.';
COMMENT ON COLUMN unified.bike_station_latest.last_updated IS 'last_updated of the latest status row (NULL if never polled).';
COMMENT ON COLUMN unified.bike_station_latest.num_bikes_available IS 'Vehicles available at last_updated.';
COMMENT ON COLUMN unified.bike_station_latest.num_docks_available IS 'Free docks at last_updated.';
COMMENT ON COLUMN unified.bike_station_latest.is_renting IS 'Renting at last_updated.';
COMMENT ON COLUMN unified.bike_station_latest.is_returning IS 'Accepting returns at last_updated.';

DO $$
BEGIN
  EXECUTE 'COMMENT ON COLUMN unified.bike_station.id IS ' || quote_literal('Surrogate key of this row version.');
  EXECUTE 'COMMENT ON COLUMN unified.bike_station.source_id IS ' || quote_literal('Source (lineage.source.id) the row came from.');
  EXECUTE 'COMMENT ON COLUMN unified.bike_station.feed_version_id IS ' || quote_literal('Feed version (lineage.feed_version.id) the row came from; lineage.entity_source names the file and record.');
  EXECUTE 'COMMENT ON COLUMN unified.bike_station.namespace IS ' || quote_literal('Namespace of the persistent identifier (INSPIRE inspireId.namespace), e.g. cz.ustecky.<source>.');
  EXECUTE 'COMMENT ON COLUMN unified.bike_station.local_id IS ' || quote_literal('Local id of the persistent identifier, stable across feed versions: the GBFS station_id.');
  EXECUTE 'COMMENT ON COLUMN unified.bike_station.valid_from IS ' || quote_literal('Real-world validity start (INSPIRE validFrom).');
  EXECUTE 'COMMENT ON COLUMN unified.bike_station.valid_to IS ' || quote_literal('Real-world validity end (INSPIRE validTo).');
  EXECUTE 'COMMENT ON COLUMN unified.bike_station.recorded_from IS ' || quote_literal('When this row version entered the model (INSPIRE beginLifespanVersion).');
  EXECUTE 'COMMENT ON COLUMN unified.bike_station.recorded_to IS ' || quote_literal('When a newer feed version superseded this row (INSPIRE endLifespanVersion); NULL = current.');
END $$;
