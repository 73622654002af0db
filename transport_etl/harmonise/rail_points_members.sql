-- Rail-point identity, step 1 (rail_points.py): this run's members, what their SR70 codes were
-- before, and the candidates for a renumbering. Members: every record of the current SR70 register
-- version of each sr70 source, and one location per SR70 code of the current version of each CZPTT
-- source (earlier files of a cumulative CZPTT chain were recorded by the runs that saw them).
-- Parameter: %(namespace)s.
DROP TABLE IF EXISTS _rp_member, _rp_known;
CREATE TEMP TABLE _rp_member ON COMMIT DROP AS
SELECT 'sr70'::text AS member_kind, fv.source_id, s.feed_version_id, s.sr70 AS code, s.sr70_5 AS code5, s.name,
       s.kind_text, s.geom, s.source_file, s.line_no, fv.loaded_at
FROM staging.sr70 s
JOIN lineage.feed_version fv ON fv.id = s.feed_version_id AND fv.is_current
JOIN lineage.source src ON src.id = fv.source_id AND src.format = 'sr70'
UNION ALL
SELECT DISTINCT ON (fv.source_id, l.feed_version_id, l.sr70)
       'czptt', fv.source_id, l.feed_version_id, l.sr70, left(l.sr70, 5), l.name, NULL, NULL::geometry,
       l.source_file, NULL::integer, fv.loaded_at
FROM staging.czptt_location l
JOIN lineage.feed_version fv ON fv.id = l.feed_version_id AND fv.is_current
JOIN lineage.source src ON src.id = fv.source_id AND src.format = 'czptt'
WHERE l.sr70 IS NOT NULL
ORDER BY 1, 2, 3, 4;
ANALYZE _rp_member;

-- The canonical point each 5-digit code belonged to last (a code coming back gets its point back).
CREATE TEMP TABLE _rp_known ON COMMIT DROP AS
SELECT DISTINCT ON (left(m.member_local_id, 5)) left(m.member_local_id, 5) AS code5,
       m.canonical_rail_point_id AS canonical_id
FROM unified.canonical_rail_point_member m
JOIN unified.canonical_rail_point c ON c.id = m.canonical_rail_point_id AND c.namespace = %(namespace)s
ORDER BY left(m.member_local_id, 5), m.recorded_from DESC, m.id DESC;
ANALYZE _rp_known;

