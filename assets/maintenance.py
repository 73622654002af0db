"""Platform upkeep, daily: monthly history partitions in PostGIS (made ahead, dropped after retention)
and retention of Dagster's own run history (OSS Dagster purges ticks, not runs)."""

import datetime as dt
import os

import dagster as dg

from assets.resources import PostGISResource

RUN_RETENTION_ENV = "TRANSPORT_ETL_RUN_RETENTION_DAYS"
DEFAULT_RUN_RETENTION_DAYS = 90


@dg.op(description="lineage.maintain_history_partitions(): next months' partitions, old months dropped.")
def history_partitions(context: dg.OpExecutionContext, postgis: PostGISResource) -> int:
    from transport_etl.db.partitions import maintain

    with postgis.connect() as conn:
        changes = maintain(conn)
    for table, action, partition in changes:
        context.log.info(f"{table}: {action} history.{partition}")
    return len(changes)


@dg.op(description="Deletes finished Dagster runs (and their event logs) older than "
                   f"${RUN_RETENTION_ENV} days (default {DEFAULT_RUN_RETENTION_DAYS}).")
def dagster_run_retention(context: dg.OpExecutionContext) -> int:
    days = int(os.environ.get(RUN_RETENTION_ENV, DEFAULT_RUN_RETENTION_DAYS))
    cutoff = dt.datetime.now(dt.UTC) - dt.timedelta(days=days)
    records = context.instance.get_run_records(
        filters=dg.RunsFilter(created_before=cutoff, statuses=[dg.DagsterRunStatus.SUCCESS,
                                                               dg.DagsterRunStatus.FAILURE,
                                                               dg.DagsterRunStatus.CANCELED]),
        limit=5000)
    for r in records:
        context.instance.delete_run(r.dagster_run.run_id)
    context.log.info(f"deleted {len(records)} run(s) created before {cutoff:%Y-%m-%d}")
    return len(records)


@dg.job(description="Daily upkeep: history partitions and Dagster run retention.",
        tags={"transport_etl/family": "platform"})
def platform_maintenance():
    history_partitions()
    dagster_run_retention()


maintenance_schedule = dg.ScheduleDefinition(
    name="platform_maintenance_daily", job=platform_maintenance, cron_schedule="15 2 * * *",
    execution_timezone="Europe/Prague", default_status=dg.DefaultScheduleStatus.RUNNING)
