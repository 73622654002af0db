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


def _md(row: dict) -> str:
    return (f"last {row['last_outcome']}, lag {row['lag_s'] if row['lag_s'] is not None else '-'} s, "
            f"{row['failures']}/{row['polls']} failed in 24 h, {row['rows_written']} rows"
            + (f", last error: {row['last_error']}" if row["last_error"] and row["failures"] else ""))


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
            },
        )
        summary = ", ".join(f"{r.source_id}: {r.outcome} ({r.rows})" for r in done) or "nothing due"
        return dg.SensorResult(asset_events=[observation] if done else [], skip_reason=summary)

    return live_feed_poller
