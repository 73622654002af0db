"""The one rule for published times (transport_etl.timestamps): epoch numbers guarded and told apart by
magnitude, local times in the DST gap refused and in the fold read as the first, with a note."""

from __future__ import annotations

import datetime as dt

import pytest

from transport_etl.mapped_records import parse_time
from transport_etl.timestamps import from_epoch, local_time

T = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
S = 1_772_442_000


@pytest.mark.parametrize("value", [S, float(S), str(S), f"{S}.0"])
def test_epoch_seconds(value):
    assert from_epoch(value) == (T, None)


@pytest.mark.parametrize("value, unit", [(S * 1000, "milliseconds"), (str(S * 1000), "milliseconds"),
                                         (S * 10**6, "microseconds"), (S * 10**9, "nanoseconds")])
def test_epoch_finer_units_are_read_as_such_with_a_note(value, unit):
    t, note = from_epoch(value, "last_updated")
    assert t == T and unit in note and "last_updated" in note


@pytest.mark.parametrize("value", [float("nan"), float("inf"), 1e300, 10**20 - 1, 2**64 - 1, 10**4000,
                                   "99999999999999", "1e20", "abc", "", -S, 5, True, None, [S], {"a": 1}])
def test_epoch_unusable_values_are_a_value_error(value):
    with pytest.raises(ValueError):
        from_epoch(value)


def test_local_time_gap_fold_and_plain():
    t, note = local_time(dt.datetime(2026, 3, 2, 8, 0), "Europe/Prague")
    assert note is None and t.astimezone(dt.UTC) == dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)
    with pytest.raises(ValueError, match="does not exist"):
        local_time(dt.datetime(2026, 3, 29, 2, 30), "Europe/Prague")
    t, note = local_time(dt.datetime(2026, 10, 25, 2, 30), "Europe/Prague")
    assert t.astimezone(dt.UTC) == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)   # CEST, the first 02:30
    assert "happened twice" in note


def test_parse_time_applies_the_rule_to_local_times_only():
    with pytest.raises(ValueError, match="does not exist"):
        parse_time("2026-03-29 02:30", "Europe/Prague")
    with pytest.raises(ValueError, match="does not exist"):
        parse_time("29.3.2026 2:30", "Europe/Prague")
    assert parse_time("2026-03-29T02:30:00+01:00", "Europe/Prague").hour == 2   # an offset says which
    notes: list[str] = []
    assert parse_time("2026-10-25 02:30", "Europe/Prague", notes).utcoffset() == dt.timedelta(hours=2)
    assert len(notes) == 1
    assert parse_time(str(S * 1000), "Europe/Prague") == T
