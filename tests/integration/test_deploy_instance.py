"""deploy/dagster.yaml is a valid production instance: Dagster's own config validation loads it against a
real, throw-away PostgreSQL database and the storages, queue, limits, monitoring and retries it promises."""

from __future__ import annotations

import shutil
import uuid
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from tests.conftest import scratch_database

pytest.importorskip("dagster_postgres", reason="dagster-postgres is not installed (pip install -e .)")

DEPLOY = Path(__file__).resolve().parents[2] / "deploy"


@pytest.fixture
def dagster_pg_url():
    with scratch_database("tetl_dagster") as url:
        params = conninfo_to_dict(url)
        # the driver named, as deploy/dagster.yaml asks (SQLAlchemy 2.1 would pick psycopg 3 for postgresql://)
        yield (f"postgresql+psycopg2://{params.get('user', 'postgres')}@{params.get('host', '127.0.0.1')}:"
               f"{params.get('port', 5432)}/{params['dbname']}")


def test_production_instance_loads_with_postgres_storage(dagster_pg_url, tmp_path, monkeypatch):
    from dagster import DagsterInstance, DagsterRun
    from dagster._core.run_coordinator import QueuedRunCoordinator
    from dagster_postgres import PostgresEventLogStorage, PostgresRunStorage, PostgresScheduleStorage

    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.setenv("DAGSTER_PG_URL", dagster_pg_url)
    monkeypatch.setenv("DAGSTER_HOME", str(tmp_path))
    instance = DagsterInstance.from_config(str(tmp_path))
    try:
        assert isinstance(instance.run_storage, PostgresRunStorage)
        assert isinstance(instance.event_log_storage, PostgresEventLogStorage)
        assert isinstance(instance.schedule_storage, PostgresScheduleStorage)
        assert isinstance(instance.run_coordinator, QueuedRunCoordinator)
        assert instance.run_monitoring_enabled and instance.run_monitoring_max_runtime_seconds == 21600
        assert instance.run_monitoring_start_timeout_seconds == 300
        assert instance.run_retries_enabled and instance.run_retries_max_retries == 2
        limits = {(lim["key"]): lim for lim in instance.get_concurrency_config().run_queue_config.tag_concurrency_limits}
        assert set(limits) >= {"transport_etl/family", "transport_etl/region"}
        assert limits["transport_etl/region"]["value"] == {"applyLimitPerUniqueValue": True}
        assert instance.global_op_concurrency_default_limit == 2  # the postgis_write pool

        # The storage really is the throw-away database: a run written through the instance is in its tables.
        run_id = uuid.uuid4().hex
        instance.add_run(DagsterRun(job_name="probe", run_id=run_id, tags={"transport_etl/region": "CZ042"}))
        instance.report_engine_event("probe event", instance.get_run_by_id(run_id))  # the event log writes too
        with psycopg.connect(dagster_pg_url.replace("+psycopg2", "")) as c:
            assert c.execute("SELECT count(*) FROM runs WHERE pipeline_name = 'probe'").fetchone()[0] == 1
            assert c.execute("SELECT count(*) FROM event_logs WHERE run_id = %s", (run_id,)).fetchone()[0] == 1
    finally:
        instance.dispose()


def test_instance_without_its_database_url_fails_clearly(tmp_path, monkeypatch):
    from dagster import DagsterInstance

    shutil.copy(DEPLOY / "dagster.yaml", tmp_path / "dagster.yaml")
    monkeypatch.delenv("DAGSTER_PG_URL", raising=False)
    with pytest.raises(Exception, match="DAGSTER_PG_URL"):
        DagsterInstance.from_config(str(tmp_path))
