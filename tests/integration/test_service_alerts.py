"""GTFS-Realtime ServiceAlerts: the demo closure of I/13 Chlumec – Krupka, decoded and checked against the demo's
road topology and the regional GTFS export; synthetic events for the rules (detour, no stop, not a closure,
no service, over); an empty feed."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import json
import zipfile
from pathlib import Path

import dagster as dg
import pytest
from google.transit import gtfs_realtime_pb2 as rt

from demo import regional, road
from demo.places import BY_KEY
from tests.integration.test_harmonise_services import (
    Y,
    _insert,
    _line,
    network,  # noqa: F401 - the synthetic network fixture
)
from transport_etl.catalog import Source
from transport_etl.db.gis_access import gis_url
from transport_etl.export.gtfs import export_gtfs
from transport_etl.export.service_alerts import service_alerts_feed
from transport_etl.harmonise.run import unify
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

# The demo's closure (demo/road.py _write_datex): record, road leg and validity as the generator writes them.
CLOSURE_RECORD, CLOSURE_ROAD, CLOSURE_LEG = "NDIC-2025-0001_1", "I/13", ("Chlumec", "Krupka")
CLOSURE_FROM, CLOSURE_TO = "2025-03-01T06:00:00+01:00", "2027-12-31T18:00:00+01:00"
NOW = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=1)))   # a Monday of the timetable year


def _quiet(_m: str) -> None:
    pass


def _decode(data: bytes) -> rt.FeedMessage:
    msg = rt.FeedMessage()
    msg.ParseFromString(data)
    return msg


def _cut_off_towns() -> set[str]:
    """Towns the closure cuts off, from the demo's road list alone: walk along the closed road outwards from
    the closed leg to the nearest town where another road meets it (a junction: the detour passes there)."""
    roads = {rn: towns for rn, _fw, towns in road.ROADS}
    junctions = {t for rn, towns in roads.items() for t in towns
                 if any(t in other for orn, other in roads.items() if orn != rn)}
    towns = roads[CLOSURE_ROAD]
    i, j = towns.index(CLOSURE_LEG[0]), towns.index(CLOSURE_LEG[1])
    inside = set()
    for step, start in ((-1, min(i, j)), (1, max(i, j))):
        k = start
        while 0 <= k < len(towns) and towns[k] not in junctions:
            inside.add(towns[k])
            k += step
    return inside


def _gtfs(path: Path) -> dict[str, list[dict[str, str]]]:
    with zipfile.ZipFile(path) as z:
        return {n[:-4]: list(csv.DictReader(io.StringIO(z.read(n).decode("utf-8")))) for n in z.namelist()}


@pytest.fixture
def demo_loaded(tmp_path, db_url):
    """The demo's road sources and regional timetable loaded, then unify (stops + patterns on links)."""
    entries = []
    for module in (regional, road):
        out = tmp_path / module.__name__.split(".")[-1]
        entries += [(out, e) for e in module.generate(out)["sources"]]
    for out, entry in entries:
        src = Source(**{**entry, "location": str(out / entry["location"])})
        result = ingest(src, database_url=db_url, run_kind="test", log=_quiet)
        assert result.outcome == "loaded", (src.id, result.reason)
    unify(db_url, log=_quiet)
    return db_url


def test_demo_closure_alert_names_the_stops_it_cuts_off_in_the_published_gtfs_ids(tmp_path, demo_loaded, conn,
                                                                                  monkeypatch):
    data = service_alerts_feed(demo_loaded, now=NOW)
    assert service_alerts_feed(gis_url(demo_loaded), now=NOW) == data    # a web server reading as the GIS role
    feed = _decode(data)
    assert feed.header.gtfs_realtime_version == "2.0"
    assert feed.header.timestamp == int(NOW.timestamp())
    assert feed.header.incrementality == rt.FeedHeader.FULL_DATASET

    # Expected, independently: the regional GTFS export (what consumers join to) and the demo's road topology.
    export_gtfs(demo_loaded, None, tmp_path / "region.zip")
    gtfs = _gtfs(tmp_path / "region.zip")
    towns = _cut_off_towns()
    assert towns == {"Chlumec", "Krupka"}
    line = next(li for li in regional.LINES if li["line"] == "551401")
    cut_names = {BY_KEY[s[0]].name.replace(",,", ", ") for s in line["stops"] if s[0] and BY_KEY[s[0]].municipality in towns}
    stops = {s["stop_id"]: s for s in gtfs["stops"]}
    routes = {r["route_id"]: r for r in gtfs["routes"]}
    trips = {t["trip_id"]: t for t in gtfs["trips"]}
    days: dict[str, set[str]] = {}
    for c in gtfs["calendar_dates"]:
        days.setdefault(c["service_id"], set()).add(c["date"])
    first, last = NOW.strftime("%Y%m%d"), dt.datetime.fromisoformat(CLOSURE_TO).strftime("%Y%m%d")
    expected = {(st["trip_id"], st["stop_id"]) for st in gtfs["stop_times"]
                if stops[st["stop_id"]]["stop_name"] in cut_names
                and routes[trips[st["trip_id"]]["route_id"]]["route_short_name"] == "551401"
                and any(first <= d <= last for d in days[trips[st["trip_id"]]["service_id"]])}
    assert len({s for _t, s in expected}) >= 2 and len({t for t, _s in expected}) >= 10

    (entity,) = feed.entity     # the I/30 works and the II/261 closure affect no journey: no alert
    record_version = conn.execute(
        "SELECT record_version FROM gis.road_event_record WHERE local_id = %s", (CLOSURE_RECORD,)).fetchone()[0]
    assert entity.id == f"road-ndic-datex2:{CLOSURE_RECORD}:v{record_version}"
    alert = entity.alert
    informed = {(e.trip.trip_id, e.stop_id) for e in alert.informed_entity if e.HasField("trip")}
    assert informed == expected
    for e in alert.informed_entity:
        assert e.route_id in routes and e.stop_id in stops
        assert not e.HasField("trip") or (e.trip.trip_id in trips and trips[e.trip.trip_id]["route_id"] == e.route_id)
    stations = {(e.route_id, e.stop_id) for e in alert.informed_entity if not e.HasField("trip")}
    assert stations == {(trips[t]["route_id"], stops[s]["parent_station"]) for t, s in expected}
    assert all(s.startswith("cz.ustecky.stop:") for _r, s in stations)     # canonical stops, as the export

    (period,) = alert.active_period
    assert (period.start, period.end) == (int(dt.datetime.fromisoformat(CLOSURE_FROM).timestamp()),
                                          int(dt.datetime.fromisoformat(CLOSURE_TO).timestamp()))
    assert alert.effect == rt.Alert.DETOUR and alert.cause == rt.Alert.UNKNOWN_CAUSE   # a management record
    for text in (alert.header_text, alert.description_text):
        assert {t.language for t in text.translation} == {"cs", "en"} and all(t.text for t in text.translation)
    cs = {t.language: t.text for t in alert.header_text.translation}["cs"]
    assert "Chlumec" in cs and "Krupka" in cs and "551401" in cs
    assert all(f"{CLOSURE_RECORD} v{record_version}" in t.text for t in alert.description_text.translation)

    # A closure without services is a closure all the same (it has a closed stretch): left out for want of
    # anyone to inform, not for its type.
    assert conn.execute("""SELECT count(*) FROM unified.road_event e, gis.closed_stretch(e.id)
                           WHERE e.source_id = 'road-rsd-closures'""").fetchone()[0] > 0

    # The CLI writes the same feed, its JSON, and records the build in lineage.
    from transport_etl.cli import main

    out = tmp_path / "rt" / "alerts.pb"
    assert main(["alerts", "--out", str(out), "--json", "--now", NOW.isoformat()]) == 0
    data = out.read_bytes()
    assert _decode(data).entity[0] == entity
    assert json.loads(out.with_suffix(".json").read_text())["entity"][0]["id"] == entity.id
    kind, outcome, message = conn.execute(
        "SELECT run_kind, outcome, message FROM lineage.load_run WHERE asset_key = 'gtfs_rt/service_alerts'").fetchone()
    assert (kind, outcome) == ("cli", "loaded")
    assert json.loads(message)["sha256"] == hashlib.sha256(data).hexdigest()

    # The Dagster asset writes it where it is told and reports the figures.
    from assets.alerts_assets import build_alerts_assets
    from assets.resources import PostGISResource

    monkeypatch.setenv("TRANSPORT_ETL_ALERTS_OUT", str(tmp_path / "asset" / "alerts.pb"))
    result = dg.materialize(build_alerts_assets([]), resources={"postgis": PostGISResource(database_url=demo_loaded)})
    md = result.get_asset_materialization_events()[0].materialization.metadata
    assert md["alerts"].value == 1 and md["informed_stops"].value == len({s for _t, s in expected})
    assert len(_decode((tmp_path / "asset" / "alerts.pb").read_bytes()).entity) == 1


def _event(conn, net: dict, local_id: str, event_type: str, link: str, m_from: float, m_to: float) -> int:
    fv = conn.execute("SELECT feed_version_id FROM unified.road_event WHERE id = %s", (net["closure"],)).fetchone()[0]
    e = {"source_id": "syn-closures", "feed_version_id": fv, "namespace": "cz.ustecky.syn-closures"}
    eid = conn.execute(
        """INSERT INTO unified.road_event (source_id, feed_version_id, namespace, local_id, event_type, starts_at,
                                           ends_at, location_status)
           VALUES (%(source_id)s, %(feed_version_id)s, %(namespace)s, %(lid)s, %(t)s, '2026-03-01 06:00+00',
                   '2026-03-10 18:00+00', 'located') RETURNING id""", {**e, "lid": local_id, "t": event_type}).fetchone()[0]
    conn.execute("""INSERT INTO unified.road_event_location (source_id, feed_version_id, namespace, local_id,
                        road_event_id, transport_link_id, from_measure_m, to_measure_m)
                    VALUES (%(source_id)s, %(feed_version_id)s, %(namespace)s, %(lid)s, %(eid)s, %(link)s, %(f)s, %(t)s)""",
                 {**e, "lid": local_id + ":1", "eid": eid, "link": net[link], "f": m_from, "t": m_to})
    return eid


def test_closure_roadworks_no_service_and_expiry_on_a_synthetic_network(db_url, conn, network):  # noqa: F811
    """Link A then B (I/13, no junction between: one stretch, and a dead end beyond B), journey 801 stopping
    three times on A, 803 with stops 250 m off the road, 805 from the start of A to a stop far along B; a
    closure on A (1–10 March), a closure on B (open-ended), works on B, a closure of the side road nobody uses."""
    g = {"source_id": "syn-gtfs", "namespace": "cz.ustecky.syn-gtfs", **dict(zip(
        ("feed_version_id", "line_id", "service_calendar_id"),
        conn.execute("SELECT feed_version_id, line_id, service_calendar_id FROM unified.journey WHERE local_id = 'T1'"
                     ).fetchone(), strict=True))}
    shape = _insert(conn, "route_geometry", {"source_id": g["source_id"], "namespace": g["namespace"],
                                              "feed_version_id": g["feed_version_id"], "local_id": "shp805",
                                              "derived_from": "shape", "length_m": 2000,
                                              "geom": _line(-750000, Y + 6, -748000, Y + 6)})
    t3 = _insert(conn, "journey", {**g, "local_id": "T3", "route_geometry_id": shape, "public_code": "805"})
    start = conn.execute("SELECT id FROM unified.stop_point WHERE local_id = 'Start'").fetchone()[0]
    far = _insert(conn, "stop_point", {k: g[k] for k in ("source_id", "namespace", "feed_version_id")}
                  | {"local_id": "Farside", "name": "Farside", "geom": f"SRID=5514;POINT(-748400 {Y + 12})"})
    for seq, point in enumerate((start, far), start=1):
        _insert(conn, "call", {k: g[k] for k in ("source_id", "namespace", "feed_version_id")}
                | {"local_id": f"T3:{seq}", "journey_id": t3, "stop_point_id": point, "sequence": seq,
                   "departure_s": 8 * 3600 + seq * 300})
    _event(conn, network, "W1", "roadworks", "link_b", 100, 300)
    _event(conn, network, "S1", "closure", "side", 0, 500)
    unify(db_url, log=_quiet)
    feed = _decode(service_alerts_feed(db_url, now=dt.datetime(2026, 3, 1, 12, tzinfo=dt.UTC)))
    alerts = {e.id.split(":")[1]: e.alert for e in feed.entity}
    assert set(alerts) == {"C1", "C2", "W1"}                 # S1 affects no journey: left out
    trip = {t: f"syn-gtfs:{t}" for t in ("T1", "T2", "T3")}
    c1 = alerts["C1"]
    assert {(e.trip.trip_id, e.stop_id) for e in c1.informed_entity} == {
        (trip["T1"], "syn-gtfs:Start"), (trip["T1"], "syn-gtfs:Middle"), (trip["T1"], "syn-gtfs:End"),
        (trip["T3"], "syn-gtfs:Start"), (trip["T3"], "syn-gtfs:Farside"),   # B lies beyond the closure, no junction
        (trip["T2"], "")}                                     # 803 only detours: the trip, no stop
    assert c1.effect == rt.Alert.DETOUR                       # 803 still serves both its stops
    assert all(e.route_id == "syn-gtfs:L8" for e in c1.informed_entity)
    assert [(p.start, p.end) for p in c1.active_period] == [
        (int(dt.datetime(2026, 3, 1, 6, tzinfo=dt.UTC).timestamp()), int(dt.datetime(2026, 3, 10, 18, tzinfo=dt.UTC).timestamp()))]
    c2 = alerts["C2"]                                         # no start, no end: no period (in force while listed)
    assert len(c2.active_period) == 0
    w1 = alerts["W1"]                                         # works close nothing: trips, no stops
    assert {(e.trip.trip_id, e.stop_id) for e in w1.informed_entity} == {(trip["T2"], ""), (trip["T3"], "")}
    assert (w1.effect, w1.cause) == (rt.Alert.OTHER_EFFECT, rt.Alert.CONSTRUCTION)
    assert {t.language for t in w1.header_text.translation} == {"cs", "en"}
    assert w1.informed_entity[0].trip.route_id == "syn-gtfs:L8"

    # After 10 March the closure on A and the works are over; the open-ended closure on B is not.
    later = _decode(service_alerts_feed(db_url, now=dt.datetime(2026, 3, 11, tzinfo=dt.UTC)))
    assert {e.id.split(":")[1] for e in later.entity} == {"C2"}


def test_no_events_give_a_valid_empty_feed(db_url):
    when = dt.datetime(2026, 3, 2, 8, tzinfo=dt.UTC)
    data = service_alerts_feed(db_url, now=when)
    feed = _decode(data)
    assert feed.header.gtfs_realtime_version == "2.0" and feed.header.timestamp == int(when.timestamp())
    assert len(feed.entity) == 0
    assert feed.IsInitialized()


def test_the_asset_follows_new_versions_of_events_and_timetables_not_reloads(tmp_path):
    """Declarative automation as the daemon evaluates it: a new data version of a DATEX II or a JDF source
    requests the feed; an unchanged reload, or a source the alerts do not read (parking), does not."""
    from assets.alerts_assets import KEY, build_alerts_assets
    from assets.resources import PostGISResource

    sources = [Source(id=i, family=f, format=fmt, location=str(tmp_path / "x")) for i, f, fmt in (
        ("ev-datex2", "road", "datex2"), ("bus-jdf", "regional", "jdf"), ("city-parking", "municipal", "parking"))]
    keys = {s.format: dg.AssetKey([s.family, s.id.replace("-", "_")]) for s in sources}
    identity = dg.AssetKey(["unified", "stop_identity"])
    (alerts,) = build_alerts_assets(sources)
    assert set(alerts.asset_deps[KEY]) == {keys["datex2"], keys["jdf"], identity}
    defs = dg.Definitions(assets=[*(dg.AssetSpec(k) for k in [*keys.values(), identity]), alerts],
                          resources={"postgis": PostGISResource(database_url="postgresql://unused")})

    def published(instance, key, version):
        instance.report_runless_asset_event(dg.AssetMaterialization(key, tags={"dagster/data_version": version}))

    with dg.DagsterInstance.ephemeral() as instance:
        tick = dg.evaluate_automation_conditions(defs=defs, instance=instance)
        for key in (keys["datex2"], keys["jdf"]):
            published(instance, key, "v1")
            tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
            assert tick.get_num_requested(KEY) == 1, key
            instance.report_runless_asset_event(dg.AssetMaterialization(KEY))      # the feed was rebuilt
            tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
        published(instance, keys["datex2"], "v1")                                  # same content again
        published(instance, keys["parking"], "v1")
        tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
        assert tick.get_num_requested(KEY) == 0
        published(instance, keys["datex2"], "v2")
        tick = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=tick.cursor)
        assert tick.get_num_requested(KEY) == 1
