"""Live feeds are polled by one sensor with health observations, not by a run per poll."""

from pathlib import Path

import dagster as dg

from assets.definitions import build_definitions
from assets.polling import HEALTH_KEY
from demo import municipal_extra


def test_poll_sensor_writes_status_batches_and_reports_health(db_url, conn, tmp_path: Path):
    made = municipal_extra.generate(tmp_path)
    gbfs = next(e for e in made["sources"] if e["format"] == "gbfs")
    (tmp_path / "sources.yaml").write_text(
        "sources:\n"
        f"  - id: {gbfs['id']}\n    family: municipal\n    format: gbfs\n    location: {gbfs['location']}\n"
        "    options: {poll_interval_s: 3600}\n", encoding="utf-8")
    defs = build_definitions(tmp_path / "sources.yaml", database_url=db_url)
    with dg.DagsterInstance.ephemeral() as instance:
        assert dg.materialize([a for a in defs.assets if isinstance(a, dg.AssetsDefinition)],
                              resources=dict(defs.resources), instance=instance).success
        sensor = defs.get_sensor_def("live_feed_poller")
        polls_before = conn.execute("SELECT count(*) FROM lineage.poll_run WHERE feed = 'gbfs_status'").fetchone()[0]
        with dg.build_sensor_context(instance=instance, resources=dict(defs.resources)) as ctx:
            first = sensor.evaluate_tick(ctx)
        assert first.run_requests == []  # polls never become runs
        obs, *checks = first.asset_events
        assert obs.asset_key == HEALTH_KEY and obs.metadata["failures_24h"].value == 0
        # and the health checks, in words: "…: last successful poll 0 s ago, expected every 1 h, …"
        assert {c.check_name for c in checks} == {"polled_on_time", "data_lag_within_limit"}
        assert any("expected every 1 h" in c.description for c in checks)
        polls = conn.execute("SELECT outcome FROM lineage.poll_run WHERE feed = 'gbfs_status' ORDER BY id").fetchall()
        assert len(polls) == polls_before + 1 and polls[-1][0] in ("ok", "unchanged")
        with dg.build_sensor_context(instance=instance, resources=dict(defs.resources)) as ctx:
            second = sensor.evaluate_tick(ctx)  # not due yet: nothing polled, nothing observed
        assert second.asset_events == [] and "nothing due" in (second.skip_message or "")
        assert conn.execute("SELECT count(*) FROM lineage.poll_run WHERE feed = 'gbfs_status'").fetchone()[0] == len(polls)
