"""Frequent polls of live feeds (GBFS status, GTFS-Realtime, parking occupancy) with their health
in lineage.poll_run. A Dagster sensor (or any scheduler) calls :func:`poll_due_sources` every
tick; each poll is one short transaction that appends a batch to a time series, so polls never
become Dagster runs or partitions."""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from typing import Any

import psycopg
from psycopg import sql

from transport_etl.catalog import Source
from transport_etl.errors import InputRejected
from transport_etl.formats import registry
from transport_etl.lineage.runs import finish_poll, purge_polls, start_poll

DEFAULT_POLL_INTERVAL_S = 60
DEFAULT_RETENTION_DAYS = 30
# A sensor ticking every interval would otherwise skip every other tick on jitter.
_DUE_SLACK_S = 5



@dataclass
class PollResult:
    """What one poll did; attach ``as_dict()`` to the sensor's log / metadata."""

    source_id: str
    feed: str
    outcome: str  # ok | unchanged | failed | skipped (not due)
    rows: int = 0
    lag_s: float | None = None
    source_updated_at: str | None = None
    error: str | None = None
    poll_run_id: int | None = None
    location: str | None = None
    seconds: float = 0.0

    def as_dict(self) -> dict[str, Any]:
        return asdict(self)


def retention_days(source: Source) -> int | None:
    """Days of time series kept for the source (options.retention_days; 0 or null keeps all)."""
    value = source.options.get("retention_days", DEFAULT_RETENTION_DAYS)
    return int(value) if value else None


def purge(conn: psycopg.Connection, source: Source, tables: Iterable[str]) -> int:
    """Delete time-series rows (and poll runs) older than the source's retention; returns rows deleted."""
    days = retention_days(source)
    if not days:
        return 0
    n = 0
    for table in tables:
        n += conn.execute(
            sql.SQL("DELETE FROM {} WHERE source_id = %s AND recorded_at < now() - make_interval(days => %s)")
            .format(sql.Identifier(*table.split("."))),
            (source.id, days),
        ).rowcount
    purge_polls(conn, source.id, days)
    return n


def run_poll(database_url: str | None, source: Source, feed: str, location: str | None, work) -> PollResult:
    """Run ``work(conn, poll_run_id) -> (rows, source_updated_at, note)`` as one poll.

    The poll run row is committed first, so a poll that hangs or dies still shows up; any error
    (timeout, HTTP, garbage) becomes outcome=failed with its reason, never an exception, so one bad
    feed does not stop a sensor tick.
    """
    from transport_etl.db.connection import connect
    from transport_etl.db.migrate import require_schema
    from transport_etl.lineage.registry import register_source

    t0 = time.monotonic()
    result = PollResult(source_id=source.id, feed=feed, outcome="failed", location=location)
    with connect(database_url, autocommit=True) as meta:
        require_schema(meta)
        register_source(meta, source)
        poll_id = start_poll(meta, source.id, feed, location)
        result.poll_run_id = poll_id
        updated: dt.datetime | None = None
        try:
            with connect(database_url) as conn, conn.transaction():
                rows, updated, note = work(conn, poll_id)
            result.rows = rows
            result.outcome = "ok" if rows else "unchanged"
            result.error = note
        except Exception as exc:  # noqa: BLE001 - recorded as a failed poll, see docstring
            result.error = str(exc) if isinstance(exc, InputRejected) else f"{type(exc).__name__}: {exc}"
        result.lag_s = finish_poll(meta, poll_id, result.outcome, result.rows, updated, result.error)
        result.source_updated_at = updated.isoformat() if updated else None
    result.seconds = time.monotonic() - t0
    return result


def _is_due(conn: psycopg.Connection, source: Source, feed: str, now: dt.datetime) -> bool:
    interval = float(source.options.get("poll_interval_s", DEFAULT_POLL_INTERVAL_S))
    last = conn.execute(
        "SELECT max(started_at) FROM lineage.poll_run WHERE source_id = %s AND feed = %s AND load_run_id IS NULL",
        (source.id, feed),
    ).fetchone()[0]
    return last is None or (now - last).total_seconds() >= interval - _DUE_SLACK_S


def pollable(source: Source) -> bool:
    """Sources whose format has a live part (its FORMAT declares a poll step): a GBFS system always,
    GTFS-RT and parking when fetched from a URL or with options.poll (a file is loaded once through
    ingest instead). options.poll: false turns polling off."""
    fmt = registry.get(source.format)
    if not fmt.live or source.options.get("poll") is False:
        return False
    if not fmt.poll_needs_url:
        return bool(source.location)
    return source.is_url() or bool(source.options.get("poll"))


def poll_feed(source: Source) -> str:
    """The lineage.poll_run.feed name of the source's live part."""
    return registry.get(source.format).poll_feed or ""


def poll_source(database_url: str | None, source: Source) -> PollResult:
    """Poll one source now, whatever its schedule."""
    return registry.get(source.format).poll(database_url, source)


def poll_due_sources(database_url: str | None, sources: Iterable[Source],
                     now: dt.datetime | None = None) -> list[PollResult]:
    """Poll every pollable source whose options.poll_interval_s (default 60) has passed since its
    last poll; others come back as outcome=skipped. Never raises for a feed's failure."""
    from transport_etl.db.connection import connect
    from transport_etl.db.migrate import require_schema

    results: list[PollResult] = []
    due: list[Source] = []
    with connect(database_url, autocommit=True) as conn:
        require_schema(conn)
        now = now or conn.execute("SELECT now()").fetchone()[0]
        for s in sources:
            if not pollable(s):
                continue
            if _is_due(conn, s, poll_feed(s), now):
                due.append(s)
            else:
                results.append(PollResult(source_id=s.id, feed=poll_feed(s), outcome="skipped",
                                          location=s.location))
    for s in due:
        results.append(poll_source(database_url, s))
    return results


def poll_health(database_url: str | None, source_ids: Iterable[str] | None = None,
                window_hours: float = 24.0) -> list[dict[str, Any]]:
    """Per source and feed: last poll, last success, current lag, failures and rows in the window —
    what the sensor should report as metadata and what an operator checks first."""
    from transport_etl.db.connection import connect

    ids = list(source_ids) if source_ids is not None else None
    with connect(database_url, autocommit=True) as conn:
        cur = conn.execute(
            """SELECT source_id, feed,
                      max(started_at) AS last_poll_at,
                      max(finished_at) FILTER (WHERE outcome IN ('ok', 'unchanged')) AS last_success_at,
                      (array_agg(outcome ORDER BY started_at DESC))[1] AS last_outcome,
                      (array_agg(lag_s ORDER BY started_at DESC) FILTER (WHERE outcome IN ('ok', 'unchanged')))[1]
                          AS lag_s,
                      (array_agg(error_message ORDER BY started_at DESC) FILTER (WHERE outcome = 'failed'))[1]
                          AS last_error,
                      count(*) AS polls,
                      count(*) FILTER (WHERE outcome = 'failed') AS failures,
                      coalesce(sum(rows_written), 0) AS rows_written
               FROM lineage.poll_run
               WHERE started_at > now() - make_interval(secs => %s) AND (%s::text[] IS NULL OR source_id = ANY(%s))
               GROUP BY source_id, feed ORDER BY source_id, feed""",
            (window_hours * 3600, ids, ids),
        )
        names = [d.name for d in cur.description]
        return [dict(zip(names, r, strict=True)) for r in cur.fetchall()]
