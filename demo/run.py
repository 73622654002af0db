"""`make demo`: generate the demo data, materialise every asset through Dagster, print a summary."""

from __future__ import annotations

import os
import sys
from pathlib import Path

from transport_etl.catalog import load_catalog
from transport_etl.db import migrate
from transport_etl.db.connection import connect, database_url
from transport_etl.errors import ConfigError

DAGSTER_HOME = Path(".transport_etl") / "dagster_home"


def ensure_dagster_home() -> Path:
    """A persistent Dagster instance for the project, so `make dev` shows the runs `make demo` made."""
    home = Path(os.environ.get("DAGSTER_HOME") or DAGSTER_HOME).resolve()
    home.mkdir(parents=True, exist_ok=True)
    cfg = home / "dagster.yaml"
    if not cfg.exists():
        cfg.write_text("telemetry:\n  enabled: false\nconcurrency:\n  pools:\n    default_limit: 1\n")
    os.environ["DAGSTER_HOME"] = str(home)
    return home


def check_catalog(generated: list[dict], catalog: Path) -> None:
    """Every demo source the generators wrote must be in the catalog at the same location (a catalog
    passed by name may list more)."""
    listed = {s.id: s for s in load_catalog(catalog)}
    problems = []
    for entry in generated:
        src = listed.get(entry["id"])
        if src is None:
            problems.append(f"{entry['id']} is generated but missing from {catalog}")
        elif Path(src.location).resolve() != Path(entry["location"]).resolve():
            problems.append(f"{entry['id']}: catalog location {src.location} ≠ generated {entry['location']}")
        elif src.format != entry["format"]:
            problems.append(f"{entry['id']}: catalog format {src.format} ≠ generated {entry['format']}")
    if problems:
        raise ConfigError("demo catalog out of date: " + "; ".join(problems))


@__import__("dagster").logger(description="Plain progress lines on stdout (for make demo).")
def progress_logger(init_context):
    import logging

    class _Plain(logging.Handler):
        def emit(self, record: logging.LogRecord) -> None:
            meta = getattr(record, "dagster_meta", {}) or {}
            msg = meta.get("orig_message") or record.getMessage()
            if record.levelno >= logging.INFO and not meta.get("dagster_event"):
                print(f"  {msg}", flush=True)
            elif record.levelno >= logging.WARNING:
                print(f"  {meta.get('step_key') or ''} {msg}", flush=True)

    log = logging.getLogger("demo")
    log.setLevel(logging.INFO)
    log.handlers = [_Plain()]
    log.propagate = False
    return log


def run_demo(out: Path, catalog: str | None = None) -> int:
    import dagster as dg

    from assets.definitions import build_definitions
    from assets.release_assets import RELEASES_ENV
    from demo.generate import generate_all
    from transport_etl.summary import format_summary

    try:
        url = database_url()
    except ConfigError:
        from transport_etl.db import bootstrap

        url = bootstrap.resolve()
    with connect(url, autocommit=True) as conn:
        migrate.upgrade(conn)
    made = generate_all(out)
    # The demo's own catalog, written beside its data; another one only when asked for by name.
    cat = Path(catalog) if catalog else made["catalog"]
    check_catalog(made["sources"], cat)
    ensure_dagster_home()
    # the release goes to releases/<date>/ beside the demo data folder (the project root for `make demo`),
    # not beside the catalog inside it; an operator's $TRANSPORT_ETL_RELEASES still wins
    if not os.environ.get(RELEASES_ENV):
        os.environ[RELEASES_ENV] = str(out.resolve().parent / "releases")
    defs = build_definitions(cat, database_url=url)
    assets = list(defs.assets or [])
    print(f"demo: materialising {len(assets)} asset definitions through Dagster …", flush=True)
    job = dg.Definitions(assets=assets, resources=dict(defs.resources or {}),
                         loggers={"progress": progress_logger}).resolve_implicit_global_asset_job_def()
    result = job.execute_in_process(
        instance=dg.DagsterInstance.get(),
        raise_on_error=False,
        tags={"transport_etl/trigger": "make demo"},
        run_config={"loggers": {"progress": {}}},
    )
    with connect(url, autocommit=True) as conn:
        print(format_summary(conn))
    if not result.success:
        for e in result.all_events:
            if e.event_type_value == "STEP_FAILURE":
                data = e.step_failure_data
                why = (data.user_failure_data.description if data.user_failure_data else None) or (
                    data.error.message.strip().splitlines()[0] if data.error else "unknown error")
                print(f"demo: step {e.step_key} failed: {why}", file=sys.stderr)
        print(f"demo: Dagster run {result.run_id} FAILED; see `make dev` for the full log", file=sys.stderr)
        return 1
    print(f"demo: Dagster run {result.run_id} succeeded; `make dev` shows it at http://localhost:3000")
    with connect(url, autocommit=True) as conn:
        print(next_steps(conn))
        print(published(conn, result.run_id))
    return 0


def published(conn, run_id: str) -> str:
    """Where the open-data release of this run is, and where the map will be."""
    row = conn.execute("SELECT location, checksum FROM lineage.release WHERE run_id = %s ORDER BY id DESC LIMIT 1",
                       (run_id,)).fetchone()
    lines = [""]
    if row:
        folder = Path(row[0])
        shown = os.path.relpath(folder) if folder.is_relative_to(Path.cwd()) else str(folder)
        lines.append(f"release: {shown}/ (checksum {row[1][:16]}…; RELEASE_NOTES.md, manifest.json, dcat.jsonld)")
    else:
        lines.append("release: none was built in this run (see the publish/release asset in `make dev`)")
    lines.append("map: make serve, then http://127.0.0.1:8000/map/")
    return "\n".join(lines)


def next_steps(conn) -> str:
    """How a newcomer runs the CLI (it lives in the project's virtualenv, not on the PATH), with a
    lineage example on a row that exists: a stop with a source file and line."""
    cli = Path(sys.executable).parent / "transport-etl"
    cli_text = os.path.relpath(cli) if cli.is_relative_to(Path.cwd()) else str(cli)
    row = conn.execute(
        """SELECT es.unified_id FROM lineage.entity_source es JOIN unified.stop_place sp ON sp.id = es.unified_id
           WHERE es.unified_table = 'unified.stop_place' AND es.source_line IS NOT NULL AND sp.recorded_to IS NULL
           ORDER BY es.unified_id LIMIT 1""").fetchone()
    lines = ["", "Next: the command line is in the project's virtualenv:",
             f"  {cli_text} status                       # sources, freshness, row counts",
             f"  (or `source {Path(cli_text).parent}/activate` once, then just `transport-etl …`)"]
    if row:
        lines.append(f"  {cli_text} lineage unified.stop_place {row[0]}   # the file and line behind a stop")
    lines.append(f"  {cli_text} export gpkg ustecky.gpkg        # every GIS layer for QGIS, offline")
    return "\n".join(lines)
