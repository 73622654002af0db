"""The GTFS-Realtime ServiceAlerts feed as a Dagster asset: rebuilt whenever road events, the road network or
timetables have a new version, after harmonisation (journey patterns on road links), and after midnight
(which trips run while an event lasts is counted from today)."""

import dagster as dg

from assets.conditions import condition_sensor, when_sources_change_or_after_midnight
from assets.resources import PostGISResource
from assets.source_assets import asset_key
from transport_etl.catalog import Source

KEY = dg.AssetKey(["gtfs_rt", "service_alerts"])
GROUP = "service_alerts"
# Formats whose new versions change the alerts: events, the network they are located on, timetables.
INPUT_FORMATS = ("datex2", "road-closures", "road-network", "jdf", "gtfs", "czptt")


def build_alerts_assets(sources: list[Source]) -> list[dg.AssetsDefinition]:
    deps = [asset_key(s) for s in sources if s.format in INPUT_FORMATS] + [dg.AssetKey(["unified", "stop_identity"])]

    @dg.asset(
        key=KEY,
        deps=deps,
        group_name=GROUP,
        kinds={"postgis"},
        description="GTFS-Realtime ServiceAlerts for passengers: one alert per current road event that affects "
                    "journeys, with the stops a closure cuts off (gis.unreachable_stops) as informed entities in "
                    "the regional GTFS ids, cs/en texts and the DATEX II record version; written to "
                    "$TRANSPORT_ETL_ALERTS_OUT (default .transport_etl/gtfs-rt/alerts.pb).",
        automation_condition=when_sources_change_or_after_midnight(),
    )
    def service_alerts(context: dg.AssetExecutionContext, postgis: PostGISResource) -> dg.MaterializeResult:
        from transport_etl.export.service_alerts import default_out, write_service_alerts

        out = default_out().resolve()
        f = write_service_alerts(postgis.database_url, out, run_kind="dagster", run_id=context.run.run_id)
        events = "| alert | trips |\n|---|---:|\n" + "\n".join(f"| {e['id']} | {e['trips']} |" for e in f["events"])
        return dg.MaterializeResult(metadata={
            "alerts": f["alerts"], "informed_stops": f["informed_stops"],
            "informed_stations": f["informed_stations"], "informed_entities": f["informed_entities"],
            "trips": f["trips"], "bytes": f["bytes"], "dagster/row_count": f["alerts"],
            "sha256": f["sha256"], "feed": dg.MetadataValue.path(f["out"]), "events": dg.MetadataValue.md(events),
        })

    return [service_alerts]


def alerts_sensor() -> dg.AutomationConditionSensorDefinition:
    return condition_sensor(
        "service_alerts_when_inputs_change", dg.AssetSelection.assets(KEY), 60,
        "Rebuilds the ServiceAlerts feed when road events, the road network or timetables have a new "
        "version, after stop identity, and after midnight.")
