"""What the operator sees in Dagster is true: an unchanged reload repeats the current version's counts,
runs are requested only for new content, harmonisation follows new data versions (not a clock), names
and owners read as people write them, and freshness / live-feed checks speak human units."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from pathlib import Path

import dagster as dg
import pytest

from assets.automation import cadence
from assets.definitions import build_definitions
from assets.health import FRESHNESS, human_duration, live_feed_verdicts, source_freshness
from tests.integration.tiny_format import FORMAT as TINY
from transport_etl.catalog import load_catalog
from transport_etl.formats import registry

pytestmark = pytest.mark.integration
KEY = dg.AssetKey(["regional", "dc_stops"])
STOPS = "stop_id,name,lon,lat\n1,Děčín hl.n.,14.1964,50.7736\n2,,14.2,50.78\n3,Mírové nám.,14.2145,50.7815\n"


@pytest.fixture(autouse=True)
def tiny_format(monkeypatch):
    monkeypatch.setitem(registry.formats(), "tiny", TINY)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    (tmp_path / "stops.csv").write_text(STOPS, encoding="utf-8")
    cat = tmp_path / "sources.yaml"
    cat.write_text(
        "sources:\n"
        "  - id: dc-stops\n    family: regional\n    format: tiny\n    location: stops.csv\n"
        "    owner: Dopravní podnik města Ústí nad Labem, a.s. (DPmÚL)\n    schedule: '*/10 * * * *'\n"
        "    options: {max_reject_ratio: 0.5}\n"
        "  - id: dc-mail\n    family: road\n    format: tiny\n    location: stops.csv\n"
        "    owner: doprava@kr-ustecky.cz\n    options: {max_reject_ratio: 0.5}\n",
        encoding="utf-8",
    )
    return cat


def _materialize(defs: dg.Definitions, instance: dg.DagsterInstance, keys=(KEY,)) -> dg.ExecuteInProcessResult:
    return dg.materialize([a for a in defs.assets if isinstance(a, dg.AssetsDefinition)],
                          selection=list(keys), resources=dict(defs.resources), instance=instance)


def test_an_unchanged_reload_repeats_the_current_versions_counts(db_url, conn, catalog):
    defs = build_definitions(catalog, database_url=db_url)
    with dg.DagsterInstance.ephemeral() as instance:
        first = _materialize(defs, instance)
        second = _materialize(defs, instance)
        assert first.success and second.success
        fv_id, rows = conn.execute("SELECT id, rows_loaded FROM lineage.feed_version "
                                   "WHERE source_id = 'dc-stops' AND is_current").fetchone()
        latest = instance.get_latest_materialization_event(KEY).asset_materialization
        assert latest.metadata["outcome"].value == "skipped"
        assert latest.metadata["dagster/row_count"].value == rows == 2
        assert latest.metadata["feed_version_id"].value == fv_id
        assert "dagster/column_schema" in latest.metadata
        said = {e.check_name: e.description for e in second.get_asset_check_evaluations()}
        assert said["no_error_notices"].startswith(f"No ERROR notices in feed version {fv_id}")
        assert said["rejected_records_within_threshold"] == "33.3% of the current version's records quarantined " \
            "(limit 50%)."
        # Same content, same data version: nothing downstream is out of sync.
        versions = [e.asset_materialization.tags.get("dagster/data_version") for e in instance.fetch_materializations(
            KEY, limit=10).records]
        assert len(versions) == 2 and versions[0] == versions[1] is not None
        # The run says which source and which feed version; lineage.load_run points back at the run.
        run = instance.get_run_by_id(second.run_id)
        assert run.tags["transport_etl/source"] == "dc-stops"
        assert run.tags["transport_etl/feed_version"] == str(fv_id)
        assert run.tags["transport_etl/outcome"] == "skipped"
        assert conn.execute("SELECT count(*) FROM lineage.load_run WHERE run_id = %s AND outcome = 'skipped'",
                            (second.run_id,)).fetchone()[0] == 1


def test_the_file_sensor_requests_one_run_per_new_content_only(db_url, conn, catalog):
    defs = build_definitions(catalog, database_url=db_url)
    sensor = defs.get_sensor_def("changed_source_files")
    stops = catalog.parent / "stops.csv"
    with dg.DagsterInstance.ephemeral() as instance:
        _materialize(defs, instance, keys=[KEY, dg.AssetKey(["road", "dc_mail"])])
        # The UI starts with an empty cursor: everything on disk is already loaded, nothing to run.
        start = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, resources=dict(defs.resources)))
        assert start.run_requests == []
        # `make demo` rewrites the files with the same bytes: new mtime, same sha256, nothing to run.
        os.utime(stops, ns=(1, 1))
        stops.write_text(STOPS, encoding="utf-8")
        same = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=start.cursor,
                                                            resources=dict(defs.resources)))
        assert same.run_requests == []
        stops.write_text(STOPS + "4,Krásné Březno,14.06,50.66\n", encoding="utf-8")
        changed = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=same.cursor,
                                                               resources=dict(defs.resources)))
        # Both catalog entries read this file: one run each, keyed by content.
        assert sorted(tuple(r.asset_selection) for r in changed.run_requests) == [
            (dg.AssetKey(["regional", "dc_stops"]),), (dg.AssetKey(["road", "dc_mail"]),)]
        assert all(r.run_key.endswith(r.tags["transport_etl/sha256"][:16]) or r.tags["transport_etl/sha256"] in
                   r.run_key for r in changed.run_requests)
        again = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=changed.cursor,
                                                             resources=dict(defs.resources)))
        assert again.run_requests == []  # exactly one run per changed content


def test_harmonisation_follows_new_data_versions_not_materialisations(db_url, catalog):
    defs = build_definitions(catalog, database_url=db_url)
    identity = dg.AssetKey(["unified", "stop_identity"])
    if not any(identity in a.keys for a in defs.assets if isinstance(a, dg.AssetsDefinition)):
        pytest.skip("harmonisation is not installed")
    sources = [KEY, dg.AssetKey(["road", "dc_mail"])]
    with dg.DagsterInstance.ephemeral() as instance:
        baseline = dg.evaluate_automation_conditions(defs=defs, instance=instance)  # the daemon's first tick
        assert baseline.get_num_requested(identity) == 0
        _materialize(defs, instance, keys=sources)
        first = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=baseline.cursor)
        assert first.get_num_requested(identity) == 1
        # Pretend harmonisation ran: record its materialisation, then reload the unchanged sources.
        instance.report_runless_asset_event(dg.AssetMaterialization(identity))
        settled = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=first.cursor)
        _materialize(defs, instance, keys=sources)
        quiet = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=settled.cursor)
        assert quiet.get_num_requested(identity) == 0
        (catalog.parent / "stops.csv").write_text(STOPS + "4,Krásné Březno,14.06,50.66\n", encoding="utf-8")
        _materialize(defs, instance, keys=[KEY])
        changed = dg.evaluate_automation_conditions(defs=defs, instance=instance, cursor=quiet.cursor)
        assert changed.get_num_requested(identity) == 1


def test_names_say_what_they_refresh_and_owners_keep_their_letters(db_url, catalog):
    defs = build_definitions(catalog, database_url=db_url)
    sched = defs.get_schedule_def("refresh_regional_every_10_min")
    assert "dc-stops" in sched.description and sched.cron_schedule == "*/10 * * * *"
    assert defs.get_schedule_def("refresh_road_daily_0400").execution_timezone == "Europe/Prague"
    owners = {}
    for a in defs.assets:
        if isinstance(a, dg.AssetsDefinition):
            owners.update(a.owners_by_key)
    assert owners[KEY] == ["team:Dopravní podnik města Ústí nad Labem, a.s. (DPmÚL)"]
    assert owners[dg.AssetKey(["road", "dc_mail"])] == ["doprava@kr-ustecky.cz"]
    assert [cadence(c) for c in ("0 5 * * 1", "0 4 1 * *", "0 * * * *", "0 5 1 1 *")] == [
        "weekly_mon_0500", "monthly_0400", "hourly", "yearly_0500"]
    names = [s.name for s in defs.sensors]
    assert "source_freshness" in names and "changed_source_files" in names


def test_freshness_is_derived_from_the_schedule_and_said_in_one_sentence(db_url, conn, catalog):
    defs = build_definitions(catalog, database_url=db_url)
    source = {s.id: s for s in load_catalog(catalog)}["dc-stops"]
    passed, sentence, _md = source_freshness(conn, source)
    assert not passed and sentence.startswith("never loaded successfully, expected every 10 min")
    with dg.DagsterInstance.ephemeral() as instance:
        _materialize(defs, instance)
        passed, sentence, _md = source_freshness(conn, source)
        assert passed and "last successful load" in sentence and "expected every 10 min" in sentence
        later = datetime.now(UTC) + timedelta(hours=2)
        passed, sentence, _md = source_freshness(conn, source, now=later)
        assert not passed and "2 h ago, expected every 10 min" in sentence
        sensor = defs.get_sensor_def("source_freshness")
        tick = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, resources=dict(defs.resources)))
        evaluations = {e.asset_key: e for e in tick.asset_events}
        assert evaluations[KEY].check_name == FRESHNESS and evaluations[KEY].passed
        assert evaluations[dg.AssetKey(["road", "dc_mail"])].passed is False  # never loaded
        again = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=tick.cursor,
                                                             resources=dict(defs.resources)))
        assert again.asset_events == []  # verdicts unchanged: nothing new in the event log


def test_live_feed_verdicts_use_human_units():
    now = datetime(2026, 11, 30, 12, 0, tzinfo=UTC)
    health = [{"source_id": "bikes", "feed": "station_status", "last_success_at": now - timedelta(minutes=12),
               "lag_s": 23567811.958721, "failures": 3, "polls": 40, "last_error": "HTTP 503"}]
    (poll_ok, poll_txt), (lag_ok, lag_txt) = live_feed_verdicts(health, {"bikes": 60.0}, now=now)
    assert not poll_ok and "last successful poll 12 min ago, expected every 1 min" in poll_txt
    assert not lag_ok and "9 months" in lag_txt and "s," not in lag_txt.split("old")[0]
    assert human_duration(23567811.958721) == "9 months" and human_duration(720) == "12 min"
