"""Load one source: fetch, fingerprint, skip if unchanged, else parse → staging → publish in a
single transaction. The CLI and the Dagster assets both call :func:`ingest`."""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from pathlib import Path

import psycopg
from psycopg import sql

from transport_etl.boundaries import Limits
from transport_etl.catalog import Source
from transport_etl.db.connection import connect
from transport_etl.db.migrate import require_schema
from transport_etl.db.model import UNIFIED_TABLES, children_first, of_source
from transport_etl.errors import InputRejected
from transport_etl.fetch import Fetched, fetch
from transport_etl.formats import registry
from transport_etl.ingest import guard
from transport_etl.ingest.checks import reject_ratio_limit
from transport_etl.ingest.context import LoadContext
from transport_etl.ingest.cumulative import ingest_tree, tree_files
from transport_etl.ingest.extent import flag_outside_extent
from transport_etl.ingest.loader_digest import loader_digest
from transport_etl.ingest.plan import LoadPlan, plan_load
from transport_etl.ingest.result import IngestResult
from transport_etl.ingest.update_modes import CUMULATIVE, update_mode
from transport_etl.lineage.ledger import (
    delete_version,
    forget_row_sources,
    mark_pruned,
    open_version,
    publish_version,
    record_refusal,
)
from transport_etl.lineage.registry import is_registered, register_source
from transport_etl.lineage.runs import close_dead_runs, finish_run, start_run

DEFAULT_RETAIN_VERSIONS = 3


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
    register: bool = True,
    accept_version: int | None = None,
) -> IngestResult:
    """Load ``path`` (default: the source's catalog location) as a new feed version of ``source``.

    Outcomes: ``loaded`` (published and current), ``skipped`` (the current version already has these
    bytes and this loader: nothing written but the load run), ``held`` (valid but refused by the
    publication guard until ``accept``), ``rejected`` (input refused: the previous version stays
    current; the reason, and any quarantined records, are kept in lineage). Internal errors raise.
    ``force`` reloads whatever the content (a new publication of the same bytes). ``register``:
    the source is a deliberate one (catalog, `sources add`) and is registered before the load;
    otherwise an unknown source is registered only when its load publishes. ``accept_version``
    publishes that held version (same bytes) without the guard, under its own number.
    A cumulative source pointing at a folder tree loads its files in publication order.
    """
    location = str(path) if path is not None else source.location
    if not location:
        raise InputRejected(f"source {source.id} has no location and no path was given", code="missing_input")
    mode = update_mode(source)
    if accept_version is None and mode == CUMULATIVE and Path(location).is_dir():
        try:
            files = tree_files(source, Path(location))
        except InputRejected:
            files = []  # a folder the boundaries refuse: the single-input path below records the refusal
        if files:
            return ingest_tree(ingest, source, Path(location), files, database_url=database_url, run_id=run_id,
                               run_kind=run_kind, asset_key=asset_key, log=log, force=force, register=register)
    t0 = time.monotonic()
    run_id = run_id or f"cli-{uuid.uuid4()}"
    fmt = registry.get(source.format)
    result = IngestResult(source_id=source.id, outcome="rejected")

    with connect(database_url, autocommit=True) as meta:
        require_schema(meta)
        registered = is_registered(meta, source.id)
        if register:
            register_source(meta, source)
            registered = True
        # One load per source at a time (a sensor tick and a schedule may fire together): the lock
        # lives as long as this session, so a killed process releases it with its connection.
        meta.execute("SELECT pg_advisory_lock(hashtextextended(%s, 0))", ("transport_etl.ingest:" + source.id,))
        close_dead_runs(meta, source.id)
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
        digest = loader_digest(source.format)
        try:
            plan = plan_load(meta, source.id, fetched.sha256, digest, mode, force, accept_version) \
                if registered else LoadPlan()
        except InputRejected as exc:
            finish_run(meta, run_pk, "rejected", message=str(exc))
            result.reason, result.reason_code = str(exc), exc.code
            return result
        if plan.finished is not None:
            outcome, fv_id, msg, code = plan.finished
            finish_run(meta, run_pk, outcome, fv_id, message=msg)
            result.outcome, result.feed_version_id, result.reason, result.reason_code = outcome, fv_id, msg, code
            log(f"[{source.id}] {msg}")
            result.seconds = time.monotonic() - t0
            return result

        with connect(database_url) as conn:
            ctx: LoadContext | None = None
            try:
                with conn.transaction():
                    # Safe: a crash loses at most this last committed load, which the next run redoes
                    # because it is not recorded as current (it commits with this transaction).
                    conn.execute("SET LOCAL synchronous_commit = off")
                    if not registered:
                        register_source(conn, source)  # an unknown source exists once it publishes
                    for refused in plan.forget:
                        delete_version(conn, refused)
                    fv_id = open_version(conn, source.id, sha256=fetched.sha256, size_bytes=fetched.size_bytes,
                                         location=fetched.location, load_run_id=run_pk, loader_digest=digest,
                                         update_mode=mode, republication_of=plan.republication_of,
                                         reuse_id=accept_version)
                    ctx = LoadContext(conn=conn, source=source, feed_version_id=fv_id, load_run_id=run_pk,
                                      path=fetched.path, log=log, incremental_tables=fmt.incremental_tables)
                    fmt.load(ctx)
                    ctx.flush()
                    _check_threshold(ctx)
                    _analyze_staging(ctx)
                    fmt.publish(ctx)
                    _count_published(ctx)
                    flag_outside_extent(ctx)  # in the tables the version has rows in (counted above)
                    ctx.flush()
                    if accept_version is None:
                        guard.check(conn, ctx, fetched.size_bytes, reject_ratio_limit(source))
                    _publish_version(conn, ctx)
                    prune(conn, source.id, int(source.options.get("retain_versions", DEFAULT_RETAIN_VERSIONS)),
                          fmt.incremental_tables)
                _fill(result, ctx)
                result.outcome = "loaded"
                result.feed_version_id = fv_id
                what = (f"republished (same content as feed version {plan.republication_of})"
                        if plan.republication_of else "published")
                finish_run(meta, run_pk, "loaded", fv_id, result.rows_in, result.rows_loaded, result.rows_rejected,
                           message=f"feed version {fv_id} {what}")
                log(f"[{source.id}] feed version {fv_id} {what}: {result.rows_loaded:,} rows loaded, "
                    f"{result.rows_rejected:,} rejected")
            except (InputRejected, guard.Held) as exc:
                # The data transaction rolled back: nothing of this version is visible. Record the
                # refusal and its evidence so the reason outlives the rollback.
                _refused(meta, source, fetched, run_pk, exc, ctx, result, registered, digest, mode, log)
            except BaseException as exc:
                finish_run(meta, run_pk, "failed", message=f"{type(exc).__name__}: {exc}"[:2000])
                raise
            finally:
                if fetched.location != str(fetched.path):
                    Path(fetched.path).unlink(missing_ok=True)
    result.seconds = time.monotonic() - t0
    return result


def _analyze_staging(ctx: LoadContext) -> None:
    # Freshly copied rows have no planner statistics; without them publish joins can pick
    # nested loops over thousands of rows (seen: 35-80 s instead of 0.3 s for 13k CZPTT calls).
    ctx.analyze(*sorted(t for t in ctx.tables if t.startswith("staging.") and t not in ctx.analyzed))


def _check_threshold(ctx: LoadContext) -> None:
    rows_in = sum(f.rows_in for f in ctx.files.values())
    limit = reject_ratio_limit(ctx.source)
    # Never skipped for rows_in == 0: a file whose lines were all quarantined before any reader counted
    # them (a PDF given as a CSV) is 100 % rejected, not "nothing to check" (it would wipe the current rows).
    records = max(rows_in, ctx.rejected_total)
    if ctx.rejected_total and ctx.rejected_total >= records:
        # whatever the source tolerates: an input of which not one record could be read is unusable
        raise InputRejected(f"every record rejected ({ctx.rejected_total:,} of {records:,})", code="error_threshold")
    if ctx.rejected_total and ctx.rejected_total / records > limit:
        raise InputRejected(
            f"{ctx.rejected_total:,} of {records:,} records rejected ({ctx.rejected_total / records:.1%}), "
            f"above the source's error threshold {limit:.0%}",
            code="error_threshold",
        )
    # Rejected *bytes* (one huge bad line is one record but most of the file) are weighed by the
    # publication guard, which holds such a version instead (ingest/guard.py).


def _count_published(ctx: LoadContext) -> None:
    """Rows the version wrote per unified table, for tables the loader did not count itself (one statement)."""
    tables = [t for t in UNIFIED_TABLES if f"unified.{t}" not in ctx.tables]
    if not tables:
        return
    counts = sql.SQL(" UNION ALL ").join(
        sql.SQL("SELECT {name}, count(*) FROM unified.{t} u WHERE {mine}").format(
            name=sql.Literal(table), t=sql.Identifier(table), mine=ctx.version_rows(table)) for table in tables)
    for table, n in ctx.conn.execute(counts, {"fv": ctx.feed_version_id, "src": ctx.source.id}).fetchall():
        if n:
            ctx.count(f"unified.{table}", n)


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
    """Make the new version current and close the previous one's unified rows, in the caller's transaction
    (not in the tables the format publishes incrementally: its publish step closed what changed there)."""
    src, fv = ctx.source.id, ctx.feed_version_id
    closing = children_first(t for t in UNIFIED_TABLES if t not in ctx.incremental_tables)
    if closing:  # one statement: each table's UPDATE is a data-modifying CTE, all seeing the same snapshot
        conn.execute(sql.SQL("WITH {} SELECT 1").format(sql.SQL(", ").join(
            sql.SQL("{} AS (UPDATE unified.{} u SET recorded_to = now() WHERE {} "
                    "AND u.recorded_to IS NULL AND u.feed_version_id <> %(fv)s)").format(
                sql.Identifier(f"close_{table}"), sql.Identifier(table), of_source(table)) for table in closing)),
            {"src": src, "fv": fv})
    publish_version(conn, src, fv, coverage_from=ctx.coverage_from, coverage_to=ctx.coverage_to,
                    feed_label=ctx.feed_label, file_stats={k: v.as_dict() for k, v in ctx.files.items()},
                    table_counts=dict(ctx.tables), rows_loaded=sum(f.rows_loaded for f in ctx.files.values()),
                    rows_rejected=ctx.rejected_total, applied_on=ctx.applied_on)


def _refused(meta: psycopg.Connection, source: Source, fetched: Fetched, run_pk: int,
             exc: InputRejected | guard.Held, ctx: LoadContext | None, result: IngestResult, registered: bool,
             digest: str, mode: str, log: Callable[[str], None]) -> None:
    """Record a rejected or held version (with its evidence) and finish the run. A source that was
    never registered gets no feed version: its load run keeps the reason, and no phantom source."""
    held = isinstance(exc, guard.Held) and registered
    if ctx is not None:
        _fill(result, ctx)
    result.reason, result.reason_code = str(exc), exc.code
    result.outcome = "held" if held else "rejected"
    fv_id = None
    if registered:
        fv_id = record_refusal(
            meta, source.id, status=result.outcome, sha256=fetched.sha256,
            size_bytes=fetched.size_bytes, location=fetched.location, load_run_id=run_pk, reason=str(exc),
            loader_digest=digest, update_mode=mode,
            file_stats={k: v.as_dict() for k, v in ctx.files.items()} if ctx else {},
            rows_rejected=ctx.rejected_total if ctx else 0, table_counts=dict(ctx.tables) if ctx else {},
            evidence=ctx.evidence() if ctx is not None else None,
            version_id=ctx.feed_version_id if ctx is not None else None)
    result.feed_version_id = fv_id
    finish_run(meta, run_pk, result.outcome, fv_id, result.rows_in, 0, result.rows_rejected, message=str(exc))
    log(f"[{source.id}] {result.outcome}: {exc}")


def prune(conn: psycopg.Connection, source_id: str, keep: int, incremental_tables: tuple[str, ...] = ()) -> list[int]:
    """Delete the staging and unified rows of superseded versions beyond the newest ``keep`` loaded
    ones (their lineage.feed_version rows stay, for the record). Returns the pruned version ids.
    In ``incremental_tables`` a row first recorded by a pruned version may still belong to a retained
    one (kept unchanged since): only rows closed at or before the oldest retained version was published go."""
    versions = conn.execute(
        """SELECT id, loaded_at FROM lineage.feed_version WHERE source_id = %s AND status IN ('loaded', 'superseded')
           ORDER BY loaded_at DESC NULLS LAST, id DESC""",
        (source_id,),
    ).fetchall()
    keep = max(keep, 1)
    old = [v[0] for v in versions[keep:]]
    if not old:
        return []
    cutoff = versions[keep - 1][1]  # when the oldest retained version was published
    # The tables (plain or partitioned) with a feed_version_id column, from the catalog itself: the
    # information_schema views cost ~50-300 ms per load in a new session, pg_catalog ~15 ms.
    tables = conn.execute(
        """SELECT n.nspname, c.relname FROM pg_catalog.pg_attribute a
           JOIN pg_catalog.pg_class c ON c.oid = a.attrelid JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
           WHERE a.attname = 'feed_version_id' AND NOT a.attisdropped AND a.attnum > 0
             AND n.nspname IN ('staging', 'unified') AND c.relkind IN ('r', 'p')"""
    ).fetchall()
    forget_row_sources(conn, old)
    # Children before parents: delete from tables others reference last. One round trip for the ~100 DELETEs
    # (values bound as literals: several statements in one execute take no parameters).
    versions_in = sql.SQL("feed_version_id = ANY({})").format(sql.Literal(old))
    deletes = []
    for schema, table in sorted(tables, key=lambda t: _delete_order(t[1])):
        closed = (sql.SQL(" AND recorded_to <= {}").format(sql.Literal(cutoff))
                  if schema == "unified" and table in incremental_tables and cutoff is not None else sql.SQL(""))
        deletes.append(sql.SQL("DELETE FROM {} WHERE {}{}").format(sql.Identifier(schema, table), versions_in, closed))
    conn.execute(sql.SQL("; ").join(deletes))
    mark_pruned(conn, old)
    return old


_PARENTS_LAST = ["road_event", "transport_link", "transport_node", "journey", "route_geometry", "service_calendar",
                 "line", "operator", "stop_point", "stop_place"]


def _delete_order(table: str) -> int:
    return _PARENTS_LAST.index(table) + 1 if table in _PARENTS_LAST else 0
