-- GIS layers of the persistent identities of rail points and road links (830, 831; issue 16), as the
-- canonical stops have theirs (520/660): gis.canonical_rail_point[_5514] (points) and
-- gis.canonical_road_link[_5514] (lines) with the current identities, a stable integer key (the
-- canonical row's id, never reused) and one geometry type; their members and the road links'
-- predecessors as plain tables. Provenance: gis.row_lineage('canonical_rail_point', id) and
-- ('canonical_road_link', id) (the evidence is recorded under those unified tables; row_lineage is
-- fixed below for layer names ending in _point, e.g. canonical_rail_point and stop_point).
-- QGIS default styles: gis.install_layer_styles() (661) styles every gis layer; run again at the end.

-- The EPSG:4326 twin of a gis.<name>_5514 view, comments copied (pg_temp.make_4326_twin of 660, whose
-- helpers lived for that migration's session only).
CREATE OR REPLACE FUNCTION pg_temp.make_4326_twin(v5514 text) RETURNS void LANGUAGE plpgsql AS $$
DECLARE twin text := left(v5514, -5); cols text; c record; txt text;
BEGIN
    EXECUTE format('DROP VIEW IF EXISTS gis.%I', twin);
    SELECT string_agg(CASE WHEN a.atttypid = 'geometry'::regtype
                           THEN format('ST_Transform(%1$I, 4326)::geometry(%2$s, 4326) AS %1$I', a.attname,
                                       coalesce(nullif(postgis_typmod_type(a.atttypmod), ''), 'Geometry'))
                           ELSE quote_ident(a.attname) END, ', ' ORDER BY a.attnum)
      INTO cols FROM pg_attribute a
     WHERE a.attrelid = format('gis.%I', v5514)::regclass AND a.attnum > 0 AND NOT a.attisdropped;
    EXECUTE format('CREATE VIEW gis.%I AS SELECT %s FROM gis.%I', twin, cols, v5514);
    EXECUTE format('COMMENT ON VIEW gis.%I IS %L', twin,
                   replace(obj_description(format('gis.%I', v5514)::regclass, 'pg_class'),
                           'EPSG:5514', 'EPSG:4326 (WGS 84; gis.' || v5514 || ' has EPSG:5514)'));
    FOR c IN SELECT a.attname, col_description(a.attrelid, a.attnum) AS d FROM pg_attribute a
             WHERE a.attrelid = format('gis.%I', v5514)::regclass AND a.attnum > 0 AND NOT a.attisdropped LOOP
        txt := c.d;
        IF c.attname = 'geom' THEN
            txt := replace(coalesce(txt, 'Geometry'), 'EPSG:5514', 'EPSG:4326 (WGS 84)');
            IF txt NOT LIKE '%4326%' THEN txt := txt || ' Transformed to EPSG:4326 (WGS 84).'; END IF;
        END IF;
        EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', twin, c.attname, txt);
    END LOOP;
END $$;

-- Columns of a gis view named as in its unified table take that table's comment; the others are
-- commented below, one by one.
CREATE OR REPLACE FUNCTION pg_temp.copy_column_comments(v text, src regclass) RETURNS void
LANGUAGE plpgsql AS $$
DECLARE c record;
BEGIN
    FOR c IN SELECT a.attname, col_description(src, s.attnum) AS d
             FROM pg_attribute a JOIN pg_attribute s ON s.attrelid = src AND s.attname = a.attname
             WHERE a.attrelid = format('gis.%I', v)::regclass AND a.attnum > 0 AND NOT a.attisdropped LOOP
        EXECUTE format('COMMENT ON COLUMN gis.%I.%I IS %L', v, c.attname, c.d);
    END LOOP;
END $$;

-- ── Rail points ─────────────────────────────────────────────────────────────────────────────────
DROP VIEW IF EXISTS gis.canonical_rail_point;
DROP VIEW IF EXISTS gis.canonical_rail_point_5514;
CREATE VIEW gis.canonical_rail_point_5514 AS
SELECT c.id, c.namespace, c.local_id AS canonical_id, c.namespace || ':' || c.local_id AS inspire_id, c.name,
       c.kind_text, array_to_string(c.sr70_codes, ', ') AS sr70_codes, c.member_count,
       (SELECT string_agg(DISTINCT m.source_id, ', ' ORDER BY m.source_id) FROM unified.canonical_rail_point_member m
         WHERE m.canonical_rail_point_id = c.id AND m.recorded_to IS NULL) AS sources,
       c.recorded_from, c.updated_at, c.geom
FROM unified.canonical_rail_point c WHERE c.recorded_to IS NULL;
COMMENT ON VIEW gis.canonical_rail_point_5514 IS 'Current canonical rail points (stations, halts, junctions, borders): one persistent id per place across SR70 register versions and CZPTT locations; EPSG:5514. Provenance: gis.row_lineage(''canonical_rail_point'', id).';
SELECT pg_temp.copy_column_comments('canonical_rail_point_5514', 'unified.canonical_rail_point');
COMMENT ON COLUMN gis.canonical_rail_point_5514.id IS 'Stable integer key: the canonical rail point''s surrogate key (unified.canonical_rail_point.id), never reused.';
COMMENT ON COLUMN gis.canonical_rail_point_5514.canonical_id IS 'Persistent id (unified.canonical_rail_point.local_id): SR + the 5-digit SR70 code the point was first known by, kept when the register renumbers the point.';
COMMENT ON COLUMN gis.canonical_rail_point_5514.inspire_id IS 'Persistent identifier as namespace:local_id (INSPIRE inspireId).';
COMMENT ON COLUMN gis.canonical_rail_point_5514.sr70_codes IS 'The 5-digit SR70 codes the current members use, comma separated (more than one after a renumbering).';
COMMENT ON COLUMN gis.canonical_rail_point_5514.sources IS 'Sources of the current members (SR70 register, CZPTT timetables), comma separated.';
SELECT pg_temp.make_4326_twin('canonical_rail_point_5514');

DROP VIEW IF EXISTS gis.canonical_rail_point_member;
CREATE VIEW gis.canonical_rail_point_member AS
SELECT m.id, c.local_id AS canonical_id, c.name AS canonical_name, m.canonical_rail_point_id, m.source_id,
       m.feed_version_id, m.member_kind, m.member_local_id, m.name, m.match_method, m.matched_with, m.distance_m,
       m.name_similarity, m.source_file, m.source_line, m.recorded_from
FROM unified.canonical_rail_point_member m
JOIN unified.canonical_rail_point c ON c.id = m.canonical_rail_point_id
WHERE m.recorded_to IS NULL;
COMMENT ON VIEW gis.canonical_rail_point_member IS 'Current members of canonical rail points (SR70 register records, CZPTT locations) with the evidence that placed them; no geometry (the point''s is on gis.canonical_rail_point).';
SELECT pg_temp.copy_column_comments('canonical_rail_point_member', 'unified.canonical_rail_point_member');
COMMENT ON COLUMN gis.canonical_rail_point_member.canonical_id IS 'Persistent id of the canonical rail point (local_id).';
COMMENT ON COLUMN gis.canonical_rail_point_member.canonical_name IS 'Name of the canonical rail point.';

-- ── Road links ──────────────────────────────────────────────────────────────────────────────────
DROP VIEW IF EXISTS gis.canonical_road_link;
DROP VIEW IF EXISTS gis.canonical_road_link_5514;
CREATE VIEW gis.canonical_road_link_5514 AS
SELECT c.id, c.namespace, c.local_id AS canonical_id, c.namespace || ':' || c.local_id AS inspire_id, c.source_id,
       c.road_number, c.road_class, c.transport_link_id, tl.local_id AS section_id, c.length_m, c.version,
       (SELECT string_agg(o.local_id || ' (' || x.relation || ')', ', ' ORDER BY o.local_id)
          FROM unified.canonical_road_link_predecessor x
          JOIN unified.canonical_road_link o ON o.id = x.predecessor_id
         WHERE x.canonical_road_link_id = c.id) AS predecessor_ids,
       c.recorded_from, c.updated_at, c.geom
FROM unified.canonical_road_link c
LEFT JOIN unified.transport_link tl ON tl.id = c.transport_link_id
WHERE c.recorded_to IS NULL;
COMMENT ON VIEW gis.canonical_road_link_5514 IS 'Current canonical road links: one persistent id per stretch of road across road-network versions, with the retired links a split, merged or rerouted link continues; EPSG:5514. Provenance: gis.row_lineage(''canonical_road_link'', id).';
SELECT pg_temp.copy_column_comments('canonical_road_link_5514', 'unified.canonical_road_link');
COMMENT ON COLUMN gis.canonical_road_link_5514.id IS 'Stable integer key: the canonical road link''s surrogate key (unified.canonical_road_link.id), never reused.';
COMMENT ON COLUMN gis.canonical_road_link_5514.canonical_id IS 'Persistent id (unified.canonical_road_link.local_id): RL + 12 hex digits.';
COMMENT ON COLUMN gis.canonical_road_link_5514.inspire_id IS 'Persistent identifier as namespace:local_id (INSPIRE inspireId).';
COMMENT ON COLUMN gis.canonical_road_link_5514.section_id IS 'Section id of the current member link in the current network version (unified.transport_link.local_id).';
COMMENT ON COLUMN gis.canonical_road_link_5514.predecessor_ids IS 'Persistent ids of the retired links this one continues, each with its relation (split, merged, rerouted), comma separated; NULL when none (see gis.canonical_road_link_predecessor).';
SELECT pg_temp.make_4326_twin('canonical_road_link_5514');

DROP VIEW IF EXISTS gis.canonical_road_link_member;
CREATE VIEW gis.canonical_road_link_member AS
SELECT m.id, c.local_id AS canonical_id, m.canonical_road_link_id, m.source_id, m.feed_version_id,
       m.member_local_id, m.transport_link_id, m.match_method, m.matched_with, m.hausdorff_m, m.recorded_from
FROM unified.canonical_road_link_member m
JOIN unified.canonical_road_link c ON c.id = m.canonical_road_link_id;
COMMENT ON VIEW gis.canonical_road_link_member IS 'Which section id of which road-network version carried which canonical road link, and by what evidence: one row per network version (the history of each id); no geometry.';
SELECT pg_temp.copy_column_comments('canonical_road_link_member', 'unified.canonical_road_link_member');
COMMENT ON COLUMN gis.canonical_road_link_member.canonical_id IS 'Persistent id of the canonical road link (local_id).';

DROP VIEW IF EXISTS gis.canonical_road_link_predecessor;
CREATE VIEW gis.canonical_road_link_predecessor AS
SELECT x.id, n.local_id AS canonical_id, o.local_id AS predecessor_canonical_id, x.canonical_road_link_id,
       x.predecessor_id, x.relation, x.shared_m, x.hausdorff_m, x.recorded_from
FROM unified.canonical_road_link_predecessor x
JOIN unified.canonical_road_link n ON n.id = x.canonical_road_link_id
JOIN unified.canonical_road_link o ON o.id = x.predecessor_id;
COMMENT ON VIEW gis.canonical_road_link_predecessor IS 'Evidence that a canonical road link continues retired ones (split, merged, rerouted); no geometry.';
SELECT pg_temp.copy_column_comments('canonical_road_link_predecessor', 'unified.canonical_road_link_predecessor');
COMMENT ON COLUMN gis.canonical_road_link_predecessor.canonical_id IS 'Persistent id of the new canonical road link.';
COMMENT ON COLUMN gis.canonical_road_link_predecessor.predecessor_canonical_id IS 'Persistent id of the retired link it continues.';

-- ── Provenance of a rail point ──────────────────────────────────────────────────────────────────
-- gis.row_lineage (790) maps a layer to its unified table by dropping the suffixes of the mixed-geometry
-- layers (_point, _line): canonical_rail_point became "canonical_rail" and found nothing. A layer whose
-- name (less _5514) is a unified table now keeps it; otherwise as before.
CREATE OR REPLACE FUNCTION gis.row_lineage(layer text, row_id bigint) RETURNS SETOF gis.lineage
LANGUAGE sql STABLE AS $$
    WITH named AS (SELECT regexp_replace(regexp_replace(layer, '^gis\.', ''), '_5514$', '') AS n),
    target AS (
        SELECT 'unified.' || CASE WHEN EXISTS (SELECT 1 FROM pg_tables t WHERE t.schemaname = 'unified'
                                                  AND t.tablename = named.n) THEN named.n
                                  ELSE regexp_replace(named.n, '_(point|line)$', '') END AS unified_table,
               row_id AS unified_id
        FROM named
        UNION ALL
        SELECT 'unified.stop_place', m.stop_place_id FROM unified.canonical_stop_member m
        WHERE regexp_replace(layer, '^gis\.', '') LIKE 'canonical_stop_member%' AND m.id = row_id
    )
    SELECT l.* FROM gis.lineage l JOIN target t USING (unified_table, unified_id)
    ORDER BY l.unified_table, l.id
$$;
COMMENT ON FUNCTION gis.row_lineage(text, bigint) IS 'Provenance of one row of a gis layer: SELECT * FROM gis.row_lineage(''stop_place'', 42) — source, feed version, file, line, run, loaded at. The layer names its unified table (suffixes _5514, and _point/_line of the mixed-geometry layers, dropped); canonical stop members answer with their stop place''s sources.';

DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'gis_reader') THEN
    GRANT EXECUTE ON FUNCTION gis.row_lineage(text, bigint) TO gis_reader;
    GRANT SELECT ON gis.canonical_rail_point, gis.canonical_rail_point_5514, gis.canonical_rail_point_member,
                    gis.canonical_road_link, gis.canonical_road_link_5514, gis.canonical_road_link_member,
                    gis.canonical_road_link_predecessor TO gis_reader;
  END IF;
END $$;

SELECT gis.install_layer_styles();
