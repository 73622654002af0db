-- The current version of the source whose shapes.txt this version may take as it is (delta.py carry_shapes):
-- loaded by the same loader on the same basis (which includes shapes.txt's sha256), with its shape lines kept.
-- Returns (version, header, rows_in, file stats) or nothing. Parameters: %(feed_version_id)s, %(basis)s.
SELECT p.id, f.header, f.rows_in, p.file_stats -> 'shapes.txt'
FROM lineage.feed_version n
JOIN lineage.feed_version p ON p.source_id = n.source_id AND p.is_current AND p.loader_digest = n.loader_digest
JOIN staging.gtfs_trip_basis b ON b.feed_version_id = p.id AND b.basis = %(basis)s
JOIN staging.gtfs_file f ON f.feed_version_id = p.id AND f.kind = 'gtfs' AND regexp_replace(f.file_name, '^.*/', '') = 'shapes.txt'
WHERE n.id = %(feed_version_id)s
  AND EXISTS (SELECT 1 FROM staging.gtfs_shape_line l WHERE l.feed_version_id = p.id)
  AND p.file_stats ? 'shapes.txt'
LIMIT 1
