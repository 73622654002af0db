"""Find or make a PostGIS database, as `make demo`/`make test` promise on a fresh machine.

Order: TRANSPORT_ETL_DATABASE_URL if set; else database `transport_etl` on the local server if one
answers; else a project-local cluster under .transport_etl/pg (initdb + pg_ctl on a unix socket).
PostGIS is installed from Debian packages when the server lacks it.
"""

from __future__ import annotations

import getpass
import os
import shutil
import subprocess
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

from transport_etl.db.connection import ENV_VAR, URL_FILE
from transport_etl.errors import ConfigError

DB_NAME = "transport_etl"
LOCAL_CANDIDATES = (
    "postgresql://postgres@127.0.0.1:5432/postgres",
    "postgresql://postgres@/postgres?host=/var/run/postgresql",
    f"postgresql://{getpass.getuser()}@127.0.0.1:5432/postgres",
)
PROJECT_CLUSTER = Path(".transport_etl") / "pg"


def with_dbname(url: str, dbname: str) -> str:
    params = conninfo_to_dict(url)
    params["dbname"] = dbname
    return make_conninfo(**params)


def _answers(url: str) -> bool:
    try:
        with psycopg.connect(url, connect_timeout=3):
            return True
    except psycopg.Error:
        return False


def _ensure_database(server_url: str, dbname: str, log) -> str:
    with psycopg.connect(server_url, autocommit=True) as c:
        if not c.execute("SELECT 1 FROM pg_database WHERE datname = %s", (dbname,)).fetchone():
            c.execute(f'CREATE DATABASE "{dbname}"')
            log(f"created database {dbname}")
    return with_dbname(server_url, dbname)


def _is_local(url: str) -> bool:
    host = conninfo_to_dict(url).get("host") or ""
    return host in ("", "localhost", "127.0.0.1", "::1") or host.startswith("/")


def _install_postgis(major: int, log, pkg: str | None = None) -> None:
    pkg = pkg or f"postgresql-{major}-postgis-3"
    if shutil.which("apt-get") is None:
        raise ConfigError(f"PostGIS is missing and this is not a Debian system: install {pkg} (or PostGIS 3 for "
                          f"PostgreSQL {major}) and rerun.")
    prefix: list[str] = []
    if os.geteuid() != 0:
        if shutil.which("sudo") and subprocess.run(["sudo", "-n", "true"], capture_output=True).returncode == 0:
            prefix = ["sudo", "-n"]
        else:
            raise ConfigError(f"PostGIS is missing: run `sudo apt-get update && sudo apt-get install -y {pkg}`, "
                              "then rerun.")
    log(f"installing {pkg} from Debian packages (apt-get update first) …")
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    for cmd in (["apt-get", "update", "-qq"], ["apt-get", "install", "-y", "-qq", pkg]):
        proc = subprocess.run(prefix + cmd, capture_output=True, text=True, env=env)
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            raise ConfigError(f"`{' '.join(cmd)}` failed: {' | '.join(tail)}")


# Extensions the migrations create, with the Debian package that provides each (server major version).
EXTENSION_PACKAGES = {"postgis": "postgresql-{major}-postgis-3", "pgrouting": "postgresql-{major}-pgrouting"}


def ensure_postgis(url: str, log=print) -> str:
    """CREATE EXTENSION postgis in the database, installing the Debian packages of the extensions the
    migrations need (PostGIS, pgRouting for fleet trips) first if the server lacks them."""
    with psycopg.connect(url, autocommit=True) as c:
        have = {r[0] for r in c.execute("SELECT name FROM pg_available_extensions WHERE name = ANY(%s)",
                                        (list(EXTENSION_PACKAGES),))}
        major = int(c.execute("SHOW server_version_num").fetchone()[0]) // 10000
    for ext, pkg in EXTENSION_PACKAGES.items():
        if ext in have:
            continue
        if not _is_local(url):
            raise ConfigError(f"{ext} is not available on the server of {ENV_VAR}: install {pkg.format(major=major)} "
                              "there.")
        _install_postgis(major, log, pkg.format(major=major))
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        return c.execute("SELECT postgis_lib_version()").fetchone()[0]


def _pg_bin(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for d in sorted(Path("/usr/lib/postgresql").glob("*/bin"), reverse=True):
        if (d / name).exists():
            return str(d / name)
    return None


def _project_cluster(log) -> str:
    """Start (or reuse) a cluster under .transport_etl/pg listening only on a unix socket."""
    initdb, pg_ctl = _pg_bin("initdb"), _pg_bin("pg_ctl")
    if not (initdb and pg_ctl):
        raise ConfigError("No PostgreSQL server answers and none can be started here: install PostgreSQL "
                          "(`apt-get install postgresql postgresql-15-postgis-3`) or set "
                          f"{ENV_VAR}=postgresql://user@host:port/dbname.")
    root = PROJECT_CLUSTER.resolve()
    data, sock = root / "data", root / "socket"
    run_as: list[str] = []
    if os.geteuid() == 0:
        # initdb refuses to run as root: the cluster belongs to the postgres system user.
        if shutil.which("runuser") is None:
            raise ConfigError("Running as root without runuser: set " + ENV_VAR)
        run_as = ["runuser", "-u", "postgres", "--"]
    root.mkdir(parents=True, exist_ok=True)
    sock.mkdir(exist_ok=True)
    if run_as:
        subprocess.run(["chown", "-R", "postgres", str(root)], check=True)
    if not (data / "PG_VERSION").exists():
        log(f"initialising a project-local PostgreSQL cluster in {data}")
        subprocess.run(run_as + [initdb, "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8"],
                       check=True, capture_output=True)
    status = subprocess.run(run_as + [pg_ctl, "-D", str(data), "status"], capture_output=True)
    if status.returncode != 0:
        log("starting the project-local PostgreSQL cluster")
        subprocess.run(run_as + [pg_ctl, "-D", str(data), "-l", str(root / "server.log"), "-w", "start", "-o",
                                 f"-c listen_addresses='' -k {sock}"], check=True, capture_output=True)
    return f"postgresql://postgres@/postgres?host={sock}"


def resolve(log=print) -> str:
    """The URL of a ready PostGIS database (created and extended if needed); remembered in
    .transport_etl/database_url so the CLI and `make dev` use the same one."""
    url = os.environ.get(ENV_VAR)
    remembered = URL_FILE.read_text().strip() if URL_FILE.exists() else None
    if url:
        log(f"using {ENV_VAR}")
    elif remembered and _answers(remembered):  # the one `make demo` set up, never a second, empty one
        url = remembered
        log(f"using the database remembered in {URL_FILE}")
    else:
        server = next((u for u in LOCAL_CANDIDATES if _answers(u)), None)
        if server is None:
            server = _project_cluster(log)
        url = _ensure_database(server, DB_NAME, log)
    version = ensure_postgis(url, log)
    safe = conninfo_to_dict(url)
    safe.pop("password", None)
    log(f"database: {make_conninfo(**safe)} (PostGIS {version})")
    URL_FILE.parent.mkdir(parents=True, exist_ok=True)
    URL_FILE.write_text(url + "\n")
    return url
