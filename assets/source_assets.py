"""One asset per catalog entry: fetch → skip if unchanged → parse → staging → publish."""


import re

import dagster as dg

from assets.resources import PostGISResource
from transport_etl.catalog import Source
from transport_etl.ingest.checks import current_version_checks
from transport_etl.ingest.result import IngestResult
from transport_etl.ingest.run import ingest

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
    """The publisher as the catalog names it (Czech letters intact): an email, or a team name."""
    if not source.owner:
        return []
    if re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", source.owner.strip()):
        return [source.owner.strip()]
    return ["team:" + source.owner.strip()]


def current_version(postgis: PostGISResource, source_id: str) -> dict | None:
    """The source's current feed version: what its latest materialisation must describe."""
    with postgis.connect() as conn:
        cur = conn.execute(
            """SELECT id, sha256, rows_loaded, rows_rejected, feed_label, coverage_from, coverage_to, loaded_at,
                      file_stats, table_counts
               FROM lineage.feed_version WHERE source_id = %s AND is_current""", (source_id,))
        row = cur.fetchone()
        return dict(zip([d.name for d in cur.description], row, strict=True)) if row else None


def _unchanged_metadata(result: IngestResult, current: dict | None, postgis: PostGISResource) -> dict:
    """An unchanged input repeats the current version's figures, so the overview never shows 0 rows
    for a source whose current version has thousands."""
    md: dict = {"outcome": result.outcome, "skipped": result.reason or "unchanged input",
                "sha256": result.sha256, "seconds": round(result.seconds, 2)}
    if current is None:
        return {**md, "dagster/row_count": 0, "current_feed_version": "none"}
    files = {k: v for k, v in (current["file_stats"] or {}).items() if isinstance(v, dict)}
    md.update({"feed_version_id": current["id"], "current_sha256": current["sha256"],
               "rows_loaded": current["rows_loaded"], "rows_rejected": current["rows_rejected"],
               "dagster/row_count": current["rows_loaded"],
               "published_at": current["loaded_at"].isoformat() if current["loaded_at"] else ""})
    if current["feed_label"]:
        md["feed_label"] = current["feed_label"]
    if current["coverage_from"]:
        md["coverage"] = f"{current['coverage_from']} – {current['coverage_to']}"
    if files:
        md["files"] = dg.MetadataValue.md(
            "| file | rows in | loaded | rejected |\n|---|---:|---:|---:|\n"
            + "\n".join(f"| {k} | {v.get('rows_in', 0)} | {v.get('rows_loaded', 0)} | {v.get('rows_rejected', 0)} |"
                        for k, v in sorted(files.items())))
    if current["table_counts"]:
        md["tables"] = dg.MetadataValue.json(current["table_counts"])
        schema = _column_schema(postgis, current["table_counts"])
        if schema is not None:
            md["dagster/column_schema"] = schema
    return md


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
    if result.outcome == "loaded":
        md.update(_changes(result, postgis))
    return md


def _changes(result: IngestResult, postgis: PostGISResource) -> dict:
    """What the new version changed against the one it replaced (none for a first version)."""
    from transport_etl.errors import ConfigError
    from transport_etl.lineage.diff import as_markdown, diff_versions

    try:
        with postgis.connect() as conn:
            d = diff_versions(conn, result.source_id)
    except ConfigError:  # first version, or the previous one was pruned
        return {}
    return {"changes": dg.MetadataValue.md(as_markdown(d)),
            "changes_summary": dg.MetadataValue.json({k: {kk: vv for kk, vv in v.items() if isinstance(vv, int)}
                                                       for k, v in d.items() if isinstance(v, dict)})}


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
        "Each materialisation fetches the source, skips it when the current version has the same bytes and was "
        "produced by the same loader code, otherwise loads it into staging and publishes it to the unified model "
        "as a new feed version in one transaction (held instead when the publication guard refuses it)."
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
        current = current_version(postgis, source.id)
        _tag_run(context, source, result, current)
        if result.outcome in ("rejected", "held"):
            raise dg.Failure(
                description=f"{source.id}: input {result.outcome}: {result.reason}",
                metadata={"reason_code": result.reason_code or "", "feed_version_id": result.feed_version_id,
                          "rows_rejected": result.rows_rejected},
                allow_retries=False,
            )
        with postgis.connect() as conn:
            checks = current_version_checks(conn, source)
        metadata = (_unchanged_metadata(result, current, postgis) if result.outcome == "skipped"
                    else _metadata(result, postgis))
        metadata["lineage_load_run_id"] = result.load_run_id or 0
        return dg.MaterializeResult(
            metadata=metadata,
            # Same content, same data version: downstream assets stay in sync and are not re-run.
            # (a republication of the same bytes, e.g. after a loader fix, is a new version: new data version)
            data_version=dg.DataVersion(f"{current['sha256'][:16]}-fv{current['id']}") if current else None,
            check_results=[
                dg.AssetCheckResult(check_name=NO_ERROR_NOTICES, passed=checks.error_notices == 0,
                                    severity=dg.AssetCheckSeverity.WARN,
                                    metadata={"error_notices": checks.error_notices},
                                    description=_notice_sentence(postgis, current, checks.error_notices)),
                dg.AssetCheckResult(check_name=REJECT_RATIO, passed=checks.rejects_within_limit,
                                    metadata={"rejected_ratio": checks.rejected_ratio, "limit": checks.limit},
                                    description=f"{checks.rejected_ratio:.1%} of the current version's records "
                                                f"quarantined (limit {checks.limit:.0%})."),
            ],
        )

    return _load


def _tag_run(context: dg.AssetExecutionContext, source: Source, result: IngestResult, current: dict | None) -> None:
    """Run tags an operator filters by in the run list: source id, outcome, feed version loaded."""
    selection = context.run.asset_selection or context.job_def.asset_layer.selected_asset_keys
    if len(selection) == 1:
        tags = {"transport_etl/source": source.id, "transport_etl/outcome": result.outcome}
        if current:
            tags["transport_etl/feed_version"] = str(current["id"])
            if current["feed_label"]:
                tags["transport_etl/feed_label"] = str(current["feed_label"])[:200]
    else:  # a run of several sources: one tag per source
        tags = {f"transport_etl/{source.id}": f"{result.outcome}, feed version {current['id'] if current else '-'}"}
    try:
        context.instance.add_run_tags(context.run.run_id, tags)
    except Exception as exc:  # noqa: BLE001 - tags are a convenience; the load itself succeeded
        context.log.warning(f"could not tag run: {exc}")


def _notice_sentence(postgis: PostGISResource, current: dict | None, errors: int) -> str:
    """One sentence with the top notices of the current version, for the check's description."""
    if current is None:
        return "No current feed version."
    with postgis.connect() as conn:
        top = conn.execute(
            """SELECT code, severity, count(*), min(file_name || coalesce(':' || line_no, '')) FROM lineage.notice
               WHERE feed_version_id = %s GROUP BY 1, 2 ORDER BY (severity = 'ERROR') DESC, count(*) DESC LIMIT 3""",
            (current["id"],)).fetchall()
    head = f"{errors} ERROR notice(s) in feed version {current['id']}" if errors else \
        f"No ERROR notices in feed version {current['id']}"
    return head + ("; top: " + ", ".join(f"{c} ({s.lower()}) ×{n}, e.g. {w}" for c, s, n, w in top) if top else "") + "."
