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


def test_a_new_unified_table_adopts_the_model_conventions(conn):
    conn.execute("CREATE TABLE unified.conv_probe (name text)")
    conn.execute("CALL unified.adopt_conventions('conv_probe')")
    cols = {r[0] for r in conn.execute("SELECT column_name FROM information_schema.columns "
                                        "WHERE table_schema = 'unified' AND table_name = 'conv_probe'")}
    assert cols == {"name", "id", "source_id", "feed_version_id", "namespace", "local_id", "valid_from", "valid_to",
                    "recorded_from", "recorded_to"}
    idx = {r[0] for r in conn.execute("SELECT indexname FROM pg_indexes WHERE tablename = 'conv_probe'")}
    assert {"conv_probe_identity", "conv_probe_fv", "conv_probe_current"} <= idx
    assert conn.execute("SELECT col_description('unified.conv_probe'::regclass, 2)").fetchone()[0]
    conn.execute("CALL unified.adopt_conventions('conv_probe')")  # idempotent


def test_crz_pole_id_sql_twin_agrees_with_python(conn):
    from transport_etl.ids.crz import pole_register_id

    for crz, post in [("58578", "1"), ("30101", None), ("30101", ""), ("123", "A"), (" 77 ", " 12 ")]:
        got = conn.execute("SELECT unified.crz_pole_id(%s, %s)", (crz, post)).fetchone()[0]
        assert got == pole_register_id(crz, post), (crz, post)
