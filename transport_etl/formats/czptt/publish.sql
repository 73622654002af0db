-- CZPTT staging (current paths only) → unified model, each row with lineage.entity_source rows that
-- name the message file and the PA / location. Needs the temp table czptt_station (stations.sql).

-- Operators: one per ResponsibleRU of the current paths.
WITH cur AS (
    SELECT * FROM staging.czptt_message WHERE feed_version_id = %(feed_version_id)s AND status = 'current'
), ops AS (
    SELECT DISTINCT ON (responsible_ru) responsible_ru, source_file FROM cur
     WHERE responsible_ru IS NOT NULL ORDER BY responsible_ru, msg_no
), ins AS (
    INSERT INTO unified.operator (source_id, feed_version_id, namespace, local_id, name, company_id, timezone)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, o.responsible_ru,
           coalesce(%(operator_names)s::jsonb ->> o.responsible_ru, 'Dopravce ' || o.responsible_ru),
           o.responsible_ru, 'Europe/Prague'
      FROM ops o
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_key, load_run_id)
SELECT 'unified.operator', ins.id, %(feed_version_id)s, ops.source_file, 'ResponsibleRU ' || ops.responsible_ru,
       %(load_run_id)s
  FROM ins JOIN ops ON ops.responsible_ru = ins.local_id;

-- Lines: one per train number (the newest path of that number names it).
WITH lines AS (
    SELECT DISTINCT ON (coalesce(train_number, pa_core)) coalesce(train_number, pa_core) AS lid, *
      FROM staging.czptt_message WHERE feed_version_id = %(feed_version_id)s AND status = 'current'
     ORDER BY coalesce(train_number, pa_core), created_at DESC, msg_no DESC
), ins AS (
    INSERT INTO unified.line (source_id, feed_version_id, namespace, local_id, operator_id, public_code, name, mode,
                              route_type)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, l.lid, op.id, l.train_number,
           nullif(concat_ws(' ', l.category, l.train_number, l.train_name), ''), l.mode, l.route_type
      FROM lines l
      LEFT JOIN unified.operator op ON op.feed_version_id = %(feed_version_id)s AND op.local_id = l.responsible_ru
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_key, load_run_id)
SELECT 'unified.line', ins.id, %(feed_version_id)s, l.source_file, l.pa_key, %(load_run_id)s
  FROM ins JOIN lines l ON l.lid = ins.local_id;

-- Service calendars, one per current path: the dates it runs are its BitmapDays minus the days of the
-- cancellations applied to it, moved by day_shift, built as ranges (no per-date rows).
WITH cur AS (
    SELECT m.*, unified.shift_dates(unified.bitmap_dates(m.bitmap, m.start_date)
                                    - coalesce(x.cancelled, '{}'::datemultirange), m.day_shift) AS run_dates
      FROM staging.czptt_message m
      LEFT JOIN LATERAL (SELECT range_agg(unified.bitmap_dates(c.bitmap, c.start_date)) AS cancelled
                           FROM staging.czptt_message c
                          WHERE c.feed_version_id = m.feed_version_id AND c.pa_key = m.pa_key
                            AND c.message_kind = 'cancel' AND c.status = 'applied') x ON true
     WHERE m.feed_version_id = %(feed_version_id)s AND m.status = 'current'
), ins AS (
    INSERT INTO unified.service_calendar (source_id, feed_version_id, namespace, local_id, valid_from, valid_to,
                                          description, run_dates)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, c.pa_key, lower(c.run_dates), upper(c.run_dates) - 1,
           format('CZPTT bitmap of %%s days from %%s: runs on %%s days', length(c.bitmap), c.start_date,
                  unified.date_count(c.run_dates)),
           c.run_dates
      FROM cur c
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_key, load_run_id)
SELECT 'unified.service_calendar', ins.id, %(feed_version_id)s, c.source_file, c.pa_key, %(load_run_id)s
  FROM ins JOIN cur c ON c.pa_key = ins.local_id
UNION ALL  -- cancellations that removed days are sources of the calendar too
SELECT 'unified.service_calendar', ins.id, %(feed_version_id)s, x.source_file, x.pa_key || ' cancellation',
       %(load_run_id)s
  FROM ins JOIN staging.czptt_message x ON x.feed_version_id = %(feed_version_id)s AND x.status = 'applied'
   AND x.pa_key = ins.local_id;

ANALYZE unified.service_calendar;

-- Stop places: stations with public calls, by 6-digit SR70 code; position from the SR70 register.
WITH st AS (SELECT * FROM czptt_station WHERE has_public), ins AS (
    INSERT INTO unified.stop_place (source_id, feed_version_id, namespace, local_id, name, kind, register_id, geom,
                                    location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, st.sr70, st.name, 'rail', st.sr70, st.geom,
           st.location_note
      FROM st
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, load_run_id)
SELECT 'unified.stop_place', ins.id, s.feed_version_id, s.source_file, s.source_line, s.source_key, s.match_method,
       %(load_run_id)s
  FROM ins JOIN czptt_station_source s ON s.sr70 = ins.local_id
 ORDER BY s.ord;

-- Stop points: the station, or a track of it when the message names one (LocationSubsidiaryCode).
WITH pts AS (
    SELECT DISTINCT ON (l.sr70, l.subsidiary_code) l.sr70, l.subsidiary_code, l.source_file, l.xml_path
      FROM staging.czptt_location l
      JOIN staging.czptt_message m ON m.feed_version_id = l.feed_version_id AND m.msg_no = l.msg_no
     WHERE l.feed_version_id = %(feed_version_id)s AND m.status = 'current' AND l.is_public AND l.sr70 IS NOT NULL
     ORDER BY l.sr70, l.subsidiary_code, l.msg_no, l.seq
), ins AS (
    INSERT INTO unified.stop_point (source_id, feed_version_id, namespace, local_id, stop_place_id, name,
                                    platform_code, point_kind, register_id, geom, location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, p.sr70 || coalesce('/' || p.subsidiary_code, ''),
           sp.id, sp.name, p.subsidiary_code, CASE WHEN p.subsidiary_code IS NULL THEN 'generic_node' ELSE 'platform' END,
           p.sr70, sp.geom, sp.location_note
      FROM pts p
      JOIN unified.stop_place sp ON sp.feed_version_id = %(feed_version_id)s AND sp.local_id = p.sr70
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_key, load_run_id)
SELECT 'unified.stop_point', ins.id, %(feed_version_id)s, p.source_file, p.xml_path, %(load_run_id)s
  FROM ins JOIN pts p ON p.sr70 || coalesce('/' || p.subsidiary_code, '') = ins.local_id;

-- Route geometry: straight segments through the positioned locations of each current path (approximate).
WITH pts AS (
    SELECT m.pa_key, m.source_file, st.geom, l.seq
      FROM staging.czptt_message m
      JOIN staging.czptt_location l ON l.feed_version_id = m.feed_version_id AND l.msg_no = m.msg_no
      JOIN czptt_station st ON st.sr70 = l.sr70
     WHERE m.feed_version_id = %(feed_version_id)s AND m.status = 'current' AND st.geom IS NOT NULL
), lines AS (
    SELECT pa_key, min(source_file) AS source_file, ST_RemoveRepeatedPoints(ST_MakeLine(geom ORDER BY seq)) AS geom
      FROM pts GROUP BY pa_key
), ins AS (
    INSERT INTO unified.route_geometry (source_id, feed_version_id, namespace, local_id, derived_from, geom, length_m)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, l.pa_key, 'stop_sequence', l.geom, ST_Length(l.geom)
      FROM lines l WHERE ST_NPoints(l.geom) >= 2
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_key, load_run_id)
SELECT 'unified.route_geometry', ins.id, %(feed_version_id)s, l.source_file, l.pa_key, %(load_run_id)s
  FROM ins JOIN lines l ON l.pa_key = ins.local_id;

-- Journeys: one per current path.
WITH cur AS (
    SELECT m.*, sc.id AS calendar_id, sc.valid_from, sc.valid_to, rg.id AS geometry_id, ln.id AS line_id,
           (SELECT l.name FROM staging.czptt_location l
             WHERE l.feed_version_id = m.feed_version_id AND l.msg_no = m.msg_no AND l.is_public
             ORDER BY l.seq DESC LIMIT 1) AS headsign
      FROM staging.czptt_message m
      JOIN unified.service_calendar sc ON sc.feed_version_id = m.feed_version_id AND sc.local_id = m.pa_key
      LEFT JOIN unified.route_geometry rg ON rg.feed_version_id = m.feed_version_id AND rg.local_id = m.pa_key
      LEFT JOIN unified.line ln ON ln.feed_version_id = m.feed_version_id
                               AND ln.local_id = coalesce(m.train_number, m.pa_core)
     WHERE m.feed_version_id = %(feed_version_id)s AND m.status = 'current'
), ins AS (
    INSERT INTO unified.journey (source_id, feed_version_id, namespace, local_id, valid_from, valid_to, line_id,
                                 service_calendar_id, route_geometry_id, public_code, headsign)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, c.pa_key, c.valid_from, c.valid_to, c.line_id,
           c.calendar_id, c.geometry_id, c.train_number, c.headsign
      FROM cur c
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_key, load_run_id)
SELECT 'unified.journey', ins.id, %(feed_version_id)s, c.source_file, c.pa_key, %(load_run_id)s
  FROM ins JOIN cur c ON c.pa_key = ins.local_id;

ANALYZE unified.journey, unified.stop_point;
-- Calls: public stops only, times moved by the path's day_shift so the service date is right.
WITH calls AS (
    SELECT j.id AS journey_id, sp.id AS stop_point_id, m.pa_key, l.source_file, l.xml_path, l.seq,
           l.arrival_s - m.day_shift * 86400 AS arrival_s, l.departure_s - m.day_shift * 86400 AS departure_s,
           CASE WHEN '0030' = ANY(l.activities) THEN 3 WHEN '0029' = ANY(l.activities) THEN 1 ELSE 0 END AS pickup,
           CASE WHEN '0030' = ANY(l.activities) THEN 3 WHEN '0028' = ANY(l.activities) THEN 1 ELSE 0 END AS drop_off
      FROM staging.czptt_location l
      JOIN staging.czptt_message m ON m.feed_version_id = l.feed_version_id AND m.msg_no = l.msg_no
      JOIN unified.journey j ON j.feed_version_id = m.feed_version_id AND j.local_id = m.pa_key
      LEFT JOIN unified.stop_point sp ON sp.feed_version_id = l.feed_version_id
                                     AND sp.local_id = l.sr70 || coalesce('/' || l.subsidiary_code, '')
     WHERE l.feed_version_id = %(feed_version_id)s AND m.status = 'current' AND l.is_public
), ins AS (
    INSERT INTO unified.call (source_id, feed_version_id, namespace, local_id, journey_id, stop_point_id, sequence,
                              arrival_s, departure_s, pickup_type, drop_off_type, timepoint)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, c.pa_key || '/' || c.seq, c.journey_id,
           c.stop_point_id, c.seq, c.arrival_s, c.departure_s, c.pickup, c.drop_off, 1
      FROM calls c
    RETURNING id, journey_id, sequence
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_key, load_run_id)
SELECT 'unified.call', ins.id, %(feed_version_id)s, c.source_file, c.pa_key || ' ' || c.xml_path, %(load_run_id)s
  FROM ins JOIN calls c ON c.journey_id = ins.journey_id AND c.seq = ins.sequence;
