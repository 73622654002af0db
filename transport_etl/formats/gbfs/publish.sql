-- GBFS stations of one feed version → unified.bike_station (EPSG:5514) + lineage.entity_source.
-- A station unchanged since the current row keeps that row (its feed_version_id moves to this
-- version); changed and new stations get new rows; rows no longer published are closed.
CREATE TEMP TABLE tmp_bike_station ON COMMIT DROP AS
SELECT s.station_id, s.name, s.short_name, s.capacity, s.address, sys.system_id, s.source_file,
       unified.place_point(s.lat, s.lon, %(extent)s::float8[]) AS geom,  -- the one position rule (schemas/640_positions.sql)
       unified.position_note(s.lat, s.lon, %(extent)s::float8[]) AS location_note
FROM staging.gbfs_station s
LEFT JOIN staging.gbfs_system sys ON sys.feed_version_id = s.feed_version_id
WHERE s.feed_version_id = %(feed_version_id)s;

WITH kept AS (
    UPDATE unified.bike_station b SET feed_version_id = %(feed_version_id)s
    FROM tmp_bike_station t
    WHERE b.source_id = %(source_id)s AND b.recorded_to IS NULL AND b.local_id = t.station_id
      AND (b.system_id, b.name, b.short_name, b.capacity, b.address, nullif(regexp_replace(coalesce(b.location_note, ''), '(; )?outside_expected_extent', ''), ''))
          IS NOT DISTINCT FROM (t.system_id, t.name, t.short_name, t.capacity, t.address,
                                nullif(regexp_replace(coalesce(t.location_note, ''), '(; )?outside_expected_extent', ''), ''))
      AND ST_AsEWKB(b.geom) IS NOT DISTINCT FROM ST_AsEWKB(t.geom)
    RETURNING b.id, b.local_id
), added AS (
    INSERT INTO unified.bike_station (source_id, feed_version_id, namespace, local_id, system_id, name, short_name,
                                      capacity, address, geom, location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, t.station_id, t.system_id, t.name, t.short_name,
           t.capacity, t.address, t.geom, t.location_note
    FROM tmp_bike_station t
    WHERE NOT EXISTS (SELECT 1 FROM kept k WHERE k.local_id = t.station_id)
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_key, load_run_id)
SELECT 'unified.bike_station', x.id, %(feed_version_id)s, t.source_file, t.station_id, %(load_run_id)s
FROM (SELECT id, local_id FROM kept UNION ALL SELECT id, local_id FROM added) x
JOIN tmp_bike_station t ON t.station_id = x.local_id;

-- The runner closes superseded rows only in the core unified tables; this table is closed here.
UPDATE unified.bike_station SET recorded_to = now()
WHERE source_id = %(source_id)s AND recorded_to IS NULL AND feed_version_id <> %(feed_version_id)s;

DROP TABLE tmp_bike_station;
