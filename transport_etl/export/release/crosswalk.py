"""The stop identity crosswalk as CSV: one row per current source stop place (every source), with its
canonical stop (``cz.ustecky.stop:…``), how it was matched and how strongly. A stop place no canonical
stop holds (yet) is listed too, with an empty canonical id and method ``unmatched``."""

from __future__ import annotations

import csv
from pathlib import Path

import psycopg

COLUMNS = ["canonical_id", "canonical_name", "source_id", "source_stop_id", "source_stop_name", "match_method",
           "matched_with", "score", "distance_m", "name_similarity", "register_key", "stop_point_ids"]

_QUERY = """
SELECT cn.namespace || ':' || cn.local_id, cn.name, sp.source_id, sp.local_id, sp.name,
       coalesce(m.match_method, 'unmatched'), m.matched_with, round(m.score::numeric, 4),
       round(m.distance_m::numeric, 1), round(m.name_similarity::numeric, 4), m.register_key,
       (SELECT string_agg(pt.source_id || ':' || pt.local_id, ' ' ORDER BY pt.local_id COLLATE "C")
          FROM unified.stop_point pt WHERE pt.stop_place_id = sp.id AND pt.recorded_to IS NULL)
  FROM unified.stop_place sp
  LEFT JOIN unified.canonical_stop_member m
         ON m.source_id = sp.source_id AND m.member_local_id = sp.local_id AND m.recorded_to IS NULL
  LEFT JOIN unified.canonical_stop_place cn ON cn.id = m.canonical_stop_place_id
 WHERE sp.recorded_to IS NULL
 ORDER BY cn.local_id COLLATE "C" NULLS LAST, sp.source_id COLLATE "C", sp.local_id COLLATE "C"
"""


def write_crosswalk(conn: psycopg.Connection, out: Path) -> dict[str, int]:
    """Write the crosswalk CSV (UTF-8, LF, header first); returns rows, canonical stops and unmatched rows."""
    rows = conn.execute(_QUERY).fetchall()
    with open(out, "w", encoding="utf-8", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(COLUMNS)
        w.writerows(["" if v is None else v for v in r] for r in rows)
    return {"rows": len(rows), "canonical_stops": len({r[0] for r in rows if r[0]}),
            "unmatched": sum(1 for r in rows if r[0] is None), "sources": len({r[2] for r in rows})}
