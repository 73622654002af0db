"""Benchmark the GTFS loader against raw COPY and gtfs-via-postgres, in one run (issue 11).

    .venv/bin/python bench/gtfs_load.py [feed.zip ...] [--database-url URL] [--no-gvp] [--scale 10]
                                        [--stops 50000] [--repeat 3] [--markdown]

Default feeds: hart.zip and amtrak-2021-10-06.zip from ../shared/data/gtfs (or /work/shared/data/gtfs).
Per feed, measured in the same run on the same server: our end-to-end load (every file, validation, unified
model, lineage, indexes) against a raw COPY of all of the feed's files into unlogged all-text tables, and
the stop_times staging step against the raw COPY of stop_times, each pair measured --repeat times (each
first load in its own empty database, its raw COPY right after it) and the medians printed; an unchanged
re-run; a next version with 1 % of the trips changed; departures of the busiest stop on the busiest date; and gtfs-via-postgres 4 (bench/gvp.py),
whose ratio is printed only after its row counts proved it loaded the same rows. Each feed is loaded with
its real expected extent (FEED_EXTENT), as its catalog entry would declare it. Then the first feed ×k
(--scale, generated) for time per stop_time, and a synthetic feed with --stops stops. Peak RSS is the loader
process's (every load runs in one worker process). Each part uses its own scratch database, dropped after.
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import statistics
import sys
import tempfile
import time
import zipfile
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench import gvp, variants  # noqa: E402
from bench.scratch import Scratch, median_ms, with_db  # noqa: E402

SHARED = next((p for p in (ROOT.parent / "shared" / "data" / "gtfs", Path("/work/shared/data/gtfs")) if p.exists()),
              ROOT.parent / "shared" / "data" / "gtfs")
DEFAULT_FEEDS = [SHARED / "hart.zip", SHARED / "amtrak-2021-10-06.zip"]
GVP_MIN = {"hart.zip": 5.0, "amtrak-2021-10-06.zip": 2.0}
# Each foreign feed is loaded as its real catalog entry would declare it: with its own expected extent
# (catalog option expected_extent, [west, south, east, north] in WGS84; docs/formats.md). Under the default
# Czech extent every HART shape point would be an outside_expected_extent notice (56,152 of them, ~0.4 s),
# a cost no real load of that feed has. Derived feeds (changed, ×k) load with their original's options.
FEED_EXTENT = {"hart.zip": [-82.7, 27.6, -82.1, 28.3],              # Tampa, Florida (HART)
               "amtrak-2021-10-06.zip": [-124.5, 25.5, -69.5, 49.5]}  # Amtrak: the contiguous US and Canada


def feed_options(feed: Path) -> dict:
    """Catalog options of a bench feed: its expected extent when known (else the catalog default)."""
    return {"expected_extent": FEED_EXTENT[feed.name]} if feed.name in FEED_EXTENT else {}


def _peak_rss_mb() -> float:
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def _load(url: str, source_id: str, path: str, options: dict | None = None) -> dict:
    """In the worker process: one ingest, timed; returns its outcome, files, log lines and the process's
    peak RSS so far."""
    from transport_etl.catalog import Source
    from transport_etl.ingest.run import ingest

    lines: list[str] = []
    t = time.perf_counter()
    res = ingest(Source(id=source_id, family="municipal", format="gtfs", options=dict(options or {})), path, database_url=url, log=lines.append)
    return {"seconds": time.perf_counter() - t, "outcome": res.outcome, "reason": res.reason, "files": res.files,
            "tables": res.tables, "log": lines, "rss_mb": _peak_rss_mb()}


def raw_copy_all(url: str, feed: Path) -> tuple[float, float, int]:
    """COPY every .txt of the feed as is (csv, header; blank lines dropped, as COPY cannot take them) into
    unlogged all-text tables, reading from the zip. Returns (seconds for all files, seconds for
    stop_times, stop_times rows)."""
    total = st_s = 0.0
    st_rows = 0
    with zipfile.ZipFile(feed) as zf, psycopg.connect(url, autocommit=True) as c:
        for name, member in variants._members(zf).items():
            table = "bench_raw_" + re.sub(r"\W", "_", name[:-4])
            with zf.open(member) as f:  # the table first: only reading and COPY are timed
                header = f.readline().decode("utf-8-sig").strip().split(",")
            c.execute(f"DROP TABLE IF EXISTS {table}")
            c.execute(f"CREATE UNLOGGED TABLE {table} (" + ", ".join(f'"{h.strip()}" text' for h in header) + ")")
            t = time.perf_counter()
            data = re.sub(rb"(\r?\n)(?:[ \t]*\r?\n)+", rb"\1", zf.read(member))
            with c.cursor() as cur, cur.copy(f"COPY {table} FROM STDIN (FORMAT csv, HEADER true)") as cp:
                cp.write(data)
            dt = time.perf_counter() - t
            total += dt
            if name == "stop_times.txt":
                st_s, st_rows = dt, c.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            c.execute(f"DROP TABLE {table}")
    return total, st_s, st_rows


def departures(url: str, source_id: str) -> tuple[str, str, float, int]:
    """Departures of the busiest stop on the busiest date via unified.departures: (stop_id, date, ms, rows)."""
    with psycopg.connect(url, autocommit=True) as c:
        # Steady state: planner statistics as autovacuum leaves them a minute after a load.
        for t in ("service_calendar", "journey", "call", "stop_point", "line", "operator"):
            c.execute(f"ANALYZE unified.{t}")
        day = c.execute("SELECT service_date FROM unified.service_date WHERE recorded_to IS NULL "
                        "GROUP BY 1 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()[0]
        sp, stop_id = c.execute(
            "SELECT c.stop_point_id, p.local_id FROM unified.call c JOIN unified.stop_point p ON p.id = c.stop_point_id "
            "WHERE c.recorded_to IS NULL GROUP BY 1, 2 ORDER BY count(*) DESC, 1 LIMIT 1").fetchone()
        q = "SELECT * FROM unified.departures(%s, %s) WHERE stop_point_id = %s"
        rows = len(c.execute(q, (day, source_id, sp)).fetchall())
        ms = median_ms(lambda: c.execute(q, (day, source_id, sp)).fetchall())
    return stop_id, day.isoformat(), ms, rows


def _staging_seconds(log: list[str]) -> float:
    m = next((re.search(r"stop_times.txt: ([\d,]+) records in ([\d.]+) s", ln) for ln in log
              if "stop_times.txt:" in ln), None)
    return float(m.group(2)) if m else float("nan")


def first_load(pool, db_url: str, feed: Path) -> dict:
    """One first load of ``feed`` into the empty database at ``db_url`` and, right after it on the same server, a
    raw COPY of all its files: the pair a ratio is made of."""
    first = pool.submit(_load, db_url, "bench", str(feed), feed_options(feed)).result()
    if first["outcome"] != "loaded":
        sys.exit(f"load failed: {first['reason']}")
    raw_all, raw_st, raw_st_rows = raw_copy_all(db_url, feed)
    st_rows = first["files"]["stop_times.txt"]["rows_loaded"]
    st_s = _staging_seconds(first["log"])
    thr = (st_rows / st_s) / (raw_st_rows / raw_st) if st_s and raw_st else float("nan")
    return {**first, "raw_all": raw_all, "raw_st": raw_st, "st_rows": st_rows, "st_s": st_s, "thr": thr}


def bench_feed(pool, server: str, feed: Path, no_gvp: bool, tmp: Path, summary: list, repeat: int = 3) -> dict:
    print(f"\n== {feed.name} ({feed.stat().st_size:,} bytes)")
    # The first load and the raw COPY, paired, ``repeat`` times (each in its own empty database): the figures are
    # the medians of the pairs, so that one slow moment of a shared machine does not make the ratio.
    pairs = []
    for _ in range(repeat - 1):
        with Scratch(server, "bench_gtfs") as other:
            pairs.append(first_load(pool, other.url, feed))
    with Scratch(server, "bench_gtfs") as db:
        first = first_load(pool, db.url, feed)
        pairs.append(first)
        for ln in first["log"]:
            if ln.startswith("  "):
                print(f"   {ln.strip()}")
        e2e = statistics.median(p["seconds"] for p in pairs)
        raw_all = statistics.median(p["raw_all"] for p in pairs)
        ratio = statistics.median(p["seconds"] / p["raw_all"] for p in pairs)
        thr = statistics.median(p["thr"] for p in pairs)
        st_rows = first["st_rows"]
        unified = sum(v for k, v in first["tables"].items() if k.startswith("unified"))
        runs = ", ".join(f"{p['seconds']:.2f}/{p['raw_all']:.2f}" for p in pairs)
        print(f"end-to-end                    {e2e:7.2f} s  ({st_rows:,} stop_times, {unified:,} unified rows; "
              f"median of {len(pairs)})")
        print(f"raw COPY of all files         {raw_all:7.2f} s  → e2e / raw = {ratio:.1f}× (median of the pairs "
              f"e2e/raw s: {runs})")
        print(f"stop_times staging            {statistics.median(p['st_s'] for p in pairs):7.2f} s  vs raw "
              f"{statistics.median(p['raw_st'] for p in pairs):.2f} s → throughput ratio {thr:.2f}")
        again = pool.submit(_load, db.url, "bench", str(feed), feed_options(feed)).result()
        print(f"unchanged re-run              {again['seconds']:7.2f} s  ({again['outcome']})")
        stop_id, day, dep_ms, dep_rows = departures(db.url, "bench")
        print(f"departures stop {stop_id} on {day}: {dep_rows} rows, median {dep_ms:.1f} ms")
        nxt, n_changed = variants.changed(feed, 0.01, tmp / f"changed-{feed.name}")
        ch = pool.submit(_load, db.url, "bench", str(nxt), feed_options(feed)).result()
        for ln in ch["log"]:  # where the changed version's time goes (staging, validation, publish)
            if ln.startswith("  ") and ("staged" in ln or "validated" in ln or "published" in ln):
                print(f"   changed: {ln.strip()}")
        print(f"next version, {n_changed} trips changed  {ch['seconds']:7.2f} s ({ch['outcome']}) "
              f"→ {ch['seconds'] / e2e:.2f} of the first load")
        expect = {k[:-4]: v["rows_loaded"] for k, v in first["files"].items() if k.endswith(".txt")}
    peer = gvp.PeerRun(reason="not run: --no-gvp") if no_gvp else gvp.run(
        with_db(server, "postgres"), feed, expect, (stop_id, day))
    if peer.comparable:
        print(f"gtfs-via-postgres 4           {peer.seconds:7.2f} s  (same rows: "
              + ", ".join(f"{t} {n:,}" for t, n in peer.counts.items()) + f") → ours {peer.seconds / e2e:.1f}× faster")
        print(f"gtfs-via-postgres departures  {peer.departures_rows} rows, median {peer.departures_ms:.1f} ms")
    else:
        print(f"gtfs-via-postgres 4           no ratio: {peer.reason}"
              + (f" after {peer.seconds:.1f} s" if peer.seconds else ""))
    name = feed.name
    summary += [(name, "e2e / raw COPY", ratio, 8.0, "max"),
                (name, "staging / raw COPY throughput", thr, 0.5, "min"),
                (name, "unchanged re-run s", again["seconds"], 2.0, "max"),
                (name, "1 % changed / first load", ch["seconds"] / e2e, 0.3, "max")]
    if peer.comparable:
        summary += [(name, "gvp / e2e (× faster)", peer.seconds / e2e, GVP_MIN.get(name, 2.0), "min"),
                    (name, "departures ms / gvp ms", dep_ms / peer.departures_ms, 1.0, "max")]
    return {"e2e": e2e, "st_rows": st_rows}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("feeds", nargs="*", default=[str(f) for f in DEFAULT_FEEDS])
    ap.add_argument("--database-url", default=os.environ.get("TRANSPORT_ETL_DATABASE_URL",
                                                           "postgresql://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--no-gvp", action="store_true", help="skip the gtfs-via-postgres (Node.js) baseline")
    ap.add_argument("--scale", type=int, default=10, help="load the first feed ×N too (0: skip)")
    ap.add_argument("--stops", type=int, default=50_000, help="load a synthetic feed with N stops (0: skip)")
    ap.add_argument("--markdown", action="store_true", help="print the summary as a Markdown table")
    ap.add_argument("--repeat", type=int, default=3, help="first loads (each paired with a raw COPY) per feed; "
                                                          "the figures are their medians")
    args = ap.parse_args()
    summary: list[tuple] = []
    with tempfile.TemporaryDirectory(prefix="bench_gtfs_") as td, ProcessPoolExecutor(
            1, mp_context=get_context("spawn")) as pool:
        tmp = Path(td)
        base = [bench_feed(pool, args.database_url, Path(f), args.no_gvp, tmp, summary, args.repeat)
                for f in args.feeds]
        if args.scale > 1:
            feed = Path(args.feeds[0])
            big = variants.scaled(feed, args.scale, tmp / f"x{args.scale}-{feed.name}")
            with Scratch(args.database_url, "bench_gtfs") as db:
                r = pool.submit(_load, db.url, "bench", str(big), feed_options(feed)).result()
            per1 = base[0]["e2e"] / base[0]["st_rows"] * 1e6
            perk = r["seconds"] / r["files"]["stop_times.txt"]["rows_loaded"] * 1e6
            print(f"\n== {feed.name} ×{args.scale}: {r['seconds']:.1f} s, {perk:.1f} µs per stop_time "
                  f"(×1: {per1:.1f} µs)")
            summary.append((f"{feed.name} ×{args.scale}", "µs per stop_time / ×1", perk / per1, 1.2, "max"))
        if args.stops:
            many = variants.many_stops(args.stops, tmp / "many-stops.zip")
            with Scratch(args.database_url, "bench_gtfs") as db:
                r = pool.submit(_load, db.url, "bench", str(many)).result()
            print(f"\n== synthetic feed with {args.stops:,} stops: {r['seconds']:.1f} s ({r['outcome']})")
            summary.append((f"{args.stops:,} stops", "end-to-end s", r["seconds"], 10.0, "max"))
        rss = pool.submit(_peak_rss_mb).result()
        summary.append(("all loads", "peak RSS MB (loader process)", rss, 600, "max"))
    print("\n== summary (one run; the machine may be shared: figures are noisy)")
    if args.markdown:
        print("| feed | measure | value | target | met |\n|---|---|---:|---:|:-:|")
    for feed, what, value, limit, kind in summary:
        ok = value <= limit if kind == "max" else value >= limit
        target = f"{'≤' if kind == 'max' else '≥'} {limit:g}"
        if args.markdown:
            print(f"| {feed} | {what} | {value:.2f} | {target} | {'yes' if ok else 'no'} |")
        else:
            print(f"{feed:26} {what:32} {value:9.2f}   target {target:8} {'ok' if ok else 'NOT MET'}")


if __name__ == "__main__":
    main()
