"""Is each source fresh, and are the live feeds healthy? Thresholds come from the catalog (a source's
cron, a live feed's poll interval) and every verdict is one sentence in human units."""

from __future__ import annotations

import json
import time
from datetime import UTC, datetime

import dagster as dg

from assets.resources import PostGISResource
from assets.source_assets import asset_key
from transport_etl.catalog import Source
from transport_etl.freshness import (  # noqa: F401 - re-exported
    DEFAULT_CRON,
    TIMEZONE,
    every_text,
    expected_interval,
    human_duration,
    source_freshness,
)

__all__ = ["DEFAULT_CRON", "FRESHNESS", "human_duration", "source_freshness"]
FRESHNESS = "loaded_per_schedule"


def _freshness_check(source: Source) -> dg.AssetChecksDefinition:
    # The source is bound by this closure, not as a parameter: Dagster would take a parameter for an input
    # and try to load the asset's value through an IO manager (it has none: loads write to PostGIS).
    @dg.asset_check(asset=asset_key(source), name=FRESHNESS,
                    description=f"Loaded successfully at least {every_text(expected_interval(source.schedule))} "
                                f"(schedule `{source.schedule or DEFAULT_CRON}`, {TIMEZONE}) plus a grace "
                                "of half that interval.")
    def _check(postgis: PostGISResource) -> dg.AssetCheckResult:
        with postgis.connect() as conn:
            passed, sentence, md = source_freshness(conn, source)
        return dg.AssetCheckResult(passed=passed, description=sentence, metadata=md,
                                   severity=dg.AssetCheckSeverity.WARN)
    return _check


def build_freshness_checks(sources: list[Source]) -> list[dg.AssetChecksDefinition]:
    """One check per source; the `source_freshness` sensor evaluates them, and they can be run by hand."""
    return [_freshness_check(s) for s in sources]


def build_freshness_sensor(sources: list[Source]) -> dg.SensorDefinition:
    @dg.sensor(
        name="source_freshness",
        minimum_interval_seconds=300,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Every 5 min: is each source loaded as often as its schedule says? Reports the "
                    f"`{FRESHNESS}` check of each source when its verdict changes (and hourly), without runs.",
    )
    def source_freshness_sensor(context: dg.SensorEvaluationContext, postgis: PostGISResource) -> dg.SensorResult:
        previous = json.loads(context.cursor) if context.cursor else {}
        current, events, now = {}, [], time.time()
        with postgis.connect() as conn:
            for source in sources:
                passed, sentence, md = source_freshness(conn, source)
                last = previous.get(source.id) or {}
                current[source.id] = {"passed": passed, "at": last.get("at", 0)}
                if last.get("passed") != passed or now - last.get("at", 0) > 3600:
                    current[source.id]["at"] = now
                    events.append(dg.AssetCheckEvaluation(
                        asset_key=asset_key(source), check_name=FRESHNESS, passed=passed,
                        description=sentence, severity=dg.AssetCheckSeverity.WARN,
                        metadata={**md, "verdict": sentence}))
        stale = [s for s, v in current.items() if not v["passed"]]
        return dg.SensorResult(asset_events=events, cursor=json.dumps(current),
                               skip_reason=f"{len(stale)} of {len(sources)} sources overdue" + (
                                   ": " + ", ".join(stale) if stale else ""))

    return source_freshness_sensor


def live_feed_verdicts(health: list[dict], intervals: dict[str, float], now: datetime | None = None
                       ) -> tuple[tuple[bool, str], tuple[bool, str]]:
    """(polls ok?, sentence), (data lag ok?, sentence) over all live feeds: the last successful poll no
    older than 3 poll intervals; the published data no older than 10 poll intervals (minimum 5 min)."""
    now = now or datetime.now(UTC)
    poll_bad, poll_txt, lag_bad, lag_txt = [], [], [], []
    for h in health:
        name = f"{h['source_id']}/{h['feed']}"
        every = intervals.get(h["source_id"], 60.0)
        if h["last_success_at"] is None:
            poll_bad.append(name)
            poll_txt.append(f"{name}: no successful poll in 24 h, expected every {human_duration(every)}"
                            + (f" (last error: {h['last_error']})" if h.get("last_error") else ""))
        else:
            age = (now - h["last_success_at"]).total_seconds()
            if age > 3 * every:
                poll_bad.append(name)
            poll_txt.append(f"{name}: last successful poll {human_duration(age)} ago, expected every "
                            f"{human_duration(every)}, {h['failures']} of {h['polls']} polls failed in 24 h")
        if h["lag_s"] is not None:
            lag = float(h["lag_s"])
            if lag > max(10 * every, 300):
                lag_bad.append(name)
            lag_txt.append(f"{name}: data {human_duration(lag)} old when polled (allowed "
                           f"{human_duration(max(10 * every, 300))})")
    return ((not poll_bad, ("OVERDUE " + ", ".join(poll_bad) + ". " if poll_bad else "") + "; ".join(poll_txt)),
            (not lag_bad, ("STALE DATA " + ", ".join(lag_bad) + ". " if lag_bad else "") + "; ".join(lag_txt)))
