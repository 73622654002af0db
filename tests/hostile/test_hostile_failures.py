"""Issue 13, failures that are not in the input: a lost database connection mid-load, a server that
trickles bytes past the deadline, an HTTP error. One line, non-zero exit, previous version unchanged."""

from __future__ import annotations

import http.server
import threading
import time
from collections.abc import Iterator

import pytest

from tests.hostile.conftest import snapshot, source_of
from transport_etl import cli
from transport_etl.failures import CONNECTION_LOST
from transport_etl.fetch import fetch
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration
GTFS = "municipal-dpmul-gtfs"


def test_lost_database_connection_is_one_line(baseline, catalog_tables, monkeypatch, capsys, tmp_path):
    """The data connection dies during publish (the server ends the backend): the CLI says so in one line,
    exits non-zero, and the previous version stays current."""
    url, demo = baseline
    from transport_etl.formats.gtfs import loader

    def publish_and_die(ctx):
        ctx.conn.execute("SELECT pg_terminate_backend(pg_backend_pid())")

    monkeypatch.setattr(loader, "publish", publish_and_die)
    monkeypatch.setenv("TRANSPORT_ETL_DATABASE_URL", url)
    monkeypatch.setenv("TRANSPORT_ETL_LOG_DIR", str(tmp_path / "logs"))
    before = snapshot(url, GTFS, catalog_tables["versioned"])
    feed = tmp_path / "feed.zip"
    feed.write_bytes(demo.path(GTFS).read_bytes() + b"\0")  # new bytes: not skipped as unchanged
    code = cli.main(["ingest", "--format", "gtfs", "--source", GTFS, str(feed)])
    err = [ln for ln in capsys.readouterr().err.splitlines() if ln.strip()]
    assert code != 0
    assert len(err) == 1 and err[0].startswith(f"transport-etl: {GTFS}: {CONNECTION_LOST}"), err
    assert "Traceback" not in err[0]
    assert list((tmp_path / "logs").glob("*.log")), "the traceback goes to a log file"
    assert snapshot(url, GTFS, catalog_tables["versioned"]) == before


class _Trickle(http.server.BaseHTTPRequestHandler):
    def do_GET(self):  # noqa: N802 - http.server API
        if self.path.startswith("/missing"):
            self.send_error(404)
            return
        self.send_response(200)
        self.send_header("Content-Length", "1000000")
        self.end_headers()
        try:
            for _ in range(200):
                self.wfile.write(b"x")
                self.wfile.flush()
                time.sleep(0.2)
        except (BrokenPipeError, ConnectionResetError):
            pass

    def log_message(self, *_args):
        pass


@pytest.fixture
def trickle_server() -> Iterator[str]:
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Trickle)
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()
        server.server_close()


def test_trickling_server_hits_the_overall_deadline(trickle_server):
    """A byte every 0.2 s never trips a per-read timeout; the overall deadline ends it."""
    from transport_etl.boundaries import Limits
    from transport_etl.errors import InputRejected

    t0 = time.monotonic()
    with pytest.raises(InputRejected, match="did not finish within 2 s"):
        fetch(f"{trickle_server}/feed.zip", timeout=5, retries=3, limits=Limits(http_deadline_s=2))
    assert time.monotonic() - t0 < 4


def test_trickling_source_is_refused_and_previous_version_stays(baseline, catalog_tables, trickle_server):
    url, demo = baseline
    source = source_of(demo.sources[GTFS], http_deadline_s=1.5)
    before = snapshot(url, GTFS, catalog_tables["versioned"])
    t0 = time.monotonic()
    res = ingest(source, f"{trickle_server}/feed.zip", database_url=url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "rejected" and "did not finish within 1.5 s" in res.reason
    assert time.monotonic() - t0 < 4
    assert snapshot(url, GTFS, catalog_tables["versioned"]) == before


def test_http_error_is_one_line(baseline, catalog_tables, trickle_server):
    url, demo = baseline
    before = snapshot(url, GTFS, catalog_tables["versioned"])
    res = ingest(source_of(demo.sources[GTFS]), f"{trickle_server}/missing.zip", database_url=url,
                 run_kind="test", log=lambda _m: None)
    assert res.outcome == "rejected" and res.reason.startswith("HTTP 404") and "\n" not in res.reason
    assert snapshot(url, GTFS, catalog_tables["versioned"]) == before
