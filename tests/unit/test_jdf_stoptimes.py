"""Zasspoje → calls: travel order of even trips, midnight, passes and other-route stops."""

import math

import pytest

from transport_etl.formats.jdf.stoptimes import parse_hhmm, parse_km, trip_calls


def row(tariff, stop, km, arr=None, dep=None, line_no=None, symbols=()):
    return {"tariff_no": str(tariff), "stop_no": str(stop), "post_code": None, "km": km, "arrival": arr,
            "departure": dep, "line_no": line_no or tariff, "symbols": list(symbols)}


def test_even_trip_runs_in_reverse_tariff_order():
    rows = [row(1, "A", "12", arr="0525"), row(2, "B", "5", dep="0512"), row(3, "C", "0", dep="0500")]
    tc = trip_calls(rows, even=True)
    assert [(c.stop_no, c.sequence) for c in tc.calls] == [("C", 1), ("B", 2), ("A", 3)]
    assert [c.departure_s for c in tc.calls] == [5 * 3600, 5 * 3600 + 12 * 60, 5 * 3600 + 25 * 60]
    assert [c.distance_m for c in tc.calls] == [0, 5000, 12000]


def test_midnight_crossing_counts_on_from_the_service_date():
    rows = [row(1, "A", "0", dep="2350"), row(2, "B", "6", dep="0005"), row(3, "C", "9", arr="0012")]
    tc = trip_calls(rows, even=False)
    assert [c.arrival_s for c in tc.calls] == [23 * 3600 + 50 * 60, 24 * 3600 + 5 * 60, 24 * 3600 + 12 * 60]
    assert tc.midnight_crossings == 1 and not tc.problems


def test_pass_and_other_route_and_unserved_stops():
    rows = [row(1, "A", None), row(2, "B", "0", dep="0600"), row(3, "C", "3", arr="|", dep="|"),
            row(4, "D", None, arr="<", dep="<"), row(5, "E", "7", arr="0612")]
    tc = trip_calls(rows, even=False)
    assert [(c.stop_no, c.passes, c.pickup_type, c.arrival_s) for c in tc.calls] == [
        ("B", False, 0, 6 * 3600), ("C", True, 1, None), ("E", False, 0, 6 * 3600 + 12 * 60)]


def test_arrival_and_departure_both_kept():
    tc = trip_calls([row(1, "A", "0", dep="0600"), row(2, "B", "4", arr="0610", dep="0618"),
                     row(3, "C", "9", arr="0630")], even=False)
    b = tc.calls[1]
    assert (b.arrival_s, b.departure_s) == (6 * 3600 + 10 * 60, 6 * 3600 + 18 * 60)


def test_stop_symbols_set_pickup_and_drop_off():
    tc = trip_calls([row(1, "A", "0", dep="0600", symbols=")"), row(2, "B", "4", dep="0610", symbols="x"),
                     row(3, "C", "9", arr="0630")], even=False, symbols_of={3: ["("]})
    assert [(c.pickup_type, c.drop_off_type) for c in tc.calls] == [(0, 1), (3, 3), (1, 0)]


def test_bad_time_is_reported_with_its_line():
    tc = trip_calls([row(1, "A", "0", dep="0600"), row(2, "B", "4", dep="6:10", line_no=42),
                     row(3, "C", "9", arr="0630")], even=False)
    assert [c.stop_no for c in tc.calls] == ["A", "C"]
    assert (tc.problems[0].line_no, tc.problems[0].code) == (42, "invalid_time")
    assert tc.problems[0].quarantines  # the record is quarantined, not a warning beside a loaded row


def test_hhmm_allows_2400_at_most():
    assert parse_hhmm("0000") == 0 and parse_hhmm("2359") == 1439 and parse_hhmm("2400") == 1440
    for bad in ("2430", "2401", "2460", "2500", "0560", "05:14", "514", "05140", "-514", "٠٥١٠", "05 4"):
        with pytest.raises(ValueError):
            parse_hhmm(bad)


def test_km_only_finite_plausible_decimals():
    assert parse_km("0") == 0 and parse_km("12.5") == 12.5 and parse_km("12,5") == 12.5 and parse_km(None) is None
    assert parse_km("3000") == 3000
    for bad in ("nan", "NaN", "inf", "-inf", "1e400", "1e3", "-5", "+5", "1_000", "99999", "12.5.1", "٣"):
        with pytest.raises(ValueError):
            parse_km(bad)


@pytest.mark.parametrize(("km", "arr", "dep", "code"), [
    ("4", None, "2460", "invalid_time"), ("4", None, "2430", "invalid_time"), ("4", "05:14", None, "invalid_time"),
    ("4", None, None, "missing_time"), ("nan", None, "0610", "invalid_km"), ("inf", None, "0610", "invalid_km"),
    ("1e400", None, "0610", "invalid_km"), ("-5", None, "0610", "invalid_km")])
def test_unreadable_call_quarantines_its_record(km, arr, dep, code):
    rows = [row(1, "A", "0", dep="0600"), row(2, "B", km, arr=arr, dep=dep, line_no=42),
            row(3, "C", "9", arr="0630")]
    rows[1]["raw"] = "the record"
    tc = trip_calls(rows, even=False)
    assert [c.stop_no for c in tc.calls] == ["A", "C"]
    assert all(c.distance_m is None or math.isfinite(c.distance_m) for c in tc.calls)
    (p,) = tc.problems
    assert (p.code, p.line_no, p.severity, p.file_name, p.raw) == (code, 42, "REJECT", "zasspoje", "the record")
