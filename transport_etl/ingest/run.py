"""Load one source: fetch, fingerprint, skip if unchanged, else parse → staging → publish in a
single transaction. The CLI and the Dagster assets both call :func:`ingest`."""

from __future__ import annotations

import json
import time
import uuid
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from transport_etl.boundaries import Limits
from transport_etl.catalog import Source
from transport_etl.db.connection import connect
from transport_etl.errors import InputRejected
from transport_etl.fetch import fetch
from transport_etl.ingest.context import LoadContext
from transport_etl.ingest.formats import loader_module
from transport_etl.lineage.registry import finish_run, register_source, start_run

# Every unified table; rows of a source's previous version are closed (recorded_to) on publish.
UNIFIED_TABLES = (
    "operator", "stop_place", "stop_point", "line", "service_calendar", "service_day", "route_geometry",
    "journey", "call", "transport_node", "transport_link", "road_event", "road_event_location", "traffic_count",
    "bike_station", "parking_facility",
)
DEFAULT_MAX_REJECT_RATIO = 0.10
DEFAULT_RETAIN_VERSIONS = 3


@dataclass
class IngestResult:
    """What happened to one input; printed by the CLI, attached to Dagster materialisations."""

    source_id: str
    outcome: str  # loaded | skipped | rejected
    feed_version_id: int | None = None
    sha256: str | None = None
    reason: str | None = None
    reason_code: str | None = None
    feed_label: str | None = None
    coverage_from: str | None = None
    coverage_to: str | None = None
    rows_in: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    files: dict[str, dict[str, Any]] = field(default_factory=dict)
    tables: dict[str, int] = field(default_factory=dict)
    notices: dict[str, int] = field(default_factory=dict)
    load_run_id: int | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def _ratio_limit(source: Source) -> float:
    return float(source.options.get("max_reject_ratio", DEFAULT_MAX_REJECT_RATIO))


def ingest(
    source: Source,
    path: str | Path | None = None,
    *,
    database_url: str | None = None,
    run_id: str | None = None,
    run_kind: str = "cli",
    asset_key: str | None = None,
    log: Callable[[str], None] = print,
    force: bool = False,
) -> IngestResult:
    """Load ``path`` (default: the source's catalog location) as a new feed version of ``source``.

    Outcomes: ``loaded`` (published and current), ``skipped`` (same bytes already seen: nothing
    written but the load run), ``rejected`` (input refused: the previous version stays current;
    the reason, and any quarantined records, are kept in lineage). Internal errors raise.
    ``force`` reloads content that was rejected before (e.g. after a fix to the loader).
    """
    t0 = time.monotonic()
    location = str(path) if path is not None else source.location
    if not location:
        raise InputRejected(f"source {source.id} has no location and no path was given", code="missing_input")
    run_id = run_id or f"cli-{uuid.uuid4()}"
    module = loader_module(source.format)
    result = IngestResult(source_id=source.id, outcome="rejected")

    with connect(database_url, autocommit=True) as meta:
        register_source(meta, source)
        # One load per source at a time (a sensor tick and a schedule may fire together): the lock
        # lives as long as this session, so a killed process releases it with its connection.
        meta.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", ("transport_etl.ingest:" + source.id,))
        _close_dead_runs(meta, source.id)
        run_pk = start_run(meta, run_id, run_kind, source.id, asset_key)
        result.load_run_id = run_pk
        try:
            fetched = fetch(location, limits=Limits.of(source.options))
        except InputRejected as exc:
            finish_run(meta, run_pk, "rejected", message=str(exc))
            result.reason, result.reason_code = str(exc), exc.code
            return result
        result.sha256 = fetched.sha256
        log(f"[{source.id}] fetched {fetched.location} ({fetched.size_bytes:,} bytes, sha256 {fetched.sha256[:12]}…)")

        row = meta.execute(
            "SELECT id, status, reject_reason FROM lineage.feed_version WHERE source_id = %s AND sha256 = %s",
            (source.id, fetched.sha256),
        ).fetchone()
        if row and row[1] == "rejected" and force:
            meta.execute("DELETE FROM lineage.feed_version WHERE id = %s", (row[0],))
            row = None
        if row:
            fv_id, status, reason = row
            result.feed_version_id = fv_id
            if status == "rejected":
                msg = f"unchanged input was rejected before (feed version {fv_id}): {reason}"
                finish_run(meta, run_pk, "rejected", fv_id, message=msg)
                result.reason, result.reason_code = msg, "previously_rejected"
            else:
                finish_run(meta, run_pk, "skipped", fv_id, message=f"unchanged input: feed version {fv_id} ({status})")
                result.outcome = "skipped"
                result.reason = f"unchanged: same sha256 as feed version {fv_id} ({status})"
                log(f"[{source.id}] unchanged since feed version {fv_id}: skipped")
            result.seconds = time.monotonic() - t0
            return result

        with connect(database_url) as conn:
            ctx: LoadContext | None = None
            try:
                with conn.transaction():
                    # Safe: a crash loses at most this last committed load, which the next run redoes
                    # because its sha256 is not recorded (it commits with this transaction).
                    conn.execute("SET LOCAL synchronous_commit = off")
                    fv_id = conn.execute(
                        """INSERT INTO lineage.feed_version (source_id, sha256, size_bytes, location, status, load_run_id)
                           VALUES (%s, %s, %s, %s, 'loaded', %s) RETURNING id""",
                        (source.id, fetched.sha256, fetched.size_bytes, fetched.location, run_pk),
                    ).fetchone()[0]
                    ctx = LoadContext(conn=conn, source=source, feed_version_id=fv_id, load_run_id=run_pk,
                                      path=fetched.path, log=log)
                    module.load(ctx)
                    ctx.flush()
                    _check_threshold(ctx)
                    _analyze_staging(ctx)
                    module.publish(ctx)
                    ctx.flush()
                    _publish_version(conn, ctx)
                    prune(conn, source.id, int(source.options.get("retain_versions", DEFAULT_RETAIN_VERSIONS)))
                _fill(result, ctx)
                result.outcome = "loaded"
                result.feed_version_id = fv_id
                finish_run(meta, run_pk, "loaded", fv_id, result.rows_in, result.rows_loaded, result.rows_rejected,
                           message=f"feed version {fv_id} published")
                log(f"[{source.id}] feed version {fv_id} published: {result.rows_loaded:,} rows loaded, "
                    f"{result.rows_rejected:,} rejected")
            except InputRejected as exc:
                # The data transaction rolled back: nothing of this version is visible. Record the
                # refusal and its evidence so the reason outlives the rollback.
                if ctx is not None:
                    _fill(result, ctx)
                fv_id = _record_rejection(meta, source, fetched, run_pk, str(exc), ctx)
                result.feed_version_id = fv_id
                result.reason, result.reason_code = str(exc), exc.code
                result.outcome = "rejected"
                finish_run(meta, run_pk, "rejected", fv_id, result.rows_in, 0, result.rows_rejected, message=str(exc))
                log(f"[{source.id}] rejected: {exc}")
            except BaseException as exc:
                finish_run(meta, run_pk, "failed", message=f"{type(exc).__name__}: {exc}"[:2000])
                raise
            finally:
                if ctx is not None:
                    ctx.cleanup()
                if fetched.location != str(fetched.path):
                    Path(fetched.path).unlink(missing_ok=True)
    result.seconds = time.monotonic() - t0
    return result


def _close_dead_runs(meta: psycopg.Connection, source_id: str) -> None:
    """Runs of this source still marked running belong to processes that died: we hold the source's
    lock, so none of them is alive. Their transactions rolled back; say so in their record."""
    meta.execute(
        """UPDATE lineage.load_run SET outcome = 'failed', finished_at = now(),
               message = 'process ended without finishing (killed or crashed); nothing of it was published'
           WHERE source_id = %s AND outcome = 'running'""",
        (source_id,),
    )


def _analyze_staging(ctx: LoadContext) -> None:
    # Freshly copied rows have no planner statistics; without them publish joins can pick
    # nested loops over thousands of rows (seen: 35-80 s instead of 0.3 s for 13k CZPTT calls).
    ctx.analyze(*sorted(t for t in ctx.tables if t.startswith("staging.") and t not in ctx.analyzed))


def _check_threshold(ctx: LoadContext) -> None:
    rows_in = sum(f.rows_in for f in ctx.files.values())
    limit = _ratio_limit(ctx.source)
    if rows_in and ctx.rejected_total / rows_in > limit:
        raise InputRejected(
            f"{ctx.rejected_total:,} of {rows_in:,} records rejected ({ctx.rejected_total / rows_in:.1%}), "
            f"above the source's error threshold {limit:.0%}",
            code="error_threshold",
        )
    # A single huge bad line is one record but most of the file: weigh rejects by bytes as well.
    total_bytes = max(sum(f.size_bytes or 0 for f in ctx.files.values()) + ctx.rejected_bytes, _input_bytes(ctx.path))
    if ctx.rejected_bytes and ctx.rejected_bytes / total_bytes > limit:
        raise InputRejected(
            f"{ctx.rejected_bytes:,} of {total_bytes:,} bytes rejected ({ctx.rejected_bytes / total_bytes:.1%}), "
            f"above the source's error threshold {limit:.0%}",
            code="error_threshold",
        )


def _input_bytes(path: Path) -> int:
    if path.is_dir():
        from transport_etl.boundaries import folder_files

        return sum(p.stat().st_size for p in folder_files(path))
    return path.stat().st_size if path.exists() else 0


def _fill(result: IngestResult, ctx: LoadContext) -> None:
    result.files = {k: v.as_dict() for k, v in ctx.files.items()}
    result.tables = dict(ctx.tables)
    result.rows_in = sum(f.rows_in for f in ctx.files.values())
    result.rows_loaded = sum(f.rows_loaded for f in ctx.files.values())
    result.rows_rejected = ctx.rejected_total
    result.notices = {f"{code} ({sev})": n for (code, sev), n in sorted(ctx.notice_counts.items())}
    result.feed_label = ctx.feed_label
    result.coverage_from = ctx.coverage_from.isoformat() if ctx.coverage_from else None
    result.coverage_to = ctx.coverage_to.isoformat() if ctx.coverage_to else None


def _publish_version(conn: psycopg.Connection, ctx: LoadContext) -> None:
    """Make the new version current and close the previous one's unified rows, in the caller's transaction."""
    src, fv = ctx.source.id, ctx.feed_version_id
    for table in UNIFIED_TABLES:
        conn.execute(
            sql.SQL("UPDATE unified.{} SET recorded_to = now() WHERE source_id = %s AND recorded_to IS NULL "
                    "AND feed_version_id <> %s").format(sql.Identifier(table)),
            (src, fv),
        )
    conn.execute(
        "UPDATE lineage.feed_version SET is_current = false, status = 'superseded' WHERE source_id = %s AND is_current",
        (src,),
    )
    rows_in = sum(f.rows_in for f in ctx.files.values())
    conn.execute(
        """UPDATE lineage.feed_version SET is_current = true, loaded_at = now(), coverage_from = %s,
               coverage_to = %s, feed_label = %s, file_stats = %s, table_counts = %s, rows_loaded = %s,
               rows_rejected = %s WHERE id = %s""",
        (ctx.coverage_from, ctx.coverage_to, ctx.feed_label,
         json.dumps({k: v.as_dict() for k, v in ctx.files.items()}), json.dumps(dict(ctx.tables)),
         sum(f.rows_loaded for f in ctx.files.values()), ctx.rejected_total, fv),
    )
    del rows_in


def _record_rejection(meta, source: Source, fetched, run_pk: int, reason: str, ctx: LoadContext | None) -> int:
    with meta.transaction():
        fv_id = meta.execute(
            """INSERT INTO lineage.feed_version (source_id, sha256, size_bytes, location, status, reject_reason,
                   load_run_id, file_stats, rows_rejected)
               VALUES (%s, %s, %s, %s, 'rejected', %s, %s, %s, %s) RETURNING id""",
            (source.id, fetched.sha256, fetched.size_bytes, fetched.location, reason, run_pk,
             json.dumps({k: v.as_dict() for k, v in ctx.files.items()} if ctx else {}),
             ctx.rejected_total if ctx else 0),
        ).fetchone()[0]
        if ctx is not None:
            from transport_etl.db.copy import copy_rows

            rejects, notices = ctx.evidence()
            copy_rows(meta, "lineage.rejected_record",
                      ["feed_version_id", "file_name", "line_no", "reason_code", "message", "raw_text"],
                      ((fv_id, *r[1:]) for r in rejects))
            copy_rows(meta, "lineage.notice",
                      ["feed_version_id", "code", "severity", "file_name", "line_no", "field_name", "entity_key",
                       "message"],
                      ((fv_id, *n[1:]) for n in notices))
    return fv_id


def prune(conn: psycopg.Connection, source_id: str, keep: int) -> list[int]:
    """Delete the staging and unified rows of superseded versions beyond the newest ``keep`` loaded
    ones (their lineage.feed_version rows stay, for the record). Returns the pruned version ids."""
    old = [r[0] for r in conn.execute(
        """SELECT id FROM lineage.feed_version WHERE source_id = %s AND status IN ('loaded', 'superseded')
           ORDER BY loaded_at DESC NULLS LAST, id DESC OFFSET %s""",
        (source_id, max(keep, 1)),
    ).fetchall()]
    if not old:
        return []
    tables = conn.execute(
        """SELECT table_schema, table_name FROM information_schema.columns
           WHERE column_name = 'feed_version_id' AND table_schema IN ('staging', 'unified')
             AND table_name IN (SELECT table_name FROM information_schema.tables t
                                WHERE t.table_schema = columns.table_schema AND t.table_type = 'BASE TABLE')"""
    ).fetchall()
    conn.execute("DELETE FROM lineage.entity_source WHERE feed_version_id = ANY(%s)", (old,))
    # Children before parents: delete from tables others reference last.
    for schema, table in sorted(tables, key=lambda t: _delete_order(t[1])):
        conn.execute(
            sql.SQL("DELETE FROM {} WHERE feed_version_id = ANY(%s)").format(sql.Identifier(schema, table)), (old,)
        )
    conn.execute("UPDATE lineage.feed_version SET table_counts = table_counts || '{\"pruned\": true}'::jsonb "
                 "WHERE id = ANY(%s)", (old,))
    return old


_PARENTS_LAST = ["road_event", "transport_link", "transport_node", "journey", "route_geometry", "service_calendar",
                 "line", "operator", "stop_point", "stop_place"]


def _delete_order(table: str) -> int:
    return _PARENTS_LAST.index(table) + 1 if table in _PARENTS_LAST else 0
