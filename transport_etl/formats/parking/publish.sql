-- Parking records of one feed version → unified.parking_facility (newest record per facility,
-- EPSG:5514, identity kept while unchanged) + lineage.entity_source, and → parking_occupancy.
-- Each attribute from the newest record that has it: a DATEX status record (occupancy only) takes the name,
-- capacity and position of its table record; a status-only feed keeps the position already published.
CREATE TEMP TABLE tmp_parking_facility ON COMMIT DROP AS
-- Positions passed the one position rule in the loader (transport_etl/positions.py): x/y are NULL when
-- refused, with the reason in location_note.
WITH agg AS (
    SELECT r.facility_id,
           (array_agg(r.name ORDER BY r.observed_at DESC NULLS LAST, r.line_no DESC) FILTER (WHERE r.name IS NOT NULL))[1] AS name,
           (array_agg(r.capacity ORDER BY r.observed_at DESC NULLS LAST, r.line_no DESC)
                FILTER (WHERE r.capacity IS NOT NULL))[1] AS capacity,
           (array_agg(r.source_file ORDER BY r.observed_at DESC NULLS LAST, r.line_no DESC))[1] AS source_file,
           (array_agg(r.line_no ORDER BY r.observed_at DESC NULLS LAST, r.line_no DESC))[1] AS line_no,
           (array_agg(r.x ORDER BY r.observed_at DESC NULLS LAST, r.line_no DESC)
                FILTER (WHERE r.x IS NOT NULL AND r.y IS NOT NULL))[1] AS x,
           (array_agg(r.y ORDER BY r.observed_at DESC NULLS LAST, r.line_no DESC)
                FILTER (WHERE r.x IS NOT NULL AND r.y IS NOT NULL))[1] AS y,
           (array_agg(r.srid ORDER BY r.observed_at DESC NULLS LAST, r.line_no DESC)
                FILTER (WHERE r.x IS NOT NULL AND r.y IS NOT NULL))[1] AS srid,
           (array_agg(r.location_note ORDER BY r.observed_at DESC NULLS LAST, r.line_no DESC))[1] AS location_note
    FROM staging.parking_record r
    WHERE r.feed_version_id = %(feed_version_id)s
    GROUP BY r.facility_id
)
SELECT a.facility_id AS local_id, a.name, a.capacity, a.source_file, a.line_no AS source_line,
       CASE WHEN a.x IS NULL THEN prev.geom
            WHEN a.srid = 5514 THEN ST_SetSRID(ST_MakePoint(a.x, a.y), 5514)
            ELSE ST_Transform(ST_SetSRID(ST_MakePoint(a.x, a.y), a.srid), 5514) END AS geom,
       CASE WHEN a.x IS NULL AND prev.geom IS NULL THEN coalesce(a.location_note, 'missing_coordinates')
            WHEN a.x IS NULL THEN prev.location_note
            ELSE a.location_note END AS location_note
FROM agg a
-- The source's current facilities, each once, hashed: a lookup per facility scanned all of them (the only index
-- is on source_id), 8,000 facilities took 4.3 s.
LEFT JOIN (SELECT DISTINCT ON (f.local_id) f.local_id, f.geom, f.location_note FROM unified.parking_facility f
           WHERE f.source_id = %(source_id)s AND f.recorded_to IS NULL
           ORDER BY f.local_id, f.id DESC) prev ON prev.local_id = a.facility_id;

-- unified.keep_identity (schemas/910); parking_facility's notes get the extent flag after publish.
SELECT unified.keep_identity('parking_facility', 'tmp_parking_facility', ARRAY['name', 'capacity', 'geom', 'location_note'],
                             %(feed_version_id)s, %(source_id)s, %(namespace)s, %(load_run_id)s, true);

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
