"""Polling a GTFS-Realtime URL: each new message (by its bytes' sha256) is appended to the rt_*
history in one transaction; health in lineage.poll_run."""

from __future__ import annotations

from collections import Counter

import psycopg

from transport_etl.catalog import Source
from transport_etl.fetch import DOCUMENT_TIMEOUT_S, read_document
from transport_etl.formats.gtfs_rt.record import HISTORY_TABLES, record_message
from transport_etl.ingest.poll import PollResult, purge, run_poll


def poll_gtfs_rt(database_url: str | None, source: Source) -> PollResult:
    """Fetch source.location (a .pb URL or file) once and record it.

    outcome: ok (new message recorded), unchanged (the same bytes as a stored message), failed
    (timeout, HTTP error, not a GTFS-RT message). Unmatched trips are summarised in ``error``
    (as a note) since a poll has no notice sink.
    """
    timeout = float(source.options.get("timeout_s", DOCUMENT_TIMEOUT_S))

    def work(conn: psycopg.Connection, poll_run_id: int):
        data = read_document(source.location or "", timeout)
        rec = record_message(conn, source, data, source.location or "", poll_run_id)
        purge(conn, source, HISTORY_TABLES)
        notes = []
        if rec.unmatched:
            reasons = Counter(r[3] for r in rec.unmatched)
            notes.append("unmatched: " + ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())))
        if rec.rejected:   # a poll has no quarantine: the entities left out are said here
            notes.append(f"{len(rec.rejected)} entities not recorded, first: {rec.rejected[0][3]}")
        if rec.notes:
            notes.append(f"{len(rec.notes)} times read as epoch milliseconds")
        note = "; ".join(notes) or None
        return (0 if rec.duplicate else rec.rows), rec.header_timestamp, note

    return run_poll(database_url, source, "gtfs_rt", source.location, work)
