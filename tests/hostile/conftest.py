"""One loaded baseline for the whole hostile suite: every demo source loaded once into a database cloned
from the migrated template; each case then runs against it and must leave what it does not publish intact."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import psycopg
import pytest

from tests.conftest import scratch_database
from tests.hostile.damage import SECRET_TOKEN, Demo
from transport_etl.catalog import Source
from transport_etl.ingest.run import ingest


def source_of(entry: dict, **options) -> Source:
    fields = {k: v for k, v in entry.items() if k in Source.__dataclass_fields__}
    return Source(**{**fields, "options": {**(entry.get("options") or {}), **options}})


@pytest.fixture(scope="session")
def baseline(template_db: str, tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, Demo]]:
    """(database URL, demo) with every demo source loaded as its current version."""
    from demo.generate import generate_all

    root = tmp_path_factory.mktemp("hostile_demo")
    made = generate_all(root / "demo", log=lambda _m: None)
    secret = root / "secret" / "credentials.txt"
    secret.parent.mkdir()
    secret.write_text(f"stop_id,stop_name\n{SECRET_TOKEN},{SECRET_TOKEN}\n", encoding="utf-8")
    demo = Demo(root=root / "demo", sources={e["id"]: e for e in made["sources"]}, secret=secret)

    with scratch_database("tetl_hostile", template_db) as db:
        for entry in made["sources"]:
            res = ingest(source_of(entry), database_url=db, run_kind="test", log=lambda _m: None)
            assert res.outcome == "loaded", f"{entry['id']}: {res.reason}"
        yield db, demo


_HAS_FV = """EXISTS (SELECT 1 FROM information_schema.columns c WHERE c.table_schema = t.table_schema
              AND c.table_name = t.table_name AND c.column_name = 'feed_version_id')"""


@pytest.fixture(scope="session")
def catalog_tables(baseline: tuple[str, Demo]) -> dict[str, list]:
    """Tables to inspect: unified tables with versions; every table (and whether rows carry their feed version)
    for the secret search; gis views (same flag)."""
    with psycopg.connect(baseline[0]) as c:
        versioned = [r[0] for r in c.execute(
            """SELECT table_name FROM information_schema.columns WHERE table_schema = 'unified'
                 AND column_name = 'recorded_to' AND table_name IN (SELECT table_name FROM information_schema.columns
                 WHERE table_schema = 'unified' AND column_name = 'source_id')
                 AND table_name IN (SELECT table_name FROM information_schema.tables WHERE table_schema = 'unified'
                 AND table_type = 'BASE TABLE') ORDER BY 1""")]
        every = [(f"{s}.{t}", fv) for s, t, fv in c.execute(
            f"""SELECT table_schema, table_name, {_HAS_FV} FROM information_schema.tables t
               WHERE table_schema IN ('lineage', 'staging', 'unified') AND table_type = 'BASE TABLE' ORDER BY 1, 2""")]
        views = [(f"gis.{t}", fv) for t, fv in c.execute(
            f"SELECT table_name, {_HAS_FV} FROM information_schema.views t WHERE table_schema = 'gis' ORDER BY 1")]
    return {"versioned": versioned, "every": every, "views": views}


def max_version(url: str) -> int:
    with psycopg.connect(url) as c:
        return c.execute("SELECT coalesce(max(id), 0) FROM lineage.feed_version").fetchone()[0]


def snapshot(url: str, source_id: str, tables: list[str]) -> dict[str, object]:
    """The source's current version and its current row count per unified table (one round trip)."""
    counts = " UNION ALL ".join(
        f"SELECT '{t}', count(*) FROM unified.{t} WHERE source_id = %(s)s AND recorded_to IS NULL" for t in tables)
    with psycopg.connect(url) as c:
        out: dict[str, object] = {"current": c.execute(
            "SELECT id FROM lineage.feed_version WHERE source_id = %s AND is_current", (source_id,)).fetchone()}
        out.update(dict(c.execute(counts, {"s": source_id}).fetchall()))
    return out


def _rows(table: str, has_fv: bool, since: int | None) -> str:
    # Rows written before ``since`` were checked when they were written: look at the new ones only.
    if since is None:
        return table
    if has_fv:
        return f"(SELECT * FROM {table} WHERE feed_version_id > {int(since)})"
    if table == "lineage.feed_version":
        return f"(SELECT * FROM {table} WHERE id > {int(since)})"
    return table


def assert_no_secret(url: str, tables: list, since: int | None = None) -> None:
    """The planted secret appears in no row of any table (text, jsonb, or bytea shown as hex)."""
    query = " UNION ALL ".join(
        f"SELECT '{t}' WHERE EXISTS (SELECT 1 FROM {_rows(t, fv, since)} x WHERE x::text LIKE %(a)s "
        "OR x::text LIKE %(b)s)" for t, fv in tables)
    with psycopg.connect(url) as c:
        hits = [r[0] for r in c.execute(query, {"a": f"%{SECRET_TOKEN}%",
                                                "b": "%" + SECRET_TOKEN.encode().hex() + "%"}).fetchall()]
    assert not hits, f"secret content found in {hits}"


def assert_gis_readable(url: str, views: list, since: int | None = None) -> None:
    """Every gis view reads (every column of every row computed, e.g. ST_Transform to 4326); with ``since``,
    views that carry feed_version_id are read for the newer versions' rows, the others in full."""
    query = " UNION ALL ".join(f"SELECT count(*), sum(length(x::text)) FROM {_rows(v, fv, since)} x"
                               for v, fv in views)
    with psycopg.connect(url, autocommit=True) as c:
        try:
            c.execute(query).fetchall()
        except psycopg.Error:
            for v, fv in views:  # name the view that cannot be read
                try:
                    c.execute(f"SELECT count(*), sum(length(x::text)) FROM {_rows(v, fv, since)} x").fetchone()
                except psycopg.Error as exc:
                    raise AssertionError(f"{v} is unreadable: {exc}") from exc
            raise


def latest_version(url: str, source_id: str) -> int:
    with psycopg.connect(url) as c:
        return c.execute("SELECT max(id) FROM lineage.feed_version WHERE source_id = %s", (source_id,)).fetchone()[0]


def root() -> Path:
    return Path(__file__).resolve().parents[2]
