"""Dagster and sources over time: a published version shows what changed as metadata; a version
held by the publication guard fails the asset with its one-line reason."""

from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions
from tests.integration.tiny_format import FORMAT as TINY
from transport_etl.formats import registry

pytestmark = pytest.mark.integration


@pytest.fixture(autouse=True)
def tiny_format(monkeypatch):
    monkeypatch.setitem(registry.formats(), "tiny", TINY)


def _stops(folder: Path, rows: list[str]) -> None:
    (folder / "stops.csv").write_text("stop_id,name,lon,lat\n" + "".join(r + "\n" for r in rows), encoding="utf-8")


@pytest.fixture
def catalog(tmp_path: Path) -> Path:
    cat = tmp_path / "sources.yaml"
    cat.write_text("sources:\n  - id: dc-stops\n    family: regional\n    format: tiny\n    location: stops.csv\n"
                   "    options: {guard_tables: [stop_place]}\n", encoding="utf-8")
    return cat


def _materialize(defs: dg.Definitions, instance: dg.DagsterInstance) -> dg.ExecuteInProcessResult:
    return dg.materialize(list(defs.assets), resources=dict(defs.resources), instance=instance, raise_on_error=False)


def test_changes_metadata_then_a_held_version_fails_the_asset(db_url, conn, catalog):
    folder = catalog.parent
    _stops(folder, ["1,Děčín hl.n.,14.1964,50.7736", "2,Podmokly,14.2,50.78", "3,Mírové nám.,14.2145,50.7815"])
    defs = build_definitions(catalog, database_url=db_url)
    with dg.DagsterInstance.ephemeral() as instance:
        assert _materialize(defs, instance).success
        # Stop 3 renamed, stop 4 added, stop 2 moved by some 700 m.
        _stops(folder, ["1,Děčín hl.n.,14.1964,50.7736", "2,Podmokly,14.21,50.78", "3,Mírové náměstí,14.2145,50.7815",
                        "4,Divadlo,14.20,50.77"])
        second = _materialize(defs, instance)
        assert second.success
        md = second.get_asset_materialization_events()[0].materialization.metadata
        summary = md["changes_summary"].value
        assert summary["stops"]["added"] == 1 and summary["stops"]["renamed"] == 1 and summary["stops"]["moved"] == 1
        assert "| stops | renamed | 1 |" in md["changes"].value
        # Down from 4 stops to 1: held, not published, and the run says why.
        _stops(folder, ["1,Děčín hl.n.,14.1964,50.7736"])
        third = _materialize(defs, instance)
    assert not third.success
    failure = [e for e in third.all_events if e.event_type_value == "STEP_FAILURE"][0]
    description = failure.step_failure_data.user_failure_data.description
    assert description.startswith("dc-stops: input held: stop_place would shrink from 4 to 1 rows")
    assert conn.execute("SELECT count(*) FROM unified.stop_place WHERE recorded_to IS NULL").fetchone()[0] == 4
