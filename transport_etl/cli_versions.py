"""`transport-etl` commands for sources over time: sources add|remove, accept, reload, diff."""

from __future__ import annotations

import argparse
import json
import sys

from transport_etl.catalog import Source, find_source
from transport_etl.errors import ConfigError


def _connect():
    from transport_etl.db.connection import connect
    from transport_etl.db.migrate import require_schema

    conn = connect(autocommit=True)
    require_schema(conn)
    return conn


def registered_source(conn, source_id: str, catalog: str | None) -> Source:
    """The catalog entry of a source, else its registered entry; a clear error for an unknown id."""
    try:
        known = find_source(source_id, catalog)
    except ConfigError:
        known = None
    if known is not None:
        return known
    row = conn.execute("SELECT id, family, format, location, crs, encoding, owner, schedule, description, options "
                       "FROM lineage.source WHERE id = %s", (source_id,)).fetchone()
    if row is None:
        raise ConfigError(f"unknown source {source_id!r}: not in the catalog and never registered")
    return Source(*row[:9], options=row[9] or {})


def cmd_sources_change(args: argparse.Namespace) -> int:
    """sources add ID... (catalog entries) | sources remove ID..."""
    from transport_etl.ingest.run import UNIFIED_TABLES
    from transport_etl.lineage.registry import register_source, retire_source

    if not args.ids:
        raise ConfigError(f"sources {args.action}: name at least one source id")
    with _connect() as conn:
        for sid in args.ids:
            if args.action == "add":
                src = find_source(sid, args.catalog)
                if src is None:
                    raise ConfigError(f"source {sid} is not in the catalog {args.catalog or 'sources.yaml'}: "
                                      "add its entry there first")
                register_source(conn, src)
                print(f"source {sid}: registered")
            else:
                if not conn.execute("SELECT 1 FROM lineage.source WHERE id = %s", (sid,)).fetchone():
                    raise ConfigError(f"source {sid} is not registered")
                with conn.transaction():
                    retired = retire_source(conn, sid, UNIFIED_TABLES)
                print(f"source {sid}: removed; {sum(retired.values()):,} current rows retired "
                      f"({', '.join(f'{t} {n:,}' for t, n in sorted(retired.items())) or 'none'}); lineage kept")
    return 0


def _report(result, as_json: bool) -> int:
    if as_json:
        print(json.dumps(result.as_dict(), ensure_ascii=False, default=str, indent=2))
    else:
        print(f"source {result.source_id}: {result.outcome}"
              + (f", feed version {result.feed_version_id}" if result.feed_version_id else "")
              + (f" ({result.reason})" if result.reason and result.outcome != "loaded" else ""))
    if result.outcome in ("rejected", "held"):
        print(f"transport-etl: {result.source_id}: input {result.outcome}: {result.reason}", file=sys.stderr)
        return 1
    return 0


def cmd_accept(args: argparse.Namespace) -> int:
    from transport_etl.ingest.run import ingest

    with _connect() as conn:
        source = registered_source(conn, args.source, args.catalog)
        row = conn.execute("SELECT location, status FROM lineage.feed_version WHERE id = %s AND source_id = %s",
                           (args.version, args.source)).fetchone()
    if row is None or row[1] != "held":
        raise ConfigError(f"feed version {args.version} of {args.source} is not held"
                          + (f" (it is {row[1]})" if row else ""))
    result = ingest(source, row[0], accept_version=args.version, log=lambda m: print(m, file=sys.stderr))
    return _report(result, args.json)


def cmd_reload(args: argparse.Namespace) -> int:
    """Republish sources from their location with the current loader: the named ones, or every
    registered source whose current version was produced by another loader version."""
    from transport_etl.ingest.loader_digest import loader_digest
    from transport_etl.ingest.run import ingest

    with _connect() as conn:
        if args.sources:
            sources = [registered_source(conn, s, args.catalog) for s in args.sources]
        else:
            stale = []
            for sid, fmt, digest in conn.execute(
                    """SELECT s.id, s.format, fv.loader_digest FROM lineage.source s
                         JOIN lineage.feed_version fv ON fv.source_id = s.id AND fv.is_current
                        WHERE s.retired_at IS NULL ORDER BY s.id""").fetchall():
                if digest != loader_digest(fmt):
                    stale.append(sid)
            sources = [registered_source(conn, s, args.catalog) for s in stale]
    if not sources:
        print("every current version was produced by the current loaders: nothing to reload")
        return 0
    code = 0
    for src in sources:
        code = max(code, _report(ingest(src, force=True, log=lambda m: print(m, file=sys.stderr)), args.json))
    return code


def cmd_diff(args: argparse.Namespace) -> int:
    from transport_etl.lineage.diff import diff_versions, summary_rows

    with _connect() as conn:
        d = diff_versions(conn, args.source, args.v1, args.v2)
    if args.json:
        print(json.dumps(d, ensure_ascii=False, default=str, indent=2))
        return 0
    print(f"{args.source}: feed version {d['from_version']} → {d['to_version']}")
    for what, change, n in summary_rows(d):
        print(f"  {what:13} {change:22} {n:>10}")
    for key, label in (("gained_dates", "service gained"), ("lost_dates", "service lost")):
        for first, last, n in d["service_days"][key][:12]:
            print(f"  {label:13} {first}..{last} ({n} day(s))")
    for sid, m in d["stops"]["moved_examples"]:
        print(f"  moved stop    {sid} by {m:,.1f} m")
    for sid, old, new in d["stops"]["renamed_examples"]:
        print(f"  renamed stop  {sid}: {old} → {new}")
    return 0


def add_parsers(sub) -> None:
    a = sub.add_parser("accept", help="publish a version the publication guard held")
    a.add_argument("source")
    a.add_argument("version", type=int)
    a.add_argument("--json", action="store_true")
    a.set_defaults(func=cmd_accept)

    r = sub.add_parser("reload", help="republish sources with the current loader code (default: those whose "
                                      "loader changed)")
    r.add_argument("sources", nargs="*")
    r.add_argument("--json", action="store_true")
    r.set_defaults(func=cmd_reload)

    d = sub.add_parser("diff", help="what changed between two feed versions of a source (default: the last two)")
    d.add_argument("source")
    d.add_argument("v1", type=int, nargs="?")
    d.add_argument("v2", type=int, nargs="?")
    d.add_argument("--json", action="store_true")
    d.set_defaults(func=cmd_diff)



