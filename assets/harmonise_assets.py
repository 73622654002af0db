"""Assets downstream of every source: cross-source identities and what road events affect."""


import dagster as dg

from assets.conditions import condition_sensor, when_sources_change, when_sources_change_or_after_midnight
from assets.resources import PostGISResource

OPEN_REVIEWS = "open_review_count"


def harmonisation_sensor() -> dg.AutomationConditionSensorDefinition:
    return condition_sensor(
        "harmonise_when_sources_change", dg.AssetSelection.groups("harmonise"), 60,
        "Runs stop identity when a source's data version changed, and affected services after it "
        "and after midnight (the list is per day); never on a fixed clock otherwise.")


def build_harmonise_assets(source_keys: list[dg.AssetKey], settings: dict | None = None) -> list[dg.AssetsDefinition]:
    key = dg.AssetKey(["unified", "stop_identity"])

    @dg.asset(
        key=key,
        deps=source_keys,
        group_name="harmonise",
        kinds={"postgis"},
        description="Resolves stop places from every source into canonical stops with persistent identifiers "
                    "(register ids first, then distance + normalised Czech names), intermodal connections and "
                    "journey patterns on road links. GIS staff decisions in unified.stop_match_review win.",
        pool="postgis_write",
        automation_condition=when_sources_change(),
        check_specs=[dg.AssetCheckSpec(OPEN_REVIEWS, asset=key,
                                       description="Low-confidence stop matches waiting for a GIS decision.")],
    )
    def stop_identity(context: dg.AssetExecutionContext, postgis: PostGISResource) -> dg.MaterializeResult:
        from transport_etl.harmonise import stops
        from transport_etl.harmonise.run import unify

        result = unify(postgis.database_url, log=context.log.info, config=settings or None,
                             run_kind="dagster", run_id=context.run.run_id)
        with postgis.connect() as conn:
            open_reviews = stops.open_review_count(conn)
        md = {k: v for k, v in result.items() if isinstance(v, int | float | str)}
        return dg.MaterializeResult(
            metadata={**md, "dagster/row_count": int(result.get("canonical_stops", 0))},
            check_results=[dg.AssetCheckResult(check_name=OPEN_REVIEWS, passed=open_reviews == 0,
                                                severity=dg.AssetCheckSeverity.WARN,
                                                metadata={"open_reviews": open_reviews})],
        )

    @dg.asset(
        key=dg.AssetKey(["unified", "affected_services"]),
        deps=[key],
        group_name="harmonise",
        kinds={"postgis"},
        description="Current list for operators: lines, journeys and stops affected today by each road event "
                    "(gis.affected_services_on), written to unified.affected_service.",
        automation_condition=when_sources_change_or_after_midnight(),
    )
    def affected_services(context: dg.AssetExecutionContext, postgis: PostGISResource) -> dg.MaterializeResult:
        from transport_etl.harmonise.affected import refresh_affected_services

        rows = refresh_affected_services(postgis.database_url)
        table = "| event | type | lines | journeys today |\n|---|---|---|---:|\n" + "\n".join(
            f"| {r['event_id']} | {r['event_type']} | {r['lines']} | {r['journeys']} |" for r in rows)
        return dg.MaterializeResult(metadata={
            "events_with_effects": len(rows),
            "dagster/row_count": sum(r["journeys"] for r in rows),
            "affected": dg.MetadataValue.md(table),
        })

    return [stop_identity, affected_services]
