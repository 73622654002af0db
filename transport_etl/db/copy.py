"""Bulk writes through PostgreSQL COPY: rows stream from an iterator, never held whole."""

from __future__ import annotations

from collections.abc import Iterable, Sequence

import psycopg
from psycopg import sql


def copy_rows(
    conn: psycopg.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
) -> int:
    """COPY ``rows`` into ``schema.table (columns)``; returns the number of rows written.

    Values go through psycopg's text adapters (None → NULL), so the rows may hold str, int,
    float, date, bytes. Geometry columns take EWKT/EWKB strings ('SRID=5514;POINT(...)').
    """
    schema, _, name = table.rpartition(".")
    target = sql.Identifier(schema, name) if schema else sql.Identifier(name)
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(target, sql.SQL(", ").join(map(sql.Identifier, columns)))
    n = 0
    with conn.cursor() as cur, cur.copy(stmt) as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n
