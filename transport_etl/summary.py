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
    lines += format_health(conn)
    lines += ["", "Unified model (current rows)", ""]
    counts = unified_counts(conn)
    width = max(len(k) for k in counts) if counts else 10
    for k, v in counts.items():
        lines.append(f"  unified.{k:{width}} {v:>10,}")
    es = conn.execute("SELECT count(*) FROM lineage.entity_source").fetchone()[0]
    lines += ["", f"  lineage.entity_source rows: {es:,}", ""]
    return "\n".join(lines)


def format_health(conn: psycopg.Connection) -> list[str]:
    """Per source: when it last loaded (new version or unchanged input), its last failure, and whether
    that is as often as its schedule says."""
    from datetime import UTC, datetime

    from transport_etl.catalog import Source
    from transport_etl.freshness import every_text, expected_interval, human_duration, source_freshness

    now = datetime.now(UTC)
    rows = conn.execute(
        """SELECT s.id, s.family, s.format, s.schedule,
                  max(r.finished_at) FILTER (WHERE r.outcome IN ('loaded', 'skipped')),
                  max(r.finished_at) FILTER (WHERE r.outcome IN ('rejected', 'failed')),
                  (array_agg(r.message ORDER BY r.finished_at DESC NULLS LAST)
                      FILTER (WHERE r.outcome IN ('rejected', 'failed')))[1]
           FROM lineage.source s LEFT JOIN lineage.load_run r ON r.source_id = s.id
           WHERE s.retired_at IS NULL  -- removed sources keep their lineage but are not listed
           GROUP BY s.id ORDER BY s.family, s.id""").fetchall()
    lines = ["", "Health per source (freshness from each source's schedule)", ""]
    hdr = f"{'source':34} {'last load':>14} {'expected':>16}  {'fresh':8} last failure"
    lines += [hdr, "-" * len(hdr)]
    for sid, family, fmt, cron, ok_at, fail_at, fail_msg in rows:
        passed, _sentence, _md = source_freshness(conn, Source(id=sid, family=family, format=fmt, schedule=cron),
                                                  now=now)
        last = f"{human_duration((now - ok_at).total_seconds())} ago" if ok_at else "never"
        failure = (f"{human_duration((now - fail_at).total_seconds())} ago: {(fail_msg or '')[:70]}"
                   if fail_at else "-")
        lines.append(f"{sid[:34]:34} {last:>14} {every_text(expected_interval(cron)):>16}  "
                     f"{'ok' if passed else 'OVERDUE':8} {failure}")
    return lines
