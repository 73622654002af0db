"""The code location: assets per catalog source, grouped by family, plus harmonisation, schedules, sensors."""

from __future__ import annotations

import os
from pathlib import Path

import dagster as dg

from assets.alerts_assets import alerts_sensor, build_alerts_assets
from assets.automation import build_file_sensor, build_schedules
from assets.executors import select_executor
from assets.fleet_assets import build_fleet_assets
from assets.harmonise_assets import build_harmonise_assets, harmonisation_sensor
from assets.health import build_freshness_checks, build_freshness_sensor
from assets.maintenance import maintenance_schedule, platform_maintenance
from assets.polling import build_health_checks, build_poll_sensor, health_spec
from assets.release_assets import build_release_assets, publish_sensor, releases_dir
from assets.resources import PostGISResource
from assets.source_assets import asset_key, build_source_asset
from transport_etl.catalog import CATALOG_ENV, harmonise_settings, load_catalog

PROJECT_ROOT = Path(__file__).resolve().parents[1]


def build_definitions(catalog: str | Path | None = None, database_url: str | None = None) -> dg.Definitions:
    path = catalog or os.environ.get(CATALOG_ENV) or PROJECT_ROOT / "sources.yaml"
    sources = load_catalog(path)
    source_assets = [build_source_asset(s, sources) for s in sources]
    keys = [asset_key(s) for s in sources]
    downstream = build_harmonise_assets(keys, harmonise_settings(path))
    downstream += build_alerts_assets(sources)
    if any(s.family == "fleet" for s in sources):
        downstream += build_fleet_assets(keys)
    # the release's GeoPackage holds every gis layer: it follows harmonisation and the fleet analysis
    downstream += build_release_assets([a.key for a in downstream], releases_dir(path))
    jobs, schedules = build_schedules(sources, [a.key for a in downstream])
    postgis = PostGISResource(database_url=database_url or dg.EnvVar("TRANSPORT_ETL_DATABASE_URL"))
    poller = build_poll_sensor(sources)
    return dg.Definitions(
        assets=[*source_assets, *downstream, *([health_spec()] if poller else [])],
        asset_checks=[*build_freshness_checks(sources), *(build_health_checks(sources) if poller else [])],
        jobs=[*jobs, platform_maintenance],
        schedules=[*schedules, maintenance_schedule],
        sensors=[build_file_sensor(sources), *([poller] if poller else []), build_freshness_sensor(sources),
                 harmonisation_sensor(), alerts_sensor(), publish_sensor()],
        resources={"postgis": postgis},
        executor=select_executor(),
    )


defs = build_definitions()
