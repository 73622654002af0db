-- Stations of this version's current paths (by 6-digit SR70 code), with positions from the current
-- SR70 register rows when that source is loaded (option sr70_source narrows it to one source).
DROP TABLE IF EXISTS pg_temp.czptt_station, pg_temp.czptt_station_source;
CREATE TEMP TABLE czptt_station ON COMMIT DROP AS
WITH loc AS (
    SELECT l.* FROM staging.czptt_location l
      JOIN staging.czptt_message m ON m.feed_version_id = l.feed_version_id AND m.msg_no = l.msg_no
     WHERE l.feed_version_id = %(feed_version_id)s AND m.status = 'current' AND l.sr70 IS NOT NULL
), named AS (
    SELECT DISTINCT ON (sr70) sr70, primary_code, name, source_file, xml_path
      FROM loc ORDER BY sr70, (name IS NULL), msg_no, seq
), pub AS (
    SELECT sr70, bool_or(is_public) AS has_public FROM loc GROUP BY sr70
), register AS (
    SELECT s.sr70, s.name, s.geom, s.source_file, s.line_no, s.feed_version_id, fv.loaded_at
      FROM staging.sr70 s
      JOIN lineage.feed_version fv ON fv.id = s.feed_version_id AND fv.is_current
     WHERE (%(sr70_source)s::text IS NULL OR fv.source_id = %(sr70_source)s::text)
), sr AS (
    SELECT DISTINCT ON (sr70) * FROM register WHERE sr70 IN (SELECT sr70 FROM named)
     ORDER BY sr70, (geom IS NULL), loaded_at DESC
)
SELECT n.sr70, n.primary_code, coalesce(n.name, sr.name, n.sr70) AS name, n.source_file, n.xml_path,
       p.has_public, sr.geom, sr.source_file AS sr70_file, sr.line_no AS sr70_line, sr.feed_version_id AS sr70_fv,
       CASE WHEN sr.sr70 IS NULL AND NOT EXISTS (SELECT 1 FROM register) THEN 'sr70_not_loaded'
            WHEN sr.sr70 IS NULL THEN 'not_in_sr70'
            WHEN sr.geom IS NULL THEN 'no_coordinates_in_sr70' END AS location_note
  FROM named n JOIN pub p USING (sr70) LEFT JOIN sr USING (sr70);
CREATE INDEX ON czptt_station (sr70);

-- The lineage of every unified row made of a station (stop places, network nodes): the message location
-- (LocationPrimaryCode) and, for a station positioned from it, the SR70 register row (ord: that order).
CREATE TEMP TABLE czptt_station_source ON COMMIT DROP AS
SELECT sr70, 1 AS ord, %(feed_version_id)s::bigint AS feed_version_id, source_file, NULL::integer AS source_line,
       'LocationPrimaryCode ' || primary_code AS source_key, 'source' AS match_method
  FROM czptt_station
UNION ALL
SELECT sr70, 2, sr70_fv, sr70_file, sr70_line, sr70, 'register_id' FROM czptt_station WHERE sr70_fv IS NOT NULL;
CREATE INDEX ON czptt_station_source (sr70);
