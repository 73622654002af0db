"""The fleet in Dagster: catalog sources of family fleet get their assets, and fleet/fleet_analysis
materialises the report with the strategy's figures as numeric metadata."""

from __future__ import annotations

import dagster as dg
import pytest
import yaml

from assets.definitions import build_definitions
from assets.fleet_assets import REPORT_ENV
from tests import fleet_demo

pytestmark = pytest.mark.integration


def test_fleet_analysis_asset_materialises_with_numeric_metadata(db_url, conn, tmp_path, monkeypatch):
    sources = fleet_demo.generate(tmp_path / "demo", days=2)
    entries = [{k: v for k, v in s.__dict__.items() if v not in (None, {})} for s in sources]
    catalog = tmp_path / "sources.yaml"
    catalog.write_text(yaml.safe_dump({"sources": entries}, allow_unicode=True), encoding="utf-8")
    monkeypatch.setenv(REPORT_ENV, str(tmp_path / "report"))
    defs = build_definitions(catalog, database_url=db_url)
    key = dg.AssetKey(["fleet", "fleet_analysis"])
    wanted = [a for a in defs.assets if a.key.path[0] in ("fleet", "road")]
    assert key in {a.key for a in wanted}
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(wanted, resources=dict(defs.resources), instance=instance)
        assert result.success
        md = {e.asset_key: e.materialization.metadata for e in result.get_asset_materialization_events()}[key]
    trips = conn.execute("SELECT count(*) FROM unified.fleet_trip WHERE recorded_to IS NULL").fetchone()[0]
    assert md["trips"].value == trips > 0 and md["dagster/row_count"].value == trips
    for name in ("peak_simultaneous_use", "recommended_fleet", "kwh_per_100km", "KUUK_01_km", "KUUK_01_utilisation"):
        assert isinstance(md[name].value, int | float), name
    assert (tmp_path / "report" / "index.html").exists()
