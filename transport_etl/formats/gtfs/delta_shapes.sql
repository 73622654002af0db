-- The version whose staged shapes.txt this version may take as it is (delta.py carry_shapes): the current version
-- of the source loaded by the same loader on the same basis (which includes shapes.txt's sha256) names it, and it
-- is the newest such version that staged the file itself (the current one may have taken them in turn: its own
-- staging.gtfs_shapes is then empty, and validate.sql's foreign keys and unused_shape read the staged rows), with
-- its shape lines kept. UNLOGGED staging emptied by a crash: nothing found, the file is staged again.
-- Returns (version, header, rows_in, file stats) or nothing. Parameters: %(feed_version_id)s, %(basis)s.
SELECT o.id, f.header, f.rows_in, o.file_stats -> 'shapes.txt'
FROM lineage.feed_version n
JOIN lineage.feed_version p ON p.source_id = n.source_id AND p.is_current AND p.loader_digest = n.loader_digest
JOIN staging.gtfs_trip_basis b ON b.feed_version_id = p.id AND b.basis = %(basis)s
CROSS JOIN LATERAL (
    SELECT o.id, o.file_stats FROM lineage.feed_version o
    JOIN staging.gtfs_trip_basis ob ON ob.feed_version_id = o.id AND ob.basis = %(basis)s
    WHERE o.source_id = n.source_id AND o.loader_digest = n.loader_digest AND o.id <= p.id
      AND o.file_stats ? 'shapes.txt'
      AND EXISTS (SELECT 1 FROM staging.gtfs_shapes s WHERE s.feed_version_id = o.id)
      AND EXISTS (SELECT 1 FROM staging.gtfs_shape_line l WHERE l.feed_version_id = o.id)
    ORDER BY o.id DESC LIMIT 1) o
JOIN staging.gtfs_file f ON f.feed_version_id = o.id AND f.kind = 'gtfs' AND regexp_replace(f.file_name, '^.*/', '') = 'shapes.txt'
WHERE n.id = %(feed_version_id)s
LIMIT 1
