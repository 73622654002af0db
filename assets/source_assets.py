"""One asset per catalog entry: fetch → skip if unchanged → parse → staging → publish."""


import re

import dagster as dg

from assets.resources import PostGISResource
from transport_etl.catalog import Source
from transport_etl.ingest.checks import current_version_checks
from transport_etl.ingest.run import IngestResult, ingest

NO_ERROR_NOTICES = "no_error_notices"
REJECT_RATIO = "rejected_records_within_threshold"


def asset_key(source: Source) -> dg.AssetKey:
    return dg.AssetKey([source.family, re.sub(r"[^A-Za-z0-9_]", "_", source.id)])


def run_tags(sources: list[Source]) -> dict[str, str]:
    """Run tags the instance's queue limits by (deploy/dagster.yaml): family and region, where shared."""
    tags = {}
    for key, values in (("transport_etl/family", {s.family for s in sources}),
                        ("transport_etl/region", {s.region for s in sources})):
        if len(values) == 1:
            tags[key] = values.pop()
    return tags


def _owners(source: Source) -> list[str]:
    if not source.owner:
        return []
    if "@" in source.owner:
        return [source.owner]
    return ["team:" + re.sub(r"[^a-z0-9_]+", "_", source.owner.lower()).strip("_")]


def _column_schema(postgis: PostGISResource, tables: dict[str, int]) -> dg.TableSchema | None:
    """Schema of the biggest staging table written: the shape of what the source delivered."""
    staging = sorted((n, t) for t, n in tables.items() if t.startswith("staging."))
    if not staging:
        return None
    schema, _, name = staging[-1][1].partition(".")
    with postgis.connect() as conn:
        rows = conn.execute(
            """SELECT c.column_name, c.data_type, col_description(format('%%I.%%I', c.table_schema, c.table_name)::regclass,
                      c.ordinal_position)
               FROM information_schema.columns c WHERE c.table_schema = %s AND c.table_name = %s
               ORDER BY c.ordinal_position""",
            (schema, name),
        ).fetchall()
    return dg.TableSchema(columns=[dg.TableColumn(n, t, description=d) for n, t, d in rows])


def _metadata(result: IngestResult, postgis: PostGISResource) -> dict:
    md: dict = {
        "outcome": result.outcome,
        "feed_version_id": result.feed_version_id,
        "sha256": result.sha256,
        "rows_in": result.rows_in,
        "rows_loaded": result.rows_loaded,
        "rows_rejected": result.rows_rejected,
        "dagster/row_count": result.rows_loaded,
        "seconds": round(result.seconds, 2),
    }
    if result.feed_label:
        md["feed_label"] = result.feed_label
    if result.coverage_from:
        md["coverage"] = f"{result.coverage_from} – {result.coverage_to}"
    if result.outcome == "skipped":
        md["skipped"] = result.reason
    if result.files:
        md["files"] = dg.MetadataValue.md(
            "| file | rows in | loaded | rejected |\n|---|---:|---:|---:|\n"
            + "\n".join(f"| {k} | {v.get('rows_in', 0)} | {v.get('rows_loaded', 0)} | {v.get('rows_rejected', 0)} |"
                        for k, v in sorted(result.files.items()))
        )
    if result.tables:
        md["tables"] = dg.MetadataValue.json(result.tables)
        schema = _column_schema(postgis, result.tables)
        if schema is not None:
            md["dagster/column_schema"] = schema
    if result.notices:
        md["notices"] = dg.MetadataValue.json(result.notices)
    return md


def upstream_sources(source: Source, catalog: list[Source]) -> list[Source]:
    """Sources this one is read against: options ending in ``_source`` name them (e.g. a DATEX II feed's
    ``network_source``, GTFS-RT's ``static_source``), so they load first in a run."""
    by_id = {s.id: s for s in catalog}
    names = [v for k, v in sorted(source.options.items()) if k.endswith("_source") and isinstance(v, str)]
    return [by_id[n] for n in names if n in by_id and n != source.id]


def build_source_asset(source: Source, catalog: list[Source] | None = None) -> dg.AssetsDefinition:
    key = asset_key(source)
    deps = [asset_key(u) for u in upstream_sources(source, catalog or [])]
    description = (
        f"{source.description or source.id}\n\nFormat `{source.format}`, owner {source.owner or 'unknown'}, "
        f"published at `{source.location}` ({source.crs or 'CRS n/a'}, {source.encoding or 'encoding n/a'}). "
        "Each materialisation fetches the source, skips it when its sha256 is unchanged, otherwise loads it into "
        "staging and publishes it to the unified model as a new feed version in one transaction."
    )

    @dg.asset(
        key=key,
        deps=deps,
        group_name=source.family,
        kinds={"postgis", source.format},
        owners=_owners(source),
        description=description,
        pool="postgis_write",
        tags=run_tags([source]),
        metadata={"source_id": source.id, "region": source.region, "format": source.format, "location": source.location or ""},
        check_specs=[
            dg.AssetCheckSpec(NO_ERROR_NOTICES, asset=key,
                              description="The current feed version has no ERROR-severity validation notices."),
            dg.AssetCheckSpec(REJECT_RATIO, asset=key,
                              description="Quarantined records stay within the source's error threshold."),
        ],
        retry_policy=dg.RetryPolicy(max_retries=2, delay=10) if source.is_url() else None,
    )
    def _load(context: dg.AssetExecutionContext, postgis: PostGISResource) -> dg.MaterializeResult:
        result = ingest(source, database_url=postgis.database_url, run_id=context.run.run_id, run_kind="dagster",
                        asset_key=key.to_user_string(), log=context.log.info)
        if result.outcome == "rejected":
            raise dg.Failure(
                description=f"{source.id}: input rejected: {result.reason}",
                metadata={"reason_code": result.reason_code or "", "feed_version_id": result.feed_version_id,
                          "rows_rejected": result.rows_rejected},
                allow_retries=False,
            )
        with postgis.connect() as conn:
            checks = current_version_checks(conn, source)
        return dg.MaterializeResult(
            metadata=_metadata(result, postgis),
            check_results=[
                dg.AssetCheckResult(check_name=NO_ERROR_NOTICES, passed=checks.error_notices == 0,
                                    severity=dg.AssetCheckSeverity.WARN,
                                    metadata={"error_notices": checks.error_notices}),
                dg.AssetCheckResult(check_name=REJECT_RATIO, passed=checks.rejects_within_limit,
                                    metadata={"rejected_ratio": checks.rejected_ratio, "limit": checks.limit}),
            ],
        )

    return _load
