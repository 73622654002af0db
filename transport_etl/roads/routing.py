"""Vehicle tracks matched onto the road network's links with pgRouting: the end nodes of the links the
track runs along (in track order) are joined by pgr_dijkstraVia over the current road links around them.
Trips along the same nodes share one routing call."""

from __future__ import annotations

from typing import Any

import psycopg
from psycopg import sql

TOLERANCE_M = 30.0   # GPS error plus the offset of a lane from the centreline
MARGIN_M = 5000.0    # links considered around the via nodes' bounding box
SAMPLE_M = 250.0     # the track is resampled this often to find the links it runs along
MIN_SAMPLES = 2      # samples nearest to a link for it to count as driven (a crossing road gets one at most)


def match_trips(conn: psycopg.Connection, where: str, params: dict[str, Any], network_source: str | None = None,
                tolerance_m: float = TOLERANCE_M) -> int:
    """Match the trips of unified.fleet_trip ``t`` selected by ``where`` (SQL over alias t, bound with
    ``params``); sets matched_link_ids, matched_km and match_status. Returns the number matched."""
    net = {"src": network_source}
    has_network = conn.execute(
        """SELECT EXISTS (SELECT 1 FROM unified.transport_link WHERE network = 'road' AND recorded_to IS NULL
                          AND start_node_id IS NOT NULL AND (%(src)s::text IS NULL OR source_id = %(src)s))""",
        net).fetchone()[0]
    if not has_network:
        conn.execute(f"UPDATE unified.fleet_trip t SET match_status = 'no_network' WHERE {where}", params)
        return 0
    # Links the track runs along (nearest link of at least MIN_SAMPLES samples of the track): roads that
    # only cross the track, or touch it at a junction, are not taken. The path is pgRouting's shortest path
    # from the first to the last of their nodes (in track order) with those links made cheap, so it
    # follows the track and fills its gaps (links covered only partly, sparse records).
    trips = conn.execute(
        f"""WITH samples AS (
                -- the track resampled every SAMPLE_M (cost grows with length, not with the logging rate)
                SELECT t.id, (ST_DumpPoints(ST_LineInterpolatePoints(t.geom, least(1.0, %(step)s / ST_Length(t.geom)))
                              )).geom AS pt
                FROM unified.fleet_trip t WHERE {where} AND t.geom IS NOT NULL AND ST_Length(t.geom) > 0
            ), hits AS (
                -- each sample's nearest road link (KNN on the links' index), kept when within the tolerance
                SELECT s.id, n.link_id FROM samples s
                CROSS JOIN LATERAL (
                    SELECT l.id AS link_id, l.geom FROM unified.transport_link l
                    WHERE l.network = 'road' AND l.recorded_to IS NULL AND l.start_node_id IS NOT NULL
                      AND (%(src)s::text IS NULL OR l.source_id = %(src)s) AND l.geom && ST_Expand(s.pt, %(tol)s)
                    ORDER BY l.geom <-> s.pt LIMIT 1) n
                WHERE ST_DWithin(n.geom, s.pt, %(tol)s)
                GROUP BY s.id, n.link_id HAVING count(*) >= %(min_samples)s
            ), covered AS (
                SELECT h.id, t.geom, h.link_id, l.start_node_id, l.end_node_id, l.geom AS lgeom
                FROM hits h JOIN unified.fleet_trip t ON t.id = h.id JOIN unified.transport_link l ON l.id = h.link_id
            ), nodes AS (
                SELECT id, link_id, node, ST_LineLocatePoint(geom, pt) AS pos, pt
                FROM (SELECT id, geom, link_id, start_node_id AS node, ST_StartPoint(lgeom) AS pt FROM covered
                      UNION ALL SELECT id, geom, link_id, end_node_id, ST_EndPoint(lgeom) FROM covered) e
            )
            SELECT id, (array_agg(node ORDER BY pos, node))[1], (array_agg(node ORDER BY pos DESC, node))[1],
                   array_agg(DISTINCT link_id ORDER BY link_id), min(ST_X(pt)), min(ST_Y(pt)), max(ST_X(pt)),
                   max(ST_Y(pt))
            FROM nodes GROUP BY id""", {**params, **net, "tol": tolerance_m, "step": SAMPLE_M, "min_samples": MIN_SAMPLES}).fetchall()
    routes: dict[tuple, list[tuple[int, float]] | None] = {}
    updates = []
    for tid, first, last, links, x0, y0, x1, y1 in trips:
        key = (first, last, tuple(links))
        if key not in routes:
            box = (x0 - MARGIN_M, y0 - MARGIN_M, x1 + MARGIN_M, y1 + MARGIN_M)
            routes[key] = _route(conn, first, last, links, box, network_source) if first != last else None
        path = routes[key]
        if path:
            updates.append((tid, [e for e, _ in path], round(sum(c for _, c in path) / 1000, 3), "matched"))
        else:
            updates.append((tid, None, None, "unmatched"))
    with conn.cursor() as cur:
        cur.executemany("UPDATE unified.fleet_trip SET matched_link_ids = %s, matched_km = %s, match_status = %s "
                        "WHERE id = %s", [(ids, km, st, tid) for tid, ids, km, st in updates])
    conn.execute(f"UPDATE unified.fleet_trip t SET match_status = 'unmatched' WHERE {where} "
                 "AND t.match_status IN ('pending', 'no_network')", params)
    return sum(1 for u in updates if u[3] == "matched")


def _route(conn: psycopg.Connection, first: int, last: int, covered: list[int], box: tuple[float, float, float, float],
           network_source: str | None) -> list[tuple[int, float]] | None:
    """Links (id, length m) of the shortest path first → last where the covered links cost a tenth."""
    src = "" if network_source is None else " AND source_id = " + sql.Literal(network_source).as_string(conn)
    ids = sql.Literal(covered).as_string(conn)
    edges = (f"SELECT id, start_node_id AS source, end_node_id AS target, "
             f"CASE WHEN id = ANY({ids}::bigint[]) THEN length_m * 0.1 ELSE length_m END AS cost, "
             f"CASE WHEN id = ANY({ids}::bigint[]) THEN length_m * 0.1 ELSE length_m END AS reverse_cost "
             "FROM unified.transport_link WHERE network = 'road' AND recorded_to IS NULL "
             "AND start_node_id IS NOT NULL AND end_node_id IS NOT NULL"
             f"{src} AND geom && ST_MakeEnvelope({box[0]:.1f}, {box[1]:.1f}, {box[2]:.1f}, {box[3]:.1f}, 5514)")
    rows = conn.execute(
        "SELECT p.edge, l.length_m FROM pgr_dijkstra(%s, %s::bigint, %s::bigint, directed => false) p "
        "JOIN unified.transport_link l ON l.id = p.edge WHERE p.edge > 0 ORDER BY p.seq",
        (edges, first, last)).fetchall()
    return [(int(e), float(c)) for e, c in rows] or None
