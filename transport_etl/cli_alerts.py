"""`transport-etl alerts`: the GTFS-Realtime ServiceAlerts feed of current road events, written to a file."""

from __future__ import annotations

import argparse
import datetime as dt
import json
from pathlib import Path


def cmd_alerts(args: argparse.Namespace) -> int:
    from transport_etl.db.connection import connect, database_url
    from transport_etl.db.migrate import require_schema
    from transport_etl.errors import ConfigError
    from transport_etl.export.service_alerts import default_out, write_service_alerts

    url = database_url()
    with connect(url) as conn:
        require_schema(conn)
    now = None
    if args.now:
        try:
            now = dt.datetime.fromisoformat(args.now)
        except ValueError as exc:
            raise ConfigError(f"--now {args.now!r} is not an ISO date-time (e.g. 2026-03-02T08:00+01:00)") from exc
    out = Path(args.out) if args.out else default_out()
    figures = write_service_alerts(url, out, json_out=out.with_suffix(".json") if args.json else None, now=now)
    if args.json:
        figures["json"] = str(out.with_suffix(".json"))
    print(json.dumps(figures, ensure_ascii=False, default=str, indent=2))
    return 0


def add_parsers(sub) -> None:
    a = sub.add_parser("alerts", help="write the GTFS-Realtime ServiceAlerts feed of current road events (.pb)")
    a.add_argument("--out", help="feed file (default: $TRANSPORT_ETL_ALERTS_OUT or .transport_etl/gtfs-rt/alerts.pb)")
    a.add_argument("--json", action="store_true", help="also write the feed as JSON beside it (alerts.json)")
    a.add_argument("--now", help="build the feed as at this ISO date-time (default: now)")
    a.set_defaults(func=cmd_alerts)
