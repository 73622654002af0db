"""Zasspoje → calls: travel order of even trips, midnight, passes and other-route stops."""

from transport_etl.formats.jdf.stoptimes import trip_calls


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
