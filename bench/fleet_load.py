"""Benchmark the fleet telemetry load (issue 19): the demo fleet of 21 cars recorded at 1 Hz (realistic
driving: working-day trips between the office and the towns of the region, ~1 h a day per car used) for N
months, loaded through ingest (CSV fast path: COPY of the file's text, then typing, checks and positions set-wise
in SQL; trips in SQL; pgRouting matching) against a raw COPY of the same CSV files into an UNLOGGED all-text
table on the same server. Generation is not timed. Prints rows, rows/s of both and their ratio, the time of
the load and of trips + matching and of the fleet analysis, the trip count, the client's RSS after each file
(flat: files are streamed, never held) and the peak private memory of the server backends of the load.

    .venv/bin/python bench/fleet_load.py [--months 12] [--interval 1] [--database-url URL] [--keep DIR]

A year at 1 Hz is about 9 M records (600 MB of CSV); one month about 0.77 M. It creates and drops its own
database on the server of TRANSPORT_ETL_DATABASE_URL (or --database-url); the backend memory is read from
/proc, so it is reported only when the server runs on this machine.
"""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import threading
import time
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch import Scratch  # noqa: E402
from demo import fleet, road  # noqa: E402
from transport_etl.catalog import Source  # noqa: E402
from transport_etl.fleet import analysis  # noqa: E402
from transport_etl.ingest.run import ingest  # noqa: E402


def _status_kb(pid: int | str, field: str) -> int:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(field + ":"):
                return int(line.split()[1])
    except OSError:
        pass
    return 0


class BackendMemory(threading.Thread):
    """Samples the private (anonymous) resident memory of the server backends connected to the bench
    database: shared buffers are not counted, work_mem sorts and hash tables are."""

    def __init__(self, url: str, dbname: str):
        super().__init__(daemon=True)
        self.url, self.dbname, self.peak_kb, self.stop = url, dbname, 0, threading.Event()

    def run(self) -> None:
        with psycopg.connect(self.url, autocommit=True) as c:
            while not self.stop.wait(0.5):
                pids = [r[0] for r in c.execute("SELECT pid FROM pg_stat_activity WHERE datname = %s "
                                                "AND pid <> pg_backend_pid()", (self.dbname,))]
                self.peak_kb = max([self.peak_kb, *(_status_kb(p, "RssAnon") for p in pids)])


def raw_copy(url: str, files: list[Path]) -> tuple[int, float]:
    """COPY the CSV files as they are into an unlogged all-text table: the ceiling of any loader."""
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("CREATE UNLOGGED TABLE bench_raw (" + ", ".join(f"{h} text" for h in fleet.TELEMETRY_HEADER) + ")")
        t0 = time.monotonic()
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
    ap.add_argument("--verbose", action="store_true", help="print the load's log lines with their time")
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
        print(f"generated {args.months} month(s) at {args.interval} s in {time.monotonic() - t:.0f} s into {work} "
              "(not timed below)")
    net = road.generate(work / "road")["sources"][0]
    files = sorted((work / "telemetrie").glob("*.csv"))
    size_mb = sum(f.stat().st_size for f in (work / "telemetrie").iterdir()) / 1e6

    with Scratch(args.database_url, "tetl_bench_fleet") as db:
        url = db.url
        backend = BackendMemory(db.admin, db.name)
        try:
            by_id = {e["id"]: e for e in made["sources"]}
            for e in ({**net, "location": str(work / "road" / net["location"])},
                      {**by_id[fleet.VEHICLES_SOURCE], "location": str(work / "vozidla.csv")}):
                ingest(Source(**e), database_url=url, log=lambda _m: None)
            tele = {**by_id[fleet.TELEMETRY_SOURCE], "location": str(work / "telemetrie")}
            rss_files: list[int] = []
            marks: dict[str, float] = {}

            def log(message: str) -> None:
                if args.verbose:
                    print(f"  {time.monotonic() - t_load:7.1f} s  {message}", flush=True)
                if " records, " in message and message.endswith("rejected"):  # one line per file loaded
                    rss_files.append(_status_kb("self", "VmRSS"))
                    marks["files"] = time.monotonic()

            rss0 = _status_kb("self", "VmRSS")
            backend.start()
            t_load = time.monotonic()
            res = ingest(Source(**tele), database_url=url, log=log)
            load_s = time.monotonic() - t_load
            t = time.monotonic()
            with psycopg.connect(url) as c:
                figures = analysis.refresh(c, log=lambda _m: None)
                c.commit()
            analysis_s = time.monotonic() - t
            backend.stop.set()
            backend.join()
            with psycopg.connect(url) as c:
                trips, matched = c.execute("SELECT count(*), count(*) FILTER (WHERE match_status = 'matched') "
                                           "FROM unified.fleet_trip WHERE recorded_to IS NULL").fetchone()
            raw_n, raw_s = raw_copy(url, files)
        finally:
            backend.stop.set()
    files_s = marks["files"] - t_load if marks else load_s
    rows = res.rows_loaded
    print(f"input: {len(files)} CSV month files + GPX tracks, {size_mb:,.0f} MB, {rows:,} records "
          f"({res.outcome}, {res.rows_rejected:,} rejected)")
    print(f"ingest: {load_s:.1f} s = {rows / load_s:,.0f} rows/s end to end (files → staging {files_s:.1f} s; "
          f"trips + pgRouting matching {load_s - files_s:.1f} s); {trips:,} trips, {matched:,} matched")
    print(f"raw COPY of the same CSV (unlogged, all text): {raw_n:,} rows in {raw_s:.1f} s = {raw_n / raw_s:,.0f} rows/s; "
          f"ingest runs at {rows / load_s / (raw_n / raw_s):.1%} of it")
    print(f"fleet analysis (snapshots, substitution, figures): {analysis_s:.1f} s; "
          f"{figures.get('trips', trips):,} trips in the figures")
    print(f"client RSS: {rss0 / 1024:.0f} MB before, after each file "
          f"{', '.join(f'{k / 1024:.0f}' for k in rss_files)} MB; peak {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB")
    print(f"server backend peak private memory (RssAnon): {backend.peak_kb / 1024:.0f} MB"
          if backend.peak_kb else "server backend memory: not readable here (server on another machine)")


if __name__ == "__main__":
    main()
