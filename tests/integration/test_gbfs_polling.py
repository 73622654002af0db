"""GBFS end to end against a loopback HTTP server that serves a system like gbfs.nextbike.net:
discovery → stations → status polls (dedup by last_updated), and failed polls (timeout, garbage)."""

from __future__ import annotations

import datetime as dt
import json
import threading
import time
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from transport_etl.formats.gbfs.status import poll_gbfs_status
from transport_etl.ingest.poll import poll_due_sources, poll_health
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

STATIONS = [  # Most: 1. náměstí, nádraží, Repre
    {"station_id": "101", "name": "Most, 1. náměstí", "lat": 50.5030, "lon": 13.6362, "capacity": 10},
    {"station_id": "102", "name": "Most, nádraží", "lat": 50.5086, "lon": 13.6445, "capacity": 8},
    {"station_id": "103", "name": "Most, Repre", "lat": 50.5052, "lon": 13.6380},
]


class FakeGbfs:
    """A GBFS 2.3 system on 127.0.0.1:<random port>; tests change last_updated, delays, garbage."""

    def __init__(self) -> None:
        self.last_updated = 1_760_000_000
        self.bikes = {"101": 4, "102": 0, "103": 2}
        self.delay_s: dict[str, float] = {}
        self.garbage: set[str] = set()
        owner = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 - http.server API
                name = self.path.rsplit("/", 1)[-1].removesuffix(".json")
                time.sleep(owner.delay_s.get(name, 0))
                body = b"<html>502 Bad Gateway</html>" if name in owner.garbage else owner.document(name)
                if body is None:
                    self.send_error(404)
                    return
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                try:
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.base = f"http://127.0.0.1:{self.server.server_address[1]}/maps/gbfs/v2/nextbike_uo"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def document(self, name: str) -> bytes | None:
        feeds = ["system_information", "station_information", "station_status", "free_bike_status"]
        data = {
            "gbfs": {"en": {"feeds": [{"name": f, "url": f"{self.base}/en/{f}.json"} for f in feeds]},
                     "cs": {"feeds": [{"name": f, "url": f"{self.base}/cs/{f}.json"} for f in feeds]}},
            "system_information": {"system_id": "nextbike_uo", "language": "cs", "name": "nextbike Most",
                                   "timezone": "Europe/Prague"},
            "station_information": {"stations": STATIONS},
            "station_status": {"stations": [
                {"station_id": k, "num_bikes_available": v, "num_docks_available": 10 - v, "is_installed": True,
                 "is_renting": True, "is_returning": True, "last_reported": self.last_updated - 30}
                for k, v in self.bikes.items()]},
            "free_bike_status": {"bikes": [{"bike_id": "b1", "lat": 50.504, "lon": 13.637, "is_reserved": False,
                                            "is_disabled": False}]},
        }.get(name)
        if data is None:
            return None
        return json.dumps({"last_updated": self.last_updated, "ttl": 60, "version": "2.3",
                           "data": data}).encode()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def gbfs_server():
    srv = FakeGbfs()
    yield srv
    srv.close()


@pytest.fixture
def source(gbfs_server, make_source):
    src = make_source("gbfs", id="nextbike-most", timeout_s=0.5, poll_interval_s=60)
    return replace(src, location=f"{gbfs_server.base}/gbfs.json")


def _count(conn, table: str) -> int:
    return conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]


def test_discovered_loaded_and_polled_twice(db_url, conn, gbfs_server, source):
    res = ingest(source, database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    rows = conn.execute("SELECT local_id, name, capacity, ST_SRID(geom), ST_X(geom) < 0 FROM unified.bike_station "
                        "WHERE recorded_to IS NULL ORDER BY local_id").fetchall()
    assert [r[0] for r in rows] == ["101", "102", "103"]
    assert rows[0][1] == "Most, 1. náměstí" and rows[0][2] == 10 and rows[2][2] is None
    assert all(r[3] == 5514 and r[4] for r in rows)
    assert _count(conn, "lineage.entity_source WHERE unified_table = 'unified.bike_station'") == 3
    # the load took the snapshot of the status it came with
    assert _count(conn, "unified.bike_station_status") == 3

    gbfs_server.last_updated += 60
    gbfs_server.bikes["102"] = 3
    first = poll_gbfs_status(db_url, source)
    assert first.outcome == "ok" and first.rows == 3 + 1  # 3 stations + 1 free bike
    assert first.lag_s is not None and first.lag_s > 0
    second = poll_gbfs_status(db_url, source)
    assert second.outcome == "unchanged" and second.rows == 0
    assert _count(conn, "unified.bike_station_status") == 6
    assert conn.execute("SELECT num_bikes_available FROM unified.bike_station_status WHERE station_id = '102' "
                        "ORDER BY last_updated DESC LIMIT 1").fetchone()[0] == 3
    outcomes = conn.execute("SELECT outcome, rows_written FROM lineage.poll_run WHERE load_run_id IS NULL "
                            "ORDER BY id").fetchall()
    assert outcomes == [("ok", 4), ("unchanged", 0)]


def test_timeout_and_garbage_are_failed_polls_and_the_next_succeeds(db_url, conn, gbfs_server, source):
    gbfs_server.delay_s["station_status"] = 2.0  # source timeout_s is 0.5
    timed_out = poll_gbfs_status(db_url, source)
    assert timed_out.outcome == "failed" and "timed out" in timed_out.error

    gbfs_server.delay_s.clear()
    gbfs_server.garbage.add("station_status")
    garbage = poll_gbfs_status(db_url, source)
    assert garbage.outcome == "failed" and "not JSON" in garbage.error
    assert _count(conn, "unified.bike_station_status") == 0

    gbfs_server.garbage.clear()
    ok = poll_gbfs_status(db_url, source)
    assert ok.outcome == "ok" and ok.rows == 4
    runs = conn.execute("SELECT outcome, error_message IS NOT NULL, finished_at IS NOT NULL FROM lineage.poll_run "
                        "ORDER BY id").fetchall()
    assert runs == [("failed", True, True), ("failed", True, True), ("ok", False, True)]
    health = {h["feed"]: h for h in poll_health(db_url, [source.id])}["gbfs_status"]
    assert health["failures"] == 2 and health["polls"] == 3 and health["last_outcome"] == "ok"


def test_poll_due_sources_respects_interval(db_url, conn, gbfs_server, source, make_source):
    not_pollable = make_source("gtfs", id="static-only")
    first = poll_due_sources(db_url, [source, not_pollable])
    assert [(r.source_id, r.outcome) for r in first] == [("nextbike-most", "ok")]
    again = poll_due_sources(db_url, [source])
    assert [r.outcome for r in again] == ["skipped"]  # interval 60 s not elapsed
    assert _count(conn, "lineage.poll_run") == 1


def test_millisecond_and_broken_times(db_url, conn, gbfs_server, source):
    """A system publishing epoch milliseconds (real feeds do) is read as such, with a notice; a
    last_updated that is no time (NaN, 1e300, a 20-digit number) is a failed poll with the reason, never an
    internal error; a last_reported that is no time skips that station, said in the poll's note."""
    gbfs_server.last_updated = 1_760_000_000_000   # milliseconds, last_reported too
    res = ingest(source, database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    assert res.notices.get("timestamp_in_milliseconds (WARNING)") == 2   # one per document (status, bikes)
    assert conn.execute("SELECT min(last_updated)::date, min(last_reported)::date FROM unified.bike_station_status"
                        ).fetchone() == (dt.date(2025, 10, 9),) * 2

    for bad in (float("nan"), 1e300, 10**20):
        gbfs_server.last_updated = bad
        failed = poll_gbfs_status(db_url, source)
        assert failed.outcome == "failed" and "last_updated" in failed.error, failed.error

    gbfs_server.last_updated = 1_760_000_600
    original = gbfs_server.document

    def broken_report(name: str) -> bytes | None:
        body = original(name)
        if name == "station_status":
            doc = json.loads(body)
            doc["data"]["stations"][0]["last_reported"] = 1e20
            body = json.dumps(doc).encode()
        return body

    gbfs_server.document = broken_report
    ok = poll_gbfs_status(db_url, source)
    assert ok.outcome == "ok" and ok.rows == 2 + 1 and "1 status records skipped" in (ok.error or ""), ok
