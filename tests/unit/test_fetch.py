import http.server
import threading
import time
from pathlib import Path

import pytest

from transport_etl.errors import InputRejected
from transport_etl.fetch import fetch, fingerprint


def test_folder_fingerprint_ignores_location_and_mtime(tmp_path):
    for base in ("one", "two"):
        d = tmp_path / base / "feed"
        d.mkdir(parents=True)
        (d / "stops.txt").write_text("stop_id\n1\n")
        (d / "agency.txt").write_text("agency_name\nX\n")
    a = fingerprint(tmp_path / "one" / "feed")
    b = fingerprint(tmp_path / "two" / "feed")
    assert a == b
    (tmp_path / "two" / "feed" / "stops.txt").write_text("stop_id\n2\n")
    assert fingerprint(tmp_path / "two" / "feed") != a


def test_missing_file_is_rejected_with_its_name(tmp_path):
    with pytest.raises(InputRejected, match="input not found"):
        fetch(str(tmp_path / "nope.zip"))


class _Flaky(http.server.BaseHTTPRequestHandler):
    calls = 0

    def do_GET(self):  # noqa: N802 - http.server API
        type(self).calls += 1
        if self.path == "/missing":
            self.send_error(404)
            return
        if type(self).calls == 1:
            self.send_error(503)  # first attempt fails, the retry succeeds
            return
        body = b"feed bytes"
        self.send_response(200)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def server():
    _Flaky.calls = 0
    srv = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Flaky)
    t = threading.Thread(target=srv.serve_forever, daemon=True)
    t.start()
    yield f"http://127.0.0.1:{srv.server_address[1]}"
    srv.shutdown()


def test_http_fetch_retries_server_errors(server):
    got = fetch(f"{server}/feed.zip", timeout=5, retries=3, backoff=0.01)
    try:
        assert Path(got.path).read_bytes() == b"feed bytes"
        assert got.location.endswith("/feed.zip") and got.size_bytes == 10
        assert _Flaky.calls == 2
    finally:
        Path(got.path).unlink()


def test_http_404_is_not_retried(server):
    t0 = time.monotonic()
    with pytest.raises(InputRejected, match="HTTP 404"):
        fetch(f"{server}/missing", timeout=5, retries=3, backoff=1)
    assert _Flaky.calls == 1 and time.monotonic() - t0 < 1
