"""The fleet analysis the transport department reads: refreshes the snapshots (vehicle × month, trips
public transport could have served) and computes the figures a fleet strategy needs, all in SQL over
the unified model."""

from __future__ import annotations

import datetime as dt
import math
from pathlib import Path
from typing import Any

import holidays
import psycopg

from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import run_sql_file
from transport_etl.formats.charging_sessions.loader import match_sessions
from transport_etl.roads.routing import match_trips

HERE = Path(__file__).parent
WINDOW_MIN = 30.0        # a journey within ±30 min of the trip's start
RADIUS_M = 500.0         # from a stop within 500 m of the origin to one within 500 m of the destination
IDLE_UTILISATION = 0.2   # used on fewer than 1 in 5 working days
DEPOT_CHARGE_HOURS = 12  # overnight window for depot charging
WALLBOX_KW = 11.0


def working_days(first: dt.date, last: dt.date) -> list[dt.date]:
    cz = holidays.country_holidays("CZ", years=range(first.year, last.year + 1))
    days, d = [], first
    while d <= last:
        if d.weekday() < 5 and d not in cz:
            days.append(d)
        d += dt.timedelta(days=1)
    return days


def refresh(conn: psycopg.Connection, log=print) -> dict[str, Any]:
    """Re-match what depends on load order (sessions → points, trips loaded before the network), then
    rebuild the snapshots, all in one transaction (a savepoint inside the caller's); returns the figures."""
    with conn.transaction():
        return _refresh(conn, log)


def _refresh(conn: psycopg.Connection, log) -> dict[str, Any]:
    sessions = match_sessions(conn)
    rematched = match_trips(conn, "t.recorded_to IS NULL AND t.match_status IN ('no_network', 'pending')", {})
    span = conn.execute("SELECT min(started_at AT TIME ZONE 'Europe/Prague')::date, "
                        "max(started_at AT TIME ZONE 'Europe/Prague')::date FROM unified.fleet_trip "
                        "WHERE recorded_to IS NULL").fetchone()
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS tmp_fleet_workday (day date PRIMARY KEY) ON COMMIT DROP")
    conn.execute("TRUNCATE tmp_fleet_workday")
    if span[0] is not None:
        first = span[0].replace(day=1)
        last = (span[1].replace(day=28) + dt.timedelta(days=4)).replace(day=1) - dt.timedelta(days=1)
        copy_rows(conn, "tmp_fleet_workday", ["day"], ((d,) for d in working_days(first, last)))
    run_sql_file(conn, HERE / "analysis.sql", {"window_min": WINDOW_MIN, "radius_m": RADIUS_M}, log=log)
    result = figures(conn)
    result["sessions_matched"], result["trips_rematched"] = sessions, rematched
    return result


def _one(conn: psycopg.Connection, query: str, params: dict | None = None) -> Any:
    return conn.execute(query, params or {}).fetchone()


def figures(conn: psycopg.Connection) -> dict[str, Any]:
    """The numbers of the strategy, from the current trips, sessions and snapshots."""
    fleet = _one(conn, "SELECT count(*) FROM unified.fleet_vehicle WHERE recorded_to IS NULL")[0]
    trips, km, kwh, kwh_km = _one(conn, """
        SELECT count(*), coalesce(sum(distance_km), 0), sum(energy_kwh),
               sum(distance_km) FILTER (WHERE energy_kwh IS NOT NULL)
        FROM unified.fleet_trip WHERE recorded_to IS NULL""")
    # Cars in use at once: a car is away from its first departure to its last arrival of the day.
    peak = _one(conn, """
        WITH days AS (
            SELECT vehicle_id, min(started_at) AS f, max(ended_at) AS t FROM unified.fleet_trip
            WHERE recorded_to IS NULL GROUP BY vehicle_id, (started_at AT TIME ZONE 'Europe/Prague')::date
        ), ev AS (
            SELECT f AS at, 1 AS d FROM days UNION ALL SELECT t, -1 FROM days
        ), run AS (
            SELECT at, sum(d) OVER (ORDER BY at, d) AS n FROM ev
        ), daily AS (
            SELECT (at AT TIME ZONE 'Europe/Prague')::date AS day, max(n) AS n FROM run GROUP BY 1
        )
        SELECT coalesce(max(n), 0), percentile_disc(0.95) WITHIN GROUP (ORDER BY n),
               (SELECT at FROM run ORDER BY n DESC, at LIMIT 1) FROM daily""")
    util = conn.execute("""
        SELECT vehicle_id, sum(trips)::int, round(sum(km)::numeric, 1), sum(days_used)::int, sum(working_days)::int,
               round(sum(days_used)::numeric / nullif(sum(working_days), 0), 3)
        FROM unified.fleet_vehicle_month GROUP BY vehicle_id ORDER BY 6, 1""").fetchall()
    sub = _one(conn, """
        SELECT count(*) FILTER (WHERE servable), count(*), count(*) FILTER (WHERE served_places),
               round(avg(time_ratio) FILTER (WHERE servable)::numeric, 2)
        FROM unified.fleet_trip_substitution""")
    pt_share = dict(conn.execute("""
        SELECT vehicle_id, round(avg(servable::int)::numeric, 3) FROM unified.fleet_trip_substitution
        GROUP BY vehicle_id""").fetchall())
    depot = _one(conn, """
        WITH s AS (
            SELECT s.started_at, coalesce(s.ended_at, s.started_at) AS ended_at, s.energy_kwh
            FROM unified.fleet_charging_session s JOIN unified.fleet_charging_point p ON p.id = s.charging_point_id
            WHERE s.recorded_to IS NULL AND p.access = 'private'
        ), ev AS (SELECT started_at AS at, 1 AS d FROM s UNION ALL SELECT ended_at, -1 FROM s),
        run AS (SELECT sum(d) OVER (ORDER BY at, d) AS n FROM ev)
        SELECT coalesce((SELECT max(n) FROM run), 0),
               coalesce((SELECT max(k) FROM (SELECT sum(energy_kwh) AS k FROM s
                                             GROUP BY (started_at AT TIME ZONE 'Europe/Prague')::date) d), 0),
               coalesce((SELECT sum(energy_kwh) FROM s), 0)""")
    public_kwh = _one(conn, """
        SELECT coalesce(sum(s.energy_kwh), 0) FROM unified.fleet_charging_session s
        LEFT JOIN unified.fleet_charging_point p ON p.id = s.charging_point_id
        WHERE s.recorded_to IS NULL AND p.access IS DISTINCT FROM 'private'""")[0]
    seasons = dict(conn.execute("""
        SELECT season, round((sum(energy_kwh) / nullif(sum(distance_km), 0) * 100)::numeric, 2)
        FROM unified.fleet_trip WHERE recorded_to IS NULL AND energy_kwh IS NOT NULL GROUP BY season""").fetchall())
    peak_n, p95 = int(peak[0]), int(peak[1] or 0)
    recommended = p95 + 1 if trips else 0  # the 95th-percentile day plus one car in reserve
    by_util = [r[0] for r in util]
    idle = [r[0] for r in util if (r[5] or 0) < IDLE_UTILISATION]
    wallboxes = max(int(depot[0]), math.ceil(float(depot[1]) / (WALLBOX_KW * DEPOT_CHARGE_HOURS)))
    return {
        "fleet_size": fleet, "trips": trips, "km": round(float(km), 1),
        "energy_kwh": round(float(kwh or 0), 1),
        "kwh_per_100km": round(float(kwh) / float(kwh_km) * 100, 2) if kwh and kwh_km else None,
        "kwh_per_100km_by_season": {k: float(v) for k, v in seasons.items() if v is not None},
        "peak_simultaneous_use": peak_n, "peak_at": peak[2].isoformat() if peak[2] else None,
        "p95_daily_peak": p95, "recommended_fleet": recommended,
        "replaceable_by_pool": by_util[: max(0, fleet - recommended)] if fleet else [],
        "idle_vehicles": idle,
        "utilisation": {r[0]: {"trips": r[1], "km": float(r[2]), "days_used": r[3], "working_days": r[4],
                               "utilisation": float(r[5] or 0), "pt_servable_share": float(pt_share.get(r[0], 0))}
                        for r in util},
        "pt_servable_trips": sub[0], "pt_trips_checked": sub[1], "pt_served_places_trips": sub[2],
        "pt_time_ratio": float(sub[3]) if sub[3] is not None else None,
        "pt_replaceable_vehicles": sorted(v for v, s in pt_share.items() if s >= 0.5),
        "depot_peak_sessions": int(depot[0]), "depot_max_daily_kwh": round(float(depot[1]), 1),
        "depot_kwh": round(float(depot[2]), 1), "public_kwh": round(float(public_kwh), 1),
        "depot_wallboxes_needed": wallboxes, "depot_power_kw_needed": round(wallboxes * WALLBOX_KW, 1),
    }
