"""The Dagster UI as an operator sees it, in headless Chromium: after two loads of an unchanged GTFS
source, the overview still shows the current version's row count; screenshots of the asset graph, the
source's overview and the automation page are saved.

Run alone: `.venv/bin/python -m pytest tests/integration/test_ui_browser.py` (screenshots go to the
test's tmp folder; `make ui-screenshots` takes them of the demo into ui_screenshots/). Chromium comes
from `make browser` (Debian package); without it the test skips.
"""

from __future__ import annotations

import sys
import time
from pathlib import Path

import dagster as dg
import pytest

from assets.definitions import build_definitions
from demo.municipal import generate
from tests.browser import require_chromium

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "scripts"))
import ui_screenshots  # noqa: E402

pytestmark = pytest.mark.integration


def test_the_ui_shows_the_current_versions_row_count(db_url, conn, tmp_path):
    require_chromium()
    pytest.importorskip("websockets", reason="websockets (installed with dagster-webserver) drives CDP")
    made = generate(tmp_path / "demo_data")
    gtfs = next(e for e in made["sources"] if e["format"] == "gtfs")
    location = next((tmp_path / "demo_data").rglob(Path(gtfs["location"]).name)).resolve()
    catalog = tmp_path / "sources.yaml"
    catalog.write_text(
        "sources:\n"
        f"  - id: {gtfs['id']}\n    family: municipal\n    format: gtfs\n    location: {location}\n"
        "    owner: Dopravní podnik města Ústí nad Labem, a.s. (DPmÚL)\n    schedule: '0 4 * * *'\n",
        encoding="utf-8")
    home = tmp_path / "dagster_home"
    home.mkdir()
    (home / "dagster.yaml").write_text("telemetry:\n  enabled: false\n")
    defs = build_definitions(catalog, database_url=db_url)
    key = dg.AssetKey(["municipal", gtfs["id"].replace("-", "_")])
    with dg.DagsterInstance.from_config(str(home)) as instance:
        for _ in range(2):  # the second load finds the same bytes
            assert dg.materialize([a for a in defs.assets if isinstance(a, dg.AssetsDefinition)],
                                  selection=[key], resources=dict(defs.resources), instance=instance).success
    rows = conn.execute("SELECT rows_loaded FROM lineage.feed_version WHERE source_id = %s AND is_current",
                        (gtfs["id"],)).fetchone()[0]
    assert rows > 0

    env = {"DAGSTER_HOME": str(home), "TRANSPORT_ETL_DATABASE_URL": db_url, "TRANSPORT_ETL_CATALOG": str(catalog)}
    shots = tmp_path / "shots"
    t0 = time.monotonic()
    with ui_screenshots.webserver(env) as url:
        t1 = time.monotonic()
        texts = ui_screenshots.screenshots(url, shots, source_key=key.to_user_string())
    print(f"webserver up in {t1 - t0:.0f} s, screenshots in {time.monotonic() - t1:.0f} s")
    assert {p.name for p in shots.glob("*.png")} == {"asset_graph.png", "source_overview.png", "automation.png"}
    assert all(p.stat().st_size > 10_000 for p in shots.glob("*.png"))
    assert ui_screenshots.row_count_shown(texts["source_overview"]) == rows
    assert "Dopravní podnik města Ústí nad Labem" in texts["source_overview"]
    assert "refresh_municipal_daily_0400" in texts["automation"]
    assert "harmonise_when_sources_change" in texts["automation"]
    assert "municipal" in texts["asset_graph"]
