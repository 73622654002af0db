"""The runner's promises: skip unchanged input, reject bad input without touching the current
version, never half-publish, close superseded rows, keep evidence of every rejected record."""

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from tests.integration.tiny_format import FORMAT as TINY
from transport_etl.catalog import Source
from transport_etl.formats import registry
from transport_etl.ingest.run import ingest

ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture(autouse=True)
def tiny_format(monkeypatch):
    monkeypatch.setitem(registry.formats(), "tiny", TINY)


def tiny(tmp_path: Path, name: str, rows: list[str]) -> Path:
    p = tmp_path / name
    p.write_text("stop_id,name,lon,lat\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


SRC = Source(id="tiny-stops", family="regional", format="tiny", options={"max_reject_ratio": 0.34})
V1 = ["1,Ústí nad Labem hl.n.,14.0445,50.6594", "2,Mírové náměstí,14.0331,50.6610"]
V2 = ["1,Ústí nad Labem hl.n.,14.0445,50.6594", "3,Divadlo,14.0380,50.6628", "4,Muzeum,14.0376,50.6594"]


def current_names(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT name FROM unified.stop_place WHERE source_id = 'tiny-stops' AND recorded_to IS NULL ORDER BY local_id")]


def test_load_then_unchanged_rerun_adds_nothing(db_url, conn, tmp_path):
    f = tiny(tmp_path, "v1.csv", V1)
    first = ingest(SRC, f, database_url=db_url)
    assert first.outcome == "loaded" and first.rows_loaded == 2
    counts = conn.execute("SELECT (SELECT count(*) FROM lineage.feed_version), (SELECT count(*) FROM unified.stop_place),"
                          " (SELECT count(*) FROM lineage.entity_source)").fetchone()
    again = ingest(SRC, f, database_url=db_url)
    assert again.outcome == "skipped" and again.feed_version_id == first.feed_version_id
    assert conn.execute("SELECT (SELECT count(*) FROM lineage.feed_version), (SELECT count(*) FROM unified.stop_place),"
                        " (SELECT count(*) FROM lineage.entity_source)").fetchone() == counts
    outcomes = [r[0] for r in conn.execute("SELECT outcome FROM lineage.load_run ORDER BY id")]
    assert outcomes == ["loaded", "skipped"]


def test_new_version_supersedes_and_closes_old_rows(db_url, conn, tmp_path):
    v1 = ingest(SRC, tiny(tmp_path, "v1.csv", V1), database_url=db_url)
    v2 = ingest(SRC, tiny(tmp_path, "v2.csv", V2), database_url=db_url)
    assert current_names(conn) == ["Ústí nad Labem hl.n.", "Divadlo", "Muzeum"]
    rows = dict(conn.execute("SELECT id, status FROM lineage.feed_version").fetchall())
    assert rows == {v1.feed_version_id: "superseded", v2.feed_version_id: "loaded"}
    # The old version stays queryable, closed at the moment the new one was published.
    closed = conn.execute("SELECT count(*) FROM unified.stop_place WHERE feed_version_id = %s AND recorded_to IS NOT NULL",
                          (v1.feed_version_id,)).fetchone()[0]
    assert closed == 2


def test_rejected_input_leaves_current_version_and_records_reason(db_url, conn, tmp_path):
    good = ingest(SRC, tiny(tmp_path, "v1.csv", V1), database_url=db_url)
    bad = tmp_path / "bad.csv"
    bad.write_text("this is not a stops file\n")
    result = ingest(SRC, bad, database_url=db_url)
    assert result.outcome == "rejected" and "no stop_id header" in result.reason
    assert current_names(conn) == ["Ústí nad Labem hl.n.", "Mírové náměstí"]
    cur = conn.execute("SELECT id FROM lineage.feed_version WHERE is_current").fetchall()
    assert cur == [(good.feed_version_id,)]
    status, reason = conn.execute("SELECT status, reject_reason FROM lineage.feed_version WHERE id = %s",
                                  (result.feed_version_id,)).fetchone()
    assert status == "rejected" and "no stop_id header" in reason
    # Same bad bytes again: nothing new, same refusal.
    again = ingest(SRC, bad, database_url=db_url)
    assert again.outcome == "rejected" and again.reason_code == "previously_rejected"
    assert conn.execute("SELECT count(*) FROM lineage.feed_version").fetchone()[0] == 2


def test_bad_rows_are_quarantined_with_file_line_and_reason(db_url, conn, tmp_path):
    result = ingest(SRC, tiny(tmp_path, "v1.csv", V1 + ["9,,14.0,50.6"]), database_url=db_url)
    assert result.outcome == "loaded" and result.rows_rejected == 1 and result.rows_loaded == 2
    rec = conn.execute("SELECT file_name, line_no, reason_code, raw_text FROM lineage.rejected_record").fetchall()
    assert rec == [("stops.csv", 4, "missing_required_field", "9,,14.0,50.6")]


def test_error_threshold_rejects_the_version_but_keeps_the_evidence(db_url, conn, tmp_path):
    ingest(SRC, tiny(tmp_path, "v1.csv", V1), database_url=db_url)
    result = ingest(SRC, tiny(tmp_path, "v2.csv", ["5,,14,50", "6,,14,50", "7,Ok,14.03,50.66"]), database_url=db_url)
    assert result.outcome == "rejected" and result.reason_code == "error_threshold"
    assert current_names(conn) == ["Ústí nad Labem hl.n.", "Mírové náměstí"]
    lines = [r[0] for r in conn.execute("SELECT line_no FROM lineage.rejected_record WHERE feed_version_id = %s "
                                        "ORDER BY line_no", (result.feed_version_id,))]
    assert lines == [2, 3]
    assert conn.execute("SELECT count(*) FROM staging.tiny_stop WHERE feed_version_id = %s",
                        (result.feed_version_id,)).fetchone()[0] == 0


def test_internal_failure_midway_publishes_nothing(db_url, conn, tmp_path):
    ingest(SRC, tiny(tmp_path, "v1.csv", V1), database_url=db_url)
    with pytest.raises(RuntimeError, match="simulated"):
        ingest(SRC, tiny(tmp_path, "v2.csv", ["3,Divadlo,14.03,50.66", "4,CRASH,0,0"]), database_url=db_url)
    assert current_names(conn) == ["Ústí nad Labem hl.n.", "Mírové náměstí"]
    assert conn.execute("SELECT count(*) FROM lineage.feed_version").fetchone()[0] == 1
    assert conn.execute("SELECT outcome FROM lineage.load_run ORDER BY id DESC LIMIT 1").fetchone()[0] == "failed"


def test_killed_process_leaves_previous_version_intact(db_url, conn, tmp_path):
    ingest(SRC, tiny(tmp_path, "v1.csv", V1), database_url=db_url)
    slow = tiny(tmp_path, "v2.csv", ["3,Divadlo,14.03,50.66", "4,SLEEP,14,50"])
    code = (
        f"import sys; sys.path.insert(0, {str(ROOT)!r})\n"
        "from transport_etl.formats import registry\n"
        "from tests.integration.tiny_format import FORMAT\n"
        "registry.formats()['tiny'] = FORMAT\n"
        "from transport_etl.catalog import Source\n"
        "from transport_etl.ingest.run import ingest\n"
        f"ingest(Source(id='tiny-stops', family='regional', format='tiny'), {str(slow)!r}, database_url={db_url!r})\n"
    )
    proc = subprocess.Popen([sys.executable, "-c", code], cwd=ROOT, start_new_session=True)
    try:
        # Wait until the load is inside its transaction (staging rows being written), then kill it hard.
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            n = conn.execute("SELECT count(*) FROM pg_stat_activity WHERE query ILIKE 'COPY%%tiny_stop%%'").fetchone()[0]
            if n:
                break
            time.sleep(0.1)
        else:
            pytest.fail("the load never reached COPY")
        os.killpg(proc.pid, signal.SIGKILL)
        proc.wait(10)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    time.sleep(0.5)
    assert current_names(conn) == ["Ústí nad Labem hl.n.", "Mírové náměstí"]
    assert conn.execute("SELECT count(*) FROM lineage.feed_version").fetchone()[0] == 1
    # The killed attempt is visible as a run that never finished …
    assert conn.execute("SELECT count(*) FROM lineage.load_run WHERE finished_at IS NULL").fetchone()[0] == 1
    # … until the next load of the source, which holds the source's lock and closes it as failed.
    again = ingest(SRC, tiny(tmp_path, "v3.csv", ["5,Vaňov,14.066,50.633"]), database_url=db_url)
    assert again.outcome == "loaded"
    dead = conn.execute("SELECT outcome, message FROM lineage.load_run WHERE id < %s AND finished_at IS NOT NULL "
                        "AND outcome = 'failed'", (again.load_run_id,)).fetchall()
    assert len(dead) == 1 and "killed or crashed" in dead[0][1]


def test_concurrent_loads_of_one_source_run_one_after_the_other(db_url, conn, tmp_path):
    """A sensor tick and a schedule may start the same source together: the second waits for the
    first and then finds the input unchanged, instead of failing on a duplicate feed version."""
    import threading

    f = tiny(tmp_path, "v1.csv", V1)
    results = []
    threads = [threading.Thread(target=lambda: results.append(ingest(SRC, f, database_url=db_url,
                                                                     log=lambda _m: None)))
               for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(60)
    assert sorted(r.outcome for r in results) == ["loaded", "skipped"]
    assert conn.execute("SELECT count(*) FROM lineage.feed_version").fetchone()[0] == 1


def test_retention_prunes_old_versions_rows_but_keeps_their_record(db_url, conn, tmp_path):
    src = Source(id="tiny-stops", family="regional", format="tiny", options={"retain_versions": 2})
    ids = []
    for i in range(3):
        ids.append(ingest(src, tiny(tmp_path, f"v{i}.csv", [f"{i},Stop {i},14.03,50.66"]), database_url=db_url)
                   .feed_version_id)
    kept = {r[0] for r in conn.execute("SELECT DISTINCT feed_version_id FROM unified.stop_place")}
    assert kept == set(ids[1:])
    assert conn.execute("SELECT count(*) FROM lineage.entity_source WHERE feed_version_id = %s",
                        (ids[0],)).fetchone()[0] == 0
    assert conn.execute("SELECT status FROM lineage.feed_version WHERE id = %s", (ids[0],)).fetchone()[0] == "superseded"
