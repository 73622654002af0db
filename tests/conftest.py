"""Shared fixtures: a real PostGIS database per test, cloned from a migrated template."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from transport_etl.catalog import Source
from transport_etl.db import migrate
from transport_etl.db.connection import database_url

ROOT = Path(__file__).resolve().parents[1]
SHARED_DATA = ROOT.parent / "shared" / "data"


def _server_url() -> str:
    """The database `make test` resolved; tests create their own databases on its server."""
    try:
        return database_url()
    except Exception as exc:  # noqa: BLE001 - turned into a clear failure below
        pytest.fail(f"no PostGIS database for integration tests ({exc}); run `make test`", pytrace=False)


def _with_db(url: str, dbname: str) -> str:
    params = conninfo_to_dict(url)
    params["dbname"] = dbname
    return make_conninfo(**params)


def database_name(url: str) -> str:
    return conninfo_to_dict(url)["dbname"]


@contextmanager
def scratch_database(prefix: str, template: str | None = None) -> Iterator[str]:
    """A new database on the test server, a copy of the database ``template`` or else empty, named
    ``<prefix>_<random>`` and dropped on exit; yields its URL."""
    url = _server_url()
    name = f"{prefix}_{uuid.uuid4().hex[:10]}"
    admin = _with_db(url, "postgres")
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
    try:
        yield _with_db(url, name)
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@pytest.fixture(scope="session")
def template_db() -> Iterator[str]:
    """A migrated database used as CREATE DATABASE … TEMPLATE for each test (its name)."""
    with scratch_database("tetl_tpl") as url:
        with psycopg.connect(url, autocommit=True) as c:
            migrate.upgrade(c, log=lambda _m: None)
        yield database_name(url)


@pytest.fixture
def db_url(template_db: str, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """URL of a fresh, migrated, empty database for one test; also set as TRANSPORT_ETL_DATABASE_URL."""
    with scratch_database("tetl", template_db) as test_url:
        monkeypatch.setenv("TRANSPORT_ETL_DATABASE_URL", test_url)
        yield test_url


@pytest.fixture
def conn(db_url: str) -> Iterator[psycopg.Connection]:
    """An autocommit connection to the test's database, for assertions."""
    with psycopg.connect(db_url, autocommit=True) as c:
        yield c


@pytest.fixture
def make_source():
    """Build a Source for a test: make_source("gtfs", id="x", family="municipal", **options)."""

    def _make(fmt: str, id: str | None = None, family: str = "municipal", **options) -> Source:
        return Source(id=id or f"test-{fmt}", family=family, format=fmt, options=options)

    return _make


def shared_file(rel: str) -> Path:
    """A file under ../shared/data, or skip the test with the reason when it is absent (a user's clone)."""
    p = SHARED_DATA / rel
    if not p.exists():
        pytest.skip(f"../shared/data/{rel} not present (conformance data lives beside the project in CI)")
    return p
