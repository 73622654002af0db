"""Monthly partitions of the time-series tables (schemas/770_partitioned_history.sql): the upkeep the
Dagster job `platform_maintenance` and `transport-etl db partitions` run daily."""

from __future__ import annotations

import datetime as dt

import psycopg


def maintain(conn: psycopg.Connection, now: dt.datetime | None = None) -> list[tuple[str, str, str]]:
    """Create the current and next months' partitions, drop months past each table's retention;
    returns (table, created|dropped, partition) for what changed."""
    rows = conn.execute("SELECT * FROM lineage.maintain_history_partitions(coalesce(%s, now()))", (now,)).fetchall()
    return [(t, a, p) for t, a, p in rows]


def set_retention(conn: psycopg.Connection, table: str, months: int | None) -> None:
    """Keep ``months`` whole months before the current one (None keeps all)."""
    n = conn.execute("UPDATE lineage.history_table SET retention_months = %s WHERE table_name = %s",
                     (months, table)).rowcount
    if not n:
        raise ValueError(f"{table} is not a partitioned history table")


def partitions(conn: psycopg.Connection, table: str) -> list[str]:
    """Partitions of a history table, oldest first (the DEFAULT one last)."""
    return [r[0] for r in conn.execute(
        """SELECT c.relname FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid
            WHERE i.inhparent = %s::regclass ORDER BY c.relname LIKE '%%\\_default', c.relname""", (table,))]
