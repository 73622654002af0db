"""Celery settings of the step workers (imported by `dagster_celery.app` when this folder is on the path,
i.e. start workers with `celery -A dagster_celery.app worker` from deploy/ or with PYTHONPATH=deploy).
The broker and result backend come from the environment so every host uses the same file."""

import os

broker_url = os.environ.get("DAGSTER_CELERY_BROKER_URL", "pyamqp://guest@localhost:5672//")
result_backend = os.environ.get("DAGSTER_CELERY_BACKEND_URL", "rpc://")
# One step at a time per worker process: steps are long (loads), fairness matters more than throughput.
worker_prefetch_multiplier = 1
task_acks_late = True
