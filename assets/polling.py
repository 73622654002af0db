"""Live feeds (GBFS status, GTFS-Realtime, parking occupancy) are polled by one sensor, not by runs:
frequent polls must neither create a partition per poll nor flood the run list. Each tick writes a
batch per due source; health goes to lineage.poll_run and shows in the UI as observations of the
`municipal/live_feed_health` asset and in the tick's message."""

import dagster as dg

from assets.resources import PostGISResource
from transport_etl.catalog import Source

HEALTH_KEY = dg.AssetKey(["municipal", "live_feed_health"])


def health_spec() -> dg.AssetSpec:
    return dg.AssetSpec(
        HEALTH_KEY,
        group_name="municipal",
        kinds={"postgis"},
        description="Health of polled live feeds (last success, lag, failures in 24 h), observed by the "
                    "`live_feed_poller` sensor; the history is in lineage.poll_run.",
    )


POLLED, DATA_LAG = "polled_on_time", "data_lag_within_limit"


def _md(row: dict) -> str:
    from assets.health import human_duration

    lag = human_duration(float(row["lag_s"])) if row["lag_s"] is not None else "-"
    return (f"last {row['last_outcome']}, data {lag} old when polled, "
            f"{row['failures']}/{row['polls']} failed in 24 h, {row['rows_written']} rows"
            + (f", last error: {row['last_error']}" if row["last_error"] and row["failures"] else ""))


def _intervals(live: list[Source]) -> dict[str, float]:
    from transport_etl.ingest.poll import DEFAULT_POLL_INTERVAL_S

    return {s.id: float(s.options.get("poll_interval_s", DEFAULT_POLL_INTERVAL_S)) for s in live}


def _check_evaluations(health: list[dict], live: list[Source]) -> list[dg.AssetCheckEvaluation]:
    from assets.health import live_feed_verdicts

    (poll_ok, poll_txt), (lag_ok, lag_txt) = live_feed_verdicts(health, _intervals(live))
    return [dg.AssetCheckEvaluation(asset_key=HEALTH_KEY, check_name=POLLED, passed=poll_ok, description=poll_txt,
                                    severity=dg.AssetCheckSeverity.WARN, metadata={"verdict": poll_txt}),
            dg.AssetCheckEvaluation(asset_key=HEALTH_KEY, check_name=DATA_LAG, passed=lag_ok, description=lag_txt,
                                    severity=dg.AssetCheckSeverity.WARN, metadata={"verdict": lag_txt})]


def build_health_checks(sources: list[Source]) -> list[dg.AssetChecksDefinition]:
    """The live feeds' checks; the poller reports them after each poll, and they can be run by hand."""
    from transport_etl.ingest.poll import pollable

    live = [s for s in sources if pollable(s)]
    if not live:
        return []

    def _build(name: str, index: int, description: str) -> dg.AssetChecksDefinition:
        @dg.asset_check(asset=HEALTH_KEY, name=name, description=description)
        def _check(postgis: PostGISResource) -> dg.AssetCheckResult:
            from transport_etl.ingest.poll import poll_health

            ev = _check_evaluations(poll_health(postgis.database_url, [s.id for s in live]), live)[index]
            return dg.AssetCheckResult(passed=ev.passed, description=ev.description, metadata={"verdict": ev.description},
                                       severity=dg.AssetCheckSeverity.WARN)
        return _check

    return [_build(POLLED, 0, "Each live feed's last successful poll is at most 3 poll intervals old."),
            _build(DATA_LAG, 1, "The data each live feed publishes is at most 10 poll intervals (min. 5 min) old.")]


def build_poll_sensor(sources: list[Source]) -> dg.SensorDefinition | None:
    from transport_etl.ingest.poll import pollable

    live = [s for s in sources if pollable(s)]
    if not live:
        return None

    @dg.sensor(
        name="live_feed_poller",
        minimum_interval_seconds=30,
        default_status=dg.DefaultSensorStatus.RUNNING,
        description="Polls " + ", ".join(s.id for s in live) + " when each is due (options.poll_interval_s), "
                    "appending to the time series in batches.",
    )
    def live_feed_poller(context: dg.SensorEvaluationContext, postgis: PostGISResource) -> dg.SensorResult:
        from assets.health import human_duration
        from transport_etl.ingest.poll import poll_due_sources, poll_health

        results = poll_due_sources(postgis.database_url, live)
        done = [r for r in results if r.outcome != "skipped"]
        for r in done:
            (context.log.warning if r.outcome == "failed" else context.log.info)(
                f"{r.source_id}/{r.feed}: {r.outcome}, {r.rows} rows" + (f" ({r.error})" if r.error else ""))
        health = poll_health(postgis.database_url, [s.id for s in live])
        observation = dg.AssetObservation(
            asset_key=HEALTH_KEY,
            metadata={
                **{f"{h['source_id']}/{h['feed']}": _md(h) for h in health},
                "failures_24h": sum(int(h["failures"]) for h in health),
                "max_lag_s": max((float(h["lag_s"]) for h in health if h["lag_s"] is not None), default=0.0),
                "max_lag": human_duration(max((float(h["lag_s"]) for h in health if h["lag_s"] is not None),
                                              default=0.0)),
            },
        )
        summary = ", ".join(f"{r.source_id}: {r.outcome} ({r.rows})" for r in done) or "nothing due"
        events = [observation, *_check_evaluations(health, live)] if done else []
        return dg.SensorResult(asset_events=events, skip_reason=summary)

    return live_feed_poller
