"""GTFS-RT history with a tiny static feed built in the test: matching reasons, alerts linked to
lines and stops, duplicate messages, a folder sequence with a bad file, and URL polling."""

from __future__ import annotations

import threading
import zipfile
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from google.transit import gtfs_realtime_pb2 as pb

from transport_etl.formats.gtfs_rt.poll import poll_gtfs_rt
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration
QUIET = {"run_kind": "test", "log": lambda _m: None}
T0 = 1_772_442_000  # 2026-03-02 10:00:00 Europe/Prague (09:00 UTC)

STATIC = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nDPMUL,DPmÚL,https://www.dpmul.cz,Europe/Prague\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nHN,Hlavní nádraží,50.65938,14.04446\n"
                 "MN,Mírové náměstí,50.66095,14.03310\nDV,Divadlo,50.66285,14.03805\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_type\nL5,DPMUL,5,800\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                    "WD,1,1,1,1,1,0,0,20260101,20261231\n",
    "trips.txt": "route_id,service_id,trip_id\nL5,WD,T1\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                      "T1,10:00:00,10:00:00,HN,1\nT1,10:04:00,10:04:00,MN,2\nT1,10:07:00,10:07:00,DV,3\n",
}


def _t1_update(ts: int) -> tuple[pb.FeedMessage, pb.TripUpdate]:
    """A message at ``ts`` with one trip update of T1 on 2 March 2026 (no stop time updates yet)."""
    m = pb.FeedMessage()
    m.header.gtfs_realtime_version = "2.0"
    m.header.timestamp = ts
    e = m.entity.add(id="tu-T1")
    e.trip_update.trip.trip_id = "T1"
    e.trip_update.trip.start_date = "20260302"
    return m, e.trip_update


def _message(ts: int) -> bytes:
    m, tu = _t1_update(ts)
    s = tu.stop_time_update.add(stop_sequence=2, stop_id="MN")
    s.departure.delay = 150
    s = tu.stop_time_update.add(stop_sequence=3, stop_id="DV")
    s.arrival.time = T0 + 7 * 60 + 200  # 200 s late
    e = m.entity.add(id="tu-X")
    e.trip_update.trip.trip_id = "NOT-IN-STATIC"
    e = m.entity.add(id="tu-added")
    e.trip_update.trip.trip_id = "EXTRA-1"
    e.trip_update.trip.schedule_relationship = pb.TripDescriptor.ADDED
    e = m.entity.add(id="vp-1")
    e.vehicle.trip.trip_id = "T1"
    e.vehicle.position.latitude, e.vehicle.position.longitude = 50.6609, 14.0331
    e = m.entity.add(id="al-1")
    e.alert.effect = pb.Alert.DETOUR
    e.alert.header_text.translation.add(text="Objížďka Mírové náměstí", language="cs")
    e.alert.header_text.translation.add(text="Detour", language="en")
    e.alert.informed_entity.add(route_id="L5")
    e.alert.informed_entity.add(stop_id="MN")
    return m.SerializeToString()


@pytest.fixture
def static(db_url, tmp_path, make_source):
    z = tmp_path / "dpmul.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name, text in STATIC.items():
            zf.writestr(name, text)
    res = ingest(make_source("gtfs", id="dpmul-gtfs"), z, database_url=db_url, **QUIET)
    assert res.outcome == "loaded", res.reason
    return res.feed_version_id


def test_matching_reasons_alert_links_and_duplicates(db_url, conn, tmp_path, make_source, static):
    f = tmp_path / "tu.pb"
    f.write_bytes(_message(T0))
    rt = make_source("gtfs-rt", id="dpmul-rt", static_source="dpmul-gtfs")
    res = ingest(rt, f, database_url=db_url, **QUIET)
    assert res.outcome == "loaded", res.reason
    reasons = dict(conn.execute("SELECT trip_id, coalesce(unmatched_reason, 'matched') FROM unified.rt_trip_update"))
    assert reasons == {"T1": "matched", "NOT-IN-STATIC": "trip_not_in_static", "EXTRA-1": "added_trip"}
    assert res.notices == {"trip_update_unmatched (WARNING)": 2}
    delays = conn.execute("SELECT stop_id, coalesce(departure_delay_s, arrival_delay_s), "
                          "to_char(scheduled_departure AT TIME ZONE 'Europe/Prague', 'HH24:MI') "
                          "FROM unified.rt_stop_time_update ORDER BY stop_sequence").fetchall()
    assert delays == [("MN", 150, "10:04"), ("DV", 200, "10:07")]
    assert conn.execute("SELECT ST_SRID(geom), location_note FROM unified.rt_vehicle_position").fetchone() == (5514,
                                                                                                            None)
    alert = conn.execute("SELECT header_text, effect FROM unified.rt_alert").fetchone()
    assert alert == ("Objížďka Mírové náměstí", "DETOUR")
    links = conn.execute(
        "SELECT e.route_id, l.local_id, e.stop_id, sp.local_id, pl.id IS NOT NULL FROM unified.rt_alert_entity e "
        "LEFT JOIN unified.line l ON l.id = e.line_id LEFT JOIN unified.stop_point sp ON sp.id = e.stop_point_id "
        "LEFT JOIN unified.stop_place pl ON pl.id = e.stop_place_id ORDER BY e.id").fetchall()
    assert links[0][:2] == ("L5", "L5")
    assert links[1][2:4] == ("MN", "MN") and links[1][4]
    hourly = conn.execute("SELECT stop_id, avg_delay_s FROM unified.rt_stop_delay_hourly ORDER BY 1").fetchall()
    assert [(s, float(d)) for s, d in hourly] == [("DV", 200.0), ("MN", 150.0)]

    # a folder whose second file has the bytes of the message already recorded: a duplicate, nothing recorded,
    # its entities counted (rows_in == loaded + rejected), a file that is not a message listed
    folder = tmp_path / "rec"
    folder.mkdir()
    (folder / "00.pb").write_bytes(_message(T0 + 600))
    (folder / "01-copy.pb").write_bytes(_message(T0))
    (folder / "README.txt").write_text("notes", encoding="utf-8")
    copy = ingest(rt, folder, database_url=db_url, **QUIET)
    assert copy.outcome == "loaded" and copy.notices["duplicate_message (INFO)"] == 1
    assert copy.notices["unused_file (INFO)"] == 1
    stats = conn.execute("SELECT file_stats->'01-copy.pb' FROM lineage.feed_version WHERE source_id = %s "
                         "ORDER BY id DESC LIMIT 1", (rt.id,)).fetchone()[0]
    assert stats["rows_in"] == stats["rows_loaded"] + stats["rows_rejected"] > 0
    assert conn.execute("SELECT count(*) FROM unified.rt_message").fetchone()[0] == 2

    # same header timestamp, other bytes (one more entity): other content, recorded, and said so
    m = pb.FeedMessage()
    m.ParseFromString(_message(T0))
    m.entity.add(id="late-extra").trip_update.trip.trip_id = "T1"
    f2 = tmp_path / "tu-again.pb"
    f2.write_bytes(m.SerializeToString())
    again = ingest(rt, f2, database_url=db_url, **QUIET)
    assert again.outcome == "loaded" and again.notices.get("same_header_timestamp (INFO)") == 1
    assert conn.execute("SELECT count(*) FROM unified.rt_message").fetchone()[0] == 3


def test_updates_match_their_static_call_by_stop_id_or_by_sequence_alone(db_url, conn, tmp_path, make_source,
                                                                        static):
    """An update naming only its stop_id matches the journey's first call at that stop; one naming only its
    stop_sequence gets the call's stop (id and position); a stop the trip does not call at stays unmatched."""
    m, tu = _t1_update(T0)
    tu.stop_time_update.add(stop_id="DV").arrival.delay = 30
    tu.stop_time_update.add(stop_sequence=2).arrival.delay = 20
    tu.stop_time_update.add(stop_id="NOWHERE").arrival.delay = 10
    f = tmp_path / "by-stop.pb"
    f.write_bytes(m.SerializeToString())
    res = ingest(make_source("gtfs-rt", id="dpmul-rt", static_source="dpmul-gtfs"), f, database_url=db_url, **QUIET)
    assert res.outcome == "loaded", res.reason
    rows = conn.execute(
        "SELECT stop_id, stop_sequence, stop_matched, to_char(scheduled_arrival AT TIME ZONE 'Europe/Prague', "
        "'HH24:MI'), geom IS NOT NULL FROM unified.rt_stop_time_update ORDER BY id").fetchall()
    assert rows == [("DV", 3, True, "10:07", True), ("MN", 2, True, "10:04", True),
                    ("NOWHERE", None, False, None, False)]


def test_folder_sequence_quarantines_a_bad_message(db_url, conn, tmp_path, make_source, static):
    seq = tmp_path / "seq"
    seq.mkdir()
    for i in range(3):
        (seq / f"{i:02d}.pb").write_bytes(_message(T0 + 30 * i))
    (seq / "03.pb").write_bytes(b"\x0a\xff\xff garbage")
    rt = make_source("gtfs-rt", id="dpmul-rt", static_source="dpmul-gtfs", max_reject_ratio=0.5)
    res = ingest(rt, seq, database_url=db_url, **QUIET)
    assert res.outcome == "loaded", res.reason
    assert res.rows_rejected == 1
    assert conn.execute("SELECT count(*) FROM unified.rt_message").fetchone()[0] == 3
    assert conn.execute("SELECT file_name, reason_code FROM lineage.rejected_record").fetchone() == ("03.pb",
                                                                                                     "invalid_protobuf")


def test_poll_from_url(db_url, conn, make_source, static):
    state = {"body": _message(T0)}

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server API
            self.send_response(200)
            self.send_header("Content-Length", str(len(state["body"])))
            self.end_headers()
            self.wfile.write(state["body"])

        def log_message(self, *args):
            pass

    srv = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    try:
        rt = replace(make_source("gtfs-rt", id="dpmul-rt", static_source="dpmul-gtfs", timeout_s=2),
                     location=f"http://127.0.0.1:{srv.server_address[1]}/gtfsrt/trip_updates.pb")
        first = poll_gtfs_rt(db_url, rt)
        assert first.outcome == "ok" and first.rows > 0
        assert "trip_not_in_static 1" in first.error and "added_trip 1" in first.error
        assert poll_gtfs_rt(db_url, rt).outcome == "unchanged"
        state["body"] = b"not protobuf at all"
        bad = poll_gtfs_rt(db_url, rt)
        assert bad.outcome == "failed" and "not a GTFS-Realtime FeedMessage" in bad.error
        state["body"] = _message(T0 + 30)
        assert poll_gtfs_rt(db_url, rt).outcome == "ok"
    finally:
        srv.shutdown()
        srv.server_close()
    assert conn.execute("SELECT count(*) FROM unified.rt_message").fetchone()[0] == 2
    outcomes = [r[0] for r in conn.execute("SELECT outcome FROM lineage.poll_run ORDER BY id")]
    assert outcomes == ["ok", "unchanged", "failed", "ok"]


def test_alert_entities_find_their_line_stop_point_and_stop_place_once_each(db_url, conn, tmp_path, make_source,
                                                                           static):
    """Informed entities are linked set-based (record.sql): a trip's route when no route is given, a stop
    named by two alerts in both, a parent station as stop place, unknown ids unlinked; after a second static
    version that moved stop MN, its current (newest) stop point."""
    z = tmp_path / "dpmul2.zip"
    with zipfile.ZipFile(z, "w") as zf:
        for name, text in STATIC.items():
            if name == "stops.txt":
                text = ("stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station\n"
                        "HN,Hlavní nádraží,50.65938,14.04446,0,UL\nMN,Mírové náměstí,50.66099,14.03315,0,\n"
                        "DV,Divadlo,50.66285,14.03805,0,\nUL,Ústí nad Labem,50.6594,14.0445,1,\n")
            zf.writestr(name, text)
    assert ingest(make_source("gtfs", id="dpmul-gtfs"), z, database_url=db_url, **QUIET).outcome == "loaded"
    m = pb.FeedMessage()
    m.header.gtfs_realtime_version = "2.0"
    m.header.timestamp = T0
    for aid, named in (("a1", [{"stop_id": "MN"}, {"trip": "T1"}, {"stop_id": "UL"}, {"route_id": "L9"}]),
                       ("a2", [{"stop_id": "MN"}, {"stop_id": "HN"}, {"stop_id": "NOWHERE"}])):
        a = m.entity.add(id=aid).alert
        a.header_text.translation.add(text=aid, language="cs")
        for ie in named:
            if "trip" in ie:
                a.informed_entity.add().trip.trip_id = ie["trip"]
            else:
                a.informed_entity.add(**ie)
    f = tmp_path / "alerts.pb"
    f.write_bytes(m.SerializeToString())
    res = ingest(make_source("gtfs-rt", id="dpmul-rt", static_source="dpmul-gtfs"), f, database_url=db_url, **QUIET)
    assert res.outcome == "loaded", res.reason
    current = dict(conn.execute("SELECT local_id, id FROM unified.stop_point WHERE recorded_to IS NULL"))
    place = dict(conn.execute("SELECT local_id, id FROM unified.stop_place WHERE recorded_to IS NULL"))
    rows = conn.execute(
        "SELECT a.entity_id, e.route_id, e.trip_id, e.stop_id, l.local_id, e.stop_point_id, e.stop_place_id "
        "FROM unified.rt_alert_entity e JOIN unified.rt_alert a ON a.id = e.alert_id "
        "LEFT JOIN unified.line l ON l.id = e.line_id ORDER BY a.entity_id, e.id").fetchall()
    hn_place = conn.execute("SELECT stop_place_id FROM unified.stop_point WHERE id = %s", (current["HN"],)).fetchone()[0]
    assert rows == [("a1", None, None, "MN", None, current["MN"], place.get("MN") or rows[0][6]),
                    ("a1", "L5", "T1", None, "L5", None, None),
                    ("a1", None, None, "UL", None, None, place["UL"]),
                    ("a1", "L9", None, None, None, None, None),
                    ("a2", None, None, "MN", None, current["MN"], rows[0][6]),
                    ("a2", None, None, "HN", None, current["HN"], place.get("HN") or hn_place),
                    ("a2", None, None, "NOWHERE", None, None, None)]
    assert rows[0][6] is not None and hn_place == place["UL"]
    assert conn.execute("SELECT count(*) FROM unified.stop_point WHERE local_id = 'MN'").fetchone()[0] == 2
