"""`make demo` end to end on a fresh database: generated data → Dagster → PostGIS with lineage."""

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

from demo.generate import generate_all
from demo.run import run_demo
from transport_etl.catalog import load_catalog
from transport_etl.db.model import UNIFIED_TABLES
from transport_etl.export.release.build import release_day

ROOT = Path(__file__).resolve().parents[2]


def digests(folder: Path) -> dict[str, str]:
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


def test_demo_generation_is_deterministic(tmp_path):
    made = generate_all(tmp_path / "a", log=lambda _m: None)
    generate_all(tmp_path / "b", log=lambda _m: None)
    a, b = digests(tmp_path / "a"), digests(tmp_path / "b")
    assert a and a == b
    # The demo's catalog is written with its data and lists every generated file there; the production
    # catalog (./sources.yaml) is another file, whose sources the demo rehearses under the same ids.
    demo = load_catalog(made["catalog"])
    assert made["catalog"] == tmp_path / "a" / "sources.yaml" and "sources.yaml" in a
    assert [s.id for s in demo] == [e["id"] for e in made["sources"]]
    assert all(Path(s.location).is_relative_to((tmp_path / "a").resolve()) for s in demo)
    production = load_catalog(ROOT / "sources.yaml")
    assert {s.id for s in production} < {s.id for s in demo}
    assert not any(str(s.location).startswith(str(ROOT / "demo_data")) for s in production)


@pytest.fixture
def demo_dir(tmp_path, monkeypatch):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    monkeypatch.setenv("TRANSPORT_ETL_RELEASES", "")  # unset for run_demo, which fills it; undone afterwards
    return tmp_path


def test_demo_loads_every_source_with_lineage_and_reruns_as_a_no_op(db_url, conn, demo_dir, capsys):
    assert run_demo(demo_dir / "demo_data") == 0
    out = capsys.readouterr().out
    assert "Sources (current feed version per source)" in out and "unified.stop_place" in out
    # it ends with the day's open-data release beside the catalog, and where the map will be
    release = demo_dir / "releases" / release_day().isoformat()
    shown = next(line for line in out.splitlines() if line.startswith("release: ")).split()[1]
    assert Path(shown.rstrip("/")).resolve() == release.resolve() and (release / "SHA256SUMS").exists()
    assert out.rstrip().endswith("map: make serve, then http://127.0.0.1:8000/map/")

    assert conn.execute("SELECT count(*) FROM unified.stop_place").fetchone()[0] > 0
    assert conn.execute("SELECT count(*) FROM unified.journey").fetchone()[0] > 0
    # Every source of the catalog is current, and every unified row can name its source record.
    not_current = conn.execute(
        "SELECT id FROM lineage.source s WHERE NOT EXISTS (SELECT 1 FROM lineage.feed_version f "
        "WHERE f.source_id = s.id AND f.is_current)").fetchall()
    assert not_current == []
    for table in UNIFIED_TABLES:
        orphans = conn.execute(
            f"""SELECT count(*) FROM unified.{table} u WHERE NOT EXISTS (
                  SELECT 1 FROM lineage.row_source es
                  WHERE es.unified_table = 'unified.{table}' AND es.unified_id = u.id)""").fetchone()[0]
        assert orphans == 0, f"unified.{table}: {orphans} rows without lineage"
    runs = conn.execute("SELECT DISTINCT run_kind FROM lineage.load_run").fetchall()
    assert runs == [("dagster",)]

    versions = conn.execute("SELECT count(*) FROM lineage.feed_version").fetchone()[0]
    last_run = conn.execute("SELECT max(id) FROM lineage.load_run").fetchone()[0]
    assert run_demo(demo_dir / "demo_data") == 0
    assert conn.execute("SELECT count(*) FROM lineage.feed_version").fetchone()[0] == versions
    rerun = conn.execute(
        "SELECT r.outcome, count(*) FROM lineage.load_run r JOIN lineage.feed_version f ON f.id = r.feed_version_id "
        "WHERE r.id > %s GROUP BY 1", (last_run,)).fetchall()
    # One skipped run per source (a cumulative CZPTT tree holds several versions but is checked once).
    sources = conn.execute("SELECT count(DISTINCT source_id) FROM lineage.feed_version").fetchone()[0]
    assert rerun == [("skipped", sources)]


def test_lineage_command_names_file_and_line(db_url, conn, demo_dir):
    assert run_demo(demo_dir / "demo_data") == 0
    stop_id, fname, line = conn.execute(
        """SELECT sp.id, es.source_file, es.source_line FROM unified.stop_place sp
           JOIN lineage.entity_source es ON es.unified_table = 'unified.stop_place' AND es.unified_id = sp.id
           WHERE es.source_line IS NOT NULL ORDER BY sp.id LIMIT 1""").fetchone()
    proc = subprocess.run([sys.executable, "-m", "transport_etl.cli", "lineage", "unified.stop_place", str(stop_id)],
                          capture_output=True, text=True, cwd=demo_dir)
    assert proc.returncode == 0, proc.stderr
    assert f"{fname}, line {line}" in proc.stdout
    assert "record " in proc.stdout  # the raw source record, read back from the published input
