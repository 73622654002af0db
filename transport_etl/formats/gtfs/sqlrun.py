"""Run a loader SQL file; with TRANSPORT_ETL_SQL_PROFILE=1 each statement is timed (for tuning)."""

from __future__ import annotations

import os
import re
import time
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import psycopg

from transport_etl.ingest.context import LoadContext

_SPLIT = re.compile(r";[ \t]*\n")


def run_sql(ctx: LoadContext, path: Path, extra: Mapping[str, Any] | None = None) -> None:
    """ctx.run_sql_file, or statement by statement with timings when profiling is on."""
    if not os.environ.get("TRANSPORT_ETL_SQL_PROFILE"):
        ctx.run_sql_file(path, extra)
        return
    params = {**ctx.params, **(extra or {})}
    with psycopg.ClientCursor(ctx.conn) as cur:
        for stmt in _SPLIT.split(path.read_text(encoding="utf-8")):
            body = "\n".join(ln for ln in stmt.splitlines() if not ln.strip().startswith("--")).strip()
            if not body:
                continue
            t = time.monotonic()
            cur.execute(stmt, params)
            ctx.log(f"    {time.monotonic() - t:6.2f} s  {body.splitlines()[0][:90]}")
