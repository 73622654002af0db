-- Which trips this version may carry from the previous one (trip_lines.py then compares their lines): the
-- source's current version, loaded by the same loader on the same basis (stops, routes, agencies and shapes
-- files, settings: delta.py) and read trip by trip; of its trips, those whose trips.txt record and whose
-- service's calendar records are the same in this version (so that its journey is the same). Returns
-- (previous version, trip_id, digest of its lines) rows.
-- Parameters: %(feed_version_id)s, %(basis)s.
WITH prev AS MATERIALIZED (
    SELECT p.id FROM lineage.feed_version n
    JOIN lineage.feed_version p ON p.source_id = n.source_id AND p.is_current AND p.loader_digest = n.loader_digest
    JOIN staging.gtfs_trip_basis b ON b.feed_version_id = p.id AND b.basis = %(basis)s
    WHERE n.id = %(feed_version_id)s
), service AS (
    SELECT x.feed_version_id, x.service_id, md5(string_agg(x.r, '|' ORDER BY x.r)) AS d
    FROM (SELECT c.feed_version_id, c.service_id, (to_jsonb(c) - 'line_no' - 'feed_version_id')::text AS r
          FROM staging.gtfs_calendar c
          WHERE c.feed_version_id IN (%(feed_version_id)s, (SELECT id FROM prev))
          UNION ALL
          SELECT d.feed_version_id, d.service_id, (to_jsonb(d) - 'line_no' - 'feed_version_id')::text
          FROM staging.gtfs_calendar_dates d
          WHERE d.feed_version_id IN (%(feed_version_id)s, (SELECT id FROM prev))) x
    GROUP BY 1, 2
)
SELECT prev.id, f.trip_id, replace(f.digest::text, '-', '')
FROM prev
JOIN staging.gtfs_trip_fact f ON f.feed_version_id = prev.id AND f.digest IS NOT NULL
JOIN staging.gtfs_trips pt ON pt.feed_version_id = prev.id AND pt.trip_id = f.trip_id
JOIN staging.gtfs_trips nt ON nt.feed_version_id = %(feed_version_id)s AND nt.trip_id = f.trip_id
 AND (to_jsonb(nt) - 'line_no' - 'feed_version_id') = (to_jsonb(pt) - 'line_no' - 'feed_version_id')
LEFT JOIN service ps ON ps.feed_version_id = prev.id AND ps.service_id = pt.service_id
LEFT JOIN service ns ON ns.feed_version_id = %(feed_version_id)s AND ns.service_id = nt.service_id
WHERE ps.d IS NOT DISTINCT FROM ns.d
