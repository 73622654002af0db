-- Staging for the SR70 rail location register (Správa železnic), format `sr70`.
CREATE TABLE IF NOT EXISTS staging.sr70 (
    feed_version_id bigint NOT NULL,
    line_no         integer NOT NULL,
    source_file     text NOT NULL,
    sr70            text NOT NULL,
    sr70_5          text NOT NULL,
    check_digit_ok  boolean,
    name            text,
    name_foreign    text,
    name_35         text,
    name_20         text,
    name_12         text,
    name_7          text,
    name_6          text,
    name_3          text,
    name_isc        text,
    name_zdd        text,
    kind_code       text,
    kind_text       text,
    state_code      text,
    state_text      text,
    km              text,
    tudu            text,
    ttp             text,
    km_next         text,
    tudu_next       text,
    ttp_next        text,
    x_raw           text,
    y_raw           text,
    x_5514          double precision,
    y_5514          double precision,
    gps_n_dms       text,
    gps_e_dms       text,
    gps_n_deg       text,
    gps_e_deg       text,
    lat             double precision,
    lon             double precision,
    altitude_m      double precision,
    vusc_code       text,
    vusc_name       text,
    owner           text,
    operator        text,
    extra           jsonb NOT NULL DEFAULT '{}'::jsonb,
    is_passenger    boolean NOT NULL DEFAULT false,
    location_note   text,
    geom            geometry(Point, 5514)
);
CREATE INDEX IF NOT EXISTS sr70_fv ON staging.sr70 (feed_version_id, sr70_5);
CREATE INDEX IF NOT EXISTS sr70_geom ON staging.sr70 USING gist (geom);
COMMENT ON TABLE staging.sr70 IS 'SR70 register of rail locations (stations, halts, junctions, borders ...), one row per CSV record of each feed version, as published (CP1250 decoded).';
COMMENT ON COLUMN staging.sr70.feed_version_id IS 'Feed version (lineage.feed_version.id) the row was read from.';
COMMENT ON COLUMN staging.sr70.line_no IS 'Physical line of the record in the CSV (header = line 1).';
COMMENT ON COLUMN staging.sr70.source_file IS 'Name of the CSV file.';
COMMENT ON COLUMN staging.sr70.sr70 IS 'Evidenční číslo: 6-digit SR70 code as published (5 digits + check digit).';
COMMENT ON COLUMN staging.sr70.sr70_5 IS 'The 5-digit SR70 code (without check digit) used by CZPTT LocationPrimaryCode.';
COMMENT ON COLUMN staging.sr70.check_digit_ok IS 'Whether the published check digit equals the computed one.';
COMMENT ON COLUMN staging.sr70.name IS 'Název: full name of the location.';
COMMENT ON COLUMN staging.sr70.name_foreign IS 'Cizojazyčný název: name in a foreign language, "-" if none.';
COMMENT ON COLUMN staging.sr70.name_35 IS 'Název 35: name shortened to 35 characters.';
COMMENT ON COLUMN staging.sr70.name_20 IS 'Název 20: name shortened to 20 characters.';
COMMENT ON COLUMN staging.sr70.name_12 IS 'Název 12: name shortened to 12 characters.';
COMMENT ON COLUMN staging.sr70.name_7 IS 'Název 7: 7-character abbreviation.';
COMMENT ON COLUMN staging.sr70.name_6 IS 'Název 6: 6-character abbreviation.';
COMMENT ON COLUMN staging.sr70.name_3 IS 'Název 3: 3-character abbreviation.';
COMMENT ON COLUMN staging.sr70.name_isc IS 'Název ISC: name in the passenger information system.';
COMMENT ON COLUMN staging.sr70.name_zdd IS 'Název ZDD: name in the operating documents.';
COMMENT ON COLUMN staging.sr70.kind_code IS 'Kvalifikátor: type of point (01 station, 61 halt, 62 halt within a station, 13 node station, 91 state border ...).';
COMMENT ON COLUMN staging.sr70.kind_text IS 'Kvalifikátor - popis: description of the type.';
COMMENT ON COLUMN staging.sr70.state_code IS 'Stav: 1 active, 2 registered, 3 out of service, 4 abolished.';
COMMENT ON COLUMN staging.sr70.state_text IS 'Stav - popis: description of the state.';
COMMENT ON COLUMN staging.sr70.km IS 'Km poloha: kilometre position(s) on the line(s), as published ("; "-separated when several).';
COMMENT ON COLUMN staging.sr70.tudu IS 'TUDU: track section code(s).';
COMMENT ON COLUMN staging.sr70.ttp IS 'TTP: timetable line section(s).';
COMMENT ON COLUMN staging.sr70.km_next IS 'Km polohy další: further kilometre positions.';
COMMENT ON COLUMN staging.sr70.tudu_next IS 'TUDU další: further track sections.';
COMMENT ON COLUMN staging.sr70.ttp_next IS 'TTP další: further timetable line sections.';
COMMENT ON COLUMN staging.sr70.x_raw IS 'X [S-JTSK (-Y)] as published (text, decimal comma).';
COMMENT ON COLUMN staging.sr70.y_raw IS 'Y [S-JTSK (-X)] as published (text, decimal comma).';
COMMENT ON COLUMN staging.sr70.x_5514 IS 'Easting in EPSG:5514 (= published X, i.e. -Y of S-JTSK); NULL when missing (0) or outside Czechia.';
COMMENT ON COLUMN staging.sr70.y_5514 IS 'Northing in EPSG:5514 (= published Y, i.e. -X of S-JTSK); NULL when missing (0) or outside Czechia.';
COMMENT ON COLUMN staging.sr70.gps_n_dms IS 'GPS N (DMS): latitude in degrees, minutes, seconds as published.';
COMMENT ON COLUMN staging.sr70.gps_e_dms IS 'GPS E (DMS): longitude in degrees, minutes, seconds as published.';
COMMENT ON COLUMN staging.sr70.gps_n_deg IS 'GPS N (DEG): latitude as published, e.g. N50,659150°.';
COMMENT ON COLUMN staging.sr70.gps_e_deg IS 'GPS E (DEG): longitude as published, e.g. E14,044078°.';
COMMENT ON COLUMN staging.sr70.lat IS 'Latitude (WGS84 degrees) parsed from GPS N (DEG); NULL when published as 0.';
COMMENT ON COLUMN staging.sr70.lon IS 'Longitude (WGS84 degrees) parsed from GPS E (DEG); NULL when published as 0.';
COMMENT ON COLUMN staging.sr70.altitude_m IS 'Nadmořská výška (Bpv): altitude in metres (Baltic after adjustment); NULL when published as 0.';
COMMENT ON COLUMN staging.sr70.vusc_code IS 'VÚSC: region code (0420 = Ústecký kraj).';
COMMENT ON COLUMN staging.sr70.vusc_name IS 'VÚSC - popis: region name.';
COMMENT ON COLUMN staging.sr70.owner IS 'Vlastník: owner of the infrastructure.';
COMMENT ON COLUMN staging.sr70.operator IS 'Provozovatel: infrastructure operator.';
COMMENT ON COLUMN staging.sr70.extra IS 'All other published columns (traffic control, regional directorate, node, remote control ...) verbatim, keyed by header.';
COMMENT ON COLUMN staging.sr70.is_passenger IS 'True for passenger points (stations and halts, not abolished): these become unified.stop_place rows.';
COMMENT ON COLUMN staging.sr70.location_note IS 'Why geom is NULL (no_coordinates_in_source, coordinates_outside_czechia) or how it was derived (from_wgs84).';
COMMENT ON COLUMN staging.sr70.geom IS 'Position in EPSG:5514 from the S-JTSK columns, else from the WGS84 columns; NULL when neither is usable (never 0,0).';
