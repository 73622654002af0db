"""Schedules (from each source's catalog cron) and a sensor that notices changed source files."""


import json
from collections import defaultdict
from pathlib import Path

import dagster as dg

from assets.resources import PostGISResource
from assets.source_assets import asset_key, run_tags
from transport_etl.catalog import Source

DEFAULT_CRON = "0 4 * * *"  # daily, before the morning peak


_DAYS = ["sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun"]


def cadence(cron: str) -> str:
    """A cron as words for a name: every_10_min, hourly, daily_0430, weekly_mon_0500, monthly_0400,
    yearly_0500; anything else: on_<cron slug>."""
    f = cron.split()
    if len(f) != 5:
        return "on_" + "".join(c if c.isalnum() else "_" for c in cron).strip("_")
    minute, hour, dom, month, dow = f
    at = f"{int(hour):02d}{int(minute):02d}" if hour.isdigit() and minute.isdigit() else None
    if minute.startswith("*/") and hour == dom == month == dow == "*":
        return f"every_{minute[2:]}_min"
    if minute.isdigit() and hour == dom == month == dow == "*":
        return "hourly"
    if at and dom == month == "*" and dow == "*":
        return f"daily_{at}"
    if at and dom == month == "*" and dow.isdigit():
        return f"weekly_{_DAYS[int(dow)]}_{at}"
    if at and dom.isdigit() and month == "*" and dow == "*":
        return f"monthly_{at}"
    if at and dom.isdigit() and month.isdigit() and dow == "*":
        return f"yearly_{at}"
    if at and dom.isdigit() and dow == "*":
        return f"months_{month.replace(',', '_')}_{at}"
    return "on_" + "".join(c if c.isalnum() else "_" for c in cron).strip("_")


def build_schedules(sources: list[Source], downstream: list[dg.AssetKey]) -> tuple[list, list]:
    """One job + schedule per distinct cron in the catalog, named for what it refreshes and when
    (`refresh_road_every_10_min`), in Europe/Prague time. The jobs load sources only: harmonisation
    follows by its automation condition when a source's data version changed, not on a clock."""
    by_cron: dict[str, list[Source]] = defaultdict(list)
    for s in sources:
        by_cron[s.schedule or DEFAULT_CRON].append(s)
    jobs, schedules = [], []
    for cron, group in sorted(by_cron.items()):
        families = "_".join(sorted({s.family for s in group}))
        name = f"refresh_{families}_{cadence(cron)}"
        listed = ", ".join(s.id for s in group)
        job = dg.define_asset_job(
            name,
            selection=dg.AssetSelection.assets(*[asset_key(s) for s in group]),
            description=f"Loads {listed} (cron `{cron}`, Europe/Prague); unchanged inputs are skipped by sha256.",
            tags={"transport_etl/trigger": "schedule", **run_tags(group)},
        )
        jobs.append(job)
        schedules.append(dg.ScheduleDefinition(
            name=name, job=job, cron_schedule=cron, execution_timezone="Europe/Prague",
            default_status=dg.DefaultScheduleStatus.RUNNING,
            description=f"Refreshes {listed} at `{cron}` (Europe/Prague).",
        ))
    return jobs, schedules


def _stamp(location: str) -> str | None:
    """Cheap change marker of a local file or folder: size and mtime; content is hashed only when it moved."""
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
        description="Requests one load of a catalog source when its local file or folder holds content (sha256) "
                    "the database has not seen for that source; rewriting a file with the same bytes, or "
                    "starting the UI, requests nothing.",
    )
    def changed_source_files(context: dg.SensorEvaluationContext, postgis: PostGISResource) -> dg.SensorResult:
        from transport_etl.fetch import fingerprint

        previous = json.loads(context.cursor) if context.cursor else {}
        current, requests, todo = {}, [], {}
        for s in local:
            try:
                stamp = _stamp(s.location)
                if stamp is None:
                    continue
                old = previous.get(s.id)
                sha = old["sha256"] if isinstance(old, dict) and old.get("stamp") == stamp else \
                    fingerprint(Path(s.location))[0]
            except OSError as exc:  # one unreadable source must not freeze the cursor
                context.log.warning(f"{s.id}: cannot read {s.location}: {exc}")
                if isinstance(previous.get(s.id), dict):
                    current[s.id] = previous[s.id]
                continue
            current[s.id] = {"stamp": stamp, "sha256": sha}
            if isinstance(old, dict) and old.get("requested") == sha:
                current[s.id]["requested"] = sha  # already asked for (Dagster keeps one run per run_key)
                continue
            todo[s.id] = (s, sha)
        if todo:
            with postgis.connect() as conn:
                seen = set(conn.execute(
                    "SELECT source_id, sha256 FROM lineage.feed_version WHERE source_id = ANY(%s)",
                    ([k for k in todo],)).fetchall())
            for source_id, (s, sha) in todo.items():
                if (source_id, sha) in seen:
                    continue
                current[source_id]["requested"] = sha
                requests.append(dg.RunRequest(
                    run_key=f"{s.id}:{sha}", asset_selection=[asset_key(s)],
                    tags={"transport_etl/source": s.id, "transport_etl/sha256": sha[:16],
                          "transport_etl/trigger": "changed file", **run_tags([s])}))
        return dg.SensorResult(run_requests=requests, cursor=json.dumps(current, sort_keys=True),
                               skip_reason=None if requests else f"{len(current)} source files, none with new content")

    return changed_source_files
