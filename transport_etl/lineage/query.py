"""Answering "where did this unified row come from?"."""

from __future__ import annotations

import re
from typing import Any

import psycopg

_TABLE = re.compile(r"^(unified|gis)\.[a-z_]+$")


def entity_sources(conn: psycopg.Connection, table: str, row_id: int) -> list[dict[str, Any]]:
    """The source records of a unified row, with their feed version, source and run: from both lineage
    forms (the row's own source_file_id/source_line columns, and lineage.entity_source rows), through
    the lineage.row_source view."""
    if "." not in table:
        table = f"unified.{table}"
    if not _TABLE.match(table):
        raise ValueError(f"not a unified table name: {table!r}")
    cur = conn.execute(
        """SELECT es.unified_table, es.unified_id, es.source_file, es.source_line, es.source_key, es.match_method,
                  es.distance_m, es.name_similarity, es.score, fv.id AS feed_version_id, fv.sha256, fv.status,
                  fv.is_current, fv.location, fv.feed_label, fv.republication_of, fv.loader_digest,
                  fv.applied_on, s.id AS source_id, s.format, s.family, s.encoding,
                  s.owner, lr.run_id, lr.run_kind, lr.asset_key, lr.started_at
           FROM lineage.row_source es
           JOIN lineage.feed_version fv ON fv.id = es.feed_version_id
           JOIN lineage.source s ON s.id = fv.source_id
           LEFT JOIN lineage.load_run lr ON lr.id = COALESCE(es.load_run_id, fv.load_run_id)
           WHERE es.unified_table = %s AND es.unified_id = %s
           ORDER BY es.recorded_at, es.source_file, es.source_line""",
        (table, row_id),
    )
    cols = [d.name for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]
