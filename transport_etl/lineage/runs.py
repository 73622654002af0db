"""Load runs and poll runs: lineage.load_run and lineage.poll_run are written here and nowhere else."""

from __future__ import annotations

import datetime as dt

import psycopg


def start_run(conn: psycopg.Connection, run_id: str, run_kind: str, source_id: str | None,
              asset_key: str | None) -> int:
    return conn.execute(
        """INSERT INTO lineage.load_run (run_id, run_kind, source_id, asset_key) VALUES (%s, %s, %s, %s)
           RETURNING id""",
        (run_id, run_kind, source_id, asset_key),
    ).fetchone()[0]


def finish_run(
    conn: psycopg.Connection,
    load_run_id: int,
    outcome: str,
    feed_version_id: int | None = None,
    rows_in: int = 0,
    rows_loaded: int = 0,
    rows_rejected: int = 0,
    message: str | None = None,
) -> None:
    conn.execute(
        """UPDATE lineage.load_run SET outcome = %s, feed_version_id = %s, rows_in = %s, rows_loaded = %s,
               rows_rejected = %s, message = %s, finished_at = now() WHERE id = %s""",
        (outcome, feed_version_id, rows_in, rows_loaded, rows_rejected, message, load_run_id),
    )


def close_dead_runs(conn: psycopg.Connection, source_id: str) -> None:
    """Runs of this source still marked running belong to processes that died (the caller holds the
    source's lock, so none of them is alive). Their transactions rolled back; say so in their record."""
    conn.execute(
        """UPDATE lineage.load_run SET outcome = 'failed', finished_at = now(),
               message = 'process ended without finishing (killed or crashed); nothing of it was published'
           WHERE source_id = %s AND outcome = 'running'""",
        (source_id,),
    )


def start_poll(conn: psycopg.Connection, source_id: str, feed: str, location: str | None,
               load_run_id: int | None = None, feed_version_id: int | None = None) -> int:
    return conn.execute(
        """INSERT INTO lineage.poll_run (source_id, feed, location, load_run_id, feed_version_id)
           VALUES (%s, %s, %s, %s, %s) RETURNING id""",
        (source_id, feed, location, load_run_id, feed_version_id),
    ).fetchone()[0]


def finish_poll(conn: psycopg.Connection, poll_run_id: int, outcome: str, rows: int = 0,
                source_updated_at: dt.datetime | None = None, error: str | None = None) -> float | None:
    """Close a poll run; returns the lag in seconds (now − source timestamp) when known."""
    row = conn.execute(
        """UPDATE lineage.poll_run SET finished_at = clock_timestamp(), outcome = %s, rows_written = %s,
               source_updated_at = %s, error_message = %s,
               lag_s = EXTRACT(EPOCH FROM clock_timestamp() - %s::timestamptz)
           WHERE id = %s RETURNING lag_s""",
        (outcome, rows, source_updated_at, (error or None) and error[:2000], source_updated_at, poll_run_id),
    ).fetchone()
    return float(row[0]) if row and row[0] is not None else None


def purge_polls(conn: psycopg.Connection, source_id: str, days: int) -> int:
    """Forget poll runs older than the source's retention; returns runs deleted."""
    return conn.execute(
        "DELETE FROM lineage.poll_run WHERE source_id = %s AND started_at < now() - make_interval(days => %s)",
        (source_id, days),
    ).rowcount
