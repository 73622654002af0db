"""Country-scale benchmark: loads the synthetic country (bench/country.py, 14 regional GTFS feeds) with 1 and
with 2 worker processes, each into its own fresh database, and prints rows/s, peak memory and database size per
region. Workers are processes running the one load path (transport_etl.ingest.run.ingest), as Celery or
Kubernetes step workers would; the database is the shared resource that decides how far they scale.

    .venv/bin/python bench/scale.py [--factor 0.01] [--workers 1 2] [--database-url URL]

It creates and drops its databases on the server of TRANSPORT_ETL_DATABASE_URL (or --database-url)."""

from __future__ import annotations

import argparse
import os
import resource
import sys
import tempfile
import time
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import psycopg

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.country import REGIONS, write_country  # noqa: E402
from bench.scratch import Scratch, with_db  # noqa: E402
from transport_etl.catalog import Source  # noqa: E402


def load_region(url: str, region: str, feed: str) -> tuple[str, int, float, float]:
    """One region's feed through the ordinary load path; (region, records, seconds, peak RSS MB)."""
    from transport_etl.ingest.run import ingest

    src = Source(id=f"gtfs-{region.lower()}", family="regional", format="gtfs", region=region,
                 options={"namespace": f"cz.{region.lower()}.gtfs"})
    t = time.perf_counter()
    res = ingest(src, Path(feed), database_url=url, log=lambda _m: None)
    if res.outcome != "loaded":
        raise RuntimeError(f"{region}: {res.outcome} {res.reason}")
    return region, res.rows_loaded, time.perf_counter() - t, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def run(admin: str, server: str, feeds: Path, workers: int) -> dict:
    with Scratch(server, "bench_scale") as db:
        url = db.url
        with psycopg.connect(url, autocommit=True) as c:
            base = c.execute("SELECT pg_database_size(current_database())").fetchone()[0]
        t = time.perf_counter()
        with ProcessPoolExecutor(max_workers=workers) as pool:
            results = list(pool.map(load_region, [url] * len(REGIONS), list(REGIONS),
                                    [str(feeds / f"{r}.zip") for r in REGIONS]))
        wall = time.perf_counter() - t
        with psycopg.connect(url, autocommit=True) as c:
            size = c.execute("SELECT pg_database_size(current_database())").fetchone()[0] - base
            # per region: stop_times staging + unified rows of its source, as a share of the growth
            per = dict(c.execute("""SELECT s.region, count(*) FROM lineage.entity_source e
                                     JOIN lineage.feed_version f ON f.id = e.feed_version_id
                                     JOIN lineage.source s ON s.id = f.source_id GROUP BY 1""").fetchall())
        return {"workers": workers, "wall": wall, "results": results, "size": size, "lineage_rows": per}


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--factor", type=float, default=0.01, help="scale of the country (1.0 = whole country)")
    ap.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    ap.add_argument("--database-url", default=os.environ.get("TRANSPORT_ETL_DATABASE_URL",
                                                           "postgresql://postgres@127.0.0.1:5432/postgres"))
    args = ap.parse_args()
    admin = with_db(args.database_url, "postgres")
    with tempfile.TemporaryDirectory(prefix="tetl_country_") as tmp:
        volumes = write_country(Path(tmp), args.factor)
        total = {k: sum(v[k] for v in volumes.values()) for k in ("stops", "trips", "stop_times")}
        print(f"synthetic country, factor {args.factor}: {total['stops']:,} stops, {total['trips']:,} trips/day, "
              f"{total['stop_times']:,} stop_times in {len(volumes)} regional GTFS feeds")
        for n in args.workers:
            r = run(admin, args.database_url, Path(tmp), n)
            records = sum(x[1] for x in r["results"])
            peak = max(x[3] for x in r["results"])
            print(f"\n{n} worker(s): {records:,} records in {r['wall']:.1f} s = {records / r['wall']:,.0f} records/s; "
                  f"peak RSS per worker {peak:,.0f} MB; database growth {r['size'] / 2**20:,.1f} MB")
            print(f"  {'region':7} {'records':>9} {'seconds':>8} {'records/s':>10} {'est. MB':>8}")
            lineage_total = sum(r["lineage_rows"].values()) or 1
            for region, rows, secs, _rss in sorted(r["results"]):
                share = r["lineage_rows"].get(region, 0) / lineage_total
                print(f"  {region:7} {rows:>9,} {secs:>8.1f} {rows / secs:>10,.0f} {r['size'] * share / 2**20:>8.1f}")


if __name__ == "__main__":
    main()
