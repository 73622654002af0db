"""Versions survive a load that dies: SIGKILL in the middle of loading hart.zip leaves the previous
version current and nothing of the dead load visible."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

from demo import municipal
from tests.conftest import shared_file
from transport_etl.ingest.run import ingest

ROOT = Path(__file__).resolve().parents[2]


def _current(conn, source_id: str) -> tuple[int, int, int]:
    fv = conn.execute("SELECT id FROM lineage.feed_version WHERE source_id = %s AND is_current",
                      (source_id,)).fetchone()[0]
    calls = conn.execute("SELECT count(*) FROM unified.call WHERE source_id = %s AND recorded_to IS NULL",
                         (source_id,)).fetchone()[0]
    stops = conn.execute("SELECT count(*) FROM unified.stop_place WHERE source_id = %s AND recorded_to IS NULL",
                         (source_id,)).fetchone()[0]
    return fv, calls, stops


def test_killed_load_leaves_the_previous_version_intact(db_url, conn, make_source, tmp_path):
    hart = shared_file("gtfs/hart.zip")
    municipal.generate(tmp_path)
    src = make_source("gtfs", id="killme")
    assert ingest(src, tmp_path / municipal.FILE_NAME, database_url=db_url, log=lambda _m: None).outcome == "loaded"
    before = _current(conn, "killme")

    code = ("from transport_etl.catalog import Source; from transport_etl.ingest.run import ingest; "
            f"ingest(Source(id='killme', family='municipal', format='gtfs'), {str(hart)!r}, "
            f"database_url={db_url!r}, log=lambda _m: None)")
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        deadline = time.monotonic() + 60
        started = False
        while time.monotonic() < deadline and proc.poll() is None:
            started = conn.execute(
                "SELECT count(*) > 0 FROM pg_stat_activity WHERE datname = current_database() "
                "AND state = 'active' AND query ILIKE 'COPY%%gtfs_stop_times%%'").fetchone()[0]
            if started:
                break
            time.sleep(0.05)
        assert started, "the load never reached stop_times"
        os.kill(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            proc.kill()
    # The server rolls the orphaned transaction back once it notices the client is gone.
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        busy = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() "
                            "AND pid <> pg_backend_pid() AND application_name = 'transport_etl'").fetchone()[0]
        if not busy:
            break
        time.sleep(0.1)

    assert _current(conn, "killme") == before
    assert conn.execute("SELECT count(*) FROM lineage.feed_version WHERE source_id = 'killme'").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM staging.gtfs_stop_times WHERE feed_version_id <> %s",
                        (before[0],)).fetchone()[0] == 0
    # The run itself is on record as never finished.
    assert conn.execute("SELECT outcome FROM lineage.load_run WHERE source_id = 'killme' ORDER BY id DESC LIMIT 1"
                        ).fetchone()[0] == "running"
    # And the same input loads cleanly afterwards.
    res = ingest(src, hart, database_url=db_url, log=lambda _m: None)
    assert res.outcome == "loaded" and _current(conn, "killme")[0] == res.feed_version_id
