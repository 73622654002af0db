"""ALERT-C events located through the location table onto the road network (round trip with the demo
network and its generated table: the event lies within 5 m of the links between the two locations)."""

from __future__ import annotations

import re

from demo import road, road_publishers
from demo.road_publishers import alertc_v3, lcd_of, v3_document, v3_record
from transport_etl.catalog import Source
from transport_etl.ingest.run import ingest


def _quiet(_m):
    return None


def _load(entry: dict, folder) -> object:
    src = Source(**{**entry, "location": str(folder / entry["location"])})
    res = ingest(src, database_url=None, run_kind="test", log=_quiet)
    assert res.outcome == "loaded", res.reason
    return res


def _event(rid: str, loc: str, xsi: str = "loc:SingleRoadLinearLocation") -> tuple[str, str]:
    return rid, v3_record(rid, "MaintenanceWorks", rid, f'<sit:locationReference xsi:type="{xsi}">{loc}'
                          "</sit:locationReference>", "", "2025-05-05T07:00:00+02:00", "2025-06-30T17:00:00+02:00")


def test_alertc_events_round_trip_through_the_table(tmp_path, db_url, conn, make_source):
    out = tmp_path / "demo"
    made = road.generate(out)
    entries = {e["id"]: e for e in made["sources"]}
    for sid in ("road-rsd-network", "road-alertc-location-table"):
        _load(entries[sid], out)
    pts = road_publishers.table_points(road.ROADS, road.network_sections())
    teplice, bilina = lcd_of(pts, "I/13", "Teplice"), lcd_of(pts, "I/13", "Bílina")
    most = lcd_of(pts, "I/13", "Most")
    segment = next(p["seg_lcd"] for p in pts if p["lcd"] == teplice)
    recs = [
        _event("m2-positive", alertc_v3("linear", "positive", bilina, teplice)),
        # Published the other way round (negative direction, primary upstream in table order): still found.
        _event("m2-negative", alertc_v3("linear", "negative", teplice, bilina)),
        # Primary plus extent instead of a secondary: 2 steps upstream of Most (positive flow).
        _event("extent", alertc_v3("linear", "positive", most, None).replace(
            "</loc:alertCLinear>", "<loc:alertCExtent>2</loc:alertCExtent></loc:alertCLinear>")),
        _event("unknown-code", alertc_v3("linear", "positive", 99999, teplice)),
        _event("no-path", alertc_v3("linear", "positive", bilina, lcd_of(pts, "D8", "Petrovice"))),
        # The whole segment Teplice – Bílina by its code (AlertCLinearByCode).
        _event("by-code", '<loc:alertCLinear xsi:type="loc:AlertCLinearByCode"><loc:alertCLocationCountryCode>9'
               "</loc:alertCLocationCountryCode><loc:alertCLocationTableNumber>25</loc:alertCLocationTableNumber>"
               "<loc:alertCLocationTableVersion>11.0</loc:alertCLocationTableVersion><loc:alertCDirection>"
               "<loc:alertCDirectionCoded>both</loc:alertCDirectionCoded></loc:alertCDirection>"
               f"<loc:locationCodeForLinearLocation><loc:specificLocation>{segment}</loc:specificLocation>"
               "</loc:locationCodeForLinearLocation></loc:alertCLinear>"),
    ]
    (tmp_path / "v3.xml").write_text(v3_document(recs), encoding="utf-8")
    src = make_source("datex2", id="road-v3", family="road", network_source="road-rsd-network",
                      location_table_source="road-alertc-location-table")
    res = ingest(src, tmp_path / "v3.xml", database_url=db_url, run_kind="test", log=_quiet)
    assert res.outcome == "loaded", res.reason
    assert res.tables["alertc references"] == 6
    assert res.tables["alertc references located through the table"] == 4

    # Round trip: the links the table names are those of I/13 between Teplice and Bílina.
    for rid in ("m2-positive", "m2-negative", "by-code"):
        status, named, within, event_len, links_len, far = conn.execute(
            """WITH named AS (SELECT id, geom, length_m FROM unified.transport_link
                              WHERE recorded_to IS NULL AND road_number = 'I/13' AND name LIKE 'Teplice – Bílina%%')
               SELECT e.location_status,
                      (SELECT count(*) FROM named),
                      (SELECT count(*) FROM unified.road_event_location l WHERE l.road_event_id = e.id
                         AND l.transport_link_id IN (SELECT id FROM named)),
                      ST_Length(e.geom), (SELECT sum(length_m) FROM named),
                      ST_HausdorffDistance(e.geom, (SELECT ST_LineMerge(ST_Collect(geom)) FROM named))
               FROM unified.road_event e WHERE e.local_id = %s AND e.recorded_to IS NULL""", (rid,)).fetchone()
        assert status == "located" and within == named == 4, (rid, status, within, named)
        assert abs(event_len - links_len) < 5.0, (rid, event_len, links_len)
        assert far <= 5.0, (rid, far)
    ext = conn.execute(
        """SELECT e.location_status, array_agg(DISTINCT t.name ORDER BY t.name)
           FROM unified.road_event e JOIN unified.road_event_location l ON l.road_event_id = e.id
           JOIN unified.transport_link t ON t.id = l.transport_link_id
           WHERE e.local_id = 'extent' AND e.recorded_to IS NULL
             AND l.to_measure_m - l.from_measure_m > 0.5          -- not the junction touching the next link
           GROUP BY 1""").fetchone()
    assert ext[0] == "located" and ext[1] == ["Bílina – Most (3/4)", "Bílina – Most (4/4)"]
    reasons = dict(conn.execute("SELECT local_id, unlocated_reason FROM unified.road_event "
                                "WHERE location_status = 'unlocated' AND recorded_to IS NULL").fetchall())
    assert reasons["unknown-code"] == "ALERT-C location 99999 is not in location table 25"
    assert "secondary location" in reasons["no-path"] and "not reached" in reasons["no-path"]


def test_table_point_off_the_road_is_not_trusted(tmp_path, db_url, conn, make_source):
    out = tmp_path / "demo"
    made = road.generate(out)
    _load(next(e for e in made["sources"] if e["id"] == "road-rsd-network"), out)
    pts = road_publishers.table_points(road.ROADS, road.network_sections())
    p = next(x for x in pts if x["road"] == "I/13" and x["town"] == "Krupka")
    from pyproj import Transformer
    lon, lat = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True).transform(p["xy"][0], p["xy"][1] + 40)
    lt = tmp_path / "lt26"
    lt.mkdir()
    (lt / "POINTS.DAT").write_text(
        "CID;TABCD;LCD;CLASS;TCD;STCD;ROA_LCD;XCOORD;YCOORD\n"
        f"25;26;1;P;1;3;9;{round(lon * 1e5):+09d};{round(lat * 1e5):+09d}\n", encoding="utf-8")
    (lt / "ROADS.DAT").write_text("CID;TABCD;LCD;CLASS;TCD;STCD;ROADNUMBER\n25;26;9;L;1;2;I/13\n", encoding="utf-8")
    ingest(make_source("alertc-location-table", id="lt26", family="road"), lt, database_url=db_url,
           run_kind="test", log=_quiet)
    doc = v3_document([_event("off-road", alertc_v3("point", "positive", 1).replace(
        "<loc:alertCLocationTableNumber>25<", "<loc:alertCLocationTableNumber>26<"), "loc:PointLocation")])
    (tmp_path / "v3.xml").write_text(doc, encoding="utf-8")
    res = ingest(make_source("datex2", id="road-v3", family="road"), tmp_path / "v3.xml", database_url=db_url,
                 run_kind="test", log=_quiet)
    assert res.outcome == "loaded"
    reason = conn.execute("SELECT unlocated_reason FROM unified.road_event WHERE local_id = 'off-road'").fetchone()[0]
    m = re.fullmatch(r"ALERT-C location 1 lies (\d+) m from the nearest link of road I/13 \(tolerance 5(\.0)? m\)",
                     reason or "")
    assert m and 20 <= int(m.group(1)) <= 40, reason
