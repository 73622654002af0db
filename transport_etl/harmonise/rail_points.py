"""Persistent identity of rail points (issue 16): one canonical rail point per place of the SR70
register (``unified.canonical_rail_point``, namespace ``cz.rail.point``, id ``SR<5-digit code>``)
across register versions and the CZPTT timetables' locations.

Evidence, strongest first: the same 5-digit SR70 code (a register record of any version, a CZPTT
``LocationPrimaryCode`` with or without its check digit) → the point that code belonged to; a code
never seen before that appears where a point lost all its codes (within ``rename_max_distance_m``,
the same name after :func:`transport_etl.names.normalise_stop_name`, the one naming rule) → that
point, renumbered; else a new point. Members are kept per feed version, so every register version
keeps its mapping; evidence goes to lineage through the ledger. Set-based SQL around one small
Python step (names of the renumbering candidates).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg

from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import query_sql_file, run_sql_file
from transport_etl.lineage import ledger
from transport_etl.names import normalise_stop_name

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class RailPointConfig:
    namespace: str = "cz.rail.point"
    rename_max_distance_m: float = 100.0  # a renumbered point stays where it was


def renumbered(candidates: list[tuple]) -> list[tuple[str, int, str, float]]:
    """(new code, canonical id, old code, distance) for candidates with equal normalised names; a new
    code takes the nearest such point, each point one new code."""
    out, taken_code, taken_point = [], set(), set()
    for code, name, point, point_name, old_code, dist in sorted(candidates, key=lambda c: (c[5], c[0], c[2])):
        if code in taken_code or point in taken_point:
            continue
        if name and point_name and normalise_stop_name(name) == normalise_stop_name(point_name):
            out.append((code, point, old_code, dist))
            taken_code.add(code)
            taken_point.add(point)
    return out


def identify_rail_points(conn: psycopg.Connection, load_run_id: int | None,
                         cfg: RailPointConfig | None = None) -> dict:
    """Assign canonical rail-point identities to this run's SR70 and CZPTT records (caller's transaction)."""
    cfg = cfg or RailPointConfig()
    params = {"namespace": cfg.namespace, "rename_max_distance_m": cfg.rename_max_distance_m}
    run_sql_file(conn, HERE / "rail_points_members.sql", params)
    candidates = query_sql_file(conn, HERE / "rail_points_renumber.sql", params)
    conn.execute("CREATE TEMP TABLE _rp_renumbered (code5 text, canonical_id bigint, old_code text, "
                 "distance_m double precision) ON COMMIT DROP")
    copy_rows(conn, "_rp_renumbered", ["code5", "canonical_id", "old_code", "distance_m"], renumbered(candidates))
    run_sql_file(conn, HERE / "rail_points_apply.sql", params)
    ledger.record_rail_point_evidence(conn, load_run_id)
    row = conn.execute("""SELECT (SELECT count(*) FROM _rp_member), (SELECT count(DISTINCT canonical_id) FROM _rp_assign),
        (SELECT count(*) FROM _rp_assign WHERE match_method = 'renumbered'),
        (SELECT count(*) FROM unified.canonical_rail_point WHERE namespace = %s AND recorded_to IS NOT NULL)""",
                       (cfg.namespace,)).fetchone()
    return {"members": row[0], "points": row[1], "renumbered": row[2], "retired": row[3]}
