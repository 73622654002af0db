-- Regions as a first-class dimension: every source belongs to a NUTS 3 region (a Czech kraj); runs and
-- assets are tagged with it (assets/), GIS views are filtered by it (gis.in_region). Stop identity stays
-- one cross-region resolution (unified.canonical_stop_place), so a stop on a kraj border is one stop.

CREATE TABLE IF NOT EXISTS lineage.region (
    code     text PRIMARY KEY CHECK (code ~ '^[A-Z]{2}[0-9A-Z]{3}$'),
    name     text NOT NULL,
    name_en  text,
    country  text NOT NULL DEFAULT 'CZ'
);
COMMENT ON TABLE lineage.region IS 'NUTS 3 regions (Czech kraje) the platform serves; lineage.source.region names one.';
COMMENT ON COLUMN lineage.region.code IS 'NUTS 3 code, e.g. CZ042 (Ústecký kraj).';
COMMENT ON COLUMN lineage.region.name IS 'Official Czech name of the region.';
COMMENT ON COLUMN lineage.region.name_en IS 'English name.';
COMMENT ON COLUMN lineage.region.country IS 'ISO 3166-1 alpha-2 country of the region.';

INSERT INTO lineage.region (code, name, name_en) VALUES
    ('CZ010', 'Hlavní město Praha', 'Prague'),
    ('CZ020', 'Středočeský kraj', 'Central Bohemian Region'),
    ('CZ031', 'Jihočeský kraj', 'South Bohemian Region'),
    ('CZ032', 'Plzeňský kraj', 'Plzeň Region'),
    ('CZ041', 'Karlovarský kraj', 'Karlovy Vary Region'),
    ('CZ042', 'Ústecký kraj', 'Ústí nad Labem Region'),
    ('CZ051', 'Liberecký kraj', 'Liberec Region'),
    ('CZ052', 'Královéhradecký kraj', 'Hradec Králové Region'),
    ('CZ053', 'Pardubický kraj', 'Pardubice Region'),
    ('CZ063', 'Kraj Vysočina', 'Vysočina Region'),
    ('CZ064', 'Jihomoravský kraj', 'South Moravian Region'),
    ('CZ071', 'Olomoucký kraj', 'Olomouc Region'),
    ('CZ072', 'Zlínský kraj', 'Zlín Region'),
    ('CZ080', 'Moravskoslezský kraj', 'Moravian-Silesian Region')
ON CONFLICT (code) DO NOTHING;

ALTER TABLE lineage.source ADD COLUMN IF NOT EXISTS region text NOT NULL DEFAULT 'CZ042';
COMMENT ON COLUMN lineage.source.region IS 'NUTS 3 region (kraj) of the source, from the catalog key region (default CZ042, Ústecký kraj); runs are tagged transport_etl/region with it.';
CREATE INDEX IF NOT EXISTS source_region ON lineage.source (region);

-- GIS staff cannot read lineage; these views (owner's rights) expose just the region of each source.
CREATE OR REPLACE VIEW gis.region AS
SELECT r.code, r.name, r.name_en, r.country, count(s.id)::integer AS sources
  FROM lineage.region r LEFT JOIN lineage.source s ON s.region = r.code
 GROUP BY r.code, r.name, r.name_en, r.country;
COMMENT ON VIEW gis.region IS 'Regions (NUTS 3 / kraje) and how many sources each has; filter any gis view with gis.in_region(source_id, code).';
COMMENT ON COLUMN gis.region.code IS 'NUTS 3 code, e.g. CZ042.';
COMMENT ON COLUMN gis.region.name IS 'Official Czech name of the region.';
COMMENT ON COLUMN gis.region.name_en IS 'English name.';
COMMENT ON COLUMN gis.region.country IS 'ISO 3166-1 alpha-2 country of the region.';
COMMENT ON COLUMN gis.region.sources IS 'Catalog sources of the region.';

CREATE OR REPLACE VIEW gis.source_region AS SELECT s.id AS source_id, s.region FROM lineage.source s;
COMMENT ON VIEW gis.source_region IS 'Region (NUTS 3) of each source: join any gis view on source_id to filter by region.';
COMMENT ON COLUMN gis.source_region.source_id IS 'Catalog id of the source (lineage.source.id).';
COMMENT ON COLUMN gis.source_region.region IS 'NUTS 3 region of the source.';

CREATE OR REPLACE FUNCTION gis.in_region(p_source_id text, p_region text) RETURNS boolean
LANGUAGE sql STABLE PARALLEL SAFE AS $$
    SELECT EXISTS (SELECT 1 FROM gis.source_region WHERE source_id = p_source_id AND region = p_region)
$$;
COMMENT ON FUNCTION gis.in_region(text, text) IS 'True when the source belongs to the NUTS 3 region, e.g. SELECT * FROM gis.stop_place WHERE gis.in_region(source_id, ''CZ042'').';

GRANT SELECT ON gis.region, gis.source_region TO gis_reader;
GRANT EXECUTE ON FUNCTION gis.in_region(text, text) TO gis_reader;
