"""The peer baseline: gtfs-via-postgres 4 (npm, cached in .transport_etl/bench/node) loading the same feed
into a scratch database. A ratio is only printed when the peer PROVES it loaded the same rows as we did:
its stops, routes, trips, stop_times, calendar and calendar_dates counts must equal our staged counts."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import tempfile
import threading
import time
import uuid
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

import psycopg
from psycopg.conninfo import conninfo_to_dict

from bench.scratch import median_ms, with_db

ROOT = Path(__file__).resolve().parents[1]
NODE_DIR = ROOT / ".transport_etl" / "bench" / "node"  # gitignored npm cache
GVP_VERSION = "gtfs-via-postgres@4"
TIMEOUT_S = 600
CHECKED = ("stops", "routes", "trips", "stop_times", "calendar", "calendar_dates")


@dataclass
class PeerRun:
    seconds: float | None = None
    reason: str | None = None          # why there is no comparable figure
    counts: dict[str, int] = field(default_factory=dict)
    departures_ms: float | None = None
    departures_rows: int | None = None

    @property
    def comparable(self) -> bool:
        return self.seconds is not None and self.reason is None


def _cli() -> Path | str:
    if not (shutil.which("node") and shutil.which("npm") and shutil.which("psql")):
        return "node, npm or psql not found"
    cli = NODE_DIR / "node_modules" / ".bin" / "gtfs-to-sql"
    if not cli.exists():
        NODE_DIR.mkdir(parents=True, exist_ok=True)
        r = subprocess.run(["npm", "install", "--no-audit", "--no-fund", "--prefix", str(NODE_DIR), GVP_VERSION],
                           capture_output=True, text=True, timeout=TIMEOUT_S)
        if r.returncode or not cli.exists():
            return f"npm install failed ({(r.stderr.strip().splitlines() or ['?'])[-1][:120]})"
    return cli


def clean_copy(feed: Path, out: Path) -> list[str]:
    """Extract the feed's .txt files, fixing only what makes gtfs-via-postgres abort on real feeds (blank
    lines in calendar_dates.txt, a single agency without agency_id). Returns the CLI flags it needs."""
    with zipfile.ZipFile(feed) as zf:
        for n in zf.namelist():
            if n.endswith(".txt") and "__MACOSX" not in n and not Path(n).name.startswith("._"):
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


def _pump(src, dst) -> None:
    """Copy gtfs-to-sql's SQL to psql, dropping the lone ";" lines it writes after statements (empty
    statements). psql 15 mishandles them after a COPY block's "\\." line, with or without blank lines in
    between, and then loses the rest of the script, final COMMIT included. A ";" that ends an open
    statement (previous non-blank line not ending in ";") is kept."""
    last = b";"
    try:
        for line in src:
            s = line.strip()
            if s == b";" and (last.endswith(b";") or last == b"\\."):
                continue
            if s:
                last = s
            dst.write(line)
    finally:
        dst.close()


def run(admin_url: str, feed: Path, expect: dict[str, int], departures: tuple[str, str] | None) -> PeerRun:
    """Time gtfs-to-sql | psql on a cleaned copy of ``feed``; check its row counts against ``expect``
    (our staged counts per GTFS table); time departures of (stop_id, ISO date) in its arrivals_departures."""
    cli = _cli()
    if isinstance(cli, str):
        return PeerRun(reason=f"not run: {cli}")
    name = f"bench_gvp_{uuid.uuid4().hex[:8]}"
    p = conninfo_to_dict(admin_url)
    env = {**os.environ, "PGHOST": p.get("host", "127.0.0.1"), "PGPORT": str(p.get("port", 5432)),
           "PGUSER": p.get("user", "postgres"), "PGDATABASE": name}
    with psycopg.connect(admin_url, autocommit=True) as c:
        c.execute(f'CREATE DATABASE "{name}"')
    out = PeerRun()
    try:
        with tempfile.TemporaryDirectory(prefix="gvp_") as tmp:
            flags = clean_copy(feed, Path(tmp))
            files = sorted(f.name for f in Path(tmp).glob("*.txt"))
            t = time.perf_counter()
            gen = subprocess.Popen([str(cli), "--silent", "--require-dependencies", *flags, "--", *files], cwd=tmp,
                                   stdout=subprocess.PIPE, stderr=subprocess.PIPE)
            psql = subprocess.Popen(["psql", "-q", "-b", "-v", "ON_ERROR_STOP=1"], env=env, stdin=subprocess.PIPE,
                                    stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            pump = threading.Thread(target=_pump, args=(gen.stdout, psql.stdin))
            pump.start()
            try:
                gen_err = gen.stderr.read().decode("utf-8", "replace")
                gen_rc = gen.wait(timeout=TIMEOUT_S)
                pump.join()
                psql_err = psql.stderr.read().decode("utf-8", "replace")
                psql_rc = psql.wait(timeout=TIMEOUT_S)
            except subprocess.TimeoutExpired:
                gen.kill()
                psql.kill()
                return PeerRun(reason=f"not run: over {TIMEOUT_S} s")
            out.seconds = time.perf_counter() - t
        if gen_rc or psql_rc:
            err = [ln for ln in (gen_err + psql_err).splitlines() if "rror" in ln] or (gen_err + psql_err).splitlines()
            out.reason = f"failed ({(err or ['?'])[0].strip()[:140]})"
            return out
        with psycopg.connect(with_db(admin_url, name), autocommit=True) as c:
            for table in CHECKED:
                if table not in expect:
                    continue
                row = c.execute("SELECT to_regclass(%s) IS NOT NULL", (f"public.{table}",)).fetchone()[0]
                out.counts[table] = (c.execute(f'SELECT count(*) FROM public."{table}"').fetchone()[0]  # noqa: S608
                                     if row else -1)
            wrong = {t: (out.counts.get(t), n) for t, n in expect.items() if t in CHECKED and out.counts.get(t) != n}
            if wrong:
                out.reason = "loaded different rows (peer, ours): " + ", ".join(f"{t} {a}≠{b}"
                                                                             for t, (a, b) in wrong.items())
                return out
            if departures:
                stop_id, day = departures
                q = 'SELECT * FROM public.arrivals_departures WHERE stop_id = %s AND "date" = %s'
                out.departures_rows = len(c.execute(q, (stop_id, day)).fetchall())
                out.departures_ms = median_ms(lambda: c.execute(q, (stop_id, day)).fetchall(), warm=False)
        return out
    finally:
        with psycopg.connect(admin_url, autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


