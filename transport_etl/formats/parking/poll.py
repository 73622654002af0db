"""Polling a parking occupancy URL (CSV or GeoJSON, same column mapping as the loader): readings
are appended to unified.parking_occupancy; facilities themselves change through ingest."""

from __future__ import annotations

import tempfile
from pathlib import Path

import psycopg

from transport_etl.catalog import Source
from transport_etl.db.copy import copy_rows
from transport_etl.errors import InputRejected
from transport_etl.fetch import DOCUMENT_TIMEOUT_S, read_document
from transport_etl.formats.parking import reader
from transport_etl.ingest.poll import PollResult, purge, run_poll
from transport_etl.problems import Problem


def poll_parking(database_url: str | None, source: Source) -> PollResult:
    """Fetch source.location once and append its occupancy readings (deduplicated by facility + time)."""
    timeout = float(source.options.get("timeout_s", DOCUMENT_TIMEOUT_S))

    def work(conn: psycopg.Connection, poll_run_id: int):
        data = read_document(source.location or "", timeout)
        suffix = Path((source.location or "").split("?")[0]).suffix or ".csv"
        with tempfile.TemporaryDirectory() as tmp:
            path = Path(tmp) / f"occupancy{suffix}"
            path.write_bytes(data)
            m = reader.ColumnMap.from_options(source.options, source.crs)
            _kind, records = reader.read(path, m, source.encoding, source.options.get("delimiter"))
            good, problems = [], []
            for r in records:
                if isinstance(r, tuple):   # (record, notice): the record is good
                    r = r[0]
                (problems if isinstance(r, Problem) else good).append(r)
        timed = [r for r in good if r["free_places"] is not None and r["observed_at"] is not None]
        if not timed and (good or problems):
            raise InputRejected("no occupancy reading with a time and free places in the answer",
                                code="empty_feed")
        conn.execute("CREATE TEMP TABLE tmp_parking_occ (facility_id text, observed_at timestamptz, capacity int, "
                     "free_places int) ON COMMIT DROP")
        copy_rows(conn, "tmp_parking_occ", ["facility_id", "observed_at", "capacity", "free_places"],
                  ((r["facility_id"], r["observed_at"], r["capacity"], r["free_places"]) for r in timed))
        rows = conn.execute(
            """INSERT INTO unified.parking_occupancy (source_id, namespace, facility_id, observed_at, capacity,
                   free_places, poll_run_id)
               SELECT DISTINCT ON (facility_id, observed_at) %s, %s, facility_id, observed_at, capacity, free_places, %s
               FROM tmp_parking_occ ORDER BY facility_id, observed_at
               ON CONFLICT (source_id, facility_id, observed_at) DO NOTHING""",
            (source.id, source.namespace, poll_run_id)).rowcount
        purge(conn, source, ["unified.parking_occupancy"])
        newest = max(r["observed_at"] for r in timed) if timed else None
        skipped = len(good) - len(timed) + len(problems)
        note = f"{skipped} records without a usable reading skipped" if skipped else None
        return rows, newest, note

    return run_poll(database_url, source, "parking_occupancy", source.location, work)
