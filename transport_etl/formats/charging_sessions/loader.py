"""Format ``charging-sessions``: sessions under options.columns (id, vehicle, charger, start, end,
energy, lat, lon, x, y; options.units.energy kWh|Wh) → staging.fleet_charging_session_record →
unified.fleet_charging_session, matched to charging points (match.sql: same charger id, else the
nearest point within 150 m of the session's position)."""

from __future__ import annotations

from pathlib import Path

import psycopg
from psycopg import sql

from transport_etl.db.sqlfile import run_sql_file
from transport_etl.ingest.context import LoadContext
from transport_etl.mapped_records import KeyedFile, number, parse_time

HERE = Path(__file__).parent
FIELDS = ("id", "vehicle", "charger", "start", "end", "energy", "lat", "lon", "x", "y")
COLS = ["feed_version_id", "source_file", "line_no", "session_id", "vehicle_id", "charger_id", "started_at",
        "ended_at", "energy_kwh", "x", "y", "location_note"]
MAX_SESSION_KWH = 500.0


def load(ctx: LoadContext) -> None:
    f = KeyedFile(ctx, FIELDS, "charging session")
    tz = f.map.timezone

    def records():
        for line_no, get, raw in f.rows():
            if not f.require(get, line_no, raw, "vehicle", "start"):
                continue
            vid = get("vehicle")
            notes: list[str] = []
            try:
                started = parse_time(get("start"), tz, notes)
                ended = parse_time(get("end"), tz, notes) if get("end") else None
                kwh = f.map.scale("energy", number(get("energy")))
                x, y, note = f.position(get)
            except (ValueError, TypeError, OverflowError) as exc:
                f.reject(line_no, "invalid_value", f"vehicle {vid}: {exc}", raw)
                continue
            if ended is not None and ended < started:
                f.reject(line_no, "invalid_time", f"vehicle {vid}: session ends before it starts", raw)
                continue
            if kwh is not None and not 0 <= kwh <= MAX_SESSION_KWH:
                f.reject(line_no, "invalid_value", f"vehicle {vid}: {kwh:g} kWh outside 0..{MAX_SESSION_KWH:g}", raw)
                continue
            sid = get("id") or f"{vid}/{started.isoformat()}"
            if f.duplicate(sid, line_no, raw):
                continue
            f.position_notice(line_no, sid, x, note)
            for n in notes:   # a time in the autumn fold: read as the first, said so
                ctx.notice("ambiguous_local_time", "WARNING", n, file_name=f.name, line_no=line_no, entity_key=sid)
            f.accept(sid)
            yield (ctx.feed_version_id, f.name, line_no, sid, vid, get("charger"), started, ended, kwh, x, y, note)

    f.stage("staging.fleet_charging_session_record", COLS, records())


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish.sql")
    match_sessions(ctx.conn, ctx.source.id)
    # This version's sessions only: until the runner closes them, the previous version's rows are current too
    # (counting all current matches said "-279 of 279 sessions" on every reload).
    n, matched = ctx.conn.execute(
        sql.SQL("SELECT count(*), count(u.charging_point_id) FROM unified.fleet_charging_session u WHERE {}").format(
            ctx.version_rows("fleet_charging_session")), {"fv": ctx.feed_version_id, "src": ctx.source.id}).fetchone()
    if n - matched:
        ctx.notice("unmatched_charging_point", "INFO", f"{n - matched} of {n} sessions match no charging point (yet)")


def match_sessions(conn: psycopg.Connection, source_id: str | None = None) -> int:
    """Match the current sessions (of one source, or all) to current charging points; returns how many match."""
    run_sql_file(conn, HERE / "match.sql", {"source_id": source_id})
    return conn.execute("SELECT count(*) FROM unified.fleet_charging_session WHERE recorded_to IS NULL "
                        "AND charging_point_id IS NOT NULL AND (%(s)s::text IS NULL OR source_id = %(s)s)",
                        {"s": source_id}).fetchone()[0]
