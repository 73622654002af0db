"""What every benchmark needs around its measurement: a URL for another database on the same server, a
scratch database (migrated unless asked otherwise) dropped afterwards, and a median of repeated timings."""

from __future__ import annotations

import statistics
import time
import uuid
from collections.abc import Callable

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo


def with_db(url: str, name: str) -> str:
    """``url`` with its database name replaced by ``name`` (URL or key=value form)."""
    p = conninfo_to_dict(url)
    p["dbname"] = name
    return make_conninfo(**p)


class Scratch:
    """A scratch database on the server of ``server_url`` (migrated unless ``migrated=False``), dropped on
    exit; ``name`` defaults to ``<prefix>_<random>``, and a given name is dropped first if it exists."""

    def __init__(self, server_url: str, prefix: str = "bench", name: str | None = None,
                 migrated: bool = True) -> None:
        self.admin = with_db(server_url, "postgres")
        self.name = name or f"{prefix}_{uuid.uuid4().hex[:8]}"
        self.url = with_db(server_url, self.name)
        self.migrated = migrated

    def __enter__(self) -> Scratch:
        from transport_etl.db import migrate

        with psycopg.connect(self.admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')
            c.execute(f'CREATE DATABASE "{self.name}"')
        if self.migrated:
            with psycopg.connect(self.url, autocommit=True) as c:
                migrate.upgrade(c, log=lambda _m: None)
        return self

    def __exit__(self, *exc) -> None:
        with psycopg.connect(self.admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{self.name}" WITH (FORCE)')


def median_ms(fn: Callable[[], object], n: int = 5, warm: bool = True) -> float:
    """Median wall time of ``n`` calls of ``fn`` in milliseconds, after one warming call unless ``warm`` is
    False."""
    if warm:
        fn()
    times = []
    for _ in range(n):
        t = time.perf_counter()
        fn()
        times.append((time.perf_counter() - t) * 1000)
    return statistics.median(times)
