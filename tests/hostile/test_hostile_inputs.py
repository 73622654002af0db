"""Issue 13: every hostile case ends in a clean refusal, quarantine or notice. For each case: the outcome,
the one-line reason (the CLI's stderr for CLI cases), the previous version unchanged when refused, the
quarantined file and line or the notice, no planted secret anywhere in the database, every gis view readable."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import psycopg
import pytest
import yaml

from tests.hostile.cases import CASES
from tests.hostile.conftest import (
    assert_gis_readable,
    assert_no_secret,
    latest_version,
    max_version,
    root,
    snapshot,
    source_of,
)
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration


def _run_cli(url: str, source, location: str, tmp_path) -> tuple[int, str]:
    catalog = tmp_path / "catalog.yaml"
    catalog.write_text(yaml.safe_dump({"sources": [{
        "id": source.id, "family": source.family, "format": source.format, "encoding": source.encoding,
        "crs": source.crs, "options": dict(source.options)}]}), encoding="utf-8")
    proc = subprocess.run(
        [sys.executable, "-m", "transport_etl.cli", "--catalog", str(catalog), "ingest", "--format", source.format,
         "--source", source.id, location],
        env={**os.environ, "TRANSPORT_ETL_DATABASE_URL": url}, cwd=root(), capture_output=True, text=True,
        timeout=120)
    return proc.returncode, proc.stderr


@pytest.mark.parametrize("case", CASES, ids=[c.id for c in CASES])
def test_hostile_input(case, baseline, catalog_tables, tmp_path):
    url, demo = baseline
    source = source_of(demo.sources[case.source], **case.options)
    location = case.build(demo, tmp_path)
    before = snapshot(url, source.id, catalog_tables["versioned"])
    since = max_version(url)

    if case.cli:
        code, stderr = _run_cli(url, source, location, tmp_path)
        lines = [ln for ln in stderr.splitlines() if ln.strip()]
        assert "Traceback" not in stderr
        if case.outcome in ("rejected", "held"):
            assert code != 0
            assert len(lines) == 1, stderr
            assert lines[0].startswith(f"transport-etl: {source.id}: "), lines[0]
            assert re.search(case.reason, lines[0]), lines[0]
        else:
            assert code == 0, stderr
            assert not lines, stderr  # a published input leaves stderr to our own lines: none (no library warning)
    else:
        result = ingest(source, location, database_url=url, run_kind="test", log=lambda _m: None)
        assert result.outcome == case.outcome, result.reason
        if case.outcome in ("rejected", "held"):
            assert "\n" not in result.reason and len(result.reason) < 400, result.reason
            assert re.search(case.reason, result.reason), result.reason

    after = snapshot(url, source.id, catalog_tables["versioned"])
    if case.outcome in ("rejected", "held"):
        assert after == before, "a refused or held input changed the current version"
    else:
        assert after["current"] != before["current"], "the input was not published as a new version"

    fv = latest_version(url, source.id)
    with psycopg.connect(url) as c:
        if case.reject:
            file_name, line_no, code = case.reject
            rows = c.execute("SELECT file_name, line_no, reason_code, message FROM lineage.rejected_record "
                             "WHERE feed_version_id = %s", (fv,)).fetchall()
            assert any(r[0].endswith(file_name) and (line_no is None or r[1] == line_no) and r[2] == code
                       for r in rows), rows
            assert all(len(r[3] or "") < 400 for r in rows)
        for code, file_name, line_no in ([case.notice] if case.notice else []) + list(case.more_notices):
            rows = c.execute("SELECT code, file_name, line_no FROM lineage.notice WHERE feed_version_id = %s "
                             "AND code = %s", (fv, code)).fetchall()
            assert any((file_name is None or (r[1] or "").startswith(file_name) or (r[1] or "").endswith(file_name))
                       and (line_no is None or r[2] == line_no) for r in rows), rows
    assert_no_secret(url, catalog_tables["every"], since)
    assert_gis_readable(url, catalog_tables["views"], since)


def test_cases_cover_every_format_and_class():
    assert len(CASES) >= 60
    formats = {c.source for c in CASES}
    assert len(formats) >= 17, formats  # at least every format (more sources may pose as one)
    assert {c.kind for c in CASES} == {"boundary", "xml", "position", "encoding", "domain", "failure"}


def test_zz_whole_database_after_every_case(baseline, catalog_tables):
    """After the whole battery: no secret in any row of any table, every gis view readable in full."""
    url, _demo = baseline
    assert_no_secret(url, catalog_tables["every"])
    assert_gis_readable(url, catalog_tables["views"])
