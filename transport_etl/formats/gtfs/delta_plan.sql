-- Which trips this version may carry from the previous one (trip_lines.py then compares their lines): the
-- source's current version, loaded by the same loader on the same basis (stops, routes, agencies and shapes
-- files, settings: delta.py) and read trip by trip; of its trips, those whose trips.txt record and whose
-- service's calendar records are the same in this version (so that its journey is the same). Returns
-- (previous version, trip_id, digest of its lines) rows.
-- A record's content is its row as text without its first two fields (feed_version_id, line_no): the output
-- function of the row, much cheaper than building jsonb of it.
-- A file staged from the same bytes in both versions (same sha256 in staging.gtfs_file: trips.txt, or both
-- calendar files) has the same records: they are not compared one by one (~30 ms on Amtrak's 3,181 trips and
-- calendars).
-- Parameters: %(feed_version_id)s, %(basis)s, %(sha)s (jsonb: GTFS file name → this version's sha256).
WITH prev AS MATERIALIZED (
    SELECT p.id FROM lineage.feed_version n
    JOIN lineage.feed_version p ON p.source_id = n.source_id AND p.is_current AND p.loader_digest = n.loader_digest
    JOIN staging.gtfs_trip_basis b ON b.feed_version_id = p.id AND b.basis = %(basis)s
    WHERE n.id = %(feed_version_id)s
), same AS MATERIALIZED (
    -- per file name: the same sha256 in both versions (or absent from both)
    SELECT g.name, (SELECT f.sha256 FROM staging.gtfs_file f
                    WHERE f.feed_version_id = (SELECT id FROM prev) AND f.kind = 'gtfs'
                      AND regexp_replace(f.file_name, '^.*/', '') = g.name
                    LIMIT 1) IS NOT DISTINCT FROM (%(sha)s::jsonb ->> g.name) AS same
    FROM unnest(ARRAY['trips.txt', 'calendar.txt', 'calendar_dates.txt']) AS g(name)
), changed_service AS MATERIALIZED (
    -- services whose calendar.txt and calendar_dates.txt records are not the same in both versions
    SELECT service_id FROM (
        -- order-independent (no sort): XOR of a 64-bit hash per record, and their number
        SELECT x.feed_version_id, x.service_id, bit_xor(hashtextextended(x.r, 0)) AS d, count(*) AS n
        FROM (SELECT c.feed_version_id, c.service_id, substr(c::text, length(c.feed_version_id::text) + length(c.line_no::text) + 4) AS r
              FROM staging.gtfs_calendar c  -- (nothing to compare without a version to carry from)
              WHERE c.feed_version_id IN (%(feed_version_id)s, (SELECT id FROM prev)) AND EXISTS (SELECT FROM prev)
                AND NOT (SELECT bool_and(same) FROM same WHERE name <> 'trips.txt')
              UNION ALL
              SELECT d.feed_version_id, d.service_id, substr(d::text, length(d.feed_version_id::text) + length(d.line_no::text) + 4)
              FROM staging.gtfs_calendar_dates d
              WHERE d.feed_version_id IN (%(feed_version_id)s, (SELECT id FROM prev)) AND EXISTS (SELECT FROM prev)
                AND NOT (SELECT bool_and(same) FROM same WHERE name <> 'trips.txt')) x
        GROUP BY 1, 2) s
    GROUP BY service_id
    HAVING count(*) <> 2 OR min(d) <> max(d) OR min(n) <> max(n)
)
SELECT prev.id, f.trip_id, replace(f.digest::text, '-', '')
FROM prev
JOIN staging.gtfs_trip_fact f ON f.feed_version_id = prev.id AND f.digest IS NOT NULL
JOIN staging.gtfs_trips pt ON pt.feed_version_id = prev.id AND pt.trip_id = f.trip_id
JOIN staging.gtfs_trips nt ON nt.feed_version_id = %(feed_version_id)s AND nt.trip_id = f.trip_id
 AND ((SELECT same FROM same WHERE name = 'trips.txt')
      OR substr(nt::text, length(nt.feed_version_id::text) + length(nt.line_no::text) + 4)
         = substr(pt::text, length(pt.feed_version_id::text) + length(pt.line_no::text) + 4))
-- NOT IN: a hashed subplan whatever the estimates (IN was planned as a nested loop over the CTE: 1 s on Amtrak)
WHERE nt.service_id NOT IN (SELECT service_id FROM changed_service)
