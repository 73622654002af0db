"""Journey patterns on road links and the services a road event affects on a date."""

from __future__ import annotations

import datetime as dt

import pytest

from tests import synthetic
from transport_etl.harmonise.routes import match_routes
from transport_etl.harmonise.run import unify

pytestmark = pytest.mark.integration

Y = -980000.0


def _quiet(_msg: str) -> None:
    pass


def _line(x0, y0, x1, y1):
    return f"SRID=5514;LINESTRING({x0} {y0}, {x1} {y1})"


def _insert(conn, table: str, values: dict) -> int:
    cols = ", ".join(values)
    marks = ", ".join("%s::geometry" if k == "geom" else "%s" for k in values)
    return conn.execute(f"INSERT INTO unified.{table} ({cols}) VALUES ({marks}) RETURNING id",
                        list(values.values())).fetchone()[0]


@pytest.fixture
def network(conn):
    """Road I/13 east-west (link A, then link B), a side road crossing link A, one bus line on link A
    running on 2 and 20 March 2026, a closure of the middle of link A from 1 to 10 March."""
    synthetic.add_source(conn, "syn-road", "road", "road-network")
    synthetic.add_source(conn, "syn-gtfs", "municipal", "gtfs")
    synthetic.add_source(conn, "syn-closures", "road", "road-closures")
    road_fv = synthetic.add_feed_version(conn, "syn-road")
    gtfs_fv = synthetic.add_feed_version(conn, "syn-gtfs")
    ev_fv = synthetic.add_feed_version(conn, "syn-closures")
    common = {"source_id": "syn-road", "feed_version_id": road_fv, "namespace": "cz.ustecky.syn-road"}
    nodes = {name: _insert(conn, "transport_node", {**common, "local_id": name, "network": "road",
                                                     "geom": f"SRID=5514;POINT({x} {y})"})
             for name, (x, y) in {"N1": (-750000, Y), "N2": (-749000, Y), "N3": (-748000, Y),
                                  "N4": (-749500, Y - 500), "N5": (-749500, Y + 500)}.items()}
    link_a = _insert(conn, "transport_link", {**common, "local_id": "A", "network": "road", "road_number": "I/13",
                                               "start_node_id": nodes["N1"], "end_node_id": nodes["N2"],
                                               "length_m": 1000, "geom": _line(-750000, Y, -749000, Y)})
    link_b = _insert(conn, "transport_link", {**common, "local_id": "B", "network": "road", "road_number": "I/13",
                                               "start_node_id": nodes["N2"], "end_node_id": nodes["N3"],
                                               "length_m": 1000, "geom": _line(-749000, Y, -748000, Y)})
    side = _insert(conn, "transport_link", {**common, "local_id": "S", "network": "road", "road_number": "III/25",
                                             "start_node_id": nodes["N4"], "end_node_id": nodes["N5"],
                                             "length_m": 1000, "geom": _line(-749500, Y - 500, -749500, Y + 500)})
    g = {"source_id": "syn-gtfs", "feed_version_id": gtfs_fv, "namespace": "cz.ustecky.syn-gtfs"}
    line = _insert(conn, "line", {**g, "local_id": "L8", "public_code": "8", "name": "Divadlo – Trmice"})
    # runs on 2 and 20 March 2026 (the compact calendar: one range per run of days)
    cal = _insert(conn, "service_calendar", {**g, "local_id": "WD", "weekdays": "1111100",
                                              "run_dates": "{[2026-03-02,2026-03-02],[2026-03-20,2026-03-20]}"})
    shape = _insert(conn, "route_geometry", {**g, "local_id": "shp8", "derived_from": "shape", "length_m": 1000,
                                              "geom": _line(-750000, Y + 6, -749000, Y + 6)})
    journey = _insert(conn, "journey", {**g, "local_id": "T1", "line_id": line, "service_calendar_id": cal,
                                         "route_geometry_id": shape, "public_code": "801", "headsign": "Trmice"})
    for seq, (name, x) in enumerate((("Start", -749990), ("Middle", -749600), ("End", -749010)), start=1):
        point = _insert(conn, "stop_point", {**g, "local_id": name, "name": name,
                                              "geom": f"SRID=5514;POINT({x} {Y + 12})"})
        _insert(conn, "call", {**g, "local_id": f"T1:{seq}", "journey_id": journey, "stop_point_id": point,
                               "sequence": seq, "departure_s": 7 * 3600 + seq * 120})
    # A regional (JDF-like) journey of the same line without a path: its stops lie 250 m off the road,
    # so a straight line through them misses the road; it is routed on the network instead.
    regional = _insert(conn, "journey", {**g, "local_id": "T2", "line_id": line, "service_calendar_id": cal,
                                          "public_code": "803", "headsign": "Trmice"})
    for seq, (name, x, y) in enumerate((("West", -750050, Y + 250), ("East", -748050, Y - 250)), start=1):
        point = _insert(conn, "stop_point", {**g, "local_id": name, "name": name, "geom": f"SRID=5514;POINT({x} {y})"})
        _insert(conn, "call", {**g, "local_id": f"T2:{seq}", "journey_id": regional, "stop_point_id": point,
                               "sequence": seq, "departure_s": 9 * 3600 + seq * 300})
    e = {"source_id": "syn-closures", "feed_version_id": ev_fv, "namespace": "cz.ustecky.syn-closures"}
    closure = _insert(conn, "road_event", {**e, "local_id": "C1", "event_type": "closure",
                                            "starts_at": dt.datetime(2026, 3, 1, 6, tzinfo=dt.UTC),
                                            "ends_at": dt.datetime(2026, 3, 10, 18, tzinfo=dt.UTC),
                                            "location_status": "located"})
    _insert(conn, "road_event_location", {**e, "local_id": "C1:1", "road_event_id": closure,
                                          "transport_link_id": link_a, "from_measure_m": 200, "to_measure_m": 600})
    elsewhere = _insert(conn, "road_event", {**e, "local_id": "C2", "event_type": "closure",
                                              "location_status": "located"})
    _insert(conn, "road_event_location", {**e, "local_id": "C2:1", "road_event_id": elsewhere,
                                          "transport_link_id": link_b, "from_measure_m": 0, "to_measure_m": 900})
    return {"link_a": link_a, "link_b": link_b, "side": side, "journey": journey, "regional": regional,
            "closure": closure,
            "elsewhere": elsewhere, "shape": shape}


def test_pattern_is_matched_onto_the_links_it_runs_on(db_url, conn, network):
    summary = match_routes(db_url, log=_quiet)
    rows = conn.execute("""SELECT transport_link_id, seq, link_coverage, route_coverage, direction, link_from_m,
                                  link_to_m FROM unified.service_on_link WHERE derived_from = 'shape'
                           ORDER BY seq""").fetchall()
    assert [r[0] for r in rows] == [network["link_a"]]  # not the crossing side road, not the next link
    _, seq, link_cov, route_cov, direction, m_from, m_to = rows[0]
    assert seq == 1 and link_cov > 0.95 and route_cov > 0.95 and direction == "with"
    assert m_from < 1 and m_to > 999
    assert summary["patterns_matched"] == 2 and summary["patterns_routed"] == 1


def test_journeys_without_a_path_are_routed_through_their_stops(db_url, conn, network):
    match_routes(db_url, log=_quiet)
    pattern = conn.execute("SELECT id, derived_from, journey_ids FROM unified.service_pattern "
                           "WHERE route_geometry_id IS NULL").fetchone()
    assert pattern[1] == "calls" and pattern[2] == [network["regional"]]
    rows = conn.execute("SELECT transport_link_id, direction, route_coverage FROM unified.service_on_link "
                        "WHERE service_pattern_id = %s ORDER BY seq", (pattern[0],)).fetchall()
    assert [r[0] for r in rows] == [network["link_a"], network["link_b"]]
    assert all(r[1] == "with" and r[2] == 1.0 for r in rows)


def test_affected_services_on_a_running_date_and_not_otherwise(db_url, conn, network):
    unify(db_url, log=_quiet)  # stops + routes, as `transport-etl unify` runs them
    on = conn.execute("SELECT line_code, journey_id, journey_code, first_departure, affected_stops, road_numbers "
                      "FROM gis.affected_services(%s, %s)", (network["closure"], dt.date(2026, 3, 2))).fetchall()
    assert len(on) == 2  # the city journey with a shape and the routed regional one
    assert on[1][1] == network["regional"] and on[1][2] == "803" and on[1][4] is None  # no stop on the closure
    line_code, journey_id, journey_code, first_departure, stops, roads = on[0]
    assert (line_code, journey_id, journey_code, first_departure) == ("8", network["journey"], "801", "07:02")
    assert stops == ["Middle"] and roads == ["I/13"]
    # The journey does not run on 3 March; on 20 March it runs but the closure is over.
    for day in (dt.date(2026, 3, 3), dt.date(2026, 3, 20)):
        assert conn.execute("SELECT count(*) FROM gis.affected_services(%s, %s)",
                            (network["closure"], day)).fetchone()[0] == 0
    everything = conn.execute("SELECT event_id, journey_code FROM gis.affected_services_on(%s)",
                              (dt.date(2026, 3, 2),)).fetchall()
    assert sorted(everything) == sorted([(network["closure"], "801"), (network["closure"], "803"),
                                         (network["elsewhere"], "803")])
    # A closure of the next link affects only the journey that goes on there.
    assert conn.execute("SELECT array_agg(journey_code) FROM gis.affected_services(%s, %s)",
                        (network["elsewhere"], dt.date(2026, 3, 2))).fetchone()[0] == ["803"]
