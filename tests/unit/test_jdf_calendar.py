"""JDF operating days: fixed codes, time-code types, Czech public holidays, line validity."""

import datetime as dt

import pytest

from transport_etl.formats.jdf.calendar import (
    RangeReversed,
    TimeCode,
    calendar_key,
    describe,
    parse_date,
    service_dates,
    weekdays,
)

D = dt.date


def test_working_days_trip_skips_public_holiday():
    # Week of 27 April 2026: Friday 1 May is Labour Day (Svátek práce).
    days = service_dates(["X"], [], D(2026, 4, 27), D(2026, 5, 3))
    assert days == [D(2026, 4, 27), D(2026, 4, 28), D(2026, 4, 29), D(2026, 4, 30)]


def test_sunday_and_holiday_trip_runs_on_the_holiday():
    days = service_dates(["+"], [], D(2026, 4, 27), D(2026, 5, 3))
    assert days == [D(2026, 5, 1), D(2026, 5, 3)]


def test_easter_monday_and_good_friday_come_from_the_holiday_library():
    days = service_dates(["X"], [], D(2026, 4, 3), D(2026, 4, 6))  # Good Friday .. Easter Monday
    assert days == []


def test_weekday_digits_run_on_their_weekday():
    assert service_dates(["6"], [], D(2026, 4, 27), D(2026, 5, 10)) == [D(2026, 5, 2), D(2026, 5, 9)]


def test_type_3_runs_only_on_its_dates_ignoring_day_symbols():
    codes = [TimeCode("3", D(2025, 12, 23)), TimeCode("3", D(2025, 12, 27))]  # a Tuesday and a Saturday
    assert service_dates(["X"], codes, D(2025, 12, 14), D(2026, 1, 31)) == [D(2025, 12, 23), D(2025, 12, 27)]


def test_type_3_minus_type_4():
    codes = [TimeCode("3", D(2025, 12, 23), D(2025, 12, 24)), TimeCode("4", D(2025, 12, 24))]
    assert service_dates([], codes, D(2025, 12, 1), D(2025, 12, 31)) == [D(2025, 12, 23)]


def test_type_4_range_excludes_and_type_2_adds():
    codes = [TimeCode("4", D(2026, 7, 1), D(2026, 8, 31)), TimeCode("2", D(2026, 6, 27))]  # 27 June: a Saturday
    days = service_dates(["X"], codes, D(2026, 6, 22), D(2026, 7, 3))
    assert days == [D(2026, 6, 22), D(2026, 6, 23), D(2026, 6, 24), D(2026, 6, 25), D(2026, 6, 26), D(2026, 6, 27),
                    D(2026, 6, 29), D(2026, 6, 30)]


def test_type_1_limits_to_its_interval():
    codes = [TimeCode("1", D(2026, 3, 2), D(2026, 3, 4))]
    assert service_dates(["X"], codes, D(2026, 3, 1), D(2026, 3, 31)) == [D(2026, 3, 2), D(2026, 3, 3), D(2026, 3, 4)]


def test_odd_and_even_weeks():
    start, end = D(2026, 3, 2), D(2026, 3, 22)  # ISO weeks 10, 11, 12
    odd = service_dates(["1"], [TimeCode("5", None)], start, end)
    even = service_dates(["1"], [TimeCode("6", None)], start, end)
    assert odd == [D(2026, 3, 9)] and even == [D(2026, 3, 2), D(2026, 3, 16)]


def test_type_7_odd_weeks_only_inside_its_range():
    codes = [TimeCode("7", D(2026, 3, 2), D(2026, 3, 15))]
    assert service_dates(["1"], codes, D(2026, 3, 2), D(2026, 3, 22)) == [D(2026, 3, 9), D(2026, 3, 16)]


def test_dates_are_intersected_with_line_validity():
    codes = [TimeCode("2", D(2027, 1, 2))]
    assert service_dates(["X"], codes, D(2026, 12, 28), D(2026, 12, 31)) == [
        D(2026, 12, 28), D(2026, 12, 29), D(2026, 12, 30), D(2026, 12, 31)]


def test_no_day_symbol_runs_daily():
    assert len(service_dates([], [], D(2026, 3, 1), D(2026, 3, 31))) == 31


def test_helpers():
    assert parse_date("01072015") == D(2015, 7, 1)
    assert parse_date("") is None
    assert weekdays(["X", "6"]) == "1111110"
    assert weekdays([]) == "1111111"
    text = describe(["X"], [TimeCode("4", D(2015, 3, 9), D(2015, 3, 13), "14")])
    assert text == "X | 14 nejede 09.03.2015–13.03.2015"
    assert calendar_key([D(2026, 1, 2), D(2026, 1, 1)]) == calendar_key([D(2026, 1, 1), D(2026, 1, 2)])


def test_reversed_time_code_range_is_refused_not_inverted():
    with pytest.raises(RangeReversed, match="09.01.2026–05.01.2026 ends before it starts"):
        TimeCode("4", D(2026, 1, 9), D(2026, 1, 5))
    assert TimeCode("4", D(2026, 1, 5), D(2026, 1, 5)).covers(D(2026, 1, 5))


def test_derive_quarantines_reversed_ranges():
    """A Caskody 'does not run 09.01.–05.01.' and a Linky valid to before valid from: each record quarantined
    with its reason, and the trip of that line not published with an empty calendar."""
    from tests.unit.test_jdf_reader import small_batch
    from transport_etl.formats.jdf.reader import Record
    from transport_etl.formats.jdf.semantics import derive

    def records(stem: str, rows: list[list[str]]) -> list[Record]:
        from transport_etl.formats.jdf.layouts import layout

        cols = layout("1.11", stem)
        return [Record(i, {c: (v or None) for c, v in zip(cols, r, strict=True) if c}, f"raw {stem} {i}")
                for i, r in enumerate(rows, start=1)]

    batch = small_batch()
    batch["caskody"] = [["551402", "1", "1", "10", "4", "09012026", "05012026", "", "1"]]
    recs = {stem: records(stem, rows) for stem, rows in batch.items() if stem != "verzejdf"}
    out = derive(recs)
    (p,) = [p for p in out.problems if p.file_name == "caskody"]
    assert (p.code, p.line_no, p.severity) == ("start_and_end_range_out_of_order", 1, "REJECT")
    assert D(2026, 1, 7) in out.calendar_days[out.trips[0]["calendar_key"]]  # the record is gone, not inverted

    batch["linky"][0][13:15] = ["12122026", "14122025"]
    out = derive({stem: records(stem, rows) for stem, rows in batch.items() if stem != "verzejdf"})
    codes = {(p.file_name, p.code, p.severity) for p in out.problems}
    assert ("linky", "start_and_end_range_out_of_order", "REJECT") in codes
    assert not out.trips and not out.calendar_days


def test_derive_gives_each_trip_the_dates_of_its_own_rule_when_trips_share_rules():
    """Dates are evaluated once per distinct rule (semantics.derive): the demo line's trips, several with the
    same symbols and some with time codes, each get the calendar of their own symbols and codes."""
    from demo import regional
    from transport_etl.formats.jdf.calendar import calendar_key, service_dates
    from transport_etl.formats.jdf.layouts import layout
    from transport_etl.formats.jdf.reader import Record
    from transport_etl.formats.jdf.semantics import derive

    files, _ = regional._batch(regional.LINES[0])
    recs = {stem: [Record(i, {c: (v or None) for c, v in zip(layout("1.11", stem), map(str, r), strict=True) if c},
                          f"raw {i}") for i, r in enumerate(rows, start=1)]
            for stem, rows in files.items() if stem != "verzejdf"}
    out = derive(recs)
    line = regional.LINES[0]
    assert len(out.trips) == len(line["trips"])
    symbol = dict(regional.PEVNYKOD)
    valid = (dt.datetime.strptime(regional.VALID_FROM, "%d%m%Y").date(),
             dt.datetime.strptime(regional.VALID_TO, "%d%m%Y").date())
    keys = {}
    for trip_no, _start, syms, tcs, _p, _o in line["trips"]:
        codes = [TimeCode(t, dt.datetime.strptime(a, "%d%m%Y").date() if a else None,
                          dt.datetime.strptime(b, "%d%m%Y").date() if b else None, mark=str(i))
                 for i, (t, a, b) in enumerate(tcs, start=1)]
        want = service_dates([symbol[regional.CODE[s]] for s in syms], codes, *valid)
        (got,) = [t for t in out.trips if t["trip_no"] == str(trip_no)]
        keys[trip_no] = got["calendar_key"]
        assert got["calendar_key"] == calendar_key(want) and out.calendar_days[got["calendar_key"]] == want
    assert keys[1] == keys[3] == keys[7] != keys[13] != keys[15]
