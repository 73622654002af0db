"""The publication guard: a version that would shrink a key table of the source's current version
by more than a configured share, or whose rejected records hold too many of its bytes, is held
(status ``held``) instead of published, whatever its per-record reject ratio. An operator who
knows the shrink is real publishes it with ``transport-etl accept SOURCE VERSION``.

Catalog options: ``max_shrink`` (share, default 0.5; 1 disables), ``guard_tables`` (default
stop_place, stop_point, journey, call: whichever of them the source publishes; a table the source had no
rows in is never a shrink), ``max_rejected_bytes_ratio`` (default: the source's max_reject_ratio),
applied once the rejected records hold at least ``min_rejected_bytes`` (default 64 KiB).
"""

from __future__ import annotations

import psycopg
from psycopg import sql

from transport_etl.db.model import of_source
from transport_etl.ingest.context import LoadContext

DEFAULT_MAX_SHRINK = 0.5
# stop_place too: a register (SR70) publishes nothing else, and a version losing most of its stations must be held.
DEFAULT_GUARD_TABLES = ("stop_place", "stop_point", "journey", "call")
DEFAULT_MIN_REJECTED_BYTES = 64 * 1024  # the default longest line (issue #13)


class Held(Exception):
    """The version is complete and valid but must not become current without an operator's word."""

    def __init__(self, reason: str, code: str) -> None:
        super().__init__(reason)
        self.code = code


def check(conn: psycopg.Connection, ctx: LoadContext, input_bytes: int, max_reject_ratio: float) -> None:
    """Raise :class:`Held` when the new version (already written, not yet current) must be held."""
    _check_rejected_bytes(ctx, input_bytes, max_reject_ratio)
    _check_shrink(conn, ctx)


def _check_rejected_bytes(ctx: LoadContext, input_bytes: int, max_reject_ratio: float) -> None:
    limit = float(ctx.options.get("max_rejected_bytes_ratio", max_reject_ratio))
    # Unpacked sizes where the loader knows them, else the bytes as fetched (a zip bomb's line is
    # then far above 100 %, which is the point). Lines the shared line checks refused (boundaries.line_rejecter)
    # never reach a reader, so no file size counts them: they are added (25,000 NUL lines of a zipped feed
    # were "549 %" of its bytes).
    sizes = sum(f.size_bytes or 0 for f in ctx.files.values()) + getattr(ctx, "unread_bytes", 0)
    total = max(input_bytes, sizes, 1)
    rejected = getattr(ctx, "rejected_bytes", 0)
    # Small inputs are judged by their record ratio: a few short bad lines of a tiny file are not the
    # class this rule is for (a whole file hidden in one "record").
    if rejected >= int(ctx.options.get("min_rejected_bytes", DEFAULT_MIN_REJECTED_BYTES)) and rejected / total > limit:
        raise Held(f"rejected records hold {rejected:,} of {total:,} input bytes ({rejected / total:.0%}), "
                   f"above the threshold {limit:.0%}: held; publish it with `transport-etl accept "
                   f"{ctx.source.id} {ctx.feed_version_id}` if that is right", "rejected_bytes")


def _check_shrink(conn: psycopg.Connection, ctx: LoadContext) -> None:
    share = float(ctx.options.get("max_shrink", DEFAULT_MAX_SHRINK))
    if share >= 1:
        return
    tables = ctx.options.get("guard_tables") or DEFAULT_GUARD_TABLES
    counted = _incremental_counts(conn, [t for t in tables if t in ctx.incremental_tables])
    for table in tables:
        kept, added, closed, complete = counted.get(table, (0, 0, 0, None))
        if complete:
            # Every row current before was either kept or closed, every row after is kept or added.
            before, after = kept + closed, kept + added
            if before and after < before * (1 - share):
                raise Held(_shrunk(ctx, table, before, after, share), "shrink")
            continue
        # Before: the rows current when this transaction began: those still current and not new, plus those a
        # format that publishes incrementally has already closed (unified.keep_unchanged counts them). After:
        # the rows this version will have. (Index-friendly: the current-rows and feed-version indexes; calls
        # through the source's current journeys, which hold both the previous version's and this one's.)
        before, after = conn.execute(
            sql.SQL("""SELECT count(*) FILTER (WHERE u.recorded_to IS NULL AND u.recorded_from < now()),
                              count(*) FILTER (WHERE {mine})
                         FROM unified.{t} u WHERE {of_source}
                          AND (u.recorded_to IS NULL OR u.feed_version_id = %(fv)s)""").format(
                t=sql.Identifier(table), mine=ctx.version_rows(table), of_source=of_source(table)),
            {"fv": ctx.feed_version_id, "src": ctx.source.id},
        ).fetchone()
        before += closed
        if before and after < before * (1 - share):
            raise Held(_shrunk(ctx, table, before, after, share), "shrink")


def _shrunk(ctx: LoadContext, table: str, before: int, after: int, share: float) -> str:
    return (f"{table} would shrink from {before:,} to {after:,} rows ({1 - after / before:.0%} fewer, "
            f"limit {share:.0%}): held; publish it with `transport-etl accept {ctx.source.id} "
            f"{ctx.feed_version_id}` if that is right")


def _incremental_counts(conn: psycopg.Connection, tables: list[str]) -> dict[str, tuple[int, int, int, bool | None]]:
    """(kept, added, closed, complete) per table as the incremental publish counted them in this transaction
    (temp table _incremental_publish), in one query. complete: the loader counted both kept and added rows
    (else the rows are counted instead); closed: the rows it closed. Empty when nothing was counted."""
    if not tables or conn.execute("SELECT to_regclass('pg_temp._incremental_publish')").fetchone()[0] is None:
        return {}
    rows = conn.execute(
        """SELECT unified_table, coalesce(sum(kept), 0), coalesce(sum(added), 0), coalesce(sum(closed), 0),
                  bool_or(kept IS NOT NULL AND added IS NOT NULL)
           FROM _incremental_publish WHERE unified_table = ANY(%s) GROUP BY 1""", (tables,)).fetchall()
    return {table: (int(kept), int(added), int(closed), complete) for table, kept, added, closed, complete in rows}
