"""GTFS rows carry their lineage in their own columns (source_file_id, source_line): the lineage
command and the gis provenance view still name the file inside the input, the line and the record."""

from __future__ import annotations

import csv
import io
import subprocess
import sys
import zipfile
from pathlib import Path

from demo import municipal
from transport_etl.ingest.run import ingest


def _feed_in_folder(path: Path) -> Path:
    """The demo feed with its files inside a folder of the zip, as some publishers ship them."""
    with zipfile.ZipFile(path, "w") as zf:
        for name, rows in municipal.build_feed().items():
            buf = io.StringIO()
            csv.writer(buf, lineterminator="\r\n").writerows(rows)
            zf.writestr(f"feed/{name}.txt", buf.getvalue())
    return path


def _lineage(table: str, row_id: int) -> str:
    proc = subprocess.run([sys.executable, "-m", "transport_etl.cli", "lineage", table, str(row_id)],
                          capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return proc.stdout


def test_gtfs_rows_name_file_line_and_record_without_entity_source_rows(db_url, conn, make_source, tmp_path):
    feed = _feed_in_folder(tmp_path / "nested.zip")
    res = ingest(make_source("gtfs", id="dpmul"), feed, database_url=db_url, log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    fv = res.feed_version_id
    # No per-row lineage rows any more: the provenance is in the unified rows themselves.
    assert conn.execute("SELECT count(*) FROM lineage.entity_source WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM unified.call WHERE feed_version_id = %s AND "
                        "(source_file_id IS NULL OR source_line < 2)", (fv,)).fetchone()[0] == 0

    lines = {
        "stop_times": zipfile.ZipFile(feed).read("feed/stop_times.txt").decode().splitlines(),
        "trips": zipfile.ZipFile(feed).read("feed/trips.txt").decode().splitlines(),
    }
    call_id, call_line, call_key = conn.execute(
        "SELECT id, source_line, local_id FROM unified.call WHERE feed_version_id = %s ORDER BY source_line DESC "
        "LIMIT 1", (fv,)).fetchone()
    out = _lineage("unified.call", call_id)
    assert f"feed/stop_times.txt, line {call_line}" in out
    assert f"key {call_key}" in out
    assert f"record        {lines['stop_times'][call_line - 1]}" in out

    journey_id, journey_line = conn.execute(
        "SELECT id, source_line FROM unified.journey WHERE feed_version_id = %s ORDER BY id LIMIT 1",
        (fv,)).fetchone()
    out = _lineage("journey", journey_id)
    assert f"feed/trips.txt, line {journey_line}" in out
    assert f"record        {lines['trips'][journey_line - 1]}" in out

    # GIS staff see the same through gis.lineage (they have no access to lineage.*).
    conn.execute("SET ROLE gis_reader")
    try:
        got = conn.execute("SELECT source_file, source_line, source_key, source_id FROM gis.lineage "
                           "WHERE unified_table = 'unified.call' AND unified_id = %s", (call_id,)).fetchall()
    finally:
        conn.execute("RESET ROLE")
    assert got == [("feed/stop_times.txt", call_line, call_key, "dpmul")]


def test_every_gtfs_unified_row_has_exactly_one_source_record(db_url, conn, make_source, tmp_path):
    municipal.generate(tmp_path)
    res = ingest(make_source("gtfs", id="dpmul"), tmp_path / municipal.FILE_NAME, database_url=db_url,
                 log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    for table in ("operator", "stop_place", "stop_point", "line", "service_calendar", "route_geometry", "journey",
                  "call"):
        bad = conn.execute(
            f"""SELECT count(*) FROM unified.{table} u WHERE u.feed_version_id = %s AND (
                  SELECT count(*) FROM lineage.row_source r WHERE r.unified_table = 'unified.{table}'
                  AND r.unified_id = u.id AND r.source_line > 1) <> 1""", (res.feed_version_id,)).fetchone()[0]
        assert bad == 0, table
