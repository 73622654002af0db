"""The affected-services snapshot: which lines and journeys each road event touches on a date."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

from transport_etl.db.connection import connect
from transport_etl.db.sqlfile import run_sql_file

HERE = Path(__file__).resolve().parent


def refresh_affected_services(database_url: str | None = None, service_date: dt.date | None = None) -> list[dict[str, Any]]:
    """Rewrite unified.affected_service for ``service_date`` (default: today) in one transaction;
    returns one summary row per event: event id, type, line codes, journeys affected."""
    with connect(database_url) as conn, conn.transaction():
        run_sql_file(conn, HERE / "affected.sql", {"service_date": service_date or dt.date.today()})
        rows = conn.execute(
            """SELECT event_id, event_type, string_agg(DISTINCT line_code, ', ' ORDER BY line_code),
                      count(DISTINCT journey_id)
               FROM unified.affected_service GROUP BY 1, 2 ORDER BY 1"""
        ).fetchall()
    return [{"event_id": r[0], "event_type": r[1], "lines": r[2] or "", "journeys": int(r[3])} for r in rows]
