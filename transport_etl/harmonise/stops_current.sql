-- Current source stop places with what matching needs (one row per source identity).
SELECT DISTINCT ON (sp.source_id, sp.local_id)
       sp.id, sp.source_id, sp.local_id, sp.name, sp.kind, sp.municipality, sp.district_code, sp.register_id,
       ST_X(sp.geom) AS x, ST_Y(sp.geom) AS y, coalesce(s.family, '') AS family, coalesce(s.format, '') AS format,
       sp.namespace, sp.feed_version_id
FROM unified.stop_place sp
LEFT JOIN lineage.source s ON s.id = sp.source_id
WHERE sp.recorded_to IS NULL
ORDER BY sp.source_id, sp.local_id, sp.id DESC
