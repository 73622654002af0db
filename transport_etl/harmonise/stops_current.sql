-- Current source stop places with what matching needs (one row per source identity), kept in a
-- temp table with its own GiST index and statistics so the candidate-pair query is a plain
-- spatial index scan over current rows only (no BitmapAnd with the partial "current" btree of
-- unified.stop_place, whose history grows with every feed version).
DROP TABLE IF EXISTS _current_stop;
-- Rows in Hilbert order of their position (PostGIS sorts geometries so): neighbours share pages,
-- which keeps the per-stop index probes of the candidate-pair query in cache.
CREATE TEMP TABLE _current_stop ON COMMIT DROP AS
SELECT * FROM (
SELECT DISTINCT ON (sp.source_id, sp.local_id)
       sp.id, sp.source_id, sp.local_id, sp.name, sp.kind, sp.municipality, sp.district_code, sp.register_id,
       ST_X(sp.geom) AS x, ST_Y(sp.geom) AS y, coalesce(s.family, '') AS family, coalesce(s.format, '') AS format,
       sp.namespace, sp.feed_version_id, s.options ->> 'country' AS source_country, sp.geom
FROM unified.stop_place sp
LEFT JOIN lineage.source s ON s.id = sp.source_id
WHERE sp.recorded_to IS NULL
ORDER BY sp.source_id, sp.local_id, sp.id DESC
) current_rows
ORDER BY geom;
CREATE INDEX ON _current_stop USING gist (geom);
ANALYZE _current_stop;
