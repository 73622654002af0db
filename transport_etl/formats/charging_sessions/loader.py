"""Format ``charging-sessions``: sessions under options.columns (id, vehicle, charger, start, end,
energy, lat, lon, x, y; options.units.energy kWh|Wh) → staging.fleet_charging_session_record →
unified.fleet_charging_session, matched to charging points (match.sql: same charger id, else the
nearest point within 150 m of the session's position)."""

from __future__ import annotations

import hashlib
from pathlib import Path

import psycopg

from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import run_sql_file
from transport_etl.errors import InputRejected
from transport_etl.ingest.context import LoadContext
from transport_etl.mapped_records import ColumnMap, Placer, coordinate, getter, number, open_rows, parse_time

HERE = Path(__file__).parent
FIELDS = ("id", "vehicle", "charger", "start", "end", "energy", "lat", "lon", "x", "y")
COLS = ["feed_version_id", "source_file", "line_no", "session_id", "vehicle_id", "charger_id", "started_at",
        "ended_at", "energy_kwh", "x", "y", "location_note"]
MAX_SESSION_KWH = 500.0


def load(ctx: LoadContext) -> None:
    path = Path(ctx.path)
    if path.is_dir():
        raise InputRejected(f"{path.name}: charging-sessions reads one file, not a folder", code="missing_input")
    m = ColumnMap.from_options(ctx.options, FIELDS)
    placer = Placer(ctx.options, ctx.source.crs)
    name = path.name
    stats = ctx.file(name)
    stats.sha256, stats.size_bytes = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_size
    _kind, rows = open_rows(path, ctx.source.encoding, ctx.options.get("delimiter"))
    c, seen = m.columns, set()

    def records():
        for line_no, row, raw in rows:
            stats.rows_in += 1
            get = getter(row, c)
            vid, start = get("vehicle"), get("start")
            if vid is None or start is None:
                ctx.reject(name, line_no, "missing_required_field",
                           f"no {'vehicle' if vid is None else 'start time'} (columns {c['vehicle']!r}, {c['start']!r})",
                           raw)
                continue
            try:
                started = parse_time(start, m.timezone)
                ended = parse_time(get("end"), m.timezone) if get("end") else None
                kwh = m.scale("energy", number(get("energy")))
                lat, lon = coordinate(get("lat")), coordinate(get("lon"))
                x, y, note = placer.lat_lon(lat, lon) if (lat, lon) != (None, None) else placer.x_y(
                    coordinate(get("x")), coordinate(get("y")))
            except (ValueError, TypeError, OverflowError) as exc:
                ctx.reject(name, line_no, "invalid_value", f"vehicle {vid}: {exc}", raw)
                continue
            if ended is not None and ended < started:
                ctx.reject(name, line_no, "invalid_time", f"vehicle {vid}: session ends before it starts", raw)
                continue
            if kwh is not None and not 0 <= kwh <= MAX_SESSION_KWH:
                ctx.reject(name, line_no, "invalid_value", f"vehicle {vid}: {kwh:g} kWh outside 0..{MAX_SESSION_KWH:g}",
                           raw)
                continue
            sid = get("id") or f"{vid}/{started.isoformat()}"
            if sid in seen:
                ctx.reject(name, line_no, "duplicate_key", f"session {sid} is listed twice", raw)
                continue
            if note and note != "missing_coordinates":
                ctx.notice(note, "WARNING", f"session {sid}: position not placed ({note})", file_name=name,
                           line_no=line_no, entity_key=sid)
            seen.add(sid)
            stats.rows_loaded += 1
            yield (ctx.feed_version_id, name, line_no, sid, vid, get("charger"), started, ended, kwh, x, y, note)

    ctx.count("staging.fleet_charging_session_record",
              copy_rows(ctx.conn, "staging.fleet_charging_session_record", COLS, records()))
    if not seen:
        raise InputRejected("no usable charging session in the input", code="empty_feed")


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish.sql")
    matched = match_sessions(ctx.conn, ctx.source.id)
    n = ctx.conn.execute("SELECT count(*) FROM unified.fleet_charging_session WHERE feed_version_id = %s",
                         (ctx.feed_version_id,)).fetchone()[0]
    if n - matched:
        ctx.notice("unmatched_charging_point", "INFO", f"{n - matched} of {n} sessions match no charging point (yet)")


def match_sessions(conn: psycopg.Connection, source_id: str | None = None) -> int:
    """Match the current sessions (of one source, or all) to current charging points; returns how many match."""
    run_sql_file(conn, HERE / "match.sql", {"source_id": source_id})
    return conn.execute("SELECT count(*) FROM unified.fleet_charging_session WHERE recorded_to IS NULL "
                        "AND charging_point_id IS NOT NULL AND (%(s)s::text IS NULL OR source_id = %(s)s)",
                        {"s": source_id}).fetchone()[0]
