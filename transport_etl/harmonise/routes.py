"""Journey patterns on the road network: patterns of road-mode journeys (their route geometry, or a
path through their stops) matched onto road transport links (unified.service_pattern,
unified.service_on_link), the basis of gis.affected_services(event_id, date).

Published shapes follow the road, so buffer matching finds their links. Approximate patterns (a
straight line through the stops: JDF, stop-sequence paths) cut corners by hundreds of metres, so
they are routed instead: shortest path on the road graph between the nodes nearest consecutive stops.
"""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable
from pathlib import Path
from typing import Any

import psycopg

from transport_etl.db.connection import connect
from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import query_sql_file, run_sql_file

HERE = Path(__file__).resolve().parent

DEFAULTS: dict[str, float] = {
    "buffer_m": 25.0,          # published shapes follow the road closely
    "approx_buffer_m": 80.0,   # fallback buffer for approximate paths that could not be routed
    "min_link_coverage": 0.5,  # share of a link inside the buffer for it to count as used
    "min_covered_m": 20.0,     # ignore links merely crossed
    "snap_m": 1500.0,          # a stop farther than this from any road node is skipped
    "max_detour": 3.0,         # a leg whose network path is longer than this × straight line + 2 km is dropped
}
_SQL_PARAMS = ("buffer_m", "approx_buffer_m", "min_link_coverage", "min_covered_m")

Graph = dict[int, list[tuple[int, int, float, bool]]]  # node → (next node, link id, length, forward)


def build_graph(links: list[tuple[int, int, int, float]]) -> Graph:
    """Undirected road graph from (link id, start node, end node, length)."""
    graph: Graph = defaultdict(list)
    for link_id, a, b, length in links:
        graph[a].append((b, link_id, float(length), True))
        graph[b].append((a, link_id, float(length), False))
    return graph


def shortest_path(graph: Graph, source: int, target: int, limit: float) -> tuple[float, list[tuple[int, bool]]] | None:
    """Dijkstra: (length, [(link id, forward), ...]) from ``source`` to ``target``, None beyond ``limit``."""
    if source == target:
        return 0.0, []
    best = {source: 0.0}
    back: dict[int, tuple[int, int, bool]] = {}
    heap = [(0.0, source)]
    while heap:
        d, node = heapq.heappop(heap)
        if node == target:
            path = []
            while node != source:
                prev, link, fwd = back[node]
                path.append((link, fwd))
                node = prev
            return d, path[::-1]
        if d > best.get(node, float("inf")) or d > limit:
            continue
        for nxt, link, length, fwd in graph.get(node, ()):
            nd = d + length
            if nd < best.get(nxt, float("inf")):
                best[nxt] = nd
                back[nxt] = (node, link, fwd)
                heapq.heappush(heap, (nd, nxt))
    return None


def _dist(a: tuple[float, float], b: tuple[float, float]) -> float:
    return ((a[0] - b[0]) ** 2 + (a[1] - b[1]) ** 2) ** 0.5


def route_patterns(
    snapped: list[tuple[int, int, int, float]],
    coords: dict[tuple[int, int], tuple[float, float]],
    graph: Graph,
    settings: dict[str, float],
) -> list[tuple[int, int, int, bool, float]]:
    """(pattern id, seq, link id, forward, route coverage) for approximate patterns.

    ``snapped``: (pattern id, vertex no, nearest node, distance m) in vertex order;
    ``coords``: (pattern id, vertex no) → (x, y) of the stop.
    """
    by_pattern: dict[int, list[tuple[int, int, float]]] = defaultdict(list)
    for pid, vertex, node, dist in snapped:
        by_pattern[pid].append((vertex, node, dist))
    out: list[tuple[int, int, int, bool, float]] = []
    for pid, verts in by_pattern.items():
        stops = [(v, n) for v, n, d in verts if d <= settings["snap_m"]]
        links: list[tuple[int, bool]] = []
        # Coverage: share of the pattern (straight legs between all its stops) that was routed.
        total = sum(_dist(coords[(pid, a)], coords[(pid, b)]) for (a, _n, _d), (b, _m, _e)
                    in zip(verts, verts[1:], strict=False))
        routed = 0.0
        for (va, na), (vb, nb) in zip(stops, stops[1:], strict=False):
            straight = _dist(coords[(pid, va)], coords[(pid, vb)])
            found = shortest_path(graph, na, nb, settings["max_detour"] * straight + 2000.0)
            if found is None:
                continue
            routed += straight
            for link in found[1]:
                if not links or links[-1][0] != link[0]:
                    links.append(link)
        coverage = round(min(1.0, routed / total), 4) if total else 0.0
        out.extend((pid, i, link, fwd, coverage) for i, (link, fwd) in enumerate(links, start=1))
    return out


def match_routes_in(conn: psycopg.Connection, settings: dict[str, Any] | None = None,
                    log: Callable[[str], None] = print) -> dict:
    """Rebuild unified.service_pattern and unified.service_on_link in the caller's transaction."""
    params = {**DEFAULTS, **(settings or {})}
    unknown = set(params) - set(DEFAULTS)
    if unknown:
        raise ValueError(f"unknown route matching settings: {', '.join(sorted(unknown))}")
    run_sql_file(conn, HERE / "routes_patterns.sql")
    graph = build_graph(query_sql_file(conn, HERE / "routes_graph.sql"))
    snapped = query_sql_file(conn, HERE / "routes_snap.sql")
    coords = {(r[0], r[1]): (r[2], r[3]) for r in conn.execute(
        "SELECT p.id, d.path[1], ST_X(d.geom), ST_Y(d.geom) FROM unified.service_pattern p "
        "CROSS JOIN LATERAL ST_DumpPoints(p.geom) d WHERE p.derived_from <> 'shape'").fetchall()}
    routed = route_patterns(snapped, coords, graph, params) if graph else []
    conn.execute("CREATE TEMP TABLE _routed (pattern_id bigint, seq int, link_id bigint, forward boolean, "
                 "route_coverage double precision) ON COMMIT DROP")
    copy_rows(conn, "_routed", ["pattern_id", "seq", "link_id", "forward", "route_coverage"], routed)
    run_sql_file(conn, HERE / "routes_routed.sql")
    run_sql_file(conn, HERE / "routes_buffer.sql", {k: params[k] for k in _SQL_PARAMS})
    rows, patterns, coverage = conn.execute(
        "SELECT count(*), count(DISTINCT service_pattern_id), avg(route_coverage) FROM unified.service_on_link"
    ).fetchone()
    total = conn.execute("SELECT count(*) FROM unified.service_pattern").fetchone()[0]
    log(f"[unify] {patterns} of {total} journey patterns matched onto road links ({rows} pattern-link rows)")
    return {"service_on_link": rows, "patterns_matched": patterns, "patterns": total,
            "patterns_routed": len({r[0] for r in routed}),
            "mean_route_coverage": round(float(coverage), 3) if coverage is not None else None}


def match_routes(database_url: str | None = None, settings: dict[str, Any] | None = None,
                 log: Callable[[str], None] = print) -> dict:
    """Rebuild the patterns and their links in their own transaction."""
    with connect(database_url) as conn, conn.transaction():
        return match_routes_in(conn, settings, log)
