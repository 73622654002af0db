"""A cumulative source pointing at a folder tree (a whole timetable year: base + monthly folders):
its files are loaded one by one in publication order, each as its own feed version applied on the
previous one; files already published by this loader are skipped. The chain stops at the first
file that is rejected or held: what follows applies on top of it, so the last good version stays
current until the file is fixed or accepted."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

from transport_etl.catalog import Source
from transport_etl.db.connection import connect
from transport_etl.db.migrate import require_schema
from transport_etl.fetch import fingerprint
from transport_etl.formats import registry
from transport_etl.ingest.loader_digest import loader_digest
from transport_etl.ingest.result import IngestResult
from transport_etl.lineage import ledger
from transport_etl.lineage.runs import finish_run, start_run


def tree_files(source: Source, folder: Path) -> list[Path]:
    """The folder's inputs in publication order when the format sees a tree of successive
    publications in it (``publication_order``), else [] (the folder is one input)."""
    return registry.get(source.format).publication_order(folder)


def _published(database_url: str | None, source_id: str, digest: str) -> set[str]:
    with connect(database_url, autocommit=True) as conn:
        require_schema(conn)
        return {r[0] for r in conn.execute(
            """SELECT sha256 FROM lineage.feed_version WHERE source_id = %s AND loader_digest = %s
                 AND status IN ('loaded', 'superseded')""", (source_id, digest))}


def _record_skip(database_url: str | None, source_id: str, folder: Path, n: int,
                 run: dict) -> tuple[int | None, int]:
    with connect(database_url, autocommit=True) as meta:
        current = ledger.current_version(meta, source_id)
        fv = current.id if current else None
        run_pk = start_run(meta, run.get("run_id") or f"cli-{uuid.uuid4()}", run.get("run_kind", "cli"), source_id,
                           run.get("asset_key"))
        finish_run(meta, run_pk, "skipped", fv, message=f"all {n} files of {folder} already applied")
    return fv, run_pk


def ingest_tree(ingest: Callable[..., IngestResult], source: Source, folder: Path, files: list[Path], *,
                database_url: str | None = None, log: Callable[[str], None] = print, force: bool = False,
                **kwargs) -> IngestResult:
    """Load ``files`` one by one with ``ingest`` (the runner's single-input load)."""
    t0 = time.monotonic()
    done = set() if force else _published(database_url, source.id, loader_digest(source.format))
    total = IngestResult(source_id=source.id, outcome="skipped")
    # Files already published are passed over without a run each (a year holds thousands); when
    # nothing is new, one skipped load run records the check.
    new = [p for p in files if fingerprint(p)[0] not in done]
    if not new:
        total.feed_version_id, total.load_run_id = _record_skip(database_url, source.id, folder, len(files), kwargs)
    for path in files:
        rel = path.relative_to(folder).as_posix()
        if path not in new:
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
        if r.outcome == "skipped" and total.outcome == "skipped":
            total.feed_version_id, total.reason = r.feed_version_id, r.reason
        if r.outcome == "loaded":
            total.outcome, total.feed_version_id = "loaded", r.feed_version_id
            total.tables, total.notices, total.files = r.tables, r.notices, r.files
            total.coverage_from, total.coverage_to, total.feed_label = r.coverage_from, r.coverage_to, r.feed_label
    applied = sum(1 for s in total.steps if s["outcome"] == "loaded")
    log(f"[{source.id}] {folder}: {len(files)} file(s), {applied} applied, "
        f"{sum(1 for s in total.steps if s['outcome'] == 'skipped')} already applied")
    if total.outcome == "skipped":
        total.reason = f"unchanged: all {len(files)} files of {folder} already applied"
    total.seconds = time.monotonic() - t0
    return total
