"""The road demo files load end to end: the I/13 closure lands on the Chlumec – Krupka sections."""

from __future__ import annotations

from demo import road
from transport_etl.catalog import Source
from transport_etl.ingest.run import ingest


def test_demo_road_sources_load_and_locate(tmp_path, db_url, conn):
    out = road.generate(tmp_path / "demo")
    again = road.generate(tmp_path / "demo2")
    for entry in out["sources"]:                      # deterministic bytes
        assert (tmp_path / "demo" / entry["location"]).read_bytes() == \
               (tmp_path / "demo2" / entry["location"]).read_bytes()
    assert out == again
    results = {}
    for entry in out["sources"]:
        src = Source(**{**entry, "location": str(tmp_path / "demo" / entry["location"])})
        results[src.id] = ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None)
        assert results[src.id].outcome == "loaded", (src.id, results[src.id].reason)
    assert results["road-rsd-network"].rows_rejected == 0
    names = {r[0] for r in conn.execute("SELECT name FROM unified.transport_link WHERE road_number = 'I/13'")}
    assert any("Ústí nad Labem – Trmice" in n for n in names)
    closure = conn.execute(
        """SELECT e.location_status, e.event_type, array_agg(DISTINCT t.name ORDER BY t.name)
           FROM unified.road_event e JOIN unified.road_event_location l ON l.road_event_id = e.id
           JOIN unified.transport_link t ON t.id = l.transport_link_id
           WHERE e.local_id = 'NDIC-2025-0001_1' GROUP BY 1, 2""").fetchone()
    assert closure[0] == "located" and closure[1] == "closure"
    assert all(n.startswith("Chlumec – Krupka") for n in closure[2])
    works = conn.execute("SELECT location_status, road_number FROM unified.road_event "
                         "WHERE local_id = 'NDIC-2025-0002_1'").fetchone()
    assert works == ("located", "I/30")
    # ALERT-C-only records are located through the demo location table (method 4: 300 m from the point).
    alert_c = conn.execute(
        """SELECT e.location_status, e.road_number, round(ST_Distance(e.geom, a.geom))
           FROM unified.road_event e, gis.alertc_location_5514 a
           WHERE e.local_id = 'NDIC-2025-0003_1' AND a.road_number = 'D8' AND a.junction_number = '80'""").fetchone()
    assert alert_c == ("located", "D8", 300)
    v3 = dict(conn.execute("SELECT local_id, location_status FROM unified.road_event "
                           "WHERE source_id = 'road-ndic-datex2-v3'").fetchall())
    assert v3 == {"NDIC-2025-0101_1": "located", "NDIC-2025-0102_1": "located", "NDIC-2025-0103_1": "unlocated"}
    assert conn.execute("SELECT location_status FROM unified.road_event WHERE source_id = 'road-rsd-closures'"
                        ).fetchone() == ("located",)
    joined, total = conn.execute("SELECT count(transport_link_id), count(*) FROM unified.traffic_count").fetchone()
    assert total == sum(len(t) - 1 for _rn, _fw, t in road.ROADS) and joined == total
