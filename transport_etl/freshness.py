"""Is a source fresh? The threshold comes from its catalog cron; the verdict is one sentence in human
units ("last successful load 3 h ago, expected every day"). Used by `transport-etl status` and by the
Dagster freshness checks."""

from __future__ import annotations

import itertools
import time
from datetime import UTC, datetime, timedelta

from transport_etl.catalog import Source

DEFAULT_CRON = "0 4 * * *"
TIMEZONE = "Europe/Prague"


def human_duration(seconds: float) -> str:
    """12 s, 12 min, 3 h 5 min, 4 days, 9 months — what an operator reads at a glance."""
    s = abs(float(seconds))
    if s < 59.5:
        return f"{s:.0f} s"
    if s < 3570:
        return f"{s / 60:.0f} min"
    if s < 36 * 3600:
        h, m = divmod(int(s // 60), 60)
        return f"{h} h" + (f" {m} min" if m and h < 10 else "")
    if s < 60 * 86400:
        return f"{s / 86400:.0f} days"
    if s < 730 * 86400:
        return f"{s / (30.44 * 86400):.0f} months"
    return f"{s / (365.25 * 86400):.1f} years"


def expected_interval(cron: str | None) -> timedelta:
    """The longest gap between two ticks of ``cron`` over its next ticks (a monthly cron: ~31 days)."""
    from dagster._utils.schedules import cron_string_iterator  # Dagster's own cron arithmetic

    ticks = list(itertools.islice(cron_string_iterator(time.time(), cron or DEFAULT_CRON, TIMEZONE), 8))
    return max(b - a for a, b in itertools.pairwise(ticks))


def every_text(interval: timedelta) -> str:
    s = interval.total_seconds()
    for name, length in (("year", 365.25 * 86400), ("month", 30.44 * 86400), ("week", 7 * 86400),
                         ("day", 86400), ("hour", 3600), ("minute", 60)):
        if abs(s - length) <= 0.05 * length:  # DST days, months of 28-31 days
            return f"every {name}"
    return f"every {human_duration(s)}"


def source_freshness(conn, source: Source, now: datetime | None = None) -> tuple[bool, str, dict]:
    """(passed, one sentence, metadata): the last successful load (new version or unchanged input) must be
    no older than the schedule's interval plus a grace of half of it (at least 30 min)."""
    now = now or datetime.now(UTC)
    interval = expected_interval(source.schedule)
    allowed = interval + max(interval / 2, timedelta(minutes=30))
    ok_at, fail_at, fail_msg, fv_id, fv_loaded = conn.execute(
        """SELECT max(finished_at) FILTER (WHERE outcome IN ('loaded', 'skipped')),
                  max(finished_at) FILTER (WHERE outcome IN ('rejected', 'failed')),
                  (array_agg(message ORDER BY finished_at DESC NULLS LAST)
                      FILTER (WHERE outcome IN ('rejected', 'failed')))[1],
                  (SELECT id FROM lineage.feed_version WHERE source_id = %(s)s AND is_current),
                  (SELECT loaded_at FROM lineage.feed_version WHERE source_id = %(s)s AND is_current)
           FROM lineage.load_run WHERE source_id = %(s)s""", {"s": source.id}).fetchone()
    notices = conn.execute(
        """SELECT code, severity, count(*) FROM lineage.notice WHERE feed_version_id = %s
           GROUP BY 1, 2 ORDER BY (severity = 'ERROR') DESC, count(*) DESC LIMIT 3""", (fv_id,)).fetchall()
    expected = f"expected {every_text(interval)} ({source.schedule or DEFAULT_CRON}, {TIMEZONE})"
    if ok_at is None:
        passed, sentence = False, f"never loaded successfully, {expected}"
    else:
        age = (now - ok_at).total_seconds()
        passed = age <= allowed.total_seconds()
        sentence = f"last successful load {human_duration(age)} ago, {expected}"
    if fv_loaded is not None:
        sentence += f"; current version {fv_id} published {human_duration((now - fv_loaded).total_seconds())} ago"
    if fail_at is not None and (ok_at is None or fail_at > ok_at):
        sentence += f"; last failure {human_duration((now - fail_at).total_seconds())} ago: {fail_msg}"
    if notices:
        sentence += "; top notices: " + ", ".join(f"{c} ({s.lower()}) ×{n}" for c, s, n in notices)
    metadata = {"expected_interval": human_duration(interval.total_seconds()),
                "last_success": ok_at.isoformat() if ok_at else "never",
                "current_feed_version": fv_id or 0}
    return passed, sentence + ".", metadata
