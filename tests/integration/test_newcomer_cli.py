"""A newcomer after `make demo`: told how to run the CLI with a lineage id that exists; GTFS export of
every timetable source and of the whole region; status with last load, last failure and freshness;
the same remembered database and catalog from any folder; `eval matching` from anywhere."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from demo.run import next_steps, run_demo
from transport_etl import cli
from transport_etl.catalog import catalog_path
from transport_etl.db import bootstrap, connection
from transport_etl.export.gtfs import export_gtfs, timetable_sources
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


@pytest.fixture
def demo(db_url, conn, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path / "dagster_home"))
    assert run_demo(tmp_path / "demo_data") == 0
    return tmp_path, capsys.readouterr().out


def test_after_the_demo_a_newcomer_can_use_the_cli(db_url, conn, demo, tmp_path, monkeypatch, capsys, make_source):
    demo, out = demo
    assert ".venv/bin/transport-etl status" in out or "/bin/transport-etl status" in out
    ids = re.findall(r"lineage unified\.stop_place (\d+)", out)
    assert ids and ids == re.findall(r"lineage unified\.stop_place (\d+)", next_steps(conn))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.chdir(elsewhere)  # run from another folder
    assert cli.main(["lineage", "unified.stop_place", ids[0]]) == 0
    assert "file, line" in capsys.readouterr().out

    # status: per source the last load, the expected interval and freshness, the last failure
    assert cli.main(["status"]) == 0
    status = capsys.readouterr().out
    assert "Health per source" in status
    row = next(line for line in status.splitlines() if line.startswith("municipal-dpmul-gtfs ") and " ago" in line)
    assert "every day" in row and " ok " in row

    # eval matching finds the truth file beside the catalog, wherever it is run
    assert cli.main(["--catalog", str(demo / "demo_data" / "sources.yaml"), "eval", "matching"]) == 0
    assert "precision" in capsys.readouterr().out
    assert cli.main(["eval", "matching", "--truth", "nowhere.csv"]) == 2
    assert "truth file nowhere.csv not found" in capsys.readouterr().err

    # GTFS export of every timetable source and of the region, each loading back without ERROR notices
    sources = timetable_sources(conn)
    assert {"regional-jdf-duk", "municipal-dpmul-gtfs", "sz-czptt"} <= set(sources)
    journeys = dict(conn.execute("SELECT source_id, count(*) FROM unified.journey WHERE recorded_to IS NULL "
                                 "GROUP BY 1").fetchall())
    summaries = {}
    for source_id in [*sources, None]:  # all exports first: the round trips add sources of their own
        summary = summaries[source_id] = export_gtfs(db_url, source_id, tmp_path / f"{source_id or 'region'}.zip")
        expected = sum(journeys.values()) if source_id is None else journeys[source_id]
        assert summary["trips"] + len(summary["trips_left_out"]) == expected, source_id
    for source_id, summary in summaries.items():
        zip_path = tmp_path / f"{source_id or 'region'}.zip"
        res = ingest(make_source("gtfs", id=f"roundtrip-{source_id or 'region'}"), zip_path, database_url=db_url)
        assert res.outcome == "loaded", (source_id, res.reason)
        errors = conn.execute("SELECT code, message FROM lineage.notice WHERE feed_version_id = %s "
                              "AND severity = 'ERROR'", (res.feed_version_id,)).fetchall()
        assert errors == [], (source_id, errors)
        assert res.tables["unified.journey"] == summary["trips"]
    # the regional feed's stations are the canonical stops, named as people write them
    region_stations = conn.execute(
        """SELECT count(*), count(*) FILTER (WHERE sp.local_id LIKE 'cz.ustecky.stop:%%'),
                  count(*) FILTER (WHERE sp.name LIKE '%%,,%%')
           FROM unified.stop_place sp WHERE sp.source_id = 'roundtrip-region'""").fetchone()
    assert region_stations[1] > 0 and region_stations[2] == 0
    assert cli.main(["export", "gtfs", "--source", "road-rsd-network", str(tmp_path / "x.zip")]) == 1
    assert "has no current timetable" in capsys.readouterr().err


def test_the_remembered_database_and_catalog_are_found_from_any_folder(db_url, tmp_path, monkeypatch):
    assert connection.URL_FILE == ROOT / ".transport_etl" / "database_url"  # anchored at the project
    remembered = tmp_path / "database_url"
    remembered.write_text(db_url + "\n")
    monkeypatch.setattr(connection, "URL_FILE", remembered)
    monkeypatch.setattr(bootstrap, "URL_FILE", remembered)
    monkeypatch.delenv("TRANSPORT_ETL_DATABASE_URL")
    monkeypatch.delenv("TRANSPORT_ETL_CATALOG", raising=False)
    monkeypatch.chdir(tmp_path)
    assert connection.database_url() == db_url
    # `make dev` / `db setup` without the variable: the remembered database, not a new empty one
    assert bootstrap.resolve(log=lambda _m: None) == db_url
    assert catalog_path() == ROOT / "sources.yaml"
