"""CZPTT calendars: bitmap → dates, newest PA version wins, cancellations remove days."""

from __future__ import annotations

import datetime as dt

from transport_etl.formats.czptt.calendar import Header, bitmap_dates, bitmap_length_problem, merge

D = dt.date
T = dt.datetime
UTC = dt.UTC


def test_bitmap_to_dates():
    assert bitmap_dates("1011001", D(2026, 3, 2)) == [D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 5), D(2026, 3, 8)]
    assert bitmap_dates("1", D(2026, 12, 31)) == [D(2026, 12, 31)]
    assert bitmap_dates("000", D(2026, 1, 1)) == []


def test_bitmap_across_month_and_year_end():
    assert bitmap_dates("0110", D(2025, 12, 30)) == [D(2025, 12, 31), D(2026, 1, 1)]


def test_bitmap_length_is_checked_against_validity_period():
    assert bitmap_length_problem("1111111", D(2026, 3, 2), D(2026, 3, 8)) is None
    assert bitmap_length_problem("1", D(2026, 3, 2), None) is None
    assert "has 6 days" in bitmap_length_problem("111111", D(2026, 3, 2), D(2026, 3, 8))


def _path(no, created, bitmap="1111111", key="PA1", shift=0):
    return Header(no, "path", key, T(*created, tzinfo=UTC), bitmap, D(2026, 3, 2), f"p{no}.xml", shift)


MONDAY = D(2026, 3, 2)


def _cancel(no, created, bitmap, key="PA1", start=MONDAY):
    return Header(no, "cancel", key, T(*created, tzinfo=UTC), bitmap, start, f"c{no}.xml")


def test_cancellation_removes_its_days():
    m = merge([_path(1, (2025, 10, 1)), _cancel(2, (2026, 2, 1), "0100001")])
    assert m.service_dates[1] == [D(2026, 3, 2), D(2026, 3, 4), D(2026, 3, 5), D(2026, 3, 6), D(2026, 3, 7)]
    assert m.status == {1: "current", 2: "applied"}


def test_cancellation_with_its_own_start_date():
    m = merge([_path(1, (2025, 10, 1)), _cancel(2, (2026, 2, 1), "11", start=D(2026, 3, 7))])
    assert m.service_dates[1][-1] == D(2026, 3, 6) and len(m.service_dates[1]) == 5


def test_older_duplicate_pa_is_ignored_whatever_the_order():
    newer, older = _path(1, (2026, 1, 15), "1100000"), _path(2, (2025, 10, 1), "1111111")
    for order in ([newer, older], [older, newer]):
        m = merge(order)
        assert m.service_dates == {1: [D(2026, 3, 2), D(2026, 3, 3)]}
        assert m.status[2] == "superseded" and m.status[1] == "current"
        assert [n[0] for n in m.notices] == ["duplicate_path_superseded"]
        assert m.notices[0][3] == "p2.xml"


def test_cancellation_older_than_the_current_version_is_not_applied():
    m = merge([_cancel(1, (2025, 12, 1), "1111111"), _path(2, (2026, 1, 15), "1000001")])
    assert m.service_dates[2] == [D(2026, 3, 2), D(2026, 3, 8)]
    assert m.status[1] == "outdated"


def test_cancellation_of_unknown_path_is_reported():
    m = merge([_path(1, (2025, 10, 1)), _cancel(2, (2026, 2, 1), "1", key="PA9")])
    assert m.status[2] == "orphan" and len(m.service_dates[1]) == 7
    assert ("cancellation_without_path", "WARNING") == m.notices[0][:2]


def test_day_shift_moves_service_dates():
    m = merge([_path(1, (2025, 10, 1), "1010000", shift=-1)])
    assert m.service_dates[1] == [D(2026, 3, 1), D(2026, 3, 3)]
