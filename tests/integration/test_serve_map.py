"""`transport-etl serve` on the demo's road and regional sources: OGC API – Features (collections, items,
one feature) and vector tiles of the gis layers, read as the GIS role; the as-of functions; the web map in
headless Chromium, where a click on the I/13 closure lists the lines it affects.

Run alone: `.venv/bin/python -m pytest tests/integration/test_serve_map.py -s` (prints the latencies;
the screenshot goes to the test's tmp folder, `make map-screenshot` writes docs/img/map.png).
"""

from __future__ import annotations

import json
import math
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import psycopg
import pytest
from google.transit import gtfs_realtime_pb2

from demo import regional, road
from tests.browser import require_chromium
from tests.conftest import scratch_database
from transport_etl.catalog import Source
from transport_etl.export.service_alerts import service_alerts_feed
from transport_etl.harmonise.affected import refresh_affected_services
from transport_etl.harmonise.run import unify
from transport_etl.ingest.run import ingest
from transport_etl.serve.web import is_built

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import map_screenshot  # noqa: E402

pytestmark = pytest.mark.integration
CLOSURE = "NDIC-2025-0001_1"  # the demo's I/13 Chlumec – Krupka closure
DEMO_LINE = "551401"           # the regional bus line that runs on it


def _quiet(_msg: str) -> None:
    pass


@pytest.fixture(scope="module")
def demo_db(template_db, tmp_path_factory):
    """A database with the demo's road and regional sources loaded and harmonised (module-wide: the
    server and the browser test share it)."""
    with scratch_database("tetl_serve", template_db) as url:
        out = tmp_path_factory.mktemp("serve_demo")
        for module in (road, regional):
            made = module.generate(out / module.__name__)
            for entry in made["sources"]:
                src = Source(**{**entry, "location": str(out / module.__name__ / entry["location"])})
                result = ingest(src, database_url=url, run_kind="test", log=_quiet)
                assert result.outcome == "loaded", (src.id, result.reason)
        unify(url, log=_quiet)
        yield url


@pytest.fixture(scope="module")
def server(demo_db):
    # the server's own choice of role: no GIS or read URL from the developer's shell
    env = {"TRANSPORT_ETL_DATABASE_URL": demo_db, "TRANSPORT_ETL_READ_URL": "", "TRANSPORT_ETL_GIS_URL": ""}
    with map_screenshot.map_server(env) as url:
        yield url


def _get(url: str, accept: str = "application/json") -> tuple[bytes, float]:
    t0 = time.monotonic()
    with urllib.request.urlopen(urllib.request.Request(url, headers={"Accept": accept}), timeout=30) as r:
        assert r.status == 200, url
        return r.read(), time.monotonic() - t0


def _json(url: str) -> tuple[dict, float]:
    body, took = _get(url, "application/geo+json" if "/items" in url else "application/json")
    return json.loads(body), took


def _tile(lon: float, lat: float, z: int) -> tuple[int, int]:
    """The WebMercatorQuad tile (x, y) holding a lon/lat at zoom z."""
    n = 2 ** z
    y = (1 - math.asinh(math.tan(math.radians(lat))) / math.pi) / 2 * n
    return int((lon + 180) / 360 * n), int(y)


def _closure(conn) -> tuple[int, float, float]:
    return conn.execute(
        """SELECT id, ST_X(p), ST_Y(p) FROM (SELECT id, ST_Transform(ST_LineInterpolatePoint(
               ST_LineMerge(geom), 0.5), 4326) AS p FROM unified.road_event
               WHERE local_id = %s AND recorded_to IS NULL) t""", (CLOSURE,)).fetchone()


def test_ogc_api_features_and_tiles_as_the_gis_role(demo_db, server):
    with psycopg.connect(demo_db, autocommit=True) as conn:
        views = {r[0] for r in conn.execute(
            "SELECT table_name FROM information_schema.views WHERE table_schema = 'gis'")}
        stops = conn.execute("SELECT count(*) FROM gis.canonical_stop_place").fetchone()[0]
        event_id, lon, lat = _closure(conn)
        lineage = conn.execute("SELECT source_file, source_line FROM gis.row_lineage('road_event', %s)",
                               (event_id,)).fetchone()
        before_closure = conn.execute("SELECT starts_at::date - 1 FROM unified.road_event WHERE id = %s",
                                      (event_id,)).fetchone()[0]
        # the server's connections: the read-only GIS login, not the owner of the tables
        catalog, t_catalog = _json(f"{server}/collections?limit=1000")
        users = {r[0] for r in conn.execute(
            "SELECT usename FROM pg_stat_activity WHERE application_name = 'transport_etl serve' "
            "AND datname = current_database()")}
    assert users == {"gis_analyst"}

    ids = {c["id"] for c in catalog["collections"]}
    assert {f"gis.{v}" for v in views} <= ids, "a gis layer is not an OGC API collection"
    assert {"gis.map_stop_asof", "gis.map_line_asof", "gis.map_link_asof", "gis.map_road_event_asof"} <= ids

    items, t_items = _json(f"{server}/collections/gis.canonical_stop_place/items?limit=5")
    assert items["numberMatched"] == stops > 0 and len(items["features"]) == 5
    # (a canonical stop of a register without coordinates has no geometry: a feature all the same)
    assert {f["geometry"]["type"] for f in items["features"] if f["geometry"]} == {"Point"}
    feature, t_feature = _json(f"{server}/collections/gis.road_event_line/items/{event_id}")
    assert feature["id"] == event_id and feature["properties"]["road_number"] == "I/13"
    assert feature["geometry"]["type"] == "MultiLineString"

    import mapbox_vector_tile

    x, y = _tile(lon, lat, 12)
    body, t_tile = _get(f"{server}/collections/gis.road_event_line/tiles/WebMercatorQuad/12/{x}/{y}",
                        "application/vnd.mapbox-vector-tile")
    layer = mapbox_vector_tile.decode(body)["road_event_line"]
    assert event_id in {f["properties"]["id"] for f in layer["features"]}
    for collection, layer_name in (("gis.canonical_stop_place", "canonical_stop_place"),
                                   ("gis.transport_link", "transport_link"), ("gis.service_pattern", "service_pattern"),
                                   ("gis.map_road_event_asof", "map_road_event_asof")):
        body, _t = _get(f"{server}/collections/{collection}/tiles/WebMercatorQuad/12/{x}/{y}",
                        "application/vnd.mapbox-vector-tile")
        assert mapbox_vector_tile.decode(body).get(layer_name, {}).get("features"), collection
    print(f"\nOGC API on the demo: collections {t_catalog * 1000:.0f} ms, items {t_items * 1000:.0f} ms, "
          f"feature {t_feature * 1000:.0f} ms, tile z12 {t_tile * 1000:.0f} ms ({len(body)} B)")

    # as of a date and a moment: the closure is on the map only while it is in force and once it was known
    def events(**params) -> set[int]:
        q = "&".join(f"{k}={v}" for k, v in params.items())
        return {f["id"] for f in _json(f"{server}/collections/gis.map_road_event_asof/items?limit=100&{q}")[0]["features"]}

    assert event_id in events()
    assert event_id not in events(valid_on=before_closure.isoformat())
    assert events(known_at="2000-01-01T00:00:00Z") == set()

    lineage_api, _t = _json(f"{server}/map/api/lineage/road_event/{event_id}")
    assert (lineage_api["lineage"][0]["source_file"], lineage_api["lineage"][0]["source_line"]) == lineage
    # a layer named like a mixed-geometry one (…_point) that is a unified table of its own: stop_point
    with psycopg.connect(demo_db, autocommit=True) as conn:
        point_id, point_file = conn.execute("""SELECT unified_id, source_file FROM lineage.row_source
                                               WHERE unified_table = 'unified.stop_point' LIMIT 1""").fetchone()
    point_lineage = _json(f"{server}/map/api/lineage/stop_point/{point_id}")[0]["lineage"]
    assert point_lineage and point_lineage[0]["source_file"] == point_file

    # the GTFS-Realtime ServiceAlerts feed, served as the GIS role: the same alerts the library builds
    served, _t = _get(f"{server}/gtfs-rt/alerts.pb", "application/x-protobuf")
    feed = gtfs_realtime_pb2.FeedMessage()
    feed.ParseFromString(served)
    built = gtfs_realtime_pb2.FeedMessage()
    built.ParseFromString(service_alerts_feed(demo_db))
    assert feed.header.gtfs_realtime_version == "2.0"
    assert [e.id for e in feed.entity] == [e.id for e in built.entity] and feed.entity
    assert [e.alert for e in feed.entity] == [e.alert for e in built.entity]


def _running_day(conn, event_id: int):
    """A day the demo line runs while the closure is on, from today on where the timetable allows."""
    day = conn.execute(
        """SELECT d::date FROM unified.road_event e, generate_series(e.starts_at::date,
               least(coalesce(e.ends_at::date, 'infinity'), e.starts_at::date + 1500), interval '1 day') d
           WHERE e.id = %s AND EXISTS (
               SELECT 1 FROM unified.journey j JOIN unified.line l ON l.id = j.line_id
               JOIN unified.service_calendar c ON c.id = j.service_calendar_id
               WHERE l.public_code = %s AND j.recorded_to IS NULL AND c.run_dates @> d::date)
           ORDER BY d::date < current_date, d LIMIT 1""", (event_id, DEMO_LINE)).fetchone()
    assert day, f"line {DEMO_LINE} never runs while the closure is on"
    return day[0]


def test_the_popup_lists_the_lines_affected_as_known_at_a_moment(demo_db, server):
    """The road-event API honours the map's "As known at": before the timetable was loaded the closure
    was on the map but affected no known line; known now, the lines are those gis.affected_services lists."""
    with psycopg.connect(demo_db, autocommit=True) as conn:
        event_id, _lon, _lat = _closure(conn)
        day = _running_day(conn, event_id)
        # just before the demo line's journeys were first recorded (the road source was loaded first)
        before_timetable = conn.execute(
            """SELECT min(j.recorded_from) - interval '1 millisecond' FROM unified.journey j
               JOIN unified.line l ON l.id = j.line_id WHERE l.public_code = %s""", (DEMO_LINE,)).fetchone()[0]
        located = conn.execute("SELECT max(recorded_from) FROM unified.road_event_location WHERE road_event_id = %s",
                               (event_id,)).fetchone()[0]
        today_lines = {(r[0], r[1]) for r in conn.execute(
            """SELECT line_code, count(DISTINCT journey_id) FROM gis.affected_services(%s, %s)
               GROUP BY line_code""", (event_id, day))}
    assert DEMO_LINE in {code for code, _n in today_lines}
    assert located <= before_timetable, "the closure was located only after the timetable was loaded"

    def popup(**params) -> set[tuple[str, int]]:
        q = urllib.parse.urlencode({"valid_on": day.isoformat(), **params})
        data = _json(f"{server}/map/api/road_event/{event_id}?{q}")[0]
        return {(r["line_code"], r["journeys"]) for r in data["affected_lines"]}

    then = before_timetable.isoformat()
    on_map_then = _json(f"{server}/collections/gis.map_road_event_asof/items?limit=100&"
                        + urllib.parse.urlencode({"valid_on": day.isoformat(), "known_at": then}))[0]
    assert event_id in {f["id"] for f in on_map_then["features"]}, "the closure was not yet known then"
    assert popup(known_at=then) == set()
    assert popup(known_at="now") == popup() == today_lines


def test_the_map_shows_the_lines_the_closure_affects(demo_db, server, tmp_path):
    require_chromium()
    if not is_built():
        subprocess.run(["make", "-s", "web"], cwd=ROOT, capture_output=True, timeout=600)
    assert is_built(), "web/dist missing and `make web` (npm ci + build) failed"
    with psycopg.connect(demo_db, autocommit=True) as conn:
        event_id, lon, lat = _closure(conn)
        day = _running_day(conn, event_id)
    # the operators' snapshot of that day (the Dagster asset's SQL), not the map's API, says which lines
    refresh_affected_services(demo_db, day)
    with psycopg.connect(demo_db, autocommit=True) as conn:
        expected = {r[0] for r in conn.execute(
            "SELECT DISTINCT line_code FROM unified.affected_service WHERE event_id = %s", (event_id,))}
    assert DEMO_LINE in expected

    shot = tmp_path / "map.png"
    result = map_screenshot.map_session(server, shot, click=(lon, lat), valid_on=day.isoformat())
    print(f"\nmap rendered in {result['load_s']} s: {result['rendered']}; popup lines {result['affected_lines']}")
    assert set(result["affected_lines"]) == expected
    assert "Where it came from" in result["popup"] and "road-ndic-datex2" in result["popup"]
    rendered = json.loads(result["rendered"])
    assert rendered.get("stops", 0) > 0 and rendered.get("links", 0) > 0 and rendered.get("events-line", 0) > 0
    assert shot.stat().st_size > 20_000
