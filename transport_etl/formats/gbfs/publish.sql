-- GBFS stations of one feed version → unified.bike_station (EPSG:5514) + lineage.entity_source.
-- A station unchanged since the current row keeps that row (its feed_version_id moves to this
-- version); changed and new stations get new rows; rows no longer published are closed.
CREATE TEMP TABLE tmp_bike_station ON COMMIT DROP AS
SELECT s.station_id AS local_id, s.source_file, NULL::integer AS source_line, sys.system_id, s.name, s.short_name,
       s.capacity, s.address,
       unified.place_point(s.lat, s.lon, %(extent)s::float8[]) AS geom,  -- the one position rule (schemas/640_positions.sql)
       unified.position_note(s.lat, s.lon, %(extent)s::float8[]) AS location_note
FROM staging.gbfs_station s
LEFT JOIN staging.gbfs_system sys ON sys.feed_version_id = s.feed_version_id
WHERE s.feed_version_id = %(feed_version_id)s;

-- unified.keep_identity (schemas/910); bike_station's notes get the extent flag after publish.
SELECT unified.keep_identity('bike_station', 'tmp_bike_station',
                             ARRAY['system_id', 'name', 'short_name', 'capacity', 'address', 'geom', 'location_note'],
                             %(feed_version_id)s, %(source_id)s, %(namespace)s, %(load_run_id)s, true);

-- The runner closes superseded rows only in the core unified tables; this table is closed here.
UPDATE unified.bike_station SET recorded_to = now()
WHERE source_id = %(source_id)s AND recorded_to IS NULL AND feed_version_id <> %(feed_version_id)s;

DROP TABLE tmp_bike_station;
