"""Bulk writes through PostgreSQL COPY: rows stream from an iterator, never held whole."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import BinaryIO

import psycopg
from psycopg import sql

# Rows per COPY statement when the caller asks to act between pieces (``between``).
PIECE_ROWS = 10_000


def copy_rows(
    conn: psycopg.Connection,
    table: str,
    columns: Sequence[str],
    rows: Iterable[Sequence[object]],
    between: Callable[[], None] | None = None,
) -> int:
    """COPY ``rows`` into ``schema.table (columns)``; returns the number of rows written.

    Values go through psycopg's text adapters (None → NULL), so the rows may hold str, int,
    float, date, bytes. Geometry columns take EWKT/EWKB strings ('SRID=5514;POINT(...)').

    ``between``: called after every PIECE_ROWS rows with no COPY open (one COPY statement per piece). A
    generator that quarantines records as it goes (a load context's reject and notice buffers) cannot write
    its evidence on the connection while a COPY holds it; here it is written between pieces, so the buffers
    stay bounded whatever the input.
    """
    schema, _, name = table.rpartition(".")
    target = sql.Identifier(schema, name) if schema else sql.Identifier(name)
    stmt = sql.SQL("COPY {} ({}) FROM STDIN").format(target, sql.SQL(", ").join(map(sql.Identifier, columns)))
    if between is None:
        return _copy_piece(conn, stmt, rows)
    it = iter(rows)
    n = 0
    while True:
        piece = _copy_piece(conn, stmt, islice(it, PIECE_ROWS))
        n += piece
        between()
        if piece < PIECE_ROWS:
            return n


def _copy_piece(conn: psycopg.Connection, stmt: sql.Composed, rows: Iterable[Sequence[object]]) -> int:
    n = 0
    with conn.cursor() as cur, cur.copy(stmt) as copy:
        for row in rows:
            copy.write_row(row)
            n += 1
    return n


def line_blocks(stream: BinaryIO, size: int = 1 << 20) -> Iterator[bytes]:
    """Whole lines of a byte stream, read ``size`` bytes at a time: each block ends with b"\\n" (a last line
    without one gets it), so a COPY fast path can count and split its records per block at C speed."""
    carry = b""
    while True:
        block = stream.read(size)
        if not block:
            if carry:
                yield carry + b"\n"
            return
        data = carry + block
        cut = data.rfind(b"\n")
        if cut < 0:  # a line longer than the block: read on (the input's line cap bounds it)
            carry = data
            continue
        yield data[:cut + 1]
        carry = data[cut + 1:]
