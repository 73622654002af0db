"""`transport-etl` command line. Every command calls the same library functions as the Dagster assets."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from transport_etl.catalog import FAMILIES, Source, find_source, load_catalog
from transport_etl.errors import ConfigError
from transport_etl.formats import registry


def _err(msg: str) -> None:
    print(f"transport-etl: {msg}", file=sys.stderr)


def cmd_db(args: argparse.Namespace) -> int:
    from transport_etl.db import bootstrap, migrate
    from transport_etl.db.connection import connect

    if args.action == "setup":
        url = bootstrap.resolve()
        with connect(url, autocommit=True) as conn:
            done = migrate.upgrade(conn)
            from transport_etl.db.gis_access import apply_gis_access

            apply_gis_access(conn)
        print(f"migrations: {len(done)} applied, schema up to date")
        return 0
    if args.action == "url":
        from transport_etl.db.connection import database_url

        print(database_url())
        return 0
    with connect(autocommit=True) as conn:
        if args.action == "partitions":
            from transport_etl.db.partitions import maintain

            for table, action, partition in maintain(conn):
                print(f"{table:32} {action:8} history.{partition}")
            return 0
        if args.action == "upgrade":
            done = migrate.upgrade(conn)
            print(f"{len(done)} migration(s) applied" if done else "schema up to date")
        else:
            for version, state in migrate.status(conn):
                print(f"{version:40} {state}")
    return 0


def cmd_sources(args: argparse.Namespace) -> int:
    if args.action != "list":
        from transport_etl.cli_versions import cmd_sources_change

        return cmd_sources_change(args)
    for s in load_catalog(args.catalog):
        print(f"{s.id:36} {s.family:9} {s.format:14} {s.schedule or '-':12} {s.location}")
    return 0


def _source_for(args: argparse.Namespace) -> Source:
    try:
        known = find_source(args.source, args.catalog)
    except ConfigError:
        known = None
    if known is not None:
        if known.format != args.format:
            raise ConfigError(f"source {args.source} is registered with format {known.format}, not {args.format}")
        return known
    return Source(id=args.source, family=args.family or registry.get(args.format).family, format=args.format,
                  location=str(Path(args.path).resolve()) if args.path else None,
                  encoding=args.encoding, crs=args.crs)


def cmd_ingest(args: argparse.Namespace) -> int:
    from transport_etl.ingest.run import ingest

    source = _source_for(args)
    # With --json, stdout is the one JSON object (its "steps" and "notices" say what the progress lines would)
    # and stderr holds nothing but a failure's one line; --debug shows the progress on stderr.
    log = print if not args.json else (lambda m: print(m, file=sys.stderr)) if args.debug else (lambda _m: None)
    # Only catalog sources are registered up front; an ad-hoc id exists once a load of it publishes.
    result = ingest(source, args.path, force=args.force, log=log, register=_in_catalog(args.source, args.catalog))
    if args.json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, default=str, indent=2))
    else:
        print(f"source {result.source_id}: {result.outcome}"
              + (f", feed version {result.feed_version_id}" if result.feed_version_id else ""))
        if result.files:
            print(f"  {'file':32} {'rows in':>10} {'loaded':>10} {'rejected':>9}")
            for name, st in sorted(result.files.items()):
                print(f"  {name:32} {st.get('rows_in', 0):>10,} {st.get('rows_loaded', 0):>10,} "
                      f"{st.get('rows_rejected', 0):>9,}")
        if result.tables:
            print(f"  {'table':32} {'rows':>10}")
            for name, n in sorted(result.tables.items()):
                print(f"  {name:32} {n:>10,}")
        for code, n in result.notices.items():
            print(f"  notice {code}: {n}")
    if result.outcome in ("rejected", "held"):
        _err(f"{source.id}: input {result.outcome}: {result.reason}")
        return 1
    return 0


def _in_catalog(source_id: str, catalog: str | None) -> bool:
    try:
        return find_source(source_id, catalog) is not None
    except ConfigError:
        return False


def cmd_lineage(args: argparse.Namespace) -> int:
    from transport_etl.db.connection import connect_read
    from transport_etl.db.migrate import require_schema
    from transport_etl.lineage.query import entity_sources
    from transport_etl.lineage.record import source_record

    with connect_read() as conn:
        require_schema(conn)
        rows = entity_sources(conn, args.table, args.id)
    if not rows:
        _err(f"no lineage for {args.table} {args.id} (unknown id?)")
        return 1
    for r in rows:
        print(f"{r['unified_table']} {r['unified_id']} ← {r['match_method']}")
        print(f"  source        {r['source_id']} ({r['family']}, {r['format']}, owner {r['owner'] or '-'})")
        print(f"  feed version  {r['feed_version_id']} sha256 {r['sha256'][:16]}… status {r['status']}"
              f"{' (current)' if r['is_current'] else ''}{'  label ' + r['feed_label'] if r['feed_label'] else ''}")
        if r.get("republication_of"):
            print(f"  republishes   feed version {r['republication_of']} (same sha256)")
        if r.get("applied_on"):
            print(f"  applied on    feed version {r['applied_on']} (cumulative)")
        if r.get("loader_digest"):
            print(f"  loader        {r['loader_digest'][:16]}…")
        print(f"  location      {r['location']}")
        print(f"  file, line    {r['source_file'] or '-'}, line {r['source_line'] or '-'}"
              f"{'  key ' + r['source_key'] if r['source_key'] else ''}")
        if r["distance_m"] is not None or r["score"] is not None:
            print(f"  match         distance {r['distance_m']} m, name similarity {r['name_similarity']}, "
                  f"score {r['score']}")
        print(f"  loaded by     {r['run_kind']} run {r['run_id']}"
              f"{' asset ' + r['asset_key'] if r['asset_key'] else ''} at {r['started_at']}")
        raw = source_record(r["location"], r["source_file"], r["source_line"], r["encoding"], r["sha256"],
                            r["source_key"])
        if raw is not None:
            print(f"  record        {raw}")
    return 0


def cmd_unify(args: argparse.Namespace) -> int:
    from transport_etl.catalog import harmonise_settings
    from transport_etl.db.connection import database_url
    from transport_etl.harmonise.run import unify

    result = unify(database_url(), config=harmonise_settings(args.catalog) or None)
    print(json.dumps(result, ensure_ascii=False, default=str, indent=2))
    return 0


def cmd_affected(args: argparse.Namespace) -> int:
    import datetime as dt

    from transport_etl.db.connection import database_url
    from transport_etl.harmonise.affected import refresh_affected_services

    day = dt.date.fromisoformat(args.date) if args.date else None
    rows = refresh_affected_services(database_url(), day)
    for r in rows:
        print(f"{r['event_id']:>8} {r['event_type']:14} {r['journeys']:>5} journeys  lines {r['lines']}")
    print(f"{len(rows)} road events affect services; unified.affected_service refreshed")
    return 0


def cmd_eval(args: argparse.Namespace) -> int:
    from transport_etl.db.connection import read_url
    from transport_etl.harmonise import evaluate

    if args.truth is None and args.what != "matching":
        raise ConfigError(f"eval {args.what}: pass --truth CSV (source_id, local_id = FEED_LABEL:CODE, place_key)")
    truth = Path(args.truth or "demo_data/truth_stops.csv")
    if not truth.exists() and not truth.is_absolute():
        # wherever the command is run: beside the catalog (the demo's demo_data/sources.yaml), or the
        # project's demo_data/
        from transport_etl.catalog import catalog_path
        from transport_etl.project import project_root

        found = [p for p in (catalog_path(args.catalog).resolve().parent / truth.name, project_root() / truth)
                 if p.exists()]
        truth = found[0] if found else truth
    if not truth.exists():
        raise ConfigError(f"truth file {args.truth or truth} not found (run `make demo` first, or pass --truth PATH)")
    if args.what == "matching":
        result = evaluate.evaluate_matching(read_url(), truth)
    else:
        result = evaluate.evaluate_identity(read_url(), args.what, truth)
    print(json.dumps(result, ensure_ascii=False, default=str, indent=2))
    return 0


def cmd_export(args: argparse.Namespace) -> int:
    from transport_etl.db.connection import read_url
    from transport_etl.export.describe import describe_gtfs

    if args.kind == "gpkg":
        from transport_etl.export.gpkg import export_gpkg

        result = export_gpkg(Path(args.out), args.layer or None, log=lambda m: print(m, file=sys.stderr))
        print(json.dumps(result, ensure_ascii=False, default=str, indent=2))
        return 0
    if not args.source and not args.region:
        raise ConfigError(f"export {args.kind} needs --source ID (one timetable source) or --region (all of them)")
    fmt = registry.get(args.kind)
    result = fmt.step(fmt.export_step)(read_url(), None if args.region else args.source, Path(args.out))
    if args.kind == "gtfs":
        result["described_by_gtfs_kit"] = describe_gtfs(Path(args.out))
    print(json.dumps(result, ensure_ascii=False, default=str, indent=2))
    return 0


def cmd_status(args: argparse.Namespace) -> int:
    from transport_etl.db.connection import connect_read
    from transport_etl.db.migrate import require_schema
    from transport_etl.summary import format_summary

    with connect_read() as conn:
        require_schema(conn)
        print(format_summary(conn))
    return 0


def cmd_fleet(args: argparse.Namespace) -> int:
    from transport_etl.db.connection import connect
    from transport_etl.fleet.report import build_report

    with connect() as conn:
        figures = build_report(conn, Path(args.out))
        conn.commit()
    print(json.dumps({k: v for k, v in figures.items() if k != "utilisation"}, ensure_ascii=False, default=str,
                     indent=2))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="transport-etl", description=__doc__)
    p.add_argument("--catalog", help="source catalog YAML (default: $TRANSPORT_ETL_CATALOG or ./sources.yaml, the "
                                        "production catalog; the demo's is demo_data/sources.yaml)")
    sub = p.add_subparsers(dest="command", required=True)

    db = sub.add_parser("db", help="database set-up and migrations")
    db.add_argument("action", choices=["setup", "upgrade", "status", "url", "partitions"],
                    help="partitions: create next months' history partitions, drop those past retention")
    db.set_defaults(func=cmd_db)

    s = sub.add_parser("sources", help="list the source catalog; add (register) or remove (retire) sources")
    s.add_argument("action", nargs="?", choices=["list", "add", "remove"], default="list")
    s.add_argument("ids", nargs="*", help="source ids (add: catalog entries)")
    s.set_defaults(func=cmd_sources)

    i = sub.add_parser("ingest", help="load a file as a new feed version of a source")
    i.add_argument("--format", required=True, choices=registry.names())
    i.add_argument("--source", required=True, help="source id (registered on first use)")
    i.add_argument("--family", choices=FAMILIES)
    i.add_argument("--encoding")
    i.add_argument("--crs")
    i.add_argument("--json", action="store_true", help="print the result as one JSON object")
    i.add_argument("--force", action="store_true",
                   help="load even unchanged content (a new publication of it) or content rejected before")
    i.add_argument("path", nargs="?", help="file, folder or URL (default: the catalog location)")
    i.set_defaults(func=cmd_ingest)

    u = sub.add_parser("unify", help="resolve cross-source identities (harmonisation)")
    u.set_defaults(func=cmd_unify)

    af = sub.add_parser("affected", help="refresh what road events affect (unified.affected_service)")
    af.add_argument("--date", help="service date (YYYY-MM-DD, default today)")
    af.set_defaults(func=cmd_affected)

    ln = sub.add_parser("lineage", help="print the source records behind a unified row")
    ln.add_argument("table", help="e.g. unified.stop_place")
    ln.add_argument("id", type=int)
    ln.set_defaults(func=cmd_lineage)

    e = sub.add_parser("export", help="export a source as another format")
    e.add_argument("kind", choices=sorted(f.name for f in registry.formats().values() if f.export_step) + ["gpkg"],
                   help="gtfs: a timetable source; gpkg: every gis layer")
    e.add_argument("--source")
    e.add_argument("--region", action="store_true",
                   help="gtfs: every timetable source's current journeys, stations = canonical stops")
    e.add_argument("--layer", action="append", help="gpkg: only this gis layer (repeatable)")
    e.add_argument("out")
    e.set_defaults(func=cmd_export)

    ev = sub.add_parser("eval", help="measure quality")
    ev.add_argument("what", choices=["matching", "rail-points", "road-links"])
    ev.add_argument("--truth", help="CSV source_id, local_id, place_key (matching: default demo_data/truth_stops.csv; "
                                    "rail-points, road-links: local_id = FEED_LABEL:CODE, required)")
    ev.set_defaults(func=cmd_eval)

    st = sub.add_parser("status", help="per-source feed versions and unified row counts")
    st.set_defaults(func=cmd_status)

    fl = sub.add_parser("fleet", help="fleet analysis: refresh it and write the HTML report")
    fl.add_argument("action", choices=["report"])
    fl.add_argument("--out", default="fleet_report", help="folder for index.html, plots and figures.json")
    fl.set_defaults(func=cmd_fleet)

    from transport_etl.cli_release import add_parsers as add_release
    from transport_etl.cli_versions import add_parsers

    add_parsers(sub)
    from transport_etl.cli_serve import add_parser as add_serve_parser

    add_serve_parser(sub)
    from transport_etl.cli_alerts import add_parsers as add_alerts_parser

    add_alerts_parser(sub)
    add_release(sub)
    return p


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    parser.add_argument("--debug", action="store_true", help="print tracebacks (else they go to a log file)")
    args = parser.parse_args(argv)
    from transport_etl.failures import run_guarded

    return run_guarded(lambda: args.func(args), getattr(args, "source", None), args.debug)


if __name__ == "__main__":
    sys.exit(main())
