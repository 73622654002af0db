"""GBFS live status: station_status (+ free_bike_status / vehicle_status) appended to the
unified.bike_station_status / bike_vehicle_status time series, deduplicated by the feed's
last_updated. Used by polls and, for the snapshot that comes with a load, by the loader."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import psycopg

from transport_etl import positions
from transport_etl.catalog import Source
from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import run_sql_file
from transport_etl.formats.gbfs import reader
from transport_etl.formats.gbfs.discovery import (
    DEFAULT_TIMEOUT_S,
    Discovery,
    GbfsError,
    discover,
    read_document,
)
from transport_etl.ingest.poll import PollResult, purge, run_poll

STATUS_COLS = ["station_id", "last_reported", "num_bikes_available", "num_bikes_disabled", "num_docks_available",
               "num_docks_disabled", "is_installed", "is_renting", "is_returning", "vehicle_types_available"]
VEHICLE_COLS = ["vehicle_id", "vehicle_type_id", "station_id", "is_reserved", "is_disabled", "current_range_m",
                "lat", "lon"]
TIME_SERIES = ("unified.bike_station_status", "unified.bike_vehicle_status")
_SQL = Path(__file__).with_name("append_status.sql")


def timeout_of(source: Source) -> float:
    return float(source.options.get("timeout_s", DEFAULT_TIMEOUT_S))


def _split(items, problems: list[reader.Problem], key: str) -> list[dict]:
    """Rows apart from Problems; a second record for the same key is a Problem too (never merged)."""
    rows, seen = [], set()
    for i, item in enumerate(items):
        if isinstance(item, reader.Problem):
            problems.append(item)
        elif item[key] in seen:
            problems.append(reader.Problem(i, "duplicate_key", f"duplicate {key} {item[key]}", str(item)[:4000]))
        else:
            seen.add(item[key])
            rows.append(item)
    return rows


def append_status(conn: psycopg.Connection, source: Source, disc: Discovery, poll_run_id: int,
                  timeout: float) -> tuple[int, dt.datetime, list[reader.Problem]]:
    """Fetch station_status (and vehicles, when the system publishes them) and append new rows.

    Returns (rows written, station_status last_updated, problems). Rows whose (station, last_updated)
    is already stored are skipped by the unique key: an unchanged feed writes nothing.
    """
    loc = disc.feed("station_status")
    vloc = disc.feed("vehicle_status") or disc.feed("free_bike_status")
    if not loc and not vloc:
        raise GbfsError(f"{disc.location}: the system publishes neither station_status nor "
                        "vehicle_status/free_bike_status", code="invalid_gbfs")
    problems: list[reader.Problem] = []
    status: list[dict] = []
    updated = None
    notes: list[str] = []   # times given in milliseconds: read as such, one notice per document
    if loc:   # a free-floating system has no stations, so no station_status
        doc = read_document(loc, timeout)
        updated = reader.last_updated(doc, loc, notes)
        status = _split(reader.station_status(doc, loc, notes), problems, "station_id")
        _noted(problems, notes, loc)

    vehicles: list[dict] = []
    v_updated = updated
    if vloc:
        vdoc = read_document(vloc, timeout)
        v_updated = reader.last_updated(vdoc, vloc, notes)
        vehicles = _split(reader.vehicles(vdoc, vloc), problems, "vehicle_id")
        _noted(problems, notes, vloc)
    updated = updated or v_updated

    conn.execute("CREATE TEMP TABLE IF NOT EXISTS tmp_gbfs_status (station_id text, last_reported timestamptz, "
                 "num_bikes_available int, num_bikes_disabled int, num_docks_available int, num_docks_disabled int, "
                 "is_installed boolean, is_renting boolean, is_returning boolean, vehicle_types_available jsonb) "
                 "ON COMMIT DROP")
    conn.execute("CREATE TEMP TABLE IF NOT EXISTS tmp_gbfs_vehicle (vehicle_id text, vehicle_type_id text, "
                 "station_id text, is_reserved boolean, is_disabled boolean, current_range_m double precision, "
                 "lat double precision, lon double precision) ON COMMIT DROP")
    copy_rows(conn, "tmp_gbfs_status", STATUS_COLS,
              ([r[c] if c != "vehicle_types_available" else _json(r[c]) for c in STATUS_COLS] for r in status))
    copy_rows(conn, "tmp_gbfs_vehicle", VEHICLE_COLS, ([r[c] for c in VEHICLE_COLS] for r in vehicles))
    written = run_sql_file(conn, _SQL, {"source_id": source.id, "namespace": source.namespace,
                                        "last_updated": updated, "vehicles_updated": v_updated,
                                        "poll_run_id": poll_run_id,
                                        "extent": list(positions.extent(source.options))})
    conn.execute("DROP TABLE IF EXISTS tmp_gbfs_status, tmp_gbfs_vehicle")
    return written, updated, problems


def _noted(problems: list[reader.Problem], notes: list[str], location: str) -> None:
    p = reader.millisecond_notice(notes, location)
    if p is not None:
        problems.append(p)
    notes.clear()


def _json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)


def poll_gbfs_status(database_url: str | None, source: Source) -> PollResult:
    """Poll the station status of a GBFS system once (discovery at source.location: a gbfs.json URL,
    file, or folder) and append it to unified.bike_station_status; health in lineage.poll_run.

    outcome: ok (rows appended), unchanged (same last_updated as stored), failed (timeout, HTTP
    error, not JSON, not GBFS: reason in error). Time series older than options.retention_days
    (default 30) are purged on each successful poll.
    """
    timeout = timeout_of(source)

    def work(conn: psycopg.Connection, poll_run_id: int):
        disc = discover(source.location or "", source.options.get("language"), timeout)
        rows, updated, problems = append_status(conn, source, disc, poll_run_id, timeout)
        purge(conn, source, TIME_SERIES)
        note = None
        skipped = [p for p in problems if p.index >= 0]   # index -1: a note on the document, nothing skipped
        if skipped:  # not silently dropped: the poll run says how many and why
            note = f"{len(skipped)} status records skipped, first: {skipped[0].message}"
        return rows, updated, note

    return run_poll(database_url, source, "gbfs_status", source.location, work)
