"""The one reading of road event validity times (transport_etl/roads/times.py)."""

from __future__ import annotations

import pytest

from transport_etl.roads.times import INVALID, NAIVE, event_time


@pytest.mark.parametrize(("value", "iso", "note"), [
    ("2025-03-01T06:00:00+01:00", "2025-03-01T06:00:00+01:00", None),
    ("2025-03-01T05:00:00Z", "2025-03-01T05:00:00+00:00", None),
    # no zone: Czech local time, summer and winter offsets, with a note (never the session's UTC)
    ("2025-03-01T06:00:00", "2025-03-01T06:00:00+01:00", NAIVE),
    ("2025-07-01T06:00:00", "2025-07-01T06:00:00+02:00", NAIVE),
    ("2028-01-01", "2028-01-01T00:00:00+01:00", NAIVE),
    # epoch numbers by magnitude: seconds are not milliseconds of 1970
    (1746079200, "2025-05-01T06:00:00+00:00", None),
    (1746079200000, "2025-05-01T06:00:00+00:00", None),
    (1746079200.0, "2025-05-01T06:00:00+00:00", None),
    ("1746079200000", "2025-05-01T06:00:00+00:00", None),
    # no time at all
    ("2025-02-30T06:00:00+01:00", None, INVALID),
    ("zítra ráno", None, INVALID),
    (1e20, None, INVALID),
    ("abc", None, INVALID),
    ("NaN", None, INVALID),
    (-5, None, INVALID),
    ("9999-12-31T00:00:00Z", None, INVALID),  # centuries away: misread, not a plan
    ("1970-01-21T04:00:00Z", None, INVALID),
    (None, None, None),
    ("  ", None, None),
])
def test_event_time(value, iso, note):
    t = event_time(value)
    assert (t.iso, t.note) == (iso, note)
    assert (t.message is None) == (note is None)
    if t.message:
        assert len(t.message) < 200


def test_a_zone_less_time_follows_the_one_local_time_rule():
    # the clocks skipped 02:30 on 29 March 2026 in Prague: no such time; 25 October 02:30 happened twice
    assert event_time("2026-03-29T02:30:00").note == INVALID
    t = event_time("2026-10-25T02:30:00")
    assert (t.iso, t.note) == ("2026-10-25T02:30:00+02:00", NAIVE)
