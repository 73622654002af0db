"""Schedules (from each source's catalog cron) and a sensor that notices changed source files."""


import json
from collections import defaultdict
from pathlib import Path

import dagster as dg

from assets.source_assets import asset_key, run_tags
from transport_etl.catalog import Source

DEFAULT_CRON = "0 4 * * *"  # daily, before the morning peak


def _slug(cron: str) -> str:
    return "".join(c if c.isalnum() else "_" for c in cron).strip("_")


def build_schedules(sources: list[Source], downstream: list[dg.AssetKey]) -> tuple[list, list]:
    """One job + schedule per distinct cron in the catalog; each refreshes its sources and what
    depends on them (harmonisation), in Europe/Prague time."""
    by_cron: dict[str, list[Source]] = defaultdict(list)
    for s in sources:
        by_cron[s.schedule or DEFAULT_CRON].append(s)
    jobs, schedules = [], []
    for cron, group in sorted(by_cron.items()):
        name = "refresh_daily" if cron == DEFAULT_CRON else f"refresh_{_slug(cron)}"
        job = dg.define_asset_job(
            name,
            selection=dg.AssetSelection.assets(*[asset_key(s) for s in group]).downstream(),
            description=f"Refresh {len(group)} source(s) on cron {cron}: " + ", ".join(s.id for s in group),
            tags=run_tags(group),
        )
        jobs.append(job)
        schedules.append(dg.ScheduleDefinition(
            name=f"{name}_schedule", job=job, cron_schedule=cron, execution_timezone="Europe/Prague",
            default_status=dg.DefaultScheduleStatus.RUNNING,
        ))
    return jobs, schedules


def _stamp(location: str) -> str | None:
    """Cheap change marker of a local file or folder: size and mtime (the load itself hashes)."""
    p = Path(location)
    if not p.exists():
        return None
    if p.is_dir():
        files = [q.stat() for q in sorted(p.rglob("*")) if q.is_file()]
        return f"{sum(s.st_size for s in files)}:{max((s.st_mtime_ns for s in files), default=0)}:{len(files)}"
    st = p.stat()
    return f"{st.st_size}:{st.st_mtime_ns}"


def build_file_sensor(sources: list[Source]) -> dg.SensorDefinition:
    local = [s for s in sources if s.location and not s.is_url()]
    targets = [asset_key(s) for s in local]

    @dg.sensor(
        name="changed_source_files",
        target=dg.AssetSelection.assets(*targets) if targets else dg.AssetSelection.groups("none"),
        minimum_interval_seconds=60,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Requests a load of each catalog source whose local file or folder changed (size/mtime); "
                    "the load then decides by sha256 whether it is really a new version.",
    )
    def changed_source_files(context: dg.SensorEvaluationContext) -> dg.SensorResult:
        previous = json.loads(context.cursor) if context.cursor else {}
        current, requests = {}, []
        for s in local:
            try:
                stamp = _stamp(s.location)
            except OSError as exc:  # one unreadable source must not freeze the cursor
                context.log.warning(f"{s.id}: cannot stat {s.location}: {exc}")
                stamp = previous.get(s.id)
            if stamp is None:
                continue
            current[s.id] = stamp
            if previous.get(s.id) != stamp:
                requests.append(dg.RunRequest(run_key=f"{s.id}:{stamp}", asset_selection=[asset_key(s)],
                                              tags={"transport_etl/source": s.id, **run_tags([s])}))
        return dg.SensorResult(run_requests=requests, cursor=json.dumps(current, sort_keys=True))

    return changed_source_files
