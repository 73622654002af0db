"""Read replicas for GIS: a streaming-replication hot standby made with pg_basebackup on this machine; a
version published on the primary is seen on the standby by the GIS role, where writes fail, and read-only
commands follow TRANSPORT_ETL_READ_URL there.

The primary is a throw-away cluster of its own (initdb, another port) rather than the shared server: a base
backup copies a whole cluster, and the shared one holds every developer's databases."""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import tempfile
import time
from pathlib import Path

import psycopg
import pytest

from transport_etl.catalog import Source
from transport_etl.db import migrate
from transport_etl.db.bootstrap import _pg_bin
from transport_etl.db.connection import READ_ENV_VAR, connect_read

pytestmark = pytest.mark.integration


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


class Cluster:
    """A PostgreSQL cluster in a temp folder, run as the postgres system user (initdb refuses root)."""

    def __init__(self, root: Path, name: str):
        self.data, self.port, self.root = root / name, _free_port(), root
        self.run_as = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []

    def url(self, user: str = "postgres", db: str = "tetl") -> str:
        return f"postgresql://{user}@127.0.0.1:{self.port}/{db}"

    def cmd(self, *args: str) -> None:
        proc = subprocess.run(self.run_as + list(args), capture_output=True, text=True)
        assert proc.returncode == 0, f"{args[0]}: {proc.stderr.strip()[-800:]}"

    def start(self) -> None:
        self.cmd(_pg_bin("pg_ctl"), "-D", str(self.data), "-l", str(self.root / f"{self.data.name}.log"), "-w",
                 "start", "-o", f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root} -c fsync=off")

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            subprocess.run(self.run_as + [_pg_bin("pg_ctl"), "-D", str(self.data), "-m", "immediate", "stop"],
                           capture_output=True)


@pytest.fixture
def clusters():
    missing = [b for b in ("initdb", "pg_ctl", "pg_basebackup") if _pg_bin(b) is None]
    if missing:
        pytest.skip(f"PostgreSQL server binaries missing: {', '.join(missing)}")
    if os.geteuid() == 0 and shutil.which("runuser") is None:
        pytest.skip("running as root without runuser: cannot start a cluster as the postgres user")
    root = Path(tempfile.mkdtemp(prefix="tetl_replica_"))
    if os.geteuid() == 0:
        shutil.chown(root, "postgres")
    primary, standby = Cluster(root, "primary"), Cluster(root, "standby")
    try:
        yield primary, standby
    finally:
        standby.stop()
        primary.stop()
        shutil.rmtree(root, ignore_errors=True)


def _wait_for(probe, seconds: float = 30.0):
    deadline = time.monotonic() + seconds
    while True:
        try:
            value = probe()
            if value:
                return value
        except psycopg.OperationalError:
            pass
        assert time.monotonic() < deadline, "the standby did not catch up"
        time.sleep(0.3)


def test_a_hot_standby_serves_the_gis_role_new_versions_read_only(clusters, tmp_path, monkeypatch):
    from demo.regional import generate
    from transport_etl.cli import main
    from transport_etl.ingest.run import ingest

    primary, standby = clusters
    primary.cmd(_pg_bin("initdb"), "-D", str(primary.data), "-U", "postgres", "--auth=trust", "-E", "UTF8")
    primary.start()
    with psycopg.connect(primary.url(db="postgres"), autocommit=True) as c:
        c.execute("CREATE DATABASE tetl")
    with psycopg.connect(primary.url(), autocommit=True) as c:
        c.execute("CREATE EXTENSION postgis")
        migrate.upgrade(c, log=lambda _m: None)
        c.execute("CREATE ROLE gis_alice LOGIN IN ROLE gis_reader")

    # the standby: a base backup streamed from the running primary, -R writes its primary_conninfo
    standby.cmd(_pg_bin("pg_basebackup"), "-h", "127.0.0.1", "-p", str(primary.port), "-U", "postgres",
                "-D", str(standby.data), "-R", "-X", "stream", "-c", "fast")
    standby.start()
    with psycopg.connect(standby.url(), autocommit=True) as c:
        assert c.execute("SELECT pg_is_in_recovery()").fetchone()[0]

    # publish a new version on the primary, then read it on the standby as GIS staff
    generate(tmp_path / "regional")
    csv = next(p for p in (tmp_path / "regional").rglob("stop_register.csv"))
    source = Source(id="regional-stop-register", family="regional", format="stop-register", location=str(csv),
                    crs="EPSG:5514", encoding="UTF-8")
    result = ingest(source, database_url=primary.url(), run_kind="cli", log=lambda _m: None)
    assert result.outcome == "loaded", (result.outcome, result.reason)
    with psycopg.connect(primary.url()) as c:
        on_primary = c.execute("SELECT count(*) FROM gis.stop_place WHERE source_id = %s", (source.id,)).fetchone()[0]
    assert on_primary > 0

    monkeypatch.setenv(READ_ENV_VAR, standby.url(user="gis_alice"))
    with connect_read() as gis:
        _wait_for(lambda: gis.execute("SELECT count(*) FROM gis.stop_place WHERE source_id = %s",
                                      (source.id,)).fetchone()[0] == on_primary)
        assert gis.execute("SELECT current_user").fetchone()[0] == "gis_alice"
        with pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
            gis.execute("INSERT INTO unified.stop_match_review (a_source_id) VALUES ('x')")
    with psycopg.connect(standby.url(), autocommit=True) as c, pytest.raises(psycopg.errors.ReadOnlySqlTransaction):
        c.execute("CREATE TABLE unified.not_here (x int)")

    # read-only commands follow TRANSPORT_ETL_READ_URL (the primary is not even named)
    monkeypatch.setenv("TRANSPORT_ETL_DATABASE_URL", "postgresql://postgres@127.0.0.1:1/nowhere")
    monkeypatch.setenv(READ_ENV_VAR, standby.url())
    assert main(["status"]) == 0
