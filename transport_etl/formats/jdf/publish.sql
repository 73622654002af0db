-- JDF staging of one feed version → unified model, with lineage.entity_source rows naming the
-- batch file and line of every source record. Identities (local_id), stable across versions:
--   operator  IČ/carrier distinction        line     line number/line distinction
--   journey   line/distinction/trip          call     journey/tariff number
--   stop_place  printed name|district|country (batch stop numbers are batch-local)
--   stop_point  stop_place key#označník      service_calendar  key of its set of dates

-- Operators (Dopravci), one per (IČ, distinction); every batch occurrence is a lineage row.
WITH src AS (
    SELECT DISTINCT ON (ico, carrier_distinction) *
      FROM staging.jdf_dopravci WHERE feed_version_id = %(feed_version_id)s
     ORDER BY ico, carrier_distinction, batch, line_no
), ins AS (
    INSERT INTO unified.operator (source_id, feed_version_id, namespace, local_id, name, company_id, url, phone, timezone)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, ico || '/' || carrier_distinction, name, ico, www,
           coalesce(phone_info, phone_office, phone_dispatch), 'Europe/Prague'
      FROM src
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key, load_run_id)
SELECT 'unified.operator', ins.id, %(feed_version_id)s, d.source_file, d.line_no, ins.local_id, %(load_run_id)s
  FROM ins JOIN staging.jdf_dopravci d
    ON d.feed_version_id = %(feed_version_id)s AND d.ico || '/' || d.carrier_distinction = ins.local_id;

-- Stop places, positioned from the register match (NULL + location_note when unmatched).
WITH src AS (
    SELECT DISTINCT ON (s.place_key) s.*, m.method, m.register_id, m.geom, m.location_note
      FROM staging.jdf_stop s
      LEFT JOIN staging.jdf_stop_match m ON m.feed_version_id = s.feed_version_id AND m.place_key = s.place_key
     WHERE s.feed_version_id = %(feed_version_id)s
     ORDER BY s.place_key, s.batch, s.line_no
), ins AS (
    INSERT INTO unified.stop_place (source_id, feed_version_id, namespace, local_id, name, kind, municipality,
                                    district_code, register_id, geom, location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, place_key, name, 'bus', town, district_code,
           coalesce(register_id, register_no), geom,
           CASE WHEN geom IS NULL THEN coalesce(location_note, 'unmatched') ELSE 'register:' || method END
      FROM src
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key, load_run_id)
SELECT 'unified.stop_place', ins.id, %(feed_version_id)s, s.source_file, s.line_no, 'Zastavky:' || s.stop_no, %(load_run_id)s
  FROM ins JOIN staging.jdf_stop s ON s.feed_version_id = %(feed_version_id)s AND s.place_key = ins.local_id;

-- The register stop each position came from: a second lineage row with the match method.
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key,
                                   match_method, name_similarity, load_run_id)
SELECT 'unified.stop_place', sp.id, r.feed_version_id, NULL, NULL, 'CRZ ' || m.register_id, m.method,
       m.name_similarity, %(load_run_id)s
  FROM staging.jdf_stop_match m
  JOIN unified.stop_place sp ON sp.feed_version_id = %(feed_version_id)s AND sp.local_id = m.place_key
  JOIN unified.stop_place r ON r.id = m.register_stop_place_id
 WHERE m.feed_version_id = %(feed_version_id)s;

-- The registers' poles by pole id (of each, the first current positioned one of any stop-register source), read
-- once, analysed and hashed below: a lookup per stop point scanned every current stop point (register_id has no
-- index), and 250 stop points against 80,000 register poles took 6.5 s.
CREATE TEMP TABLE jdf_register_pole ON COMMIT DROP AS
SELECT DISTINCT ON (rp.register_id) rp.register_id, rp.geom
  FROM unified.stop_point rp JOIN lineage.source rs ON rs.id = rp.source_id
 WHERE rs.format = 'stop-register' AND rp.recorded_to IS NULL AND rp.geom IS NOT NULL AND rp.register_id IS NOT NULL
 ORDER BY rp.register_id, rp.id;
ANALYZE jdf_register_pole;

-- Stop points: one per stop (no označník) and one per označník used by calls or listed in Oznacniky.
WITH pts AS (
    SELECT 1 AS prio, s.place_key, NULL::text AS post_code, s.source_file, s.line_no, s.batch, s.stop_no
      FROM staging.jdf_stop s WHERE s.feed_version_id = %(feed_version_id)s
    UNION ALL
    SELECT 2, s.place_key, o.post_code, o.source_file, o.line_no, o.batch, o.stop_no
      FROM staging.jdf_oznacniky o
      JOIN staging.jdf_stop s ON s.feed_version_id = o.feed_version_id AND s.batch = o.batch AND s.stop_no = o.stop_no
     WHERE o.feed_version_id = %(feed_version_id)s
    UNION ALL
    SELECT 3, s.place_key, c.post_code, c.source_file, c.line_no, c.batch, c.stop_no
      FROM staging.jdf_call c
      JOIN staging.jdf_stop s ON s.feed_version_id = c.feed_version_id AND s.batch = c.batch AND s.stop_no = c.stop_no
     WHERE c.feed_version_id = %(feed_version_id)s AND c.post_code IS NOT NULL
), src AS (
    SELECT DISTINCT ON (p.place_key, p.post_code) p.*, sp.id AS stop_place_id, sp.name, sp.geom AS place_geom,
           sp.location_note AS place_note, sp.register_id AS crz
      FROM pts p JOIN unified.stop_place sp ON sp.feed_version_id = %(feed_version_id)s AND sp.local_id = p.place_key
     ORDER BY p.place_key, p.post_code, p.prio, p.batch, p.line_no
), pos AS (
    SELECT src.*, pole.geom AS pole_geom,
           unified.crz_pole_id(src.crz, src.post_code) AS pole_id
      FROM src
      LEFT JOIN jdf_register_pole pole ON pole.register_id = unified.crz_pole_id(src.crz, src.post_code)
), ins AS (
    INSERT INTO unified.stop_point (source_id, feed_version_id, namespace, local_id, stop_place_id, name, platform_code,
                                    point_kind, register_id, geom, location_note)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, place_key || '#' || coalesce(post_code, ''), stop_place_id,
           name, post_code, 'platform', pole_id, coalesce(pole_geom, place_geom),
           CASE WHEN pole_geom IS NOT NULL THEN 'register:pole'
                WHEN place_geom IS NOT NULL AND post_code IS NOT NULL THEN 'stop_place_position'
                ELSE place_note END
      FROM pos
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key, load_run_id)
SELECT 'unified.stop_point', ins.id, %(feed_version_id)s, src.source_file, src.line_no, 'stop ' || src.stop_no, %(load_run_id)s
  FROM ins JOIN src ON src.place_key || '#' || coalesce(src.post_code, '') = ins.local_id;

-- Lines (Linky): mode letter → unified mode and GTFS route_type; 1.9 has no mode: bus.
WITH src AS (
    SELECT DISTINCT ON (line_code, line_distinction) *
      FROM staging.jdf_linky WHERE feed_version_id = %(feed_version_id)s
     ORDER BY line_code, line_distinction, batch, line_no
), ins AS (
    INSERT INTO unified.line (source_id, feed_version_id, namespace, local_id, valid_from, valid_to, operator_id,
                              public_code, name, mode, route_type)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, l.line_code || '/' || l.line_distinction,
           to_date(l.valid_from, 'DDMMYYYY'), to_date(l.valid_to, 'DDMMYYYY'), op.id, l.line_code, l.name,
           CASE coalesce(l.mode, 'A') WHEN 'E' THEN 'tram' WHEN 'L' THEN 'cableway' WHEN 'M' THEN 'metro'
                WHEN 'P' THEN 'ferry' WHEN 'T' THEN 'trolleybus' ELSE 'bus' END,
           CASE coalesce(l.mode, 'A') WHEN 'E' THEN 0 WHEN 'L' THEN 6 WHEN 'M' THEN 1
                WHEN 'P' THEN 4 WHEN 'T' THEN 11 ELSE 3 END
      FROM src l
      LEFT JOIN unified.operator op ON op.feed_version_id = %(feed_version_id)s
                                   AND op.local_id = l.ico || '/' || l.carrier_distinction
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key, load_run_id)
SELECT 'unified.line', ins.id, %(feed_version_id)s, l.source_file, l.line_no, ins.local_id, %(load_run_id)s
  FROM ins JOIN staging.jdf_linky l
    ON l.feed_version_id = %(feed_version_id)s AND l.line_code || '/' || l.line_distinction = ins.local_id;

-- Service calendars: one per distinct set of dates (the fixed codes, time codes and holidays are evaluated
-- in calendar.py per distinct calendar), stored as a datemultirange; lineage points at the trips (Spoje) using it.
WITH cal AS (
    SELECT DISTINCT ON (t.calendar_key) t.calendar_key, t.description, t.weekdays
      FROM staging.jdf_trip t WHERE t.feed_version_id = %(feed_version_id)s
     ORDER BY t.calendar_key, t.batch, t.line_no
), span AS (
    SELECT calendar_key, range_agg(daterange(service_date, service_date, '[]')) AS run_dates
      FROM staging.jdf_calendar_day WHERE feed_version_id = %(feed_version_id)s GROUP BY calendar_key
), ins AS (
    INSERT INTO unified.service_calendar (source_id, feed_version_id, namespace, local_id, valid_from, valid_to,
                                          description, weekdays, run_dates)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, cal.calendar_key, lower(span.run_dates),
           upper(span.run_dates) - 1, cal.description, cal.weekdays, coalesce(span.run_dates, '{}'::datemultirange)
      FROM cal LEFT JOIN span USING (calendar_key)
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key, load_run_id)
SELECT 'unified.service_calendar', ins.id, %(feed_version_id)s, t.source_file, t.line_no,
       t.line_code || '/' || t.line_distinction || '/' || t.trip_no, %(load_run_id)s
  FROM ins JOIN staging.jdf_trip t ON t.feed_version_id = %(feed_version_id)s AND t.calendar_key = ins.local_id;

-- Journeys (Spoje): odd trip numbers are direction 0 (outbound), even 1 (return). A trip (line, distinction,
-- trip number) in several batches of a bulk export is one journey, from its first batch (as lines are), and
-- gets that batch's calls only (jdf_call_map).
CREATE TEMP TABLE jdf_trip_first ON COMMIT DROP AS
SELECT DISTINCT ON (line_code, line_distinction, trip_no) *
  FROM staging.jdf_trip WHERE feed_version_id = %(feed_version_id)s
 ORDER BY line_code, line_distinction, trip_no, batch, line_no;
WITH ins AS (
    INSERT INTO unified.journey (source_id, feed_version_id, namespace, local_id, valid_from, valid_to, line_id,
                                 service_calendar_id, public_code, headsign, direction, wheelchair_accessible,
                                 bikes_allowed)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s,
           t.line_code || '/' || t.line_distinction || '/' || t.trip_no, sc.valid_from, sc.valid_to, l.id, sc.id,
           t.trip_no, t.headsign, CASE WHEN t.trip_no::bigint %% 2 = 1 THEN '0' ELSE '1' END,
           t.wheelchair_accessible, t.bikes_allowed
      FROM jdf_trip_first t
      JOIN unified.line l ON l.feed_version_id = %(feed_version_id)s AND l.local_id = t.line_code || '/' || t.line_distinction
      JOIN unified.service_calendar sc ON sc.feed_version_id = %(feed_version_id)s AND sc.local_id = t.calendar_key
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key, load_run_id)
SELECT 'unified.journey', ins.id, %(feed_version_id)s, t.source_file, t.line_no, ins.local_id, %(load_run_id)s
  FROM ins JOIN jdf_trip_first t ON t.line_code || '/' || t.line_distinction || '/' || t.trip_no = ins.local_id;

-- This version's journeys and stop points by key, each table read once and analysed, for the calls to hash: just
-- inserted, they looked empty to the planner, and each call's stop point was looked up through
-- stop_point_identity on local_id alone, a walk of the whole index per call (60,000 calls: 2.4 s).
CREATE TEMP TABLE jdf_journey_key ON COMMIT DROP AS
SELECT id, local_id FROM unified.journey WHERE feed_version_id = %(feed_version_id)s;
CREATE TEMP TABLE jdf_stop_point_key ON COMMIT DROP AS
SELECT id, local_id FROM unified.stop_point WHERE feed_version_id = %(feed_version_id)s;
ANALYZE jdf_trip_first;
ANALYZE jdf_journey_key;
ANALYZE jdf_stop_point_key;

-- Calls (Zasspoje) in travel order.
CREATE TEMP TABLE jdf_call_map ON COMMIT DROP AS
SELECT c.*, j.id AS journey_id, j.local_id AS journey_key, spt.id AS stop_point_id
  FROM staging.jdf_call c
  JOIN jdf_trip_first tf ON tf.line_code = c.line_code AND tf.line_distinction = c.line_distinction
                        AND tf.trip_no = c.trip_no AND tf.batch = c.batch
  JOIN jdf_journey_key j ON j.local_id = c.line_code || '/' || c.line_distinction || '/' || c.trip_no
  JOIN staging.jdf_stop s ON s.feed_version_id = c.feed_version_id AND s.batch = c.batch AND s.stop_no = c.stop_no
  LEFT JOIN jdf_stop_point_key spt ON spt.local_id = s.place_key || '#' || coalesce(c.post_code, '')
 WHERE c.feed_version_id = %(feed_version_id)s;

WITH ins AS (
    INSERT INTO unified.call (source_id, feed_version_id, namespace, local_id, journey_id, stop_point_id, sequence,
                              arrival_s, departure_s, pickup_type, drop_off_type, distance_m, timepoint)
    SELECT %(source_id)s, %(feed_version_id)s, %(namespace)s, journey_key || '/' || tariff_no, journey_id,
           stop_point_id, sequence, arrival_s, departure_s, pickup_type, drop_off_type, distance_m,
           CASE WHEN departure_s IS NULL THEN 0 ELSE 1 END
      FROM jdf_call_map
    RETURNING id, local_id
)
INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line, source_key, load_run_id)
SELECT 'unified.call', ins.id, %(feed_version_id)s, m.source_file, m.line_no, ins.local_id, %(load_run_id)s
  FROM ins JOIN jdf_call_map m ON m.journey_key || '/' || m.tariff_no = ins.local_id;

DROP TABLE jdf_call_map, jdf_journey_key, jdf_stop_point_key, jdf_register_pole;
