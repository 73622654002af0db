"""Benchmark the fleet telemetry load (issue 19): the demo fleet of 21 cars recorded at 1 Hz (realistic
driving: trips between the office and the towns of the region, ~1 h a day per car used) for N months,
loaded through ingest (parse → staging COPY → trips in SQL → pgRouting matching) against a raw COPY of the
same CSV files into an UNLOGGED all-text table on the same server. Prints rows, rows/s of both, the trip
count and the peak RSS of this process (memory stays bounded: the files are streamed, never held).

    .venv/bin/python bench/fleet_load.py [--months 12] [--interval 1] [--database-url URL] [--keep DIR]

A year at 1 Hz is about 8–9 M records; the default (one month) about 0.7 M. It creates and drops its own
database on the server of TRANSPORT_ETL_DATABASE_URL (or --database-url).
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
import uuid
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from demo import fleet, road  # noqa: E402
from transport_etl.catalog import Source  # noqa: E402
from transport_etl.db import migrate  # noqa: E402
from transport_etl.ingest.run import ingest  # noqa: E402


def _with_db(url: str, name: str) -> str:
    p = conninfo_to_dict(url)
    p["dbname"] = name
    return make_conninfo(**p)


def raw_copy(url: str, files: list[Path]) -> tuple[int, float]:
    """COPY the CSV files as they are into an unlogged all-text table: the ceiling of any loader."""
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("CREATE UNLOGGED TABLE bench_raw (" + ", ".join(f"{h} text" for h in fleet.TELEMETRY_HEADER) + ")")
        t0, n = time.monotonic(), 0
        for f in files:
            with f.open("rb") as fh, c.cursor().copy(
                    "COPY bench_raw FROM STDIN (FORMAT csv, HEADER true, DELIMITER ';')") as cp:
                for chunk in iter(lambda fh=fh: fh.read(1 << 20), b""):
                    cp.write(chunk)
        n = c.execute("SELECT count(*) FROM bench_raw").fetchone()[0]
        return n, time.monotonic() - t0


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--months", type=int, default=1, help="months of 2026 to generate (12 = a year)")
    ap.add_argument("--interval", type=int, default=1, help="seconds between records (1 = 1 Hz)")
    ap.add_argument("--database-url", default=os.environ.get("TRANSPORT_ETL_DATABASE_URL"))
    ap.add_argument("--keep", help="write the generated files here and keep them (reused when already there)")
    args = ap.parse_args()
    if not args.database_url:
        sys.exit("set TRANSPORT_ETL_DATABASE_URL or --database-url")
    fleet.INTERVAL_S = args.interval
    work = Path(args.keep) if args.keep else Path(tempfile.mkdtemp(prefix="fleet_bench_"))
    t = time.monotonic()
    if (work / "telemetrie").is_dir():  # --keep DIR of an earlier run: reuse its files
        made = {"sources": fleet.catalog_entries()}
        print(f"reusing the files in {work}")
    else:
        made = fleet.generate(work, months=tuple((2026, m) for m in range(1, args.months + 1)))
        print(f"generated {args.months} month(s) at {args.interval} s in {time.monotonic() - t:.0f} s into {work}")
    net = road.generate(work / "road")["sources"][0]
    files = sorted((work / "telemetrie").glob("*.csv"))

    name = f"tetl_bench_fleet_{uuid.uuid4().hex[:6]}"
    admin = _with_db(args.database_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(args.database_url, name)
    try:
        with psycopg.connect(url, autocommit=True) as c:
            migrate.upgrade(c, log=lambda _m: None)
        by_id = {e["id"]: e for e in made["sources"]}
        for e in ({**net, "location": str(work / "road" / net["location"])},
                  {**by_id[fleet.VEHICLES_SOURCE], "location": str(work / "vozidla.csv")}):
            ingest(Source(**e), database_url=url, log=lambda _m: None)
        tele = {**by_id[fleet.TELEMETRY_SOURCE], "location": str(work / "telemetrie")}
        rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        t = time.monotonic()
        res = ingest(Source(**tele), database_url=url, log=lambda _m: None)
        load_s = time.monotonic() - t
        rss1 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        with psycopg.connect(url) as c:
            trips, matched = c.execute("SELECT count(*), count(*) FILTER (WHERE match_status = 'matched') "
                                       "FROM unified.fleet_trip WHERE recorded_to IS NULL").fetchone()
        raw_n, raw_s = raw_copy(url, files)
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
    print(f"ingest: {res.rows_loaded:,} records ({res.outcome}) in {load_s:.1f} s = {res.rows_loaded / load_s:,.0f} rows/s "
          f"end to end (parse, staging COPY, trips, pgRouting); {trips:,} trips, {matched:,} matched")
    print(f"raw COPY of the same CSV (unlogged, all text): {raw_n:,} rows in {raw_s:.1f} s = {raw_n / raw_s:,.0f} rows/s; "
          f"ingest runs at {res.rows_loaded / load_s / (raw_n / raw_s):.1%} of it")
    print(f"peak RSS: {rss0 / 1024:.0f} MB before the load, {rss1 / 1024:.0f} MB after (bounded: files are streamed)")


if __name__ == "__main__":
    main()
