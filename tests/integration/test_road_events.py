"""DATEX II events located on the current road network by section id and by projecting points."""

from __future__ import annotations

import math

import pytest

from tests.integration.test_road_network import (
    X0,
    Y0,
    i13_sections,
    ii261_sections,
    load_network,
    write_layer,
)
from tests.unit.test_datex2_parser import CLOSED, datex_doc, gn_location, record
from transport_etl.ingest.run import ingest


def _measure_on(coords, x):
    """Truth: metres from the start of a polyline (monotone in x) to the point on it at easting x."""
    total = 0.0
    for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
        if x <= x2:
            f = (x - x1) / (x2 - x1)
            return total + f * math.hypot(x2 - x1, y2 - y1)
        total += math.hypot(x2 - x1, y2 - y1)
    raise AssertionError("beyond line")


def _on_line(coords, x, offset=0.0):
    for (x1, y1), (x2, y2) in zip(coords, coords[1:], strict=False):
        if x1 <= x <= x2:
            return x, y1 + (x - x1) / (x2 - x1) * (y2 - y1) + offset
    raise AssertionError


@pytest.fixture
def network(tmp_path, db_url, make_source):
    path = write_layer(tmp_path / "net.gpkg", i13_sections() + ii261_sections())
    assert load_network(make_source, db_url, path).outcome == "loaded"
    return {f["ROAD_ID"]: list(f["geometry"].coords) for f in i13_sections()}


def _load_datex(tmp_path, db_url, make_source, records: str, **options):
    p = tmp_path / "d2.xml"
    p.write_text(datex_doc(records), encoding="utf-8")
    src = make_source("datex2", id="road-ndic", family="road", **options)
    return ingest(src, p, database_url=db_url, run_kind="test", log=lambda _m: None)


def _locations(conn, local_id):
    return conn.execute(
        """SELECT t.local_id, l.from_measure_m, l.to_measure_m, l.method, ST_Length(l.geom)
           FROM unified.road_event e JOIN unified.road_event_location l ON l.road_event_id = e.id
           JOIN unified.transport_link t ON t.id = l.transport_link_id
           WHERE e.local_id = %s ORDER BY l.local_id""", (local_id,)).fetchall()


def test_closure_by_two_sjtsk_points_spans_the_right_links(tmp_path, db_url, conn, make_source, network):
    # Start 500 m into section 1001, end 300 m into 1003, both published 3 m beside the centreline.
    start = _on_line(network["1001"], X0 + 500, offset=3.0)
    end = _on_line(network["1003"], X0 + 2300, offset=-3.0)
    rec = record("c1_0", "RoadOrCarriagewayOrLaneManagement", gn_location("I/13", start, end), CLOSED)
    res = _load_datex(tmp_path, db_url, make_source, rec)
    assert res.outcome == "loaded", res.reason
    locs = _locations(conn, "c1_0")
    assert [r[0] for r in locs] == ["1001", "1002", "1003"]
    len1001, len1002 = _measure_on(network["1001"], X0 + 1000), _measure_on(network["1002"], X0 + 2000)
    truth = {"1001": (_measure_on(network["1001"], X0 + 500), len1001), "1002": (0.0, len1002),
             "1003": (0.0, _measure_on(network["1003"], X0 + 2300))}
    for link, f, t, method, length in locs:
        assert f == pytest.approx(truth[link][0], abs=5.0) and t == pytest.approx(truth[link][1], abs=5.0)
        assert method == "projection"
        assert length == pytest.approx(t - f, abs=0.01)
    status, impact, etype, gtype, comment = conn.execute(
        "SELECT location_status, impact, event_type, ST_GeometryType(geom), comment FROM unified.road_event "
        "WHERE local_id = 'c1_0'").fetchone()
    assert (status, impact, etype, gtype) == ("located", "roadClosed", "closure", "ST_LineString")
    assert comment == "Uzavírka silnice"


def test_closure_in_reverse_digitisation_direction(tmp_path, db_url, conn, make_source, network):
    start = _on_line(network["1003"], X0 + 2700)
    end = _on_line(network["1002"], X0 + 1200)
    rec = record("c2", "RoadOrCarriagewayOrLaneManagement", gn_location("I/13", start, end), CLOSED)
    assert _load_datex(tmp_path, db_url, make_source, rec).outcome == "loaded"
    locs = {r[0]: (r[1], r[2]) for r in _locations(conn, "c2")}
    assert set(locs) == {"1002", "1003"}
    assert locs["1002"][0] == pytest.approx(_measure_on(network["1002"], X0 + 1200), abs=5)
    assert locs["1003"][1] == pytest.approx(_measure_on(network["1003"], X0 + 2700), abs=5)


def test_section_id_lands_on_that_link(tmp_path, db_url, conn, make_source, network):
    recs = (record("s1", "MaintenanceWorks", gn_location(None, None, None, [("1002", None, None)]))
            + record("s2", "MaintenanceWorks", gn_location(None, None, None, [("1003", 120.0, 480.0)])))
    assert _load_datex(tmp_path, db_url, make_source, recs).outcome == "loaded"
    (s1,) = _locations(conn, "s1")
    assert s1[0] == "1002" and s1[1] == 0 and s1[2] == pytest.approx(_measure_on(network["1002"], X0 + 2000))
    assert s1[3] == "section_id"
    (s2,) = _locations(conn, "s2")
    assert s2[:4] == ("1003", 120.0, 480.0, "section_id")


def test_event_on_missing_road_is_kept_unlocated_with_reason(tmp_path, db_url, conn, make_source, network):
    recs = (record("m1", "MaintenanceWorks", gn_location("II/999", (X0 + 500, Y0 + 5), (X0 + 800, Y0 + 5)))
            + record("m2", "MaintenanceWorks", gn_location(None, None, None, [("777777", None, None)]))
            + record("m3", "MaintenanceWorks", gn_location("I/13", (X0 + 500, Y0 + 400), None)))
    res = _load_datex(tmp_path, db_url, make_source, recs)
    assert res.outcome == "loaded"
    rows = dict((r[0], r[1:]) for r in conn.execute(
        "SELECT local_id, location_status, unlocated_reason, ST_GeometryType(geom) FROM unified.road_event"))
    assert rows["m1"] == ("unlocated", "road II/999 is not in the current road network", "ST_MultiPoint")
    assert rows["m2"][:2] == ("unlocated", "section 777777 not in the current road network")
    assert rows["m3"][:2] == ("unlocated", "no link of road I/13 within 50.0 m of the start point")
    assert conn.execute("SELECT count(*) FROM unified.road_event_location").fetchone()[0] == 0
    notices = conn.execute("SELECT entity_key FROM lineage.notice WHERE code = 'road_event_unlocated' "
                           "ORDER BY entity_key").fetchall()
    assert [n[0] for n in notices] == ["m1", "m2", "m3"]
    assert res.notices == {"road_event_unlocated (WARNING)": 3}


def test_xml_bomb_rejects_the_version(tmp_path, db_url, conn, make_source):
    p = tmp_path / "bomb.xml"
    p.write_text('<?xml version="1.0"?><!DOCTYPE a [<!ENTITY a "aaaa"><!ENTITY b "&a;&a;&a;&a;">]>'
                 '<d2LogicalModel xmlns="http://datex2.eu/schema/2/2_0">&b;</d2LogicalModel>')
    res = ingest(make_source("datex2", id="road-ndic", family="road"), p, database_url=db_url, run_kind="test",
                 log=lambda _m: None)
    assert res.outcome == "rejected" and res.reason_code == "xml_doctype_refused"
    assert conn.execute("SELECT count(*) FROM unified.road_event").fetchone()[0] == 0
