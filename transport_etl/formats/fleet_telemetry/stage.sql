-- One telemetry file, as text in tmp_fleet_in (line_no, raw, vehicle, time, lat, lon, x, y, speed, odometer,
-- soc, charging: the catalog's mapped columns), → typed and checked records in staging.fleet_telemetry_record,
-- set-wise. The rules are those of a vendor export read through a column mapping (transport_etl.mapped_records):
-- numbers may use a decimal comma and spaces; units scaled by the catalog's factors; speed 0..250 km/h,
-- state of charge 0..100 per cent, odometer >= 0; the charging flag yes/no in Czech or English. A record that breaks
-- one is not staged: tmp_fleet_checked.problem/message say why and the loader quarantines it with file and line.
-- Positions go through the one position rule (unified.position_note / unified.placeable, schemas/640): a
-- position it does not take as given keeps its note; the record keeps its time, charge and odometer.
-- Two modes. Fast (%(checked)s false): values are cast as they are, a record that breaks a range check is
-- refused, and any text the server cannot type (a decimal comma, 'fast' for a speed, 30 February) raises; the
-- loader then runs the file again checked: decimal commas and spaces read, and any other text refused with
-- its reason (a number of more than 40 characters is none). Each level is fenced (OFFSET 0) so that its values are computed once per record, not copied
-- into every expression that uses them.
CREATE TEMP VIEW tmp_fleet_checked AS
SELECT n.*,
       CASE WHEN vehicle IS NULL OR time_t IS NULL THEN 'missing_required_field'
            WHEN recorded_at IS NULL OR NOT recorded_at BETWEEN timestamptz '2000-01-01 00:00+00' AND now() + interval '2 days'
              OR (speed_t IS NOT NULL AND speed_kmh IS NULL)
              OR (odometer_t IS NOT NULL AND odometer_km IS NULL) OR (soc_t IS NOT NULL AND soc_pct IS NULL)
              OR (charging_t IS NOT NULL AND charging IS NULL) OR (lat_t IS NOT NULL AND lat IS NULL)
              OR (lon_t IS NOT NULL AND lon IS NULL) OR (x_t IS NOT NULL AND x_in IS NULL)
              OR (y_t IS NOT NULL AND y_in IS NULL)
              -- NaN and Infinity fail these too
              OR NOT speed_kmh BETWEEN 0 AND %(max_speed)s OR NOT soc_pct BETWEEN 0 AND 100
              OR NOT odometer_km BETWEEN 0 AND 1e9
            THEN 'invalid_value' END AS problem,
       CASE WHEN vehicle IS NULL THEN format('no vehicle id (column %%L)', %(col_vehicle)s::text)
            WHEN time_t IS NULL THEN format('vehicle %%s: no time (column %%L)', vehicle, %(col_time)s::text)
            WHEN recorded_at IS NULL THEN format('vehicle %%s: %%L is not a time', vehicle, time_t)
            -- a misread timestamp (seconds taken as milliseconds, a year 1970 or 2999), never data: the same
            -- window as mapped_records.check_range
            WHEN NOT recorded_at BETWEEN timestamptz '2000-01-01 00:00+00' AND now() + interval '2 days'
                THEN format('vehicle %%s: time %%L outside 2000-01-01…%%s', vehicle, time_t, (now() + interval '2 days')::date)
            WHEN speed_t IS NOT NULL AND speed_kmh IS NULL
                THEN format('vehicle %%s: %%L is not a number (speed)', vehicle, speed_t)
            WHEN odometer_t IS NOT NULL AND odometer_km IS NULL
                THEN format('vehicle %%s: %%L is not a number (odometer)', vehicle, odometer_t)
            WHEN soc_t IS NOT NULL AND soc_pct IS NULL
                THEN format('vehicle %%s: %%L is not a number (state of charge)', vehicle, soc_t)
            WHEN charging_t IS NOT NULL AND charging IS NULL
                THEN format('vehicle %%s: %%L is not yes/no (charging)', vehicle, charging_t)
            WHEN (lat_t IS NOT NULL AND lat IS NULL) OR (lon_t IS NOT NULL AND lon IS NULL)
              OR (x_t IS NOT NULL AND x_in IS NULL) OR (y_t IS NOT NULL AND y_in IS NULL)
                THEN format('vehicle %%s: position %%L, %%L is not a number', vehicle, coalesce(lat_t, x_t),
                            coalesce(lon_t, y_t))
            WHEN NOT speed_kmh BETWEEN 0 AND %(max_speed)s
                THEN format('vehicle %%s: speed %%s km/h outside 0..%%s', vehicle, round(speed_kmh), %(max_speed)s)
            WHEN NOT soc_pct BETWEEN 0 AND 100
                THEN format('vehicle %%s: state of charge %%s %%%% outside 0..100', vehicle, soc_pct)
            WHEN NOT odometer_km BETWEEN 0 AND 1e9
                THEN format('vehicle %%s: odometer %%s km is not a reading', vehicle, odometer_km)
       END AS message
FROM (
    SELECT t.*,
           CASE WHEN %(checked)s THEN staging.fleet_record_time_checked(time_t, %(tz)s)
                ELSE staging.fleet_record_time(time_t, %(tz)s) END AS recorded_at,
           staging.fleet_number(speed_t, %(checked)s) * %(f_speed)s AS speed_kmh,
           staging.fleet_number(odometer_t, %(checked)s) * %(f_odometer)s AS odometer_km,
           staging.fleet_number(soc_t, %(checked)s) * %(f_soc)s AS soc_pct,
           CASE WHEN charging_t IN ('1', 'true', 't', 'yes', 'y', 'ano', 'a', 'on') THEN true
                WHEN charging_t IN ('0', 'false', 'f', 'no', 'n', 'ne', 'off') THEN false END AS charging,
           -- a coordinate published as NaN or Infinity is a position the rule names, not a broken record
           staging.fleet_coordinate(lat_t, %(checked)s) AS lat,
           staging.fleet_coordinate(lon_t, %(checked)s) AS lon,
           staging.fleet_coordinate(x_t, %(checked)s) AS x_in,
           staging.fleet_coordinate(y_t, %(checked)s) AS y_in
    FROM (
        SELECT line_no, raw, coalesce(nullif(btrim(vehicle), ''), %(vehicle)s::text) AS vehicle,
               nullif(btrim(time), '') AS time_t, nullif(lower(btrim(charging)), '') AS charging_t,
               staging.fleet_number_text(speed, %(checked)s) AS speed_t,
               staging.fleet_number_text(odometer, %(checked)s) AS odometer_t,
               staging.fleet_number_text(soc, %(checked)s) AS soc_t,
               staging.fleet_number_text(lat, %(checked)s) AS lat_t,
               staging.fleet_number_text(lon, %(checked)s) AS lon_t,
               staging.fleet_number_text(x, %(checked)s) AS x_t,
               staging.fleet_number_text(y, %(checked)s) AS y_t
        FROM tmp_fleet_in OFFSET 0
    ) t
    OFFSET 0
) n;

-- Positions: latitude/longitude as given, or x/y of the source's CRS (%(srid)s; S-JTSK in either sign and
-- axis convention) brought to WGS84 first, so that both meet the same rule. A record without a position
-- is kept (missing_position) for its time, charge and odometer.
INSERT INTO staging.fleet_telemetry_record (feed_version_id, source_file, line_no, vehicle_id, recorded_at, x, y,
                                            location_note, speed_kmh, odometer_km, soc_pct, charging)
SELECT %(feed_version_id)s, %(file)s, line_no, vehicle, recorded_at, ST_X(pt), ST_Y(pt), note, speed_kmh,
       odometer_km, soc_pct, charging
FROM (
    SELECT r.*, CASE WHEN placed THEN ST_Transform(ST_SetSRID(ST_MakePoint(p_lon, p_lat), 4326), 5514) END AS pt
    FROM (
        SELECT q.*, pre_note IS NULL AND (note IS NULL OR unified.placeable(p_lat, p_lon, %(extent)s::float8[])) AS placed
        FROM (
            SELECT k.*, coalesce(pre_note, unified.position_note(p_lat, p_lon, %(extent)s::float8[])) AS note
            FROM (
                SELECT line_no, vehicle, recorded_at, speed_kmh, odometer_km, soc_pct, charging,
                       CASE WHEN lat IS NOT NULL OR lon IS NOT NULL THEN lat ELSE ST_Y(w) END AS p_lat,
                       CASE WHEN lat IS NOT NULL OR lon IS NOT NULL THEN lon ELSE ST_X(w) END AS p_lon,
                       CASE WHEN lat IS NOT NULL OR lon IS NOT NULL THEN NULL ELSE xy_note END AS pre_note
                FROM (
                    SELECT c.*,
                           CASE WHEN xy_note IS NULL THEN ST_Transform(
                               CASE WHEN %(srid)s IN (5514, 5513)
                                    THEN ST_SetSRID(ST_MakePoint(-least(abs(x_in), abs(y_in)),
                                                                 -greatest(abs(x_in), abs(y_in))), 5514)
                                    ELSE ST_SetSRID(ST_MakePoint(x_in, y_in), %(srid)s) END, 4326) END AS w
                    FROM (
                        SELECT line_no, vehicle, recorded_at, speed_kmh, odometer_km, soc_pct, charging, lat, lon,
                               x_in, y_in,
                               CASE WHEN lat IS NOT NULL OR lon IS NOT NULL THEN 'lat_lon'
                                    WHEN x_in IS NULL OR y_in IS NULL THEN 'missing_position'
                                    WHEN x_in IN ('NaN', 'Infinity', '-Infinity') OR y_in IN ('NaN', 'Infinity', '-Infinity')
                                        THEN 'non_finite_position'
                                    WHEN abs(x_in) < 1 AND abs(y_in) < 1 THEN 'point_near_origin'
                                    WHEN %(srid)s IN (5514, 5513) AND abs(x_in) <= 180 AND abs(y_in) <= 180
                                        THEN 'wgs84_in_sjtsk'
                                    WHEN greatest(abs(x_in), abs(y_in)) > 1e7 THEN 'out_of_range'
                               END AS xy_note
                        FROM tmp_fleet_checked WHERE problem IS NULL OFFSET 0
                    ) c OFFSET 0
                ) k0 OFFSET 0
            ) k OFFSET 0
        ) q OFFSET 0
    ) r OFFSET 0
) s;
