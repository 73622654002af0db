"""Every connection the toolkit opens has its session settings (JIT off), and a URL's own options still apply."""

from __future__ import annotations

import pytest
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from transport_etl.db.connection import connect

pytestmark = pytest.mark.integration


def test_connections_run_without_jit_and_keep_the_urls_own_options(db_url):
    with connect(db_url) as c:
        assert c.execute("SHOW jit").fetchone()[0] == "off"
    own = make_conninfo(**{**conninfo_to_dict(db_url), "options": "-c work_mem=7MB"})
    with connect(own) as c:
        assert c.execute("SELECT current_setting('jit'), current_setting('work_mem')").fetchone() == ("off", "7MB")
    # the URL's options come last: a deployment that wants JIT back can say so in its URL
    with connect(make_conninfo(**{**conninfo_to_dict(db_url), "options": "-c jit=on"})) as c:
        assert c.execute("SHOW jit").fetchone()[0] == "on"


def test_pgoptions_from_the_environment_still_apply(db_url, monkeypatch):
    """The explicit options parameter would replace libpq's PGOPTIONS: it is carried over (a deployment's
    statement_timeout, an operator's auto_explain), after ours and before the URL's."""
    monkeypatch.setenv("PGOPTIONS", "-c statement_timeout=4321 -c jit=on")
    with connect(db_url) as c:
        assert c.execute("SELECT current_setting('statement_timeout'), current_setting('jit')").fetchone() == (
            "4321ms", "on")
    with connect(make_conninfo(**{**conninfo_to_dict(db_url), "options": "-c jit=off"})) as c:
        assert c.execute("SELECT current_setting('statement_timeout'), current_setting('jit')").fetchone() == (
            "4321ms", "off")
