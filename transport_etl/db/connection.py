"""Connections to the PostGIS database named by TRANSPORT_ETL_DATABASE_URL."""

from __future__ import annotations

import os

import psycopg
from psycopg.conninfo import conninfo_to_dict

from transport_etl.errors import ConfigError
from transport_etl.project import project_root

ENV_VAR = "TRANSPORT_ETL_DATABASE_URL"
# `make` resolves the database once (see transport_etl.db.bootstrap) and leaves the URL here,
# so CLI calls and the Dagster UI started from the project folder find the same database.
# Anchored at the project folder, not the current one: `make dev`, `make demo` and the CLI run from
# any folder agree on one database.
URL_FILE = project_root() / ".transport_etl" / "database_url"


def database_url(url: str | None = None) -> str:
    """The database URL: explicit argument, else the environment, else the one `make` resolved."""
    if url:
        return url
    env = os.environ.get(ENV_VAR)
    if env:
        return env
    if URL_FILE.exists():
        return URL_FILE.read_text().strip()
    raise ConfigError(
        f"No database configured: set {ENV_VAR} (e.g. postgresql://postgres@127.0.0.1:5432/transport_etl) "
        "or run `make demo` once to set one up."
    )


# Session settings of every connection the toolkit opens. JIT off: our statements are set work over staging and
# temp tables whose row estimates are often far off (a fresh temp table, a whole message), and JIT compiled for
# ~1 s a plan that ran in a fraction of that, measured five times over (GTFS validation on HART, stop and road
# link harmonisation, rail point members, a 50k-entity GTFS-RT message). One rule here instead of a SET LOCAL
# in each of them. An explicit options parameter replaces libpq's PGOPTIONS, so the environment's and then the
# URL's own options follow ours (the later wins): a deployment's statement_timeout or auto_explain still apply.
SESSION_OPTIONS = "-c jit=off"


def _options(url: str) -> str:
    return " ".join(o for o in (SESSION_OPTIONS, os.environ.get("PGOPTIONS"), conninfo_to_dict(url).get("options"))
                    if o and o.strip())


def connect(url: str | None = None, autocommit: bool = False) -> psycopg.Connection:
    """Open a psycopg 3 connection with the session settings above; application_name shows up in
    pg_stat_activity."""
    url = database_url(url)
    try:
        return psycopg.connect(url, autocommit=autocommit, application_name="transport_etl", options=_options(url))
    except psycopg.OperationalError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else repr(exc)
        raise ConfigError(f"Cannot connect to the database: {first}") from exc


READ_ENV_VAR = "TRANSPORT_ETL_READ_URL"


def read_url(url: str | None = None) -> str:
    """The database for read-only work (status, lineage, exports, evaluation): explicit argument, else
    TRANSPORT_ETL_READ_URL (e.g. a hot standby GIS staff and web clients read from), else the primary."""
    return url or os.environ.get(READ_ENV_VAR) or database_url()


def connect_read(url: str | None = None) -> psycopg.Connection:
    """An autocommit connection for reading (see :func:`read_url`); it may be a standby, so never write with it."""
    return connect(read_url(url), autocommit=True)
