-- The number rules of the telemetry staging statement (formats/fleet_telemetry/stage.sql), written once
-- instead of once per column. Plain SQL functions the planner inlines into the statement (cheap arguments,
-- immutable bodies), so the set-wise check costs what the written-out expressions cost. `checked` is the
-- loader's mode: false = cast the text as it is (the server raises on what it cannot type, and the loader
-- runs the file again checked); true = read decimal commas and spaces, and give NULL for anything else.

CREATE OR REPLACE FUNCTION staging.fleet_number_text(t text, checked boolean) RETURNS text
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN checked THEN nullif(left(replace(translate(t, E' \t' || chr(160), ''), ',', '.'), 41), '')
            ELSE nullif(btrim(t), '') END $$;
COMMENT ON FUNCTION staging.fleet_number_text(text, boolean) IS
    'A telemetry number''s text as it will be read: trimmed; checked, also without spaces (no-break ones too), a decimal comma read as a point and cut after 41 characters (a number of more than 40 is none).';

CREATE OR REPLACE FUNCTION staging.fleet_number(t text, checked boolean) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN NOT checked THEN t::float8
            WHEN length(t) <= 40 AND t ~ '^[-+]?([0-9]+\.?[0-9]*|\.[0-9]+)([eE][-+]?[0-9][0-9]?)?$' THEN t::float8 END $$;
COMMENT ON FUNCTION staging.fleet_number(text, boolean) IS
    'A telemetry number from fleet_number_text: cast as it is, or checked: NULL for anything but a decimal number of at most 40 characters.';

CREATE OR REPLACE FUNCTION staging.fleet_coordinate(t text, checked boolean) RETURNS float8
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE WHEN checked AND lower(t) IN ('nan', 'inf', '-inf', 'infinity', '-infinity') THEN 'NaN'::float8
            ELSE staging.fleet_number(t, checked) END $$;
COMMENT ON FUNCTION staging.fleet_coordinate(text, boolean) IS
    'A telemetry coordinate as fleet_number, but NaN or Infinity published as such is NaN (a position the position rule names, not a broken record).';
