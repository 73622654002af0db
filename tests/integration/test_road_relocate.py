"""Current road events follow a new road-network version: re-located on its link rows when it is published."""

from __future__ import annotations

import pytest

from tests.integration.test_road_events import _measure_on, _on_line
from tests.integration.test_road_network import X0, i13_sections, ii261_sections, load_network, write_layer
from tests.unit.test_datex2_parser import CLOSED, datex_doc, gn_location, record
from transport_etl.ingest.run import ingest

RELOCATED = "relocated_on_network_version"


def _locations(conn, local_id):
    """(link local id, link row id, link version, link current?, from, to) per location row of the event."""
    return conn.execute(
        """SELECT t.local_id, t.id, t.version, t.recorded_to IS NULL, l.from_measure_m, l.to_measure_m
           FROM unified.road_event e JOIN unified.road_event_location l ON l.road_event_id = e.id
           JOIN unified.transport_link t ON t.id = l.transport_link_id
           WHERE e.local_id = %s ORDER BY l.local_id""", (local_id,)).fetchall()


def _events(conn):
    return {r[0]: r[1:] for r in conn.execute(
        """SELECT local_id, id, location_status, unlocated_reason, ST_GeometryType(geom), recorded_to IS NULL
           FROM unified.road_event""")}


def _lineage(conn, table):
    return conn.execute(
        f"""SELECT u.local_id, es.match_method, es.feed_version_id = u.feed_version_id, es.source_line
            FROM unified.{table} u LEFT JOIN lineage.entity_source es
              ON es.unified_table = 'unified.{table}' AND es.unified_id = u.id ORDER BY u.local_id""").fetchall()


@pytest.fixture
def loaded(tmp_path, db_url, conn, make_source):
    """Network v1 and a DATEX II publication with events on link 1002 (which v2 moves) and on 1003."""
    v1 = write_layer(tmp_path / "v1.gpkg", i13_sections() + ii261_sections())
    assert load_network(make_source, db_url, v1, valid_from="2024-01-01").outcome == "loaded"
    # The closure's points lie on the road as surveyed for v2 (1002's middle vertex 30 m further north):
    # 12 m off the v1 geometry, so v1 locates it approximately and v2 exactly.
    truth = list(i13_sections(moved=True)[1]["geometry"].coords)
    start, end = _on_line(truth, X0 + 1200), _on_line(truth, X0 + 1800)
    recs = (record("c1", "RoadOrCarriagewayOrLaneManagement", gn_location("I/13", start, end), CLOSED)
            + record("s1", "MaintenanceWorks", gn_location(None, None, None, [("1002", None, None)]))
            + record("u1", "MaintenanceWorks", gn_location(None, None, None, [("1003", 100.0, 400.0)])))
    p = tmp_path / "d2.xml"
    p.write_text(datex_doc(recs), encoding="utf-8")
    src = make_source("datex2", id="road-ndic", family="road", network_source="road-net")
    res = ingest(src, p, database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    before = {k: _locations(conn, k) for k in ("c1", "s1", "u1")}
    assert [r[0] for r in before["c1"]] == ["1002"] and before["c1"][0][2] == 1
    return {"truth": truth, "events": _events(conn), "locations": before, "datex_fv": res.feed_version_id}


def test_moved_link_takes_the_events_to_its_new_version(tmp_path, db_url, conn, make_source, loaded):
    v2 = write_layer(tmp_path / "v2.gpkg", i13_sections(moved=True) + ii261_sections())
    res = load_network(make_source, db_url, v2, valid_from="2024-07-01")
    assert res.outcome == "loaded", res.reason
    assert res.tables["unified.road_event (relocated: road-ndic)"] == 3

    (c1,) = _locations(conn, "c1")
    link_id = conn.execute("SELECT id FROM unified.transport_link WHERE local_id = '1002' AND recorded_to IS NULL"
                           ).fetchone()[0]
    assert c1[:4] == ("1002", link_id, 2, True)
    assert c1[1] != loaded["locations"]["c1"][0][1]
    truth = loaded["truth"]
    assert c1[4] == pytest.approx(_measure_on(truth, X0 + 1200), abs=5.0)
    assert c1[5] == pytest.approx(_measure_on(truth, X0 + 1800), abs=5.0)
    (s1,) = _locations(conn, "s1")
    assert s1[:4] == ("1002", link_id, 2, True)
    assert s1[5] == pytest.approx(_measure_on(truth, X0 + 2000), abs=0.01)     # the whole, now longer, link
    # An event on an unchanged link stays on the same link row.
    assert _locations(conn, "u1") == loaded["locations"]["u1"]

    # Same event rows (ids), still current and located; no location left on a closed link row.
    assert _events(conn) == loaded["events"]
    assert conn.execute("""SELECT count(*) FROM unified.road_event_location l JOIN unified.transport_link t
                           ON t.id = l.transport_link_id WHERE t.recorded_to IS NOT NULL""").fetchone()[0] == 0
    # Lineage: one row per location, on the event's own feed version and record, saying it was relocated.
    lineage = _lineage(conn, "road_event_location")
    assert [(r[0], r[1], r[2]) for r in lineage] == [(k, RELOCATED, True) for k in ("c1/1", "s1/1", "u1/1")]
    assert all(r[3] is not None for r in lineage)


def test_removed_road_leaves_the_events_unlocated_with_reason(tmp_path, db_url, conn, make_source, loaded):
    sections = i13_sections()
    v3 = write_layer(tmp_path / "v3.gpkg", [sections[0], sections[2]] + ii261_sections())
    res = load_network(make_source, db_url, v3, valid_from="2024-07-01")
    assert res.outcome == "loaded", res.reason

    events = _events(conn)
    assert events["c1"] == (loaded["events"]["c1"][0], "unlocated",
                            "no link of road I/13 within 50.0 m of the start point", "ST_MultiPoint", True)
    assert events["s1"] == (loaded["events"]["s1"][0], "unlocated", "section 1002 not in the current road network",
                            None, True)
    assert events["u1"] == loaded["events"]["u1"]
    assert _locations(conn, "c1") == [] and _locations(conn, "s1") == []
    assert _locations(conn, "u1") == loaded["locations"]["u1"]
    assert [r[:2] for r in _lineage(conn, "road_event_location")] == [("u1/1", RELOCATED)]
    assert all(r[1] == "source" for r in _lineage(conn, "road_event"))
    notices = conn.execute("SELECT entity_key, message FROM lineage.notice WHERE feed_version_id = %s "
                           "AND code = 'road_event_unlocated' ORDER BY entity_key", (res.feed_version_id,)).fetchall()
    assert [n[0] for n in notices] == ["c1", "s1"] and notices[0][1].startswith("road-ndic: ")


def test_events_of_another_network_are_left_alone(tmp_path, db_url, conn, make_source, loaded):
    other = write_layer(tmp_path / "other.gpkg", i13_sections(moved=True))
    res = load_network(make_source, db_url, other, source_id="road-other")
    assert res.outcome == "loaded", res.reason
    assert not any("relocated" in k for k in res.tables)
    assert {k: _locations(conn, k) for k in ("c1", "s1", "u1")} == loaded["locations"]
