"""What a new feed version changed against an earlier one of the same source, from the unified
rows of both (identity = namespace + local_id, so it works for every format): stops added, removed,
moved (with distance) and renamed; lines and journeys added and removed; service days gained and
lost, as date ranges; network links added, removed and changed. Read by `transport-etl diff`, the
Dagster materialisation metadata, and later the open-data release notes."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg

from transport_etl.errors import ConfigError

MOVED_M = 1.0  # a stop whose position changed by less than this has not moved (rounding of coordinates)

# The rows of a version: those of its source current when it was published (a source published
# incrementally keeps unchanged rows across versions, first recorded by an earlier one; schemas/840).
_OF_V = """{a}.source_id = (SELECT source_id FROM lineage.feed_version WHERE id = %(v)s)
           AND {a}.recorded_from <= (SELECT lineage.feed_version_instant(%(v)s))
           AND ({a}.recorded_to IS NULL OR {a}.recorded_to > (SELECT lineage.feed_version_instant(%(v)s)))"""


def _of(v_param: str, alias: str) -> str:
    return _OF_V.format(a=alias).replace("%(v)s", f"%({v_param})s")


# One row per stop: stop places and stop points by local id (a GTFS stop may be both; same name, position).
_STOPS = f"""SELECT DISTINCT ON (local_id) local_id, name, geom FROM (
                SELECT local_id, name, geom, 0 AS pref FROM unified.stop_place t WHERE {_of('v', 't')}
                UNION ALL
                SELECT local_id, name, geom, 1 FROM unified.stop_point t WHERE {_of('v', 't')}) s
            ORDER BY local_id, pref"""


def versions_to_compare(conn: psycopg.Connection, source_id: str, v1: int | None = None,
                        v2: int | None = None) -> tuple[int, int]:
    """(from, to): both given; V1 against the current version; or the last two published versions."""
    if v1 is not None and v2 is not None:
        chosen = [v1, v2]
    elif v1 is not None:
        cur = conn.execute("SELECT id FROM lineage.feed_version WHERE source_id = %s AND is_current",
                           (source_id,)).fetchone()
        chosen = [v1, cur[0]] if cur else []
    else:
        chosen = [r[0] for r in conn.execute(
            """SELECT id FROM lineage.feed_version WHERE source_id = %s AND status IN ('loaded', 'superseded')
                ORDER BY id DESC LIMIT 2""", (source_id,))][::-1]
    if len(chosen) < 2:
        raise ConfigError(f"source {source_id}: fewer than two published versions to compare")
    for v in chosen:
        row = conn.execute("SELECT status, table_counts ? 'pruned' FROM lineage.feed_version "
                           "WHERE id = %s AND source_id = %s", (v, source_id)).fetchone()
        if row is None:
            raise ConfigError(f"source {source_id} has no feed version {v}")
        if row[0] not in ("loaded", "superseded") or row[1]:
            raise ConfigError(f"feed version {v} of {source_id} has no rows to compare "
                              f"({'pruned' if row[1] else row[0]}; see the source's retain_versions option)")
    return chosen[0], chosen[1]


def _keys(conn: psycopg.Connection, table: str, v: int) -> set[str]:
    return {r[0] for r in conn.execute(f"SELECT local_id FROM unified.{table} t WHERE {_of('v', 't')}", {"v": v})}


def _added_removed(a: set[str], b: set[str]) -> dict[str, int]:
    return {"before": len(a), "after": len(b), "added": len(b - a), "removed": len(a - b)}


def _stops(conn: psycopg.Connection, v1: int, v2: int) -> dict[str, Any]:
    rows = conn.execute(
        f"""WITH a AS ({_STOPS.replace('%(v)s', '%(v1)s')}), b AS ({_STOPS.replace('%(v)s', '%(v2)s')})
            SELECT a.local_id, a.name, b.name,
                   ST_Distance(ST_Transform(a.geom, 4326)::geography, ST_Transform(b.geom, 4326)::geography)
              FROM a JOIN b USING (local_id)""",
        {"v1": v1, "v2": v2},
    ).fetchall()
    a = {r[0] for r in conn.execute(_STOPS, {"v": v1})}
    b = {r[0] for r in conn.execute(_STOPS, {"v": v2})}
    moved = sorted(((r[0], round(r[3], 1)) for r in rows if r[3] is not None and r[3] >= MOVED_M),
                   key=lambda m: -m[1])
    renamed = sorted((r[0], r[1], r[2]) for r in rows if r[1] != r[2])
    return {**_added_removed(a, b), "moved": len(moved), "renamed": len(renamed),
            "moved_max_m": moved[0][1] if moved else 0.0, "moved_examples": moved[:10],
            "renamed_examples": renamed[:10]}


def _date_ranges(dates: list[dt.date]) -> list[tuple[str, str, int]]:
    """Consecutive dates grouped: (first, last, number of dates)."""
    out: list[list] = []
    for d in sorted(dates):
        if out and (d - out[-1][1]).days == 1:
            out[-1][1] = d
            out[-1][2] += 1
        else:
            out.append([d, d, 1])
    return [(f.isoformat(), t.isoformat(), n) for f, t, n in out]


def _service_days(conn: psycopg.Connection, v1: int, v2: int) -> dict[str, Any]:
    """(calendar, date) pairs gained and lost, and the dates they fall on as ranges."""
    # unified.service_date: per-date rows computed from the compact calendars (every format)
    q = f"""SELECT sc.local_id, sd.service_date FROM unified.service_date sd
              JOIN unified.service_calendar sc ON sc.id = sd.service_calendar_id WHERE {_of('v', 'sc')}"""
    a = set(conn.execute(q, {"v": v1}).fetchall())
    b = set(conn.execute(q, {"v": v2}).fetchall())
    gained, lost = b - a, a - b
    return {"before": len(a), "after": len(b), "gained": len(gained), "lost": len(lost),
            "gained_dates": _date_ranges(sorted({d for _c, d in gained})),
            "lost_dates": _date_ranges(sorted({d for _c, d in lost}))}


def _links(conn: psycopg.Connection, v1: int, v2: int) -> dict[str, int]:
    out = _added_removed(_keys(conn, "transport_link", v1), _keys(conn, "transport_link", v2))
    out["changed"] = conn.execute(
        f"""SELECT count(*) FROM unified.transport_link a JOIN unified.transport_link b USING (namespace, local_id)
            WHERE {_of('v1', 'a')} AND {_of('v2', 'b')} AND a.id <> b.id
              AND (NOT ST_Equals(a.geom, b.geom) OR a.name IS DISTINCT FROM b.name)""",
        {"v1": v1, "v2": v2}).fetchone()[0]
    return out


def diff_versions(conn: psycopg.Connection, source_id: str, v1: int | None = None,
                  v2: int | None = None) -> dict[str, Any]:
    old, new = versions_to_compare(conn, source_id, v1, v2)
    return {
        "source_id": source_id, "from_version": old, "to_version": new,
        "stops": _stops(conn, old, new),
        "lines": _added_removed(_keys(conn, "line", old), _keys(conn, "line", new)),
        "journeys": _added_removed(_keys(conn, "journey", old), _keys(conn, "journey", new)),
        "service_days": _service_days(conn, old, new),
        "links": _links(conn, old, new),
    }


def summary_rows(d: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(what, change, count) rows: the table printed by the CLI and shown in Dagster."""
    s, sd = d["stops"], d["service_days"]
    rows = [("stops", "added", s["added"]), ("stops", "removed", s["removed"]),
            ("stops", f"moved (max {s['moved_max_m']:,.0f} m)", s["moved"]), ("stops", "renamed", s["renamed"]),
            ("lines", "added", d["lines"]["added"]), ("lines", "removed", d["lines"]["removed"]),
            ("journeys", "added", d["journeys"]["added"]), ("journeys", "removed", d["journeys"]["removed"]),
            ("service days", "gained", sd["gained"]), ("service days", "lost", sd["lost"]),
            ("links", "added", d["links"]["added"]), ("links", "removed", d["links"]["removed"]),
            ("links", "changed", d["links"]["changed"])]
    return [(w, c, f"{n:,}") for w, c, n in rows]


def _ranges_text(ranges: list[tuple[str, str, int]], limit: int = 6) -> str:
    parts = [f"{f}" if f == t else f"{f}..{t}" for f, t, _n in ranges[:limit]]
    return ", ".join(parts) + (f" (+{len(ranges) - limit} more)" if len(ranges) > limit else "")


def as_markdown(d: dict[str, Any]) -> str:
    lines = [f"Changes from feed version {d['from_version']} to {d['to_version']}", "",
             "| what | change | count |", "|---|---|---:|"]
    lines += [f"| {w} | {c} | {n} |" for w, c, n in summary_rows(d)]
    sd = d["service_days"]
    if sd["gained_dates"]:
        lines.append(f"\nService gained on: {_ranges_text(sd['gained_dates'])}")
    if sd["lost_dates"]:
        lines.append(f"\nService lost on: {_ranges_text(sd['lost_dates'])}")
    for sid, m in d["stops"]["moved_examples"][:5]:
        lines.append(f"\nMoved: stop {sid} by {m:,.1f} m")
    return "\n".join(lines)
