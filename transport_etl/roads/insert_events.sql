-- Event publish, after locate_events.sql: one unified.road_event row per staged event of this feed
-- version, located or not (the locations are written by write_locations.sql).
-- Parameters: feed_version_id, source_id, namespace, load_run_id.

INSERT INTO unified.road_event (id, source_id, feed_version_id, namespace, local_id, valid_from, valid_to,
                                event_type, status, starts_at, ends_at, road_number, comment, impact,
                                location_status, unlocated_reason, raw_location, geom)
OVERRIDING SYSTEM VALUE
SELECT e.event_id, %(source_id)s, %(feed_version_id)s, %(namespace)s, s.local_id,
       (s.starts_at AT TIME ZONE 'Europe/Prague')::date, (s.ends_at AT TIME ZONE 'Europe/Prague')::date,
       s.event_type, s.status, s.starts_at, s.ends_at, coalesce(s.road_number, s.road_number_raw), s.comment,
       s.impact, v.location_status, v.unlocated_reason, s.raw_location, NULL
FROM _ev e
JOIN staging.road_event s ON s.id = e.sid
JOIN _evloc v ON v.event_id = e.event_id;

INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, load_run_id)
SELECT 'unified.road_event', e.event_id, %(feed_version_id)s, e.source_file, e.line_no,
       coalesce(e.xml_path, e.local_id), 'source', %(load_run_id)s
FROM _ev e;
