-- Is a name one of the server's time zones, as pg_timezone_names lists them, without reading that list?
-- pg_timezone_names loads every zone file of the server (~1,200; ~45 ms per call), and GTFS validation asks
-- about a feed's few distinct zone names on every load. Setting the session's TimeZone to the name loads that
-- one zone: it accepts exactly the zone files the list holds (hidden files, directories, non-zone files and
-- leap-second zones refused alike), matched case-insensitively, so the name must also come back as spelled
-- (the canonical spelling the list shows). It also accepts POSIX rules ("XYZ+3", "<+03>-3") and zic's
-- "Factory", which the list omits: names with a digit or '<' (every POSIX rule has an offset) and "Factory"
-- are looked up in the list itself. The function's SET clause restores the caller's TimeZone.
CREATE OR REPLACE FUNCTION unified.is_time_zone_name(p_name text) RETURNS boolean
LANGUAGE plpgsql SET "TimeZone" FROM CURRENT AS $$
BEGIN
    IF p_name IS NULL THEN
        RETURN NULL;
    END IF;
    IF p_name ~ '[0-9<]' OR p_name = 'Factory' THEN
        RETURN EXISTS (SELECT FROM pg_timezone_names WHERE name = p_name);
    END IF;
    BEGIN
        PERFORM set_config('TimeZone', p_name, true);
    EXCEPTION WHEN invalid_parameter_value THEN
        RETURN false;
    END;
    RETURN current_setting('TimeZone') = p_name;
END $$;
COMMENT ON FUNCTION unified.is_time_zone_name(text) IS 'True when the name is listed by pg_timezone_names (a time zone of the server, spelled as listed), found by loading that one zone instead of all of them; NULL for NULL.';
