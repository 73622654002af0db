-- Vehicle telemetry is checked set-wise on staging (issue 19, the year benchmark): the loader streams
-- each file's text through COPY and one SQL statement types, checks and places its records. These are
-- the time forms a vendor export may use, read the way transport_etl.mapped_records.parse_time reads
-- them: epoch seconds or milliseconds, 'd.m.Y H:M[:S]' and ISO 8601; naive times are the source's local
-- time. NULL when the text has none of these shapes.

CREATE OR REPLACE FUNCTION staging.fleet_record_time(t text, tz text) RETURNS timestamptz
LANGUAGE sql STABLE PARALLEL SAFE AS $$
SELECT CASE
    -- ISO 8601 (the shape is checked loosely here, for speed; the cast refuses anything else)
    WHEN t ~ '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9][0-9:.]*$' THEN
        t::timestamp AT TIME ZONE tz
    WHEN t ~ '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9][T ][0-9][0-9]:[0-9][0-9][0-9:.]*(Z|[+-][0-9:]+)$' THEN
        t::timestamptz
    WHEN t ~ '^[0-9][0-9][0-9][0-9]-[0-9][0-9]-[0-9][0-9]$' THEN
        t::timestamp AT TIME ZONE tz
    WHEN t ~ '^[0-9]{9,13}(\.[0-9]+)?$' THEN
        to_timestamp(CASE WHEN t::float8 > 1e11 THEN t::float8 / 1000 ELSE t::float8 END)
    WHEN t ~ '^[0-9]{1,2}\.\s*[0-9]{1,2}\.\s*[0-9]{4}\s+[0-9]{1,2}:[0-9]{2}(:[0-9]{2})?$' THEN
        regexp_replace(t, '^([0-9]{1,2})\.\s*([0-9]{1,2})\.\s*([0-9]{4})\s+([0-9]{1,2}):([0-9]{2})(:[0-9]{2})?$',
                       '\3-\2-\1 \4:\5\6')::timestamp AT TIME ZONE tz
END $$;
COMMENT ON FUNCTION staging.fleet_record_time(text, text) IS
    'Time of a telemetry record as exported (epoch s/ms, d.m.Y H:M[:S], ISO 8601; naive = local time tz), NULL for other text; raises on an impossible date (use fleet_record_time_checked then).';

CREATE OR REPLACE FUNCTION staging.fleet_record_time_checked(t text, tz text) RETURNS timestamptz
LANGUAGE plpgsql STABLE PARALLEL SAFE AS $$
BEGIN
    RETURN staging.fleet_record_time(t, tz);
EXCEPTION WHEN data_exception THEN
    RETURN NULL;  -- a well-shaped but impossible time (month 13, 30 February): the record is quarantined
END $$;
COMMENT ON FUNCTION staging.fleet_record_time_checked(text, text) IS
    'fleet_record_time that returns NULL instead of raising on an impossible date (slower: the loader uses it only for a file whose fast check raised).';

COMMENT ON COLUMN staging.fleet_telemetry_record.location_note IS
    'Why x/y are not taken as given, under the one position rule (unified.position_note; transport_etl/positions.py): missing_position, non_finite_position, point_near_origin, lat_lon_swapped, sjtsk_in_wgs84, wgs84_in_sjtsk, out_of_range, outside_expected_extent (placed when still readable). Older versions may hold the earlier notes invalid_coordinates and outside_region.';
