"""Benchmark stop identity at national scale (issue 16): `transport-etl unify` (stops only, no route
matching) on 10^3, 10^4 and 10^5 generated source stop places with near-duplicates, printing per size
the wall time of a first and an unchanged second run, the CPU time of the client and of the database
backends of the first run (on a shared machine CPU time says more than wall time), the peak RSS of
the process, the candidate pairs handed to Python (after the set-based blocking of
harmonise/stops_near_pairs.sql), and the growth exponent of the time between sizes. Stops only:
route matching, rail-point and road-link identity are off (there are no such data here).

    .venv/bin/python bench/unify.py [--sizes 1000 10000 100000] [--database-url URL]

The generated country has a constant density of stop places (about Czechia's: 0.5 places per km²),
so linear scaling means time ∝ stop count. Each place is published by a regional register (every
place), a JDF batch (80 %, abbreviated, half with the CRZ), a city GTFS (30 %, bare local name, one
stop per direction) and, for 2 %, SR70 + a rail station; 5 % of places have a differently named
neighbour 60-120 m away ("…,rybník"): a hard negative. Positions are jittered 5-60 m.

Each size runs in a child process with its own database, created and dropped on the server of
TRANSPORT_ETL_DATABASE_URL (named after that database, suffix _bench_unify_<size>).
"""

from __future__ import annotations

import argparse
import json
import math
import os
import random
import resource
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.scratch import Scratch  # noqa: E402
from transport_etl.db.copy import copy_rows  # noqa: E402
from transport_etl.harmonise.run import unify  # noqa: E402

PLACES_PER_KM2 = 0.5
SYLLABLES = ("ko", "la", "ni", "va", "bře", "zno", "lí", "pa", "ro", "tu", "bož", "ha", "ra", "do", "vi", "če",
             "ste", "mí", "ru", "sko", "ly", "ně", "ma", "chov", "nov", "ves", "hor", "kři", "žan", "dub")
PLACE_WORDS = ("náměstí", "rozcestí", "škola", "kostel", "nádraží", "sídliště", "hostinec", "pošta", "obecní úřad")
ABBREVIATED = {"náměstí": "nám.", "rozcestí": "rozc.", "škola": "šk.", "kostel": "kost.", "nádraží": "žel.st.",
               "sídliště": "sídl.", "hostinec": "host.", "obecní úřad": "OÚ"}


def _word(rng: random.Random, n: int) -> str:
    return "".join(rng.choice(SYLLABLES) for _ in range(n)).capitalize()


def generate(stop_count: int, seed: int = 16) -> list[tuple]:
    """Rows (source_id, local_id, name, kind, municipality, register_id, x, y) for about ``stop_count``
    source stop places."""
    rng = random.Random(seed)
    places = max(1, round(stop_count / 2.5))
    side = math.sqrt(places / PLACES_PER_KM2) * 1000.0
    x0, y0 = -900_000.0, -1_200_000.0
    towns = [_word(rng, rng.randint(2, 3)) for _ in range(max(1, places // 8))]
    rows: list[tuple] = []

    def jitter(x: float, y: float) -> tuple[float, float]:
        r, a = rng.uniform(5, 60), rng.uniform(0, 2 * math.pi)
        return x + r * math.cos(a), y + r * math.sin(a)

    for i in range(places):
        if len(rows) >= stop_count:
            break
        town = rng.choice(towns)
        local = f"{_word(rng, 2)} {rng.choice(PLACE_WORDS)}" if rng.random() < 0.5 else _word(rng, 3)
        x, y = x0 + rng.random() * side, y0 + rng.random() * side
        crz = str(100_000 + i)
        name = f"{town},,{local}"
        rows.append(("bench-register", crz, name, "bus", town, crz, *jitter(x, y)))
        if rng.random() < 0.8:
            short = local
            for long_, abbr in ABBREVIATED.items():
                short = short.replace(long_, abbr)
            rows.append(("bench-jdf", f"{name}|XX|CZ", f"{town},,{short}", "bus", town,
                         crz if rng.random() < 0.5 else None, *jitter(x, y)))
        if rng.random() < 0.3:
            for post in (1, 2):
                rows.append(("bench-gtfs", f"U{i}Z{post}", local, "bus", None, None, *jitter(x, y)))
        if rng.random() < 0.02:
            sr70 = f"{50_000 + i % 50_000:05d}"
            rows.append(("bench-sr70", sr70 + "0", f"{town} {local}", "rail", town, sr70 + "0", *jitter(x, y)))
        if rng.random() < 0.05:
            nx, ny = x + rng.uniform(60, 120), y
            rows.append(("bench-register", f"{crz}9", f"{name},rybník", "bus", town, f"{crz}9", nx, ny))
    return rows[:stop_count]


def _fill(url: str, rows: list[tuple]) -> None:
    families = {"bench-register": ("regional", "stop-register"), "bench-jdf": ("regional", "jdf"),
                "bench-gtfs": ("municipal", "gtfs"), "bench-sr70": ("rail", "sr70")}
    with psycopg.connect(url) as c, c.transaction():
        fv: dict[str, int] = {}
        for source, (family, fmt) in families.items():
            c.execute("INSERT INTO lineage.source (id, family, format, options) VALUES (%s, %s, %s, %s)",
                      (source, family, fmt, json.dumps({"country": "CZ"})))
            fv[source] = c.execute(
                "INSERT INTO lineage.feed_version (source_id, sha256, size_bytes, status, is_current, loaded_at) "
                "VALUES (%s, md5(%s), 0, 'loaded', true, now()) RETURNING id", (source, source)).fetchone()[0]
        copy_rows(c, "unified.stop_place",
                  ["source_id", "feed_version_id", "namespace", "local_id", "name", "kind", "municipality",
                   "register_id", "geom"],
                  ((r[0], fv[r[0]], f"cz.bench.{r[0]}", r[1], r[2], r[3], r[4], r[5],
                    f"SRID=5514;POINT({r[6]:.2f} {r[7]:.2f})") for r in rows))
        c.execute("""INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file,
                         source_line, source_key)
                     SELECT 'unified.stop_place', id, feed_version_id, 'stops.txt', row_number() OVER (ORDER BY id) + 1,
                            local_id FROM unified.stop_place""")
        c.execute("ANALYZE unified.stop_place")
        c.execute("ANALYZE lineage.entity_source")


class BackendCpu:
    """CPU seconds used by the database server processes serving ``dbname`` (local server only: read
    from /proc every 50 ms, as the backends exit when unify closes its connections; autovacuum
    workers are left out). On a machine
    shared with other work, CPU time says more than wall time."""

    def __init__(self, dbname: str):
        self.needle = f" {dbname} ".encode()
        self.seen: dict[int, float] = {}
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._poll, daemon=True)
        self._tick = os.sysconf("SC_CLK_TCK")

    def _poll(self) -> None:
        while not self._stop.is_set():
            for pid in (int(p) for p in os.listdir("/proc") if p.isdigit()):
                try:
                    with open(f"/proc/{pid}/cmdline", "rb") as f:
                        cmdline = f.read().replace(b"\0", b" ") + b" "
                    # autovacuum workers (after the fill's inserts) are not unify's work
                    if self.needle not in cmdline or b"autovacuum" in cmdline:
                        continue
                    with open(f"/proc/{pid}/stat") as f:
                        fields = f.read().rsplit(")", 1)[1].split()
                    self.seen[pid] = (int(fields[11]) + int(fields[12])) / self._tick
                except OSError:
                    continue
            self._stop.wait(0.05)

    def __enter__(self) -> BackendCpu:
        self._start = dict(self.seen)
        self._thread.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self._stop.set()
        self._thread.join()

    @property
    def seconds(self) -> float:
        return round(sum(self.seen.values()), 2)


def run_one(url: str, size: int) -> dict:
    """Child process: fresh database, generate, fill, unify twice; prints one JSON line."""
    name = f"{conninfo_to_dict(url).get('dbname', 'tetl')}_bench_unify_{size}"
    with Scratch(url, name=name) as db:
        bench_url = db.url
        rows = generate(size)
        _fill(bench_url, rows)
        with BackendCpu(name) as server:
            t0, c0 = time.perf_counter(), time.process_time()
            first = unify(bench_url, log=lambda _m: None, routes=False, identities=False)
            t1, c1 = time.perf_counter(), time.process_time()
        unify(bench_url, log=lambda _m: None, routes=False, identities=False)
        t2 = time.perf_counter()
    peak_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return {"size": len(rows), "first_s": round(t1 - t0, 2), "rerun_s": round(t2 - t1, 2),
            "client_cpu_s": round(c1 - c0, 2), "server_cpu_s": server.seconds,
            "peak_rss_mb": round(peak_mb), "candidate_pairs": first["candidate_pairs"],
            "canonical_stops": first["canonical_stops"], "review_pairs": first["review_pairs"],
            "steps": first["step_seconds"]}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--sizes", type=int, nargs="+", default=[1_000, 10_000, 100_000])
    p.add_argument("--database-url", default=os.environ.get("TRANSPORT_ETL_DATABASE_URL"))
    p.add_argument("--one", type=int, help=argparse.SUPPRESS)
    args = p.parse_args(argv)
    if not args.database_url:
        print("transport-etl: bench: set TRANSPORT_ETL_DATABASE_URL or --database-url", file=sys.stderr)
        return 2
    if args.one:
        print(json.dumps(run_one(args.database_url, args.one)))
        return 0
    results = []
    print(f"{'stop places':>12} {'first run s':>12} {'re-run s':>9} {'peak RSS MB':>12} {'pairs':>8} "
          f"{'canonical':>10} {'review':>7} {'exponent':>9}")
    for size in args.sizes:
        out = subprocess.run([sys.executable, __file__, "--one", str(size), "--database-url", args.database_url],
                             capture_output=True, text=True)
        if out.returncode:
            print(f"transport-etl: bench: size {size} failed: {out.stderr.strip().splitlines()[-1:]}", file=sys.stderr)
            return 1
        r = json.loads(out.stdout.strip().splitlines()[-1])
        exponent = ""
        if results:
            prev = results[-1]
            exponent = f"{math.log(r['first_s'] / prev['first_s']) / math.log(r['size'] / prev['size']):.2f}"
        results.append(r)
        print(f"{r['size']:>12,} {r['first_s']:>12.2f} {r['rerun_s']:>9.2f} {r['peak_rss_mb']:>12} "
              f"{r['candidate_pairs']:>8,} {r['canonical_stops']:>10,} {r['review_pairs']:>7,} {exponent:>9}",
              flush=True)
        print(f"{'':>12} first run CPU: client {r['client_cpu_s']} s, server {r['server_cpu_s']} s; "
              f"steps (wall s): {r['steps']}", flush=True)
    if len(results) > 1:
        a, b = results[-2], results[-1]
        cpu_a, cpu_b = a["client_cpu_s"] + a["server_cpu_s"], b["client_cpu_s"] + b["server_cpu_s"]
        print(f"time {a['size']:,} → {b['size']:,}: ×{b['first_s'] / a['first_s']:.1f} "
              f"(re-run ×{b['rerun_s'] / a['rerun_s']:.1f}; CPU client + server {cpu_a:.2f} s → {cpu_b:.2f} s, "
              f"×{cpu_b / cpu_a:.1f}); load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    return 0


if __name__ == "__main__":
    sys.exit(main())
