"""A cumulative source pointing at a folder tree (a whole timetable year: base + monthly folders):
its files are loaded one by one in publication order, each as its own feed version applied on the
previous one; files already published by this loader are skipped. The chain stops at the first
file that is rejected or held: what follows applies on top of it, so the last good version stays
current until the file is fixed or accepted."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

from transport_etl.catalog import Source
from transport_etl.db.connection import connect
from transport_etl.db.migrate import require_schema
from transport_etl.errors import InputRejected
from transport_etl.fetch import fingerprint
from transport_etl.ingest.formats import loader_module
from transport_etl.ingest.loader_digest import loader_digest


def tree_files(source: Source, folder: Path) -> list[Path]:
    module = loader_module(source.format)
    order = getattr(module, "publication_order", None)
    files = order(folder) if order else sorted(p for p in folder.rglob("*") if p.is_file())
    if not files:
        raise InputRejected(f"no files in {folder}", code="missing_input")
    return files


def _published(database_url: str | None, source_id: str, digest: str) -> set[str]:
    with connect(database_url, autocommit=True) as conn:
        require_schema(conn)
        return {r[0] for r in conn.execute(
            """SELECT sha256 FROM lineage.feed_version WHERE source_id = %s AND loader_digest = %s
                 AND status IN ('loaded', 'superseded')""", (source_id, digest))}


def ingest_tree(source: Source, folder: Path, *, database_url: str | None = None, log: Callable[[str], None] = print,
                force: bool = False, **kwargs):
    from transport_etl.ingest.run import IngestResult, ingest

    t0 = time.monotonic()
    files = tree_files(source, folder)
    done = set() if force else _published(database_url, source.id, loader_digest(source.format))
    total = IngestResult(source_id=source.id, outcome="skipped")
    for path in files:
        rel = path.relative_to(folder).as_posix()
        if fingerprint(path)[0] in done:
            total.steps.append({"file": rel, "outcome": "skipped", "reason": "already applied"})
            continue
        r = ingest(source, path, database_url=database_url, log=log, force=force, **kwargs)
        total.steps.append({"file": rel, "outcome": r.outcome, "feed_version_id": r.feed_version_id,
                            "reason": r.reason})
        total.rows_in += r.rows_in
        total.rows_loaded += r.rows_loaded
        total.rows_rejected += r.rows_rejected
        total.load_run_id = r.load_run_id
        if r.outcome in ("rejected", "held"):
            total.outcome, total.reason, total.reason_code = r.outcome, f"{rel}: {r.reason}", r.reason_code
            total.feed_version_id = r.feed_version_id
            break
        if r.outcome == "loaded":
            total.outcome, total.feed_version_id = "loaded", r.feed_version_id
            total.tables, total.notices, total.files = r.tables, r.notices, r.files
            total.coverage_from, total.coverage_to, total.feed_label = r.coverage_from, r.coverage_to, r.feed_label
    applied = sum(1 for s in total.steps if s["outcome"] == "loaded")
    log(f"[{source.id}] {folder}: {len(files)} file(s), {applied} applied, "
        f"{sum(1 for s in total.steps if s['outcome'] == 'skipped')} already applied")
    if total.outcome == "skipped":
        total.reason = f"all {len(files)} files of {folder} already applied"
    total.seconds = time.monotonic() - t0
    return total
