-- As-of queries (issue #12): what was valid on a date, as it was known at a moment, from the
-- valid_from/valid_to (real-world validity) and recorded_from/recorded_to (when we knew it) columns
-- every unified row carries. Rows of pruned feed versions (beyond a source's retain_versions) are
-- gone, so "known at" reaches back as far as the retained versions do.

CREATE OR REPLACE FUNCTION gis.stop_place_asof(valid_on date DEFAULT current_date,
                                               known_at timestamptz DEFAULT now())
RETURNS SETOF unified.stop_place LANGUAGE sql STABLE AS $$
    SELECT * FROM unified.stop_place t
     WHERE t.recorded_from <= known_at AND (t.recorded_to IS NULL OR t.recorded_to > known_at)
       AND (t.valid_from IS NULL OR t.valid_from <= valid_on) AND (t.valid_to IS NULL OR t.valid_to >= valid_on)
$$;
COMMENT ON FUNCTION gis.stop_place_asof(date, timestamptz) IS 'Stop places valid on valid_on as the platform knew them at known_at (defaults: today, now). Example: SELECT name FROM gis.stop_place_asof(''2026-03-01'', ''2026-02-15 12:00+01'').';

CREATE OR REPLACE FUNCTION gis.journey_asof(valid_on date DEFAULT current_date,
                                            known_at timestamptz DEFAULT now())
RETURNS SETOF unified.journey LANGUAGE sql STABLE AS $$
    SELECT * FROM unified.journey t
     WHERE t.recorded_from <= known_at AND (t.recorded_to IS NULL OR t.recorded_to > known_at)
       AND (t.valid_from IS NULL OR t.valid_from <= valid_on) AND (t.valid_to IS NULL OR t.valid_to >= valid_on)
$$;
COMMENT ON FUNCTION gis.journey_asof(date, timestamptz) IS 'Journeys whose validity covers valid_on as known at known_at (defaults: today, now); join unified.service_day on service_calendar_id and service_date = valid_on for those that actually run that day.';

CREATE OR REPLACE FUNCTION gis.transport_link_asof(valid_on date DEFAULT current_date,
                                                   known_at timestamptz DEFAULT now())
RETURNS SETOF unified.transport_link LANGUAGE sql STABLE AS $$
    SELECT * FROM unified.transport_link t
     WHERE t.recorded_from <= known_at AND (t.recorded_to IS NULL OR t.recorded_to > known_at)
       AND (t.valid_from IS NULL OR t.valid_from <= valid_on) AND (t.valid_to IS NULL OR t.valid_to >= valid_on)
$$;
COMMENT ON FUNCTION gis.transport_link_asof(date, timestamptz) IS 'Road and rail network links valid on valid_on as known at known_at (defaults: today, now).';

CREATE OR REPLACE FUNCTION gis.road_event_asof(valid_on date DEFAULT current_date,
                                               known_at timestamptz DEFAULT now())
RETURNS SETOF unified.road_event LANGUAGE sql STABLE AS $$
    SELECT * FROM unified.road_event t
     WHERE t.recorded_from <= known_at AND (t.recorded_to IS NULL OR t.recorded_to > known_at)
       AND (t.valid_from IS NULL OR t.valid_from <= valid_on) AND (t.valid_to IS NULL OR t.valid_to >= valid_on)
$$;
COMMENT ON FUNCTION gis.road_event_asof(date, timestamptz) IS 'Road events (closures, works) in force on valid_on as known at known_at (defaults: today, now).';
