"""Is each source fresh, and are the live feeds healthy? Thresholds come from the catalog (a source's
cron, a live feed's poll interval) and every verdict is one sentence in human units."""

from __future__ import annotations

import itertools
import json
import time
from datetime import UTC, datetime, timedelta

import dagster as dg

from assets.resources import PostGISResource
from assets.source_assets import asset_key
from transport_etl.catalog import Source

DEFAULT_CRON = "0 4 * * *"
FRESHNESS = "loaded_per_schedule"
TIMEZONE = "Europe/Prague"


def human_duration(seconds: float) -> str:
    """12 s, 12 min, 3 h 5 min, 4 days, 9 months — what an operator reads at a glance."""
    s = abs(float(seconds))
    if s < 59.5:
        return f"{s:.0f} s"
    if s < 3570:
        return f"{s / 60:.0f} min"
    if s < 36 * 3600:
        h, m = divmod(int(s // 60), 60)
        return f"{h} h" + (f" {m} min" if m and h < 10 else "")
    if s < 60 * 86400:
        return f"{s / 86400:.0f} days"
    if s < 730 * 86400:
        return f"{s / (30.44 * 86400):.0f} months"
    return f"{s / (365.25 * 86400):.1f} years"


def expected_interval(cron: str | None) -> timedelta:
    """The longest gap between two ticks of ``cron`` over its next ticks (a monthly cron: ~31 days)."""
    from dagster._utils.schedules import cron_string_iterator  # Dagster's own cron arithmetic

    ticks = list(itertools.islice(cron_string_iterator(time.time(), cron or DEFAULT_CRON, TIMEZONE), 8))
    return max(b - a for a, b in itertools.pairwise(ticks))


def _every(interval: timedelta) -> str:
    s = interval.total_seconds()
    for name, length in (("year", 365.25 * 86400), ("month", 30.44 * 86400), ("week", 7 * 86400),
                         ("day", 86400), ("hour", 3600), ("minute", 60)):
        if abs(s - length) <= 0.05 * length:  # DST days, months of 28-31 days
            return f"every {name}"
    return f"every {human_duration(s)}"


def source_freshness(conn, source: Source, now: datetime | None = None) -> tuple[bool, str, dict]:
    """(passed, one sentence, metadata): the last successful load (new version or unchanged input) must be
    no older than the schedule's interval plus a grace of half of it (at least 30 min)."""
    now = now or datetime.now(UTC)
    interval = expected_interval(source.schedule)
    allowed = interval + max(interval / 2, timedelta(minutes=30))
    ok_at, fail_at, fail_msg, fv_id, fv_loaded = conn.execute(
        """SELECT max(finished_at) FILTER (WHERE outcome IN ('loaded', 'skipped')),
                  max(finished_at) FILTER (WHERE outcome IN ('rejected', 'failed')),
                  (array_agg(message ORDER BY finished_at DESC NULLS LAST)
                      FILTER (WHERE outcome IN ('rejected', 'failed')))[1],
                  (SELECT id FROM lineage.feed_version WHERE source_id = %(s)s AND is_current),
                  (SELECT loaded_at FROM lineage.feed_version WHERE source_id = %(s)s AND is_current)
           FROM lineage.load_run WHERE source_id = %(s)s""", {"s": source.id}).fetchone()
    notices = conn.execute(
        """SELECT code, severity, count(*) FROM lineage.notice WHERE feed_version_id = %s
           GROUP BY 1, 2 ORDER BY (severity = 'ERROR') DESC, count(*) DESC LIMIT 3""", (fv_id,)).fetchall()
    expected = f"expected {_every(interval)} ({source.schedule or DEFAULT_CRON}, {TIMEZONE})"
    if ok_at is None:
        passed, sentence = False, f"never loaded successfully, {expected}"
    else:
        age = (now - ok_at).total_seconds()
        passed = age <= allowed.total_seconds()
        sentence = f"last successful load {human_duration(age)} ago, {expected}"
    if fv_loaded is not None:
        sentence += f"; current version {fv_id} published {human_duration((now - fv_loaded).total_seconds())} ago"
    if fail_at is not None and (ok_at is None or fail_at > ok_at):
        sentence += f"; last failure {human_duration((now - fail_at).total_seconds())} ago: {fail_msg}"
    if notices:
        sentence += "; top notices: " + ", ".join(f"{c} ({s.lower()}) ×{n}" for c, s, n in notices)
    metadata = {"expected_interval": human_duration(interval.total_seconds()),
                "last_success": ok_at.isoformat() if ok_at else "never",
                "current_feed_version": fv_id or 0}
    return passed, sentence + ".", metadata


def build_freshness_checks(sources: list[Source]) -> list[dg.AssetChecksDefinition]:
    """One check per source; the `source_freshness` sensor evaluates them, and they can be run by hand."""
    checks = []
    for source in sources:
        @dg.asset_check(asset=asset_key(source), name=FRESHNESS,
                        description=f"Loaded successfully at least {_every(expected_interval(source.schedule))} "
                                    f"(schedule `{source.schedule or DEFAULT_CRON}`, {TIMEZONE}) plus a grace "
                                    "of half that interval.")
        def _check(postgis: PostGISResource, _source: Source = source) -> dg.AssetCheckResult:
            with postgis.connect() as conn:
                passed, sentence, md = source_freshness(conn, _source)
            return dg.AssetCheckResult(passed=passed, description=sentence, metadata=md,
                                       severity=dg.AssetCheckSeverity.WARN)
        checks.append(_check)
    return checks


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
