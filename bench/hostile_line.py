"""Benchmark (issue 13): a GTFS zip whose stop_times.txt is one 300 MB line is refused in bounded memory.

    .venv/bin/python bench/hostile_line.py [--mb 300] [--database-url URL]

Loads the demo GTFS feed as the current version, then runs `transport-etl ingest` (a separate process,
so its peak RSS is its own) on a copy whose stop_times.txt is the header plus one line of ``--mb`` MB.
Prints exit status, the one-line message, wall time, the child's peak RSS and the per-table counts of
the current version before and after. Targets: refused, peak RSS <= 200 MB, <= 10 s, counts unchanged.
It creates and drops its own database on the server of TRANSPORT_ETL_DATABASE_URL.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch import Scratch  # noqa: E402
from demo import municipal  # noqa: E402
from transport_etl.db.connection import database_url  # noqa: E402

COUNTS = "SELECT count(*) FROM unified.{t} WHERE source_id = 'bench-hostile' AND recorded_to IS NULL"


def write_long_line_zip(path: Path, mb: int) -> None:
    """The demo feed with stop_times.txt = header + one line of ``mb`` MB (digits and commas; stored, so the
    archive limits do not refuse it first: the line limit must)."""
    feed = municipal.build_feed()
    header = ",".join(feed["stop_times"][0]).encode() + b"\n"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_STORED) as zf:
        for name, rows in feed.items():
            if name != "stop_times":
                zf.writestr(f"{name}.txt", municipal._csv(rows))
        with zf.open(zipfile.ZipInfo("stop_times.txt"), "w", force_zip64=True) as out:
            out.write(header)
            block = os.urandom(1 << 20).translate(bytes(b"0123456789,"[i % 11] for i in range(256)))
            for _ in range(mb):
                out.write(block)
            out.write(b"\n")


def counts(url: str) -> dict[str, int]:
    with psycopg.connect(url) as c:
        return {t: c.execute(COUNTS.format(t=t)).fetchone()[0] for t in ("stop_place", "journey", "call")}


def run_cli(url: str, path: Path) -> tuple[int, str, float, float]:
    env = {**os.environ, "TRANSPORT_ETL_DATABASE_URL": url}
    cmd = [sys.executable, "-m", "transport_etl.cli", "ingest", "--format", "gtfs", "--source", "bench-hostile",
           str(path)]
    t0 = time.monotonic()
    proc = subprocess.Popen(cmd, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, cwd=ROOT)
    _, status, usage = os.wait4(proc.pid, 0)
    wall = time.monotonic() - t0
    err = proc.stderr.read().decode()
    proc.stdout.read()
    return os.waitstatus_to_exitcode(status), err.strip().splitlines()[-1] if err.strip() else "", wall, \
        usage.ru_maxrss / 1024


def main() -> int:
    ap = argparse.ArgumentParser()
    ap.add_argument("--mb", type=int, default=300)
    ap.add_argument("--database-url")
    args = ap.parse_args()
    server = args.database_url or database_url()
    with Scratch(server, "tetl_bench_hostile") as db:
        url = db.url
        with tempfile.TemporaryDirectory() as tmp:
            good, bad = Path(tmp) / "good.zip", Path(tmp) / "long_line.zip"
            municipal.write_zip(good)
            code, _, _, _ = run_cli(url, good)
            assert code == 0, "baseline load failed"
            before = counts(url)
            t = time.monotonic()
            write_long_line_zip(bad, args.mb)
            print(f"built {bad.name}: {bad.stat().st_size / 1e6:,.0f} MB in {time.monotonic() - t:.1f} s")
            code, line, wall, rss = run_cli(url, bad)
            after = counts(url)
        ok = code != 0 and rss <= 200 and wall <= 10 and before == after
        print(f"exit status      {code}")
        print(f"message          {line}")
        print(f"wall time        {wall:.1f} s (target <= 10 s)")
        print(f"peak RSS         {rss:.0f} MB (target <= 200 MB)")
        print(f"current counts   before {before} after {after}")
        print("PASS" if ok else "FAIL")
        return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
