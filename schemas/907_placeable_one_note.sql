-- unified.placeable (schemas/640) evaluated unified.position_note twice per position, and a caller that also
-- wants the note evaluated it a third time: GTFS validation runs it over every shape point (HART: 56k points,
-- ~0.1 s of position_note). Same rule, written as a function of the note: placeable_note(note, lat, lon) for a
-- caller that has the note already, and placeable() evaluating the note once through it. Both stay plain SQL
-- expressions the planner inlines.
CREATE OR REPLACE FUNCTION unified.placeable_note(note text, lat double precision, lon double precision)
RETURNS boolean LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT CASE coalesce(note, '')
           WHEN '' THEN true
           WHEN 'outside_expected_extent' THEN lon BETWEEN 9 AND 22 AND lat BETWEEN 46 AND 53.5
           ELSE false END $$;
COMMENT ON FUNCTION unified.placeable_note(text, double precision, double precision) IS
    'unified.placeable for a position whose unified.position_note is known: true when it may become geometry (no note, or outside the expected extent but where EPSG:5514 is meaningful).';

CREATE OR REPLACE FUNCTION unified.placeable(lat double precision, lon double precision,
    box double precision[] DEFAULT ARRAY[11.394, 48.101, 19.556, 51.509]) RETURNS boolean
LANGUAGE sql IMMUTABLE PARALLEL SAFE AS $$
SELECT unified.placeable_note(unified.position_note(lat, lon, box), lat, lon) $$;
COMMENT ON FUNCTION unified.placeable(double precision, double precision, double precision[]) IS
    'True when a WGS84 lat/lon may become geometry under the one position rule (flagged or not).';
