"""Find a rail location in the current SR70 register by a 5- or 6-digit code (for harmonisation,
CZPTT stations, ad-hoc checks). The check digit is recomputed, so either form finds the same row."""

from __future__ import annotations

from typing import Any

import psycopg

from transport_etl.ids.sr70 import resolve


def station(conn: psycopg.Connection, code: str | int, source_id: str | None = None) -> dict[str, Any] | None:
    """The current register row for ``code`` (name, kind, state, x/y in EPSG:5514, lineage) or None."""
    r = resolve(code)
    if r is None:
        return None
    row = conn.execute(
        """SELECT s.sr70, s.name, s.kind_code, s.state_code, ST_X(s.geom), ST_Y(s.geom), s.location_note,
                  fv.source_id, s.feed_version_id, s.source_file, s.line_no
             FROM staging.sr70 s JOIN lineage.feed_version fv ON fv.id = s.feed_version_id AND fv.is_current
            WHERE s.sr70_5 = %s AND (%s::text IS NULL OR fv.source_id = %s::text)
            ORDER BY fv.loaded_at DESC LIMIT 1""",
        (r.code5, source_id, source_id),
    ).fetchone()
    if row is None:
        return None
    keys = ("sr70", "name", "kind_code", "state_code", "x", "y", "location_note", "source_id", "feed_version_id",
            "source_file", "line_no")
    return dict(zip(keys, row, strict=True))
