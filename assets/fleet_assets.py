"""The fleet analysis as a Dagster asset: the snapshots and the HTML report, with the strategy's figures as
numeric metadata (the UI plots them across materialisations)."""

import os
import re
from pathlib import Path

import dagster as dg

from assets.resources import PostGISResource

REPORT_DIR = Path(".transport_etl") / "fleet_report"
REPORT_ENV = "TRANSPORT_ETL_FLEET_REPORT"  # where the asset writes the report (default .transport_etl/fleet_report)


def build_fleet_assets(source_keys: list[dg.AssetKey]) -> list[dg.AssetsDefinition]:
    """One asset downstream of every source (fleet sources, the road network, the timetables)."""

    @dg.asset(
        key=dg.AssetKey(["fleet", "fleet_analysis"]),
        deps=source_keys,
        group_name="fleet",
        kinds={"postgis", "html"},
        description="The regional office's fleet: per vehicle and month km, trips, days used, utilisation, energy "
                    "per 100 km and charging (unified.fleet_vehicle_month); trips public transport could have served "
                    "(unified.fleet_trip_substitution); the HTML report with plots and the strategy's figures.",
        pool="postgis_write",
    )
    def fleet_analysis(context: dg.AssetExecutionContext, postgis: PostGISResource) -> dg.MaterializeResult:
        from transport_etl.fleet.report import build_report

        out = Path(os.environ.get(REPORT_ENV) or REPORT_DIR).resolve()
        with postgis.connect() as conn:
            f = build_report(conn, out, log=context.log.info)
            conn.commit()
        md: dict = {k: f[k] for k in ("fleet_size", "trips", "km", "energy_kwh", "peak_simultaneous_use",
                                      "p95_daily_peak", "recommended_fleet", "pt_servable_trips", "depot_kwh",
                                      "public_kwh", "depot_wallboxes_needed") if f.get(k) is not None}
        md["idle_vehicles"] = len(f["idle_vehicles"])
        if f.get("kwh_per_100km") is not None:
            md["kwh_per_100km"] = f["kwh_per_100km"]
        for vehicle, u in f["utilisation"].items():
            name = re.sub(r"[^A-Za-z0-9_]", "_", vehicle)
            md[f"{name}_km"], md[f"{name}_utilisation"] = u["km"], u["utilisation"]
        md["dagster/row_count"] = f["trips"]
        md["report"] = dg.MetadataValue.path(str(out / "index.html"))
        return dg.MaterializeResult(metadata=md)

    return [fleet_analysis]
