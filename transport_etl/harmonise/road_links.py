"""Persistent identity of road links across road-network versions (issue 16).

The publisher's section ids are not an identity a user can hold on to: a new network version may
renumber sections, nudge a centreline by a few metres, split a section at a new junction or merge
two. A canonical road link (``unified.canonical_road_link``, namespace ``cz.road.link``) keeps its id
while its link's geometry changes little: a current link of the same source with the same road
number and class within ``keep_max_hausdorff_m`` (Hausdorff distance) of the canonical geometry
keeps it, one link per identity, closest first. Any other link gets a new id, and the identities
retired in the same run that it continues are recorded as its predecessors: ``split`` (it lies along
part of one), ``merged`` (one lies along part of it), ``rerouted`` (same road and ends, another path).

Candidates are found by a GiST join in SQL (road_links_current.sql, road_links_candidates.sql), the one-to-one choice is a
greedy pass over the candidate pairs in Python (linear in their number), the rest is set-based SQL
(road_links_apply.sql); the evidence goes to lineage through the ledger.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import psycopg

from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import query_sql_file, run_sql_file
from transport_etl.lineage import ledger

HERE = Path(__file__).resolve().parent


@dataclass(frozen=True)
class RoadLinkConfig:
    namespace: str = "cz.road.link"
    keep_max_hausdorff_m: float = 10.0  # a link moved less than this keeps its identity
    min_cover: float = 0.9              # share of a link along another that makes it a part (split/merged)


def choose_keeps(candidates: list[tuple[int, int, bool, float]]) -> list[tuple[int, int, bool, float]]:
    """One current link per canonical identity and vice versa: the same link row first, then the
    smallest Hausdorff distance (ties by ids, so reruns decide the same)."""
    taken_old: set[int] = set()
    taken_new: set[int] = set()
    keeps = []
    for old, new, same_row, h in sorted(candidates, key=lambda c: (not c[2], c[3], c[0], c[1])):
        if old in taken_old or new in taken_new:
            continue
        taken_old.add(old)
        taken_new.add(new)
        keeps.append((old, new, same_row, h))
    return keeps


def identify_road_links(conn: psycopg.Connection, load_run_id: int | None,
                        cfg: RoadLinkConfig | None = None) -> dict:
    """Assign canonical road-link identities to the current road links in the caller's transaction."""
    cfg = cfg or RoadLinkConfig()
    params = {"namespace": cfg.namespace, "keep_max_hausdorff_m": cfg.keep_max_hausdorff_m,
              "min_cover": cfg.min_cover}
    run_sql_file(conn, HERE / "road_links_current.sql", params)
    candidates = [(r[0], r[1], bool(r[2]), float(r[3])) for r in
                  query_sql_file(conn, HERE / "road_links_candidates.sql", params)]
    keeps = choose_keeps(candidates)
    conn.execute("CREATE TEMP TABLE _rl_keep (canonical_id bigint, link_id bigint, same_row boolean, "
                 "hausdorff_m double precision) ON COMMIT DROP")
    copy_rows(conn, "_rl_keep", ["canonical_id", "link_id", "same_row", "hausdorff_m"],
              ((o, n, s, round(h, 2)) for o, n, s, h in keeps))
    run_sql_file(conn, HERE / "road_links_apply.sql", params)
    ledger.record_road_link_evidence(conn, load_run_id)
    counts = conn.execute("""SELECT
        (SELECT count(*) FROM _rl_member), (SELECT count(*) FROM _rl_member WHERE match_method = 'new'),
        (SELECT count(*) FROM _rl_member WHERE match_method = 'geometry'), (SELECT count(*) FROM _rl_retired),
        (SELECT count(*) FROM unified.canonical_road_link_predecessor p
          JOIN unified.canonical_road_link c ON c.id = p.canonical_road_link_id
          JOIN _rl_new n ON n.new_local_id = c.local_id)""").fetchone()
    return {"links": counts[0], "new": counts[1], "kept_moved": counts[2], "retired": counts[3],
            "predecessor_relations": counts[4]}
