"""A next version that carries its unchanged trips (issue 11: a version with 1 % of the trips changed costs a
fraction of a first load).

A trip is carried from the source's current version when its stop_times lines are the same bytes there
(trip_lines.py), its trips.txt record and its service's calendar records are the same, and so is everything
else its checks and unified rows depend on (the basis: agency, stops, routes and shapes files, extent, check
settings, namespace, loader). A carried trip is not staged: its notices and quarantined records are copied
from that version with their lines moved (validate.sql), and its journey and calls are kept (publish.sql).
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import query_sql_file
from transport_etl.formats.gtfs.fastcopy import restage_runs
from transport_etl.formats.gtfs.reader import Entry
from transport_etl.formats.gtfs.spec import BY_FILE
from transport_etl.formats.gtfs.trip_lines import TripLines
from transport_etl.formats.gtfs.validate import MAX_SPEED_KMH, STOP_TOO_FAR_FROM_SHAPE_M, ordered_pass
from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent
BASIS_FILES = ("agency.txt", "stops.txt", "routes.txt", "shapes.txt")


def basis(ctx: LoadContext) -> str:
    """Digest of what a trip's checks and unified rows depend on besides its own lines and trips.txt record."""
    files = [f"{f}:{ctx.files[f].sha256 if f in ctx.files else '-'}" for f in BASIS_FILES]
    settings = {"namespace": ctx.namespace, "extent": ctx.params["extent"], "speeds": MAX_SPEED_KMH,
                "stop_too_far_m": STOP_TOO_FAR_FROM_SHAPE_M}
    return hashlib.md5("\n".join([*files, json.dumps(settings, sort_keys=True)]).encode()).hexdigest()


def carry_shapes(ctx: LoadContext, entry: Entry) -> tuple[int, dict] | None:
    """When shapes.txt is the same bytes as in the current version (same basis), take that version's staged
    result instead of staging it again: its file facts, notices, quarantined records (copied now) and shape
    lines (validate.sql). Returns (that version, the file's staging facts), or None to stage it."""
    sha, size = hashlib.sha256(), 0
    with entry.opener() as f:
        while chunk := f.read(1 << 20):
            sha.update(chunk)
            size += len(chunk)
    stats = ctx.file("shapes.txt")
    stats.sha256 = sha.hexdigest()
    rows = query_sql_file(ctx.conn, HERE / "delta_shapes.sql", {**ctx.params, "basis": basis(ctx)})
    if not rows:
        stats.sha256 = None
        return None
    prev, header, rows_in, prev_stats = rows[0]
    stats.rows_in, stats.rows_loaded = prev_stats.get("rows_in", 0), prev_stats.get("rows_loaded", 0)
    stats.rows_rejected, stats.size_bytes = prev_stats.get("rows_rejected", 0), size
    last = ctx.conn.execute("SELECT coalesce(max(id), 0) FROM lineage.notice").fetchone()[0]
    ctx.run_sql_file(HERE / "carry_shapes.sql", {"shapes_from": prev})
    for code, severity, n in ctx.conn.execute(
            "SELECT code, severity, count(*) FROM lineage.notice WHERE feed_version_id = %s AND id > %s "
            "GROUP BY 1, 2", (ctx.feed_version_id, last)).fetchall():
        ctx.notice_counts[(code, severity)] += n
    ctx.rejected_total += stats.rows_rejected
    ctx.log(f"  shapes.txt: the same file as in feed version {prev} ({rows_in:,} records): not staged again")
    return prev, {"header": header, "rows_in": rows_in, "sha256": stats.sha256, "size": size}


def plan(ctx: LoadContext, basis_digest: str) -> dict[str, str]:
    """The trips that may be carried (trip_id → the digest their lines must have); sets ``ctx.carried_from``."""
    # a file staged without a digest ("?") is never the same as anything
    sha = {f: ctx.files[f].sha256 or "?" for f in ("trips.txt", "calendar.txt", "calendar_dates.txt") if f in ctx.files}
    rows = query_sql_file(ctx.conn, HERE / "delta_plan.sql", {**ctx.params, "basis": basis_digest,
                                                              "sha": json.dumps(sha)})
    ctx.carried_from = rows[0][0] if rows else None
    return {trip_id: digest for _, trip_id, digest in rows}


def record(ctx: LoadContext, entry: Entry, trips: TripLines | None, basis_digest: str,
           shapes_from: int | None = None) -> None:
    """This version's trips as read (temp table _trip_lines, for validate.sql), and its basis when the file
    was read trip by trip (so that the next version can carry from it), with the version whose staged shapes it
    took (``shapes_from``: the next one taking them again must read that version's). Carried runs whose trip
    went on later in the file are staged now."""
    conn = ctx.conn
    conn.execute("CREATE TEMP TABLE _trip_lines (trip_id text, first_line integer, n_lines integer, digest uuid, "
                 "carried boolean) ON COMMIT DROP")
    if trips is None:
        ctx.carried_from = None
        return
    if trips.late:
        restage_runs(ctx, entry, BY_FILE["stop_times.txt"], set(trips.late))
    facts = trips.facts
    copy_rows(conn, "_trip_lines", ["trip_id", "first_line", "n_lines", "digest", "carried"], facts)
    conn.execute("CREATE INDEX ON _trip_lines (trip_id)")
    conn.execute("ANALYZE _trip_lines")
    conn.execute("INSERT INTO staging.gtfs_trip_basis (feed_version_id, basis, shapes_from) VALUES (%s, %s, %s)",
                 (ctx.feed_version_id, basis_digest, shapes_from))
    carried = sum(1 for f in facts if f[4])
    if not carried:
        ctx.carried_from = None
        return
    ctx.log(f"  stop_times.txt: {carried:,} of {len(facts):,} trips unchanged since feed version "
            f"{ctx.carried_from} ({trips.carried_lines:,} records carried, not staged again)")


def uncarry(ctx: LoadContext, entry: Entry) -> None:
    """After validation: carried trips that call where a stop place changes kind are staged after all (their
    calls get new stop point ids); their notices stay the carried ones, which their records still have."""
    if ctx.carried_from is None:
        return
    params = {**ctx.params, "carried_from": ctx.carried_from}
    rows = query_sql_file(ctx.conn, HERE / "delta_uncarry.sql", params)
    if not rows:
        return
    trips = [r[0] for r in rows]
    ctx.log(f"  {len(trips):,} carried trips call at stops whose modes changed: staging their lines after all")
    restage_runs(ctx, entry, BY_FILE["stop_times.txt"], {r[1] for r in rows})
    ordered_pass(ctx, "INSERT INTO gtfs_st", trips)
    ctx.run_sql_file(HERE / "delta_restaged.sql", {"trips": trips})
