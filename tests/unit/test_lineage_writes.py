"""One lineage ledger (issue #11): only transport_etl/lineage/{ledger,runs,registry}.py write the
lineage tables. Every other INSERT/UPDATE/DELETE/COPY on lineage.* in the code base must be on the
explicit allow-list below, with its reason; a new one fails this test."""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SCANNED = ("transport_etl", "assets", "demo", "scripts", "bench")
LEDGER = {"transport_etl/lineage/ledger.py", "transport_etl/lineage/runs.py", "transport_etl/lineage/registry.py",
          "transport_etl/lineage/match_evidence.sql", "transport_etl/lineage/road_link_evidence.sql",
          "transport_etl/lineage/rail_point_evidence.sql"}

# SQL writes, and COPY through copy_rows(conn, "lineage.x", ...) or sql.Identifier("lineage", "x").
WRITE = re.compile(r"\b(?:INSERT\s+INTO|UPDATE|DELETE\s+FROM|COPY|TRUNCATE)\s+lineage\.([a-z_]+)", re.IGNORECASE)
COPY_CALL = re.compile(r"""copy_rows\([^,]+,\s*["']lineage\.([a-z_]+)""")
IDENT = re.compile(r"""Identifier\(\s*["']lineage["']\s*,\s*["']([a-z_]+)""")

# Row-level provenance is written by the SQL that writes the unified rows, in the same statement:
# lineage.entity_source rows (formats not yet moved to provenance columns), and the lineage.source_file
# rows that the provenance columns (source_file_id, source_line) of unified rows point at.
ROW_PROVENANCE = {"entity_source", "source_file"}
ALLOWED: dict[str, set[str]] = {
    # The unify benchmark fabricates 10^3..10^5 stop places of synthetic sources (as tests/synthetic.py does).
    "bench/unify.py": {"entity_source", "feed_version", "source"},
    # Partition maintenance records which tables it keeps in monthly partitions (its own bookkeeping).
    "transport_etl/db/partitions.py": {"history_table"},
    # The migration runner's own bookkeeping table.
    "transport_etl/db/migrate.py": {"schema_migration"},
    # Set-based GTFS validation writes its notices and quarantined rows straight from SQL, in the
    # load transaction (hundreds of thousands of rows; a round trip through Python would cost seconds).
    "transport_etl/formats/gtfs/validate.sql": {"notice", "rejected_record"},
    "transport_etl/formats/gtfs/sanity.sql": {"notice"},
    # An unchanged shapes.txt carries the previous version's notices and quarantined rows in the same way.
    "transport_etl/formats/gtfs/carry_shapes.sql": {"notice", "rejected_record"},
    # Road events and their locations: row provenance, replaced when events are re-located.
    "transport_etl/roads/write_locations.sql": {"entity_source"},
}


def _writes() -> dict[str, set[str]]:
    found: dict[str, set[str]] = {}
    for top in SCANNED:
        for p in (ROOT / top).rglob("*"):
            if p.suffix not in (".py", ".sql") or "__pycache__" in p.parts:
                continue
            text = p.read_text(encoding="utf-8")
            tables = set(WRITE.findall(text)) | set(COPY_CALL.findall(text)) | set(IDENT.findall(text))
            if tables:
                found[p.relative_to(ROOT).as_posix()] = tables
    return found


def test_only_the_ledger_writes_lineage():
    offenders = {}
    for path, tables in _writes().items():
        if path in LEDGER:
            continue
        allowed = ALLOWED.get(path, set())
        if path.startswith(("transport_etl/formats/", "transport_etl/roads/")) and path.endswith(".sql"):
            allowed = allowed | ROW_PROVENANCE
        extra = tables - allowed
        if extra:
            offenders[path] = sorted(extra)
    assert offenders == {}, f"lineage.* written outside transport_etl/lineage/: {offenders}"


def test_the_scan_sees_the_ledger_and_the_allow_list_is_not_stale():
    writes = _writes()
    # The ledger itself is found, so the patterns work ...
    assert {"feed_version", "rejected_record", "notice"} <= writes["transport_etl/lineage/ledger.py"]
    assert {"load_run", "poll_run"} <= writes["transport_etl/lineage/runs.py"]
    assert "source" in writes["transport_etl/lineage/registry.py"]
    # ... and every allow-listed exception still exists (remove it from ALLOWED when it is gone).
    stale = {p: sorted(t - writes.get(p, set())) for p, t in ALLOWED.items() if t - writes.get(p, set())}
    assert stale == {}
