"""TRANSPORT_ETL_EXECUTOR picks an existing Dagster executor per deployment; a typo is one clear error."""

import pytest

from assets.executors import select_executor
from transport_etl.errors import ConfigError


def test_each_deployment_mode_names_a_dagster_executor(monkeypatch):
    monkeypatch.delenv("TRANSPORT_ETL_EXECUTOR", raising=False)
    assert select_executor() is None  # Dagster's default multiprocess executor
    assert select_executor("celery").name == "celery"
    pytest.importorskip("dagster_k8s", reason="dagster-k8s is only in the deploy extra")
    assert select_executor("k8s").name == "k8s"


def test_an_unknown_executor_is_refused(monkeypatch):
    monkeypatch.setenv("TRANSPORT_ETL_EXECUTOR", "threads")
    with pytest.raises(ConfigError, match="TRANSPORT_ETL_EXECUTOR='threads'"):
        select_executor()
