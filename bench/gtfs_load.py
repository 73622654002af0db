"""Benchmark the GTFS loader (issue 3): end-to-end wall time, stop_times staging rows/s, peak RSS,
unchanged re-run, and two baselines measured in the same run on the same server: a raw COPY of
stop_times.txt into an UNLOGGED text table, and pandas ``to_sql`` of stop_times alone.

    .venv/bin/python bench/gtfs_load.py [feed.zip] [--database-url URL] [--no-pandas] [--no-gvp]

Where Node.js is present it also times gtfs-via-postgres 4 (npm, cached in .transport_etl/bench/node) on a
cleaned copy of the feed (it aborts on blank lines in calendar_dates.txt and an agency without agency_id).

It creates and drops its own database on the server of TRANSPORT_ETL_DATABASE_URL (or --database-url).
"""

from __future__ import annotations

import argparse
import io
import os
import re
import resource
import shutil
import subprocess
import sys
import tempfile
import time
import uuid
import zipfile
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict, make_conninfo

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from transport_etl.catalog import Source  # noqa: E402
from transport_etl.db import migrate  # noqa: E402
from transport_etl.ingest.run import ingest  # noqa: E402

DEFAULT_FEED = ROOT.parent / "shared" / "data" / "gtfs" / "hart.zip"
NODE_DIR = ROOT / ".transport_etl" / "bench" / "node"  # gitignored npm cache for gtfs-via-postgres
GVP_VERSION = "gtfs-via-postgres@4"
GVP_TIMEOUT_S = 300


def _with_db(url: str, name: str) -> str:
    p = conninfo_to_dict(url)
    p["dbname"] = name
    return make_conninfo(**p)


def _stop_times_member(zf: zipfile.ZipFile) -> str:
    return next(n for n in zf.namelist() if n.endswith("stop_times.txt") and "__MACOSX" not in n)


def raw_copy(url: str, feed: Path) -> tuple[int, float]:
    """COPY stop_times.txt as is (csv, header) into an unlogged all-text table: the ceiling."""
    with zipfile.ZipFile(feed) as zf, psycopg.connect(url, autocommit=True) as c:
        member = _stop_times_member(zf)
        with zf.open(member) as f:
            header = f.readline().decode("utf-8-sig").strip().split(",")
        c.execute("DROP TABLE IF EXISTS bench_raw_stop_times")
        c.execute("CREATE UNLOGGED TABLE bench_raw_stop_times (" + ", ".join(f'"{h}" text' for h in header) + ")")
        t = time.perf_counter()
        with zf.open(member) as f, c.cursor() as cur, cur.copy(
                "COPY bench_raw_stop_times FROM STDIN (FORMAT csv, HEADER true)") as cp:
            while chunk := f.read(1 << 20):
                cp.write(chunk)
        dt = time.perf_counter() - t
        n = c.execute("SELECT count(*) FROM bench_raw_stop_times").fetchone()[0]
        c.execute("DROP TABLE bench_raw_stop_times")
    return n, dt


def pandas_to_sql(url: str, feed: Path) -> tuple[int, float]:
    """pandas read_csv + DataFrame.to_sql (SQLAlchemy, psycopg 3) of stop_times alone."""
    import pandas as pd
    import sqlalchemy as sa

    p = conninfo_to_dict(url)
    engine = sa.create_engine(
        f"postgresql+psycopg://{p.get('user', 'postgres')}@{p.get('host', '127.0.0.1')}:{p.get('port', 5432)}/"
        f"{p['dbname']}")
    t = time.perf_counter()
    with zipfile.ZipFile(feed) as zf, zf.open(_stop_times_member(zf)) as f:
        df = pd.read_csv(io.TextIOWrapper(f, encoding="utf-8-sig"), dtype=str)
    df.to_sql("bench_pandas_stop_times", engine, if_exists="replace", index=False, chunksize=10_000)
    dt = time.perf_counter() - t
    engine.dispose()
    return len(df), dt


def _clean_feed_copy(feed: Path, out: Path) -> list[str]:
    """Extract the feed's .txt files and fix exactly what makes gtfs-via-postgres abort on real feeds:
    blank lines in calendar_dates.txt, and a single agency without agency_id. Returns extra CLI flags."""
    with zipfile.ZipFile(feed) as zf:
        for n in zf.namelist():
            if n.endswith(".txt") and "__MACOSX" not in n:
                (out / Path(n).name).write_bytes(zf.read(n))
    cd = out / "calendar_dates.txt"
    if cd.exists():
        cd.write_bytes(re.sub(rb"(\r?\n)(?:[ \t]*\r?\n)+", rb"\1", cd.read_bytes()))
    flags = ["--ignore-unsupported"]
    ag = out / "agency.txt"
    if ag.exists():
        rows = ag.read_bytes().splitlines(keepends=True)
        if rows and b"agency_id" not in rows[0]:
            ag.write_bytes(b"".join((b"agency_id," if i == 0 else b"1,") + r if r.strip() else r
                                    for i, r in enumerate(rows)))
    if not (out / "shapes.txt").exists():
        flags.append("--trips-without-shape-id")
    routes = out / "routes.txt"
    if routes.exists() and b"agency_id" not in routes.read_bytes().split(b"\n", 1)[0]:
        flags.append("--routes-without-agency-id")
    return flags


def gtfs_via_postgres(admin_url: str, feed: Path) -> str:
    """Time gtfs-via-postgres (npm) on a cleaned copy of the feed into a scratch PostGIS database;
    returns seconds as text, or "not run: <reason>"."""
    if not (shutil.which("node") and shutil.which("npm") and shutil.which("psql")):
        return "not run: node, npm or psql not found"
    cli = NODE_DIR / "node_modules" / ".bin" / "gtfs-to-sql"
    if not cli.exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), GVP_VERSION],
                           capture_output=True, text=True, timeout=GVP_TIMEOUT_S)
        if r.returncode or not cli.exists():
            return f"not run: npm install failed ({(r.stderr.strip().splitlines() or ['?'])[-1][:120]})"
    name = f"bench_gvp_{uuid.uuid4().hex[:8]}"
    p = conninfo_to_dict(admin_url)
    env = {**os.environ, "PGHOST": p.get("host", "127.0.0.1"), "PGPORT": str(p.get("port", 5432)),
           "PGUSER": p.get("user", "postgres"), "PGDATABASE": name}
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    try:
        with tempfile.TemporaryDirectory(prefix="gvp_") as tmp:
            flags = _clean_feed_copy(feed, Path(tmp))
            files = " ".join(sorted(f.name for f in Path(tmp).glob("*.txt")))
            # psql 15 loses the statements after a COPY block when a lone ";" follows its "\." line
            # (as gtfs-via-postgres 4 emits): drop that line; it is an empty statement anyway.
            cmd = (f"set -o pipefail; {cli} --require-dependencies {' '.join(flags)} -- {files} "
                   "| sed -e '/^\\\\.$/{n;/^;$/d}' | psql -q -b -v ON_ERROR_STOP=1 >/dev/null")
            t = time.perf_counter()
            r = subprocess.run(["bash", "-c", cmd], cwd=tmp, env=env, capture_output=True, text=True,
                               timeout=GVP_TIMEOUT_S)
            dt = time.perf_counter() - t
        if r.returncode:
            err = [ln for ln in r.stderr.splitlines() if "ERROR" in ln or "Error" in ln] or r.stderr.splitlines()
            return f"not run: gtfs-to-sql | psql failed ({(err or ['?'])[0].strip()[:140]})"
        return f"{dt:.2f}"
    except subprocess.TimeoutExpired:
        return f"not run: over {GVP_TIMEOUT_S} s"
    finally:
        with psycopg.connect(admin_url, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("feed", nargs="?", default=str(DEFAULT_FEED))
    ap.add_argument("--database-url", default=os.environ.get("TRANSPORT_ETL_DATABASE_URL",
                                                           "postgresql://postgres@127.0.0.1:5432/postgres"))
    ap.add_argument("--no-pandas", action="store_true", help="skip the pandas to_sql baseline")
    ap.add_argument("--no-gvp", action="store_true", help="skip the gtfs-via-postgres (Node.js) baseline")
    args = ap.parse_args()
    feed = Path(args.feed)
    name = f"bench_gtfs_{uuid.uuid4().hex[:8]}"
    admin = _with_db(args.database_url, "postgres")
    with psycopg.connect(admin, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    url = _with_db(args.database_url, name)
    try:
        with psycopg.connect(url, autocommit=True) as c:
            migrate.upgrade(c, log=lambda _m: None)
        lines: list[str] = []
        src = Source(id="bench-gtfs", family="municipal", format="gtfs")
        t = time.perf_counter()
        res = ingest(src, feed, database_url=url, log=lines.append)
        e2e = time.perf_counter() - t
        rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
        if res.outcome != "loaded":
            sys.exit(f"load failed: {res.reason}")
        st_rows = res.files["stop_times.txt"]["rows_loaded"]
        m = next((re.search(r"stop_times.txt: ([\d,]+) records in ([\d.]+) s", ln) for ln in lines
                  if "stop_times.txt:" in ln), None)
        st_s = float(m.group(2)) if m else float("nan")
        t = time.perf_counter()
        again = ingest(src, feed, database_url=url, log=lambda _m: None)
        rerun = time.perf_counter() - t
        raw_n, raw_s = raw_copy(url, feed)
        print(f"feed                         {feed.name} ({feed.stat().st_size:,} bytes)")
        print(f"end-to-end (all files, validation, unified, indexes)  {e2e:6.2f} s   "
              f"({res.rows_loaded:,} records, {sum(v for k, v in res.tables.items() if k.startswith('unified')):,} "
              "unified rows)")
        for ln in lines:
            if ln.startswith("  "):
                print(f"   {ln.strip()}")
        print(f"stop_times staging           {st_rows:,} rows in {st_s:.2f} s = {st_rows / st_s:,.0f} rows/s")
        print(f"raw COPY stop_times (unlogged text)  {raw_n:,} rows in {raw_s:.2f} s = {raw_n / raw_s:,.0f} rows/s")
        print(f"ratio staging / raw COPY throughput  {(st_rows / st_s) / (raw_n / raw_s):.2f}  (target ≥ 0.5)")
        print(f"peak RSS                     {rss_mb:,.0f} MB  (target ≤ 600 MB)")
        print(f"unchanged re-run             {rerun:.2f} s ({again.outcome})  (target ≤ 2 s)")
        if not args.no_pandas:
            pn, ps = pandas_to_sql(url, feed)
            print(f"pandas to_sql stop_times     {pn:,} rows in {ps:.2f} s; ours end-to-end / pandas = "
                  f"{e2e / ps:.2f} (< 1 = faster, and ours loads every file plus the unified model)")
        if args.no_gvp:
            gvp = "not run: --no-gvp"
        else:
            gvp = gtfs_via_postgres(admin, feed)
        if gvp.startswith("not run"):
            print(f"gtfs-via-postgres            {gvp}")
        else:
            print(f"gtfs-via-postgres 4 (cleaned copy)  {float(gvp):.2f} s; ours end-to-end / gtfs-via-postgres = "
                  f"{e2e / float(gvp):.2f} (< 1 = faster)")
    finally:
        with psycopg.connect(admin, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


if __name__ == "__main__":
    main()
