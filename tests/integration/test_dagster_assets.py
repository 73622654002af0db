"""Dagster runs for real: in-process materialisation of catalog-built assets against PostGIS."""

from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions
from assets.source_assets import NO_ERROR_NOTICES
from tests.integration.tiny_format import FORMAT as TINY
from transport_etl.formats import registry


@pytest.fixture(autouse=True)
def tiny_format(monkeypatch):
    monkeypatch.setitem(registry.formats(), "tiny", TINY)


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    (tmp_path / "stops.csv").write_text("stop_id,name,lon,lat\n1,Děčín hl.n.,14.1964,50.7736\n2,,14.2,50.78\n"
                                        "3,Mírové nám.,14.2145,50.7815\n")
    cat = tmp_path / "sources.yaml"
    cat.write_text(
        "sources:\n"
        "  - id: dc-stops\n    family: regional\n    format: tiny\n    location: stops.csv\n"
        "    owner: Ústecký kraj\n    schedule: '30 3 * * *'\n    options: {max_reject_ratio: 0.5}\n",
        encoding="utf-8",
    )
    return cat


def materialize_all(defs: dg.Definitions, instance: dg.DagsterInstance, **kw) -> dg.ExecuteInProcessResult:
    return dg.materialize(list(defs.assets), resources=dict(defs.resources), instance=instance, **kw)


def test_source_asset_loads_and_records_its_run(db_url, conn, catalog):
    defs = build_definitions(catalog, database_url=db_url)
    (asset,) = [a for a in defs.assets if a.key == dg.AssetKey(["regional", "dc_stops"])]
    assert asset.group_names_by_key[asset.key] == "regional"
    with dg.DagsterInstance.ephemeral() as instance:
        result = materialize_all(defs, instance)
        assert result.success
        md = result.get_asset_materialization_events()[0].materialization.metadata
        assert md["outcome"].value == "loaded" and md["dagster/row_count"].value == 2
        assert md["rows_rejected"].value == 1
        assert "dagster/column_schema" in md
        run = conn.execute("SELECT run_id, run_kind, asset_key, outcome FROM lineage.load_run").fetchone()
        assert run == (result.run_id, "dagster", "regional/dc_stops", "loaded")
        checks = {e.check_name: e.passed for e in result.get_asset_check_evaluations()}
        assert checks[NO_ERROR_NOTICES] is True

        # Unchanged file: the next materialisation says skipped and writes no version.
        again = materialize_all(defs, instance)
        md2 = again.get_asset_materialization_events()[0].materialization.metadata
        assert md2["outcome"].value == "skipped" and "unchanged" in md2["skipped"].value
        assert conn.execute("SELECT count(*) FROM lineage.feed_version").fetchone()[0] == 1


def test_rejected_input_fails_the_asset_with_the_reason(db_url, catalog):
    (catalog.parent / "stops.csv").write_text("garbage\n")
    defs = build_definitions(catalog, database_url=db_url)
    with dg.DagsterInstance.ephemeral() as instance:
        result = materialize_all(defs, instance, raise_on_error=False)
    assert not result.success
    failure = [e for e in result.all_events if e.event_type_value == "STEP_FAILURE"][0]
    assert "input rejected: not a tiny stops file" in failure.step_failure_data.user_failure_data.description


def test_schedule_follows_the_catalog_cron(db_url, catalog):
    defs = build_definitions(catalog, database_url=db_url)
    sched = defs.get_schedule_def("refresh_regional_daily_0330")
    assert sched.cron_schedule == "30 3 * * *" and sched.execution_timezone == "Europe/Prague"


def test_sensor_requests_a_run_only_when_a_source_file_changes(db_url, catalog):
    defs = build_definitions(catalog, database_url=db_url)
    sensor = defs.get_sensor_def("changed_source_files")
    with dg.DagsterInstance.ephemeral() as instance:
        res = dict(defs.resources)  # the sensor asks the database which content it has already seen
        first = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, resources=res))
        assert [r.asset_selection for r in first.run_requests] == [[dg.AssetKey(["regional", "dc_stops"])]]
        quiet = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=first.cursor, resources=res))
        assert quiet.run_requests == []
        (catalog.parent / "stops.csv").write_text("stop_id,name,lon,lat\n1,Děčín,14.19,50.77\n")
        changed = sensor.evaluate_tick(dg.build_sensor_context(instance=instance, cursor=first.cursor, resources=res))
        assert len(changed.run_requests) == 1
