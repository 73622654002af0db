"""Human-readable summaries of what is loaded (make demo, transport-etl status)."""

from __future__ import annotations

from typing import Any

import psycopg

from transport_etl.db.model import UNIFIED_TABLES


def source_rows(conn: psycopg.Connection) -> list[dict[str, Any]]:
    cur = conn.execute(
        """SELECT s.id AS source, s.family, s.format, fv.id AS feed_version, fv.feed_label, fv.rows_loaded,
                  fv.rows_rejected, fv.coverage_from, fv.coverage_to,
                  (SELECT count(*) FROM lineage.feed_version f2 WHERE f2.source_id = s.id) AS versions,
                  (SELECT count(*) FROM lineage.notice n WHERE n.feed_version_id = fv.id AND n.severity = 'ERROR')
                      AS error_notices,
                  (SELECT outcome FROM lineage.load_run r WHERE r.source_id = s.id ORDER BY r.id DESC LIMIT 1)
                      AS last_outcome
           FROM lineage.source s
           LEFT JOIN lineage.feed_version fv ON fv.source_id = s.id AND fv.is_current
           WHERE s.retired_at IS NULL  -- removed sources keep their lineage but are not listed
           ORDER BY s.family, s.id"""
    )
    cols = [d.name for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def unified_counts(conn: psycopg.Connection) -> dict[str, int]:
    out = {}
    for t in UNIFIED_TABLES:
        out[t] = conn.execute(f"SELECT count(*) FROM unified.{t} WHERE recorded_to IS NULL").fetchone()[0]
    extra = conn.execute(
        """SELECT table_name FROM information_schema.tables WHERE table_schema = 'unified'
           AND table_type = 'BASE TABLE' AND table_name <> ALL(%s) ORDER BY 1""", (list(UNIFIED_TABLES),)
    ).fetchall()
    for (t,) in extra:
        out[t] = conn.execute(f'SELECT count(*) FROM unified."{t}"').fetchone()[0]
    return out


def format_summary(conn: psycopg.Connection) -> str:
    rows = source_rows(conn)
    lines = ["", "Sources (current feed version per source)", ""]
    hdr = f"{'source':34} {'family':9} {'format':14} {'version':>7} {'loaded':>9} {'rejected':>8} {'errors':>6}  last run"
    lines += [hdr, "-" * len(hdr)]
    for r in rows:
        lines.append(
            f"{r['source'][:34]:34} {r['family']:9} {r['format']:14} {str(r['feed_version'] or '-'):>7} "
            f"{r['rows_loaded'] or 0:>9,} {r['rows_rejected'] or 0:>8,} {r['error_notices'] or 0:>6}  "
            f"{r['last_outcome'] or '-'}"
        )
    lines += ["", "Unified model (current rows)", ""]
    counts = unified_counts(conn)
    width = max(len(k) for k in counts) if counts else 10
    for k, v in counts.items():
        lines.append(f"  unified.{k:{width}} {v:>10,}")
    es = conn.execute("SELECT count(*) FROM lineage.entity_source").fetchone()[0]
    lines += ["", f"  lineage.entity_source rows: {es:,}", ""]
    return "\n".join(lines)
