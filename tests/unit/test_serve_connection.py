"""`transport-etl serve` reads as the GIS role from the read URL, whatever form the URL takes."""

from __future__ import annotations

from transport_etl.serve.app import pool_arguments, server_url


def test_the_server_reads_as_gis_analyst_from_the_read_url(monkeypatch):
    for var in ("TRANSPORT_ETL_GIS_URL", "TRANSPORT_ETL_GIS_PASSWORD"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("TRANSPORT_ETL_DATABASE_URL", "postgresql://postgres@primary:5432/tetl")
    monkeypatch.setenv("TRANSPORT_ETL_READ_URL", "postgresql://postgres:secret@standby:5433/tetl")
    args = pool_arguments(server_url())
    assert args == {"host": "standby", "port": 5433, "user": "gis_analyst", "database": "tetl"}
    monkeypatch.setenv("TRANSPORT_ETL_GIS_PASSWORD", "kvetinac-42")
    assert pool_arguments(server_url())["password"] == "kvetinac-42"
    monkeypatch.delenv("TRANSPORT_ETL_READ_URL")
    assert pool_arguments(server_url())["host"] == "primary"


def test_unix_sockets_and_key_value_conninfo_reach_asyncpg():
    args = pool_arguments("host=/var/run/postgresql dbname=transport_etl user=gis_analyst")
    assert args == {"host": "/var/run/postgresql", "user": "gis_analyst", "database": "transport_etl"}
