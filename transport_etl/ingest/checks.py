"""Quality checks of a source's current feed version, as the Dagster asset checks and `status` report them."""

from __future__ import annotations

from dataclasses import dataclass

import psycopg

from transport_etl.catalog import Source

DEFAULT_MAX_REJECT_RATIO = 0.10


def reject_ratio_limit(source: Source) -> float:
    """The share of quarantined records above which a version is refused (options.max_reject_ratio)."""
    return float(source.options.get("max_reject_ratio", DEFAULT_MAX_REJECT_RATIO))


@dataclass(frozen=True)
class VersionChecks:
    error_notices: int
    rejected_ratio: float
    limit: float

    @property
    def rejects_within_limit(self) -> bool:
        return self.rejected_ratio <= self.limit


def current_version_checks(conn: psycopg.Connection, source: Source) -> VersionChecks:
    """ERROR notices and the rejected share of the source's current version (zeros when none is current)."""
    row = conn.execute(
        """SELECT (SELECT count(*) FROM lineage.notice n WHERE n.feed_version_id = fv.id AND severity = 'ERROR'),
                  CASE WHEN fv.rows_loaded + fv.rows_rejected > 0
                       THEN fv.rows_rejected::float / (fv.rows_loaded + fv.rows_rejected) END
           FROM lineage.feed_version fv WHERE fv.source_id = %s AND fv.is_current""",
        (source.id,),
    ).fetchone() or (0, None)
    return VersionChecks(int(row[0] or 0), float(row[1] or 0.0), reject_ratio_limit(source))
