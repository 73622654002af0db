-- Traffic census (format traffic-census): one staging row per census section (ŘSD Celostátní sčítání dopravy).
CREATE TABLE IF NOT EXISTS staging.traffic_census (
    id              bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,
    feed_version_id bigint NOT NULL,
    line_no         integer NOT NULL,
    source_file     text NOT NULL,
    local_id        text NOT NULL,
    road_number     text,
    road_number_raw text,
    section_code    text,
    census_year     integer,
    o   integer, ln  integer, sn  integer, snp integer, tn  integer, tnp integer, nsn integer,
    a   integer, ak  integer, tr  integer, trp integer, m   integer, sv  integer,
    light_vehicles  integer,
    heavy_vehicles  integer,
    motorcycles     integer,
    total_vehicles  integer,
    attributes      jsonb NOT NULL DEFAULT '{}'::jsonb,
    geom            geometry(Geometry, 5514)
);
CREATE INDEX IF NOT EXISTS traffic_census_fv ON staging.traffic_census (feed_version_id);
COMMENT ON TABLE staging.traffic_census IS 'Traffic census sections as published (ŘSD CSD layer ScitaniDopravy or its CSV export): vehicles per 24 h, both directions.';
COMMENT ON COLUMN staging.traffic_census.id IS 'Staging row key.';
COMMENT ON COLUMN staging.traffic_census.feed_version_id IS 'Feed version the row belongs to.';
COMMENT ON COLUMN staging.traffic_census.line_no IS 'Physical line in the CSV (header = 1), or feature position (1 = first) in a layer.';
COMMENT ON COLUMN staging.traffic_census.source_file IS 'File the row was read from.';
COMMENT ON COLUMN staging.traffic_census.local_id IS 'Persistent local id: the section code (PKOD_R), made unique with #line when repeated.';
COMMENT ON COLUMN staging.traffic_census.road_number IS 'Road number normalised with class (D8, I/13, II/261).';
COMMENT ON COLUMN staging.traffic_census.road_number_raw IS 'Road number as published (PSILNICE).';
COMMENT ON COLUMN staging.traffic_census.section_code IS 'Census section code as published (PKOD_R).';
COMMENT ON COLUMN staging.traffic_census.census_year IS 'Census year (ROK field or the catalog option census_year).';
COMMENT ON COLUMN staging.traffic_census.o IS 'O: cars and vans per 24 h.';
COMMENT ON COLUMN staging.traffic_census.ln IS 'LN: light goods vehicles per 24 h.';
COMMENT ON COLUMN staging.traffic_census.sn IS 'SN: medium trucks without trailer per 24 h.';
COMMENT ON COLUMN staging.traffic_census.snp IS 'SNP: medium trucks with trailer per 24 h.';
COMMENT ON COLUMN staging.traffic_census.tn IS 'TN: heavy trucks without trailer per 24 h.';
COMMENT ON COLUMN staging.traffic_census.tnp IS 'TNP: heavy trucks with trailer per 24 h.';
COMMENT ON COLUMN staging.traffic_census.nsn IS 'NSN: articulated tractor-trailers per 24 h.';
COMMENT ON COLUMN staging.traffic_census.a IS 'A: buses per 24 h.';
COMMENT ON COLUMN staging.traffic_census.ak IS 'AK: articulated buses per 24 h.';
COMMENT ON COLUMN staging.traffic_census.tr IS 'TR: tractors without trailer per 24 h.';
COMMENT ON COLUMN staging.traffic_census.trp IS 'TRP: tractors with trailer per 24 h.';
COMMENT ON COLUMN staging.traffic_census.m IS 'M: motorcycles per 24 h.';
COMMENT ON COLUMN staging.traffic_census.sv IS 'SV: all vehicles per 24 h as published.';
COMMENT ON COLUMN staging.traffic_census.light_vehicles IS 'Light vehicles per 24 h: O (or a published OA).';
COMMENT ON COLUMN staging.traffic_census.heavy_vehicles IS 'Heavy vehicles per 24 h: LN+SN+SNP+TN+TNP+NSN+A+AK+TR+TRP (or a published TV).';
COMMENT ON COLUMN staging.traffic_census.motorcycles IS 'Motorcycles per 24 h: M.';
COMMENT ON COLUMN staging.traffic_census.total_vehicles IS 'All vehicles per 24 h: SV, or the sum of the classes when SV is missing.';
COMMENT ON COLUMN staging.traffic_census.attributes IS 'All fields as published (JSON).';
COMMENT ON COLUMN staging.traffic_census.geom IS 'Census section geometry (line, or point), EPSG:5514; NULL when the export has none.';
