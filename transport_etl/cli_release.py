"""`transport-etl release [--date D] [--out DIR]`: build the dated open-data release."""

from __future__ import annotations

import argparse
import datetime as dt
import json
import sys
from pathlib import Path

from transport_etl.errors import ConfigError


def default_releases_dir(catalog: str | None) -> Path:
    """releases/ beside the catalog (the project folder), wherever the command is run."""
    from transport_etl.catalog import catalog_path

    return catalog_path(catalog).resolve().parent / "releases"


def cmd_release(args: argparse.Namespace) -> int:
    from transport_etl.export.release.build import build_release

    try:
        day = dt.date.fromisoformat(args.date) if args.date else None
    except ValueError as exc:
        raise ConfigError(f"--date {args.date!r} is not a date (YYYY-MM-DD)") from exc
    out = Path(args.out) if args.out else default_releases_dir(args.catalog)
    result = build_release(None, day, out, log=lambda m: print(m, file=sys.stderr))
    if args.json:
        print(json.dumps(result, ensure_ascii=False, default=str, indent=2))
    else:
        print(f"release {result['date']}: {result['folder']}")
        for name, f in result["files"].items():
            print(f"  {name:22} {f['bytes']:>12,}  {f['sha256'][:16]}…")
        print(f"  checksum (sha256 of SHA256SUMS) {result['checksum']}")
    return 0


def add_parsers(sub) -> None:
    r = sub.add_parser("release", help="build the dated open-data release (GTFS, GeoPackage, crosswalk, road "
                                       "events, notes, manifest, DCAT-AP)")
    r.add_argument("--date", help="release date (YYYY-MM-DD, default today in Europe/Prague)")
    r.add_argument("--out", help="folder holding the dated releases (default: releases/ in the project folder)")
    r.add_argument("--json", action="store_true", help="print the result as one JSON object")
    r.set_defaults(func=cmd_release, source="release")
