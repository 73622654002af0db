"""The one migration model: append-only files, pending ones applied in order, a changed applied file refused."""

import psycopg
import pytest

from transport_etl.db import migrate
from transport_etl.errors import ConfigError

pytestmark = pytest.mark.integration


def _files(folder, **files):
    folder.mkdir(exist_ok=True)
    for name, text in files.items():
        (folder / f"{name}.sql").write_text(text)
    return folder


def test_pending_files_apply_in_order_and_once(db_url, tmp_path):
    d = _files(tmp_path / "s", **{"001_a": "CREATE TABLE mig_a (x int);", "002_b": "INSERT INTO mig_a VALUES (1);"})
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute("DELETE FROM lineage.schema_migration")
        assert migrate.upgrade(c, d, log=lambda _m: None) == ["001_a", "002_b"]
        assert migrate.upgrade(c, d, log=lambda _m: None) == []  # applied once
        _files(d, **{"003_c": "INSERT INTO mig_a VALUES (2);"})
        assert migrate.upgrade(c, d, log=lambda _m: None) == ["003_c"]
        assert c.execute("SELECT array_agg(x ORDER BY x) FROM mig_a").fetchone()[0] == [1, 2]


def test_an_applied_file_that_changed_is_refused_and_nothing_runs(db_url, tmp_path):
    d = _files(tmp_path / "s", **{"001_a": "CREATE TABLE mig_b (x int);"})
    with psycopg.connect(db_url, autocommit=True) as c:
        c.execute("DELETE FROM lineage.schema_migration")
        migrate.upgrade(c, d, log=lambda _m: None)
        _files(d, **{"001_a": "CREATE TABLE mig_b (x int, y int);", "002_b": "CREATE TABLE mig_c (x int);"})
        with pytest.raises(ConfigError, match="001_a changed after it was applied"):
            migrate.upgrade(c, d, log=lambda _m: None)
        assert c.execute("SELECT to_regclass('mig_c')").fetchone()[0] is None  # the pending file did not run either
        assert dict(migrate.status(c, d)) == {"001_a": "changed", "002_b": "pending"}


def test_the_project_migrations_are_all_applied_to_a_new_database(conn):
    assert {state for _v, state in migrate.status(conn)} == {"applied"}
