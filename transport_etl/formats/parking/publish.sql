-- Parking records of one feed version → unified.parking_facility (newest record per facility,
-- EPSG:5514, identity kept while unchanged) + lineage.entity_source, and → parking_occupancy.
CREATE TEMP TABLE tmp_parking_facility ON COMMIT DROP AS
SELECT DISTINCT ON (r.facility_id) r.facility_id, r.name, r.capacity, r.source_file, r.line_no,
       -- Positions passed the one position rule in the loader (transport_etl/positions.py).
       CASE WHEN r.x IS NULL OR r.y IS NULL THEN NULL
            WHEN r.srid = 5514 THEN ST_SetSRID(ST_MakePoint(r.x, r.y), 5514)
            ELSE ST_Transform(ST_SetSRID(ST_MakePoint(r.x, r.y), r.srid), 5514) END AS geom,
       CASE WHEN r.x IS NULL OR r.y IS NULL THEN coalesce(r.location_note, 'missing_coordinates')
            ELSE r.location_note END AS location_note
FROM staging.parking_record r
WHERE r.feed_version_id = %(feed_version_id)s
ORDER BY r.facility_id, r.observed_at DESC NULLS LAST, r.line_no DESC;

WITH kept AS (
    UPDATE unified.parking_facility f SET feed_version_id = %(feed_version_id)s
    FROM tmp_parking_facility t
    WHERE f.source_id = %(source_id)s AND f.recorded_to IS NULL AND f.local_id = t.facility_id
      AND (f.name, f.capacity, f.location_note) IS NOT DISTINCT FROM (t.name, t.capacity, t.location_note)
      AND ST_AsEWKB(f.geom) IS NOT DISTINCT FROM ST_AsEWKB(t.geom)
    RETURNING f.id, f.local_id
), added AS (
    INSERT INTO unified.parking_facility (source_id, feed_version_id, namespace, local_id, name, capacity, geom,
                                          location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, t.facility_id, t.name, t.capacity, t.geom,
           t.location_note
    FROM tmp_parking_facility t
    WHERE NOT EXISTS (SELECT 1 FROM kept k WHERE k.local_id = t.facility_id)
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   load_run_id)
SELECT 'unified.parking_facility', x.id, %(feed_version_id)s, t.source_file, t.line_no, t.facility_id,
       %(load_run_id)s
FROM (SELECT id, local_id FROM kept UNION ALL SELECT id, local_id FROM added) x
JOIN tmp_parking_facility t ON t.facility_id = x.local_id;

-- The runner closes superseded rows only in the core unified tables; this table is closed here.
UPDATE unified.parking_facility SET recorded_to = now()
WHERE source_id = %(source_id)s AND recorded_to IS NULL AND feed_version_id <> %(feed_version_id)s;

-- Readings without a time count as read when the file was fetched (a notice says how many).
INSERT INTO unified.parking_occupancy (source_id, namespace, facility_id, observed_at, capacity, free_places,
                                       poll_run_id)
SELECT %(source_id)s, %(namespace)s, r.facility_id, coalesce(r.observed_at, fv.fetched_at), r.capacity,
       r.free_places, %(poll_run_id)s
FROM staging.parking_record r
JOIN lineage.feed_version fv ON fv.id = r.feed_version_id
WHERE r.feed_version_id = %(feed_version_id)s AND r.free_places IS NOT NULL
ON CONFLICT (source_id, facility_id, observed_at) DO NOTHING;

DROP TABLE tmp_parking_facility;
