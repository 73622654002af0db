"""Feed-level validation in SQL (foreign keys, sequences, geography, calendars), after staging.

Per-record checks (types, row length, required fields, duplicate keys) happen while streaming
(stage.py). The SQL checks here write lineage.notice rows, and quarantine the records the
unified model cannot take (stop_times of unknown trips or stops) into lineage.rejected_record;
their counts are then folded into the load context so the runner's threshold sees them.
"""

from __future__ import annotations

import json
import os
import time
from pathlib import Path

import psycopg

from transport_etl.db.sqlfile import query_sql_file
from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent
ORDERED_PASS = (HERE / "ordered_pass.sql").read_text(encoding="utf-8")
# km/h above which travel between consecutive stops is implausible, by GTFS route_type family
# (MobilityData's fast_travel_between_consecutive_stops uses similar per-mode limits).
MAX_SPEED_KMH = {"tram": 100, "metro": 150, "rail": 500, "bus": 150, "ferry": 80, "cableway": 50,
                 "trolleybus": 150, "funicular": 50, "monorail": 150, "air": 1000}
STOP_TOO_FAR_FROM_SHAPE_M = 100


def validate(ctx: LoadContext, shapes_from: int | None = None) -> None:
    """Run validate.sql for this version and account for what it wrote. ``shapes_from``: the version whose
    shapes.txt (the same file, not staged again: delta.carry_shapes) this one takes."""
    t0 = time.monotonic()
    ctx.flush()
    conn = ctx.conn
    fv = ctx.feed_version_id
    last_notice = conn.execute("SELECT coalesce(max(id), 0) FROM lineage.notice").fetchone()[0]
    last_reject = conn.execute("SELECT coalesce(max(id), 0) FROM lineage.rejected_record").fetchone()[0]
    # Hash joins, the ordered pass's sort and the call set stay in memory. (JIT is off for every connection:
    # db/connection.py.)
    conn.execute("SET LOCAL work_mem = '256MB'")
    ordered_pass(ctx, "CREATE TEMP TABLE gtfs_st ON COMMIT DROP AS")
    trip_facts(ctx)
    ctx.run_sql_file(HERE / "validate.sql", {"stop_too_far_m": STOP_TOO_FAR_FROM_SHAPE_M,
                                              "speeds": json.dumps(MAX_SPEED_KMH),
                                              "carried_from": ctx.carried_from, "shapes_from": shapes_from})
    for code, severity, n in conn.execute(
        "SELECT code, severity, count(*) FROM lineage.notice WHERE feed_version_id = %s AND id > %s GROUP BY 1, 2",
        (fv, last_notice),
    ).fetchall():
        ctx.notice_counts[(code, severity)] += n
    for file_name, n in conn.execute(
        "SELECT file_name, count(*) FROM lineage.rejected_record WHERE feed_version_id = %s AND id > %s GROUP BY 1",
        (fv, last_reject),
    ).fetchall():
        stats = ctx.file(file_name)
        stats.rows_rejected += n
        stats.rows_loaded -= n
        ctx.rejected_total += n
        ctx.tables[f"staging.gtfs_{file_name.removesuffix('.txt')}"] -= n
    ctx.log(f"  validated in {time.monotonic() - t0:.1f} s")


def trip_facts(ctx: LoadContext) -> None:
    """Per-trip facts and patterns of the ordered pass (facts.sql), after quarantining the stop times the model
    cannot take: when some refer to unknown trips or stops, those leave gtfs_st (bad_references.sql) and the
    facts are made again without them."""
    if query_sql_file(ctx.conn, HERE / "facts.sql", ctx.params)[0][0]:
        ctx.run_sql_file(HERE / "bad_references.sql")
        query_sql_file(ctx.conn, HERE / "facts.sql", ctx.params)


def ordered_pass(ctx: LoadContext, into: str, only_trips: list[str] | None = None) -> None:
    """``into`` (CREATE ... AS / INSERT INTO gtfs_st) the ordered pass over this version's staged stop times
    (ordered_pass.sql), or over just ``only_trips``."""
    t = time.monotonic()
    with psycopg.ClientCursor(ctx.conn) as cur:
        cur.execute(f"{into}\n{ORDERED_PASS}", {**ctx.params, "only_trips": only_trips})
    if os.environ.get("TRANSPORT_ETL_SQL_PROFILE"):
        ctx.log(f"    {time.monotonic() - t:6.2f} s  ordered_pass.sql: {into}")
