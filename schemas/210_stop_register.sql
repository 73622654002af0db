-- Regional stop register (CRZ stop numbers and označník poles with positions), one row per pole.
CREATE TABLE IF NOT EXISTS staging.stop_register (
    feed_version_id bigint NOT NULL,
    source_file text NOT NULL,
    line_no integer NOT NULL,
    crz text NOT NULL,
    post_code text,
    name text NOT NULL,
    municipality text,
    district_code text,
    source_crs text,
    geom geometry(Point, 5514),
    location_note text
);
CREATE INDEX IF NOT EXISTS stop_register_fv ON staging.stop_register (feed_version_id, crz);
COMMENT ON TABLE staging.stop_register IS 'Regional stop register as loaded: one row per pole (CRZ stop number + označník), positions converted to EPSG:5514.';
COMMENT ON COLUMN staging.stop_register.feed_version_id IS 'Feed version (lineage.feed_version.id).';
COMMENT ON COLUMN staging.stop_register.source_file IS 'Register file name.';
COMMENT ON COLUMN staging.stop_register.line_no IS 'Physical line (CSV) or row (XLSX) of the record; header = 1.';
COMMENT ON COLUMN staging.stop_register.crz IS 'CRZ stop number (central stop register of CIS JŘ).';
COMMENT ON COLUMN staging.stop_register.post_code IS 'Označník (stop pole) code within the stop; NULL when the register lists the stop only.';
COMMENT ON COLUMN staging.stop_register.name IS 'Stop name as in the register (JDF style town,part,place).';
COMMENT ON COLUMN staging.stop_register.municipality IS 'Municipality.';
COMMENT ON COLUMN staging.stop_register.district_code IS 'District (okres) code, e.g. UL, DC, TP, MO, CV, LT, LN.';
COMMENT ON COLUMN staging.stop_register.source_crs IS 'CRS of the coordinates as published: EPSG:5514 (S-JTSK) or EPSG:4326 (WGS84).';
COMMENT ON COLUMN staging.stop_register.geom IS 'Pole position in EPSG:5514; NULL when missing, at 0,0 or outside Czechia (see location_note).';
COMMENT ON COLUMN staging.stop_register.location_note IS 'Why geom is NULL or was corrected: missing_position, point_near_origin, out_of_bounds, sjtsk_sign_corrected, sjtsk_axes_swapped.';
