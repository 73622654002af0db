-- The version whose staged shapes.txt this version may take as it is (delta.py carry_shapes): the current version
-- of the source, loaded by the same loader on the same basis (which includes shapes.txt's sha256), or, when that
-- one took them in turn from an earlier version (it staged no shape points: validate.sql's foreign keys and
-- unused_shape read the staged rows), that earlier version (schemas/924). That version keeps its shape lines
-- (pruned: nothing found, the file is staged again).
-- Returns (version, header, rows_in, file stats) or nothing. Parameters: %(feed_version_id)s, %(basis)s.
SELECT o.id, f.header, f.rows_in, o.file_stats -> 'shapes.txt'
FROM lineage.feed_version n
JOIN lineage.feed_version p ON p.source_id = n.source_id AND p.is_current AND p.loader_digest = n.loader_digest
JOIN staging.gtfs_trip_basis b ON b.feed_version_id = p.id AND b.basis = %(basis)s
JOIN lineage.feed_version o ON o.id = coalesce(b.shapes_from, p.id)
JOIN staging.gtfs_file f ON f.feed_version_id = o.id AND f.kind = 'gtfs' AND regexp_replace(f.file_name, '^.*/', '') = 'shapes.txt'
WHERE n.id = %(feed_version_id)s
  AND EXISTS (SELECT 1 FROM staging.gtfs_shape_line l WHERE l.feed_version_id = o.id)
  AND o.file_stats ? 'shapes.txt'
LIMIT 1
