"""The dated open-data release as a Dagster asset, downstream of harmonisation (which follows every
timetable, stop and road-event source): the same library call as `transport-etl release`."""

import os
from pathlib import Path

import dagster as dg

from assets.conditions import condition_sensor, when_harmonised_or_new_day
from assets.resources import PostGISResource

RELEASES_ENV = "TRANSPORT_ETL_RELEASES"  # folder of the dated releases (default: releases/ beside the catalog)
RELEASE_KEY = dg.AssetKey(["publish", "release"])


def releases_dir(catalog: str | Path) -> Path:
    return Path(os.environ.get(RELEASES_ENV) or Path(catalog).resolve().parent / "releases").resolve()


def publish_sensor() -> dg.AutomationConditionSensorDefinition:
    return condition_sensor(
        "publish_when_harmonised", dg.AssetSelection.groups("publish"), 300,
        "Builds the day's open-data release after harmonisation ran, and once after midnight.")


def build_release_assets(upstream: list[dg.AssetKey], out_root: Path) -> list[dg.AssetsDefinition]:
    @dg.asset(
        key=RELEASE_KEY,
        deps=upstream,
        group_name="publish",
        kinds={"gtfs", "geopackage", "csv", "geojson"},
        description="Dated, reproducible open-data release in releases/<date>/: regional GTFS with canonical "
                    "stops (validated, described with gtfs-kit), GeoPackage of the gis layers, stop crosswalk, "
                    "road events in force (GeoJSON), release notes, manifest of feed versions, SHA256SUMS, DCAT-AP. "
                    "Recorded in lineage.release.",
        automation_condition=when_harmonised_or_new_day(),
        output_required=False,  # a platform without timetables yet has nothing to release: skipped, not failed
    )
    def release(context: dg.AssetExecutionContext, postgis: PostGISResource):
        from transport_etl.export.release.build import build_release, releasable

        with postgis.connect() as conn:
            ready = releasable(conn)
        if not ready:
            context.log.warning("release skipped: no source has a current timetable yet")
            return
        r = build_release(postgis.database_url, None, out_root, run_kind="dagster", run_id=context.run.run_id,
                          log=context.log.info)
        f = r["figures"]
        yield dg.MaterializeResult(
            # the content digest: a rebuild with the same inputs is the same data version
            data_version=dg.DataVersion(r["checksum"]),
            metadata={
                "folder": dg.MetadataValue.path(r["folder"]), "checksum": r["checksum"], "date": r["date"],
                "journeys": f["journeys"], "stops": f["stops"], "canonical_stops": f["crosswalk"]["canonical_stops"],
                "road_events": f["road_events"]["events"], "validation_passed": f["validation"]["passed"],
                "bytes": sum(x["bytes"] for x in r["files"].values()), "build_seconds": r["seconds"],
                "dagster/row_count": f["journeys"],
            })

    return [release]
