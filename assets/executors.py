"""Where a run's steps execute, chosen per deployment by TRANSPORT_ETL_EXECUTOR (read when the code
location loads): `multiprocess` (default; one process per step on the run's host), `celery` (steps become
Celery tasks on the RabbitMQ broker, picked up by workers on any host; deploy/dagster_celery_config.py)
or `k8s` (one Kubernetes Job per step). All three are existing Dagster executors, nothing home-made."""

from __future__ import annotations

import os

import dagster as dg

from transport_etl.errors import ConfigError

EXECUTOR_ENV = "TRANSPORT_ETL_EXECUTOR"
EXECUTORS = ("multiprocess", "celery", "k8s")


def select_executor(name: str | None = None) -> dg.ExecutorDefinition | None:
    """The executor named by ``name`` or TRANSPORT_ETL_EXECUTOR; None keeps Dagster's default."""
    name = (name or os.environ.get(EXECUTOR_ENV) or "multiprocess").strip().lower()
    if name == "multiprocess":
        return None
    if name == "celery":
        from dagster_celery import celery_executor

        return celery_executor.configured(
            {"broker": {"env": "DAGSTER_CELERY_BROKER_URL"}, "backend": "rpc://"}, name="celery")
    if name == "k8s":
        from dagster_k8s import k8s_job_executor

        return k8s_job_executor.configured(
            {"job_namespace": os.environ.get("TRANSPORT_ETL_K8S_NAMESPACE", "transport-etl"),
             "env_secrets": ["transport-etl-env"], "max_concurrent": 4}, name="k8s")
    raise ConfigError(f"{EXECUTOR_ENV}={name!r}: expected one of {', '.join(EXECUTORS)}")
