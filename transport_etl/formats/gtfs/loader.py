"""GTFS Schedule loader: ``load`` streams every standard file into typed staging tables and
validates it (MobilityData notice codes); ``publish`` maps the version into the unified model with
lineage. Both run inside the runner's single transaction (docs/loader-contract.md)."""

from __future__ import annotations

import time
from dataclasses import replace
from pathlib import Path

import psycopg

from transport_etl.boundaries import Limits, capped_opener
from transport_etl.errors import InputRejected
from transport_etl.formats.gtfs import FORMAT, delta
from transport_etl.formats.gtfs.holidays_check import check_service_on_holidays
from transport_etl.formats.gtfs.reader import open_feed
from transport_etl.formats.gtfs.spec import LOAD_ORDER, SPECS, FileSpec
from transport_etl.formats.gtfs.stage import stage_file
from transport_etl.formats.gtfs.validate import validate
from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent
REQUIRED_FILES = ("agency.txt", "stops.txt", "routes.txt", "trips.txt", "stop_times.txt")
RAW_KEEP_BYTES = 1 << 20
# The unified tables publish.sql writes (incrementally: unchanged rows are kept).
PUBLISHED = FORMAT.incremental_tables
BIG_STAGING = ("staging.gtfs_stop_times", "staging.gtfs_shapes")


def load(ctx: LoadContext) -> None:
    """Stream the feed at ``ctx.path`` (zip, nested zip or folder) into staging.gtfs_* and validate it."""
    t0 = time.monotonic()
    _temp_buffers(ctx)
    # Every member is read size-capped, line-capped and as UTF-8 (encodings recognised per file).
    entries = [replace(e, opener=capped_opener(ctx, e.gtfs_name, e.opener, "GTFS", ctx.source.encoding))
               if e.kind == "gtfs" else e for e in open_feed(ctx.path, Limits.of(ctx.options))]
    gtfs = {}
    for e in entries:
        if e.kind == "gtfs" and e.gtfs_name not in gtfs:
            gtfs[e.gtfs_name] = e
    others = [e for e in entries if e not in gtfs.values()]
    if not gtfs:
        raise InputRejected(f"{ctx.path.name}: no GTFS files found (expected agency.txt, stops.txt, ...)",
                            code="missing_required_file")
    missing = [f for f in REQUIRED_FILES if f not in gtfs]
    if "calendar.txt" not in gtfs and "calendar_dates.txt" not in gtfs:
        ctx.notice("missing_calendar_and_calendar_date_files", "ERROR",
                   "neither calendar.txt nor calendar_dates.txt is present")
        missing.append("calendar.txt or calendar_dates.txt")
    for f in missing:
        ctx.notice("missing_required_file", "ERROR", f"required file {f} is missing", file_name=f)
    if missing:
        raise InputRejected(f"{ctx.path.name}: required GTFS file(s) missing: {', '.join(missing)}",
                            code="missing_required_file")

    file_rows = []
    staged = []
    shapes_from = None  # the version whose shapes.txt this one takes as it is (delta.carry_shapes)
    for spec in LOAD_ORDER:
        entry = gtfs.get(spec.file_name)
        if entry is None:
            continue
        t = time.monotonic()
        carried = delta.carry_shapes(ctx, entry) if spec.name == "shapes" else None
        if carried:
            shapes_from, facts = carried
        elif spec.name == "stop_times":
            # the files staged so far get their statistics now: which trips can be carried is a join of them
            analyze_staged(ctx, staged)
            basis = delta.basis(ctx)
            carry = delta.plan(ctx, basis)
            t = time.monotonic()  # the staging figure is the file's COPY pass, as a raw COPY is
            facts = stage_file(ctx, entry, spec, carry)
        else:
            facts = stage_file(ctx, entry, spec)
        if not carried:
            staged.append(spec)
        file_rows.append((ctx.feed_version_id, entry.name, "gtfs", facts.get("size"), facts.get("sha256"),
                          facts["header"], facts["rows_in"], None))
        if facts["rows_in"] > 50_000 or spec.name == "stop_times":
            ctx.log(f"  {spec.file_name}: {facts['rows_in']:,} records in {time.monotonic() - t:.2f} s")
        if spec.name == "stop_times":
            delta.record(ctx, entry, facts.get("trips"), basis, shapes_from)
    for e in others:
        # Not fatal: reported, and kept raw for the record.
        if e.kind == "unknown":
            ctx.notice("unknown_file", "INFO", f"{e.name} is not a GTFS file (kept raw in staging.gtfs_file)",
                       file_name=e.name)
        with e.opener() as f:
            data = f.read(RAW_KEEP_BYTES + 1)
        import hashlib

        file_rows.append((ctx.feed_version_id, e.name, e.kind, e.size, hashlib.sha256(data).hexdigest()
                          if len(data) <= RAW_KEEP_BYTES else None, None, None,
                          data if len(data) <= RAW_KEEP_BYTES else None))
    ctx.copy_rows("staging.gtfs_file",
              ["feed_version_id", "file_name", "kind", "size_bytes", "sha256", "header", "rows_in", "content"],
              file_rows)
    analyze_staged(ctx, [s for s in staged if s.table not in ctx.analyzed])
    ctx.log(f"  staged {sum(f.rows_loaded for f in ctx.files.values()):,} records in {time.monotonic() - t0:.1f} s")
    validate(ctx, shapes_from)
    ctx.run_sql_file(HERE / "sanity.sql")  # times at or past 48:00 (notices)
    delta.uncarry(ctx, gtfs["stop_times.txt"])  # after every check: their notices are the carried ones
    _feed_facts(ctx)


def analyze_staged(ctx: LoadContext, staged: list) -> None:
    """Fresh statistics for the staged files, so validation and publish joins get hash plans instead of nested
    loops: one ANALYZE for the small files, one for the big ones, instead of one per file (each cost ~15 ms, a
    seventh of Amtrak's staging). validate.sql reads stop_times and shapes in one pass each: a 3,000-row
    sample gives the row counts and rough key cardinalities its plans need (HART's stop_times: ~5 ms instead
    of ~55 ms with the default 30,000-row sample). Only the columns plans join or filter on are analysed
    (planner_columns): statistics of the other fields (names, URLs, colours, times), which no plan reads, were
    most of the cost (Amtrak's small files: ~20 ms instead of ~60)."""
    tables = [s.table for s in staged]
    columns = {s.table: planner_columns(s) for s in staged}
    ctx.analyze(*(t for t in tables if t not in BIG_STAGING), columns=columns)
    ctx.analyze(*(t for t in tables if t in BIG_STAGING), sample_target=10, columns=columns)


# Fields that validation and publish filter on besides keys and references (ids).
FILTERED_FIELDS = ("parent_station", "location_type", "exception_type", "date", "start_date", "end_date",
                   "stop_sequence")


def planner_columns(spec: FileSpec) -> list[str]:
    """The columns of a staging table whose statistics plans use: the version and record number, the file's
    key, its references (…_id) and FILTERED_FIELDS."""
    return ["feed_version_id", "line_no", *(c for c, _ in spec.columns
                                            if c in spec.key or c.endswith("_id") or c in FILTERED_FIELDS)]


def _temp_buffers(ctx: LoadContext) -> None:
    """Room for validation's and publish's temp tables in the session's own buffers (default 8 MB): HART's
    ordered stop-time pass (gtfs_st) alone is ~60 MB, otherwise written to and read back from temp files.
    Allocated only as used; settable only before the session's first temp table, hence the savepoint."""
    try:
        with ctx.conn.transaction():
            ctx.conn.execute("SET LOCAL temp_buffers = '128MB'")
    except psycopg.errors.InvalidParameterValue:
        pass  # this session has used temp tables already: keep its buffers


def _feed_facts(ctx: LoadContext) -> None:
    """feed_info version label and the service coverage of the version."""
    row = ctx.conn.execute(
        "SELECT feed_version, feed_start_date, feed_end_date FROM staging.gtfs_feed_info "
        "WHERE feed_version_id = %s ORDER BY line_no LIMIT 1", (ctx.feed_version_id,)).fetchone()
    if row:
        ctx.feed_label = row[0]
    cov = ctx.conn.execute(
        """SELECT least(min(c.start_date), (SELECT min(date) FROM staging.gtfs_calendar_dates
                                            WHERE feed_version_id = %(fv)s AND exception_type = 1)),
                  greatest(max(c.end_date), (SELECT max(date) FROM staging.gtfs_calendar_dates
                                             WHERE feed_version_id = %(fv)s AND exception_type = 1))
           FROM staging.gtfs_calendar c WHERE c.feed_version_id = %(fv)s""", {"fv": ctx.feed_version_id}).fetchone()
    ctx.coverage_from = (row[1] if row and row[1] else None) or cov[0]
    ctx.coverage_to = (row[2] if row and row[2] else None) or cov[1]


def publish(ctx: LoadContext) -> None:
    """Map this version's staging rows into unified.*, each row citing its source file and line
    (set work in publish.sql)."""
    t0 = time.monotonic()
    ctx.run_sql_file(HERE / "publish.sql")
    if ctx.carried_from is not None:
        # A carried trip keeps the journey (and calls) of the version it is carried from: it must be current.
        lost = ctx.conn.execute(
            "SELECT (SELECT count(*) FROM _carried_journey) - count(*) FROM unified.journey j "
            "JOIN _carried_journey c ON c.local_id = j.local_id WHERE j.source_id = %s AND j.recorded_to IS NULL",
            (ctx.source.id,)).fetchone()[0]
        if lost:
            raise RuntimeError(f"{lost} carried trips have no current journey to keep")
    check_service_on_holidays(ctx)
    # The version's rows: the source's current ones (kept from earlier versions or new), as keep_unchanged and
    # publish.sql counted them (kept + added; calls through their journeys) instead of counting them again.
    counts = ctx.conn.execute(
        "SELECT 'unified.' || unified_table, (sum(kept) + sum(added))::bigint FROM _incremental_publish "
        "WHERE unified_table = ANY(%s) GROUP BY 1", (list(PUBLISHED),)).fetchall()
    for table, n in counts:
        if n:
            ctx.count(table, n)
    kept, added, closed = ctx.conn.execute(
        "SELECT kept, added, closed FROM _incremental_publish WHERE unified_table = 'journey'").fetchone()
    ctx.log(f"  published into unified in {time.monotonic() - t0:.1f} s (journeys: {kept:,} kept, {added:,} new, "
            f"{closed:,} closed)")


__all__ = ["load", "publish", "SPECS"]
