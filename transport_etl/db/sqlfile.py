"""The one way to run a .sql file kept beside its Python caller (the 3DBAG style).

Files may hold several statements and use %(name)s parameters (client-side binding; write a literal
% as %%). With TRANSPORT_ETL_SQL_PROFILE=1 each statement is timed and logged, for tuning.
"""

from __future__ import annotations

import os
import re
import time
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

import psycopg

_SPLIT = re.compile(r";[ \t]*\n")


def run_sql_file(conn: psycopg.Connection, path: Path, params: Mapping[str, Any] | None = None,
                 log: Callable[[str], None] = print) -> int:
    """Execute every statement of ``path`` in the caller's transaction; returns the rows its INSERT
    statements wrote (what a time-series append reports)."""
    text = path.read_text(encoding="utf-8")
    with psycopg.ClientCursor(conn) as cur:
        if not os.environ.get("TRANSPORT_ETL_SQL_PROFILE"):
            cur.execute(text, dict(params or {}))
            return _inserted(cur)
        written = 0
        for stmt in _SPLIT.split(text):
            body = "\n".join(ln for ln in stmt.splitlines() if not ln.strip().startswith("--")).strip()
            if not body:
                continue
            t = time.monotonic()
            cur.execute(stmt, dict(params or {}))
            written += _inserted(cur)
            # named by the comment above it when it has one (statements often start alike)
            said = next((ln.strip()[2:].strip() for ln in stmt.splitlines() if ln.strip().startswith("--")), "")
            log(f"    {time.monotonic() - t:6.3f} s  {path.name}: {(said or body.splitlines()[0])[:80]}")
        return written


def _inserted(cur: psycopg.ClientCursor) -> int:
    n = 0
    while True:  # one result per statement
        if cur.pgresult is not None and cur.statusmessage and cur.statusmessage.startswith("INSERT"):
            n += cur.rowcount
        if not cur.nextset():
            return n


def query_sql_file(conn: psycopg.Connection, path: Path, params: Mapping[str, Any] | None = None) -> list[tuple]:
    """Rows of the last statement of ``path``."""
    with psycopg.ClientCursor(conn) as cur:
        cur.execute(path.read_text(encoding="utf-8"), dict(params or {}))
        while cur.nextset():  # the cursor is on the first statement's result
            pass
        return cur.fetchall()
