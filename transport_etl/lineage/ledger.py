"""The feed-version ledger: lineage.feed_version, lineage.rejected_record, lineage.notice and the
open-data releases built from the versions (lineage.release, release_feed_version) are written here and
nowhere else (sources: registry.py; load and poll runs: runs.py).

A feed version is one *publication* of a source, not one byte string: the same content can be
published again (a revert, a forced reload, a loader fix), each time as a new version that names
the earlier one it repeats (``republication_of``). Statuses: loaded (current), superseded, held
(refused by the publication guard until accepted), rejected (bad input), retired (source removed).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import psycopg

from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import run_sql_file

_HERE = Path(__file__).resolve().parent

REJECT_COLUMNS = ["feed_version_id", "file_name", "line_no", "reason_code", "message", "raw_text"]
NOTICE_COLUMNS = ["feed_version_id", "code", "severity", "file_name", "line_no", "field_name", "entity_key",
                  "message"]


@dataclass(frozen=True)
class Version:
    """What the runner needs to know of an existing version."""

    id: int
    sha256: str
    status: str
    is_current: bool
    loader_digest: str | None
    reject_reason: str | None
    location: str | None
    applied_on: int | None
    table_counts: dict[str, Any]


_VERSION_COLS = "id, sha256, status, is_current, loader_digest, reject_reason, location, applied_on, table_counts"


def _version(row: Sequence[Any] | None) -> Version | None:
    return Version(*row[:8], row[8] or {}) if row else None


def current_version(conn: psycopg.Connection, source_id: str) -> Version | None:
    return _version(conn.execute(
        f"SELECT {_VERSION_COLS} FROM lineage.feed_version WHERE source_id = %s AND is_current", (source_id,)
    ).fetchone())


def get_version(conn: psycopg.Connection, source_id: str, version_id: int) -> Version | None:
    return _version(conn.execute(
        f"SELECT {_VERSION_COLS} FROM lineage.feed_version WHERE source_id = %s AND id = %s", (source_id, version_id)
    ).fetchone())


def versions_with_content(conn: psycopg.Connection, source_id: str, sha256: str) -> list[Version]:
    """Every version of the source with these bytes, newest first."""
    rows = conn.execute(
        f"SELECT {_VERSION_COLS} FROM lineage.feed_version WHERE source_id = %s AND sha256 = %s ORDER BY id DESC",
        (source_id, sha256),
    ).fetchall()
    return [v for v in map(_version, rows) if v is not None]


def chain(conn: psycopg.Connection, source_id: str) -> list[Version]:
    """The versions whose ordered application is the current state of a cumulative source:
    the current version, the one it was applied on, ... back to the base. Oldest first."""
    rows = conn.execute(
        f"""WITH RECURSIVE c AS (
                SELECT {_VERSION_COLS}, 0 AS depth FROM lineage.feed_version WHERE source_id = %s AND is_current
                UNION ALL
                SELECT {', '.join('f.' + c for c in _VERSION_COLS.split(', '))}, c.depth + 1
                  FROM lineage.feed_version f JOIN c ON f.id = c.applied_on)
            SELECT {_VERSION_COLS} FROM c ORDER BY depth DESC""",
        (source_id,),
    ).fetchall()
    return [v for v in map(_version, rows) if v is not None]


def open_version(conn: psycopg.Connection, source_id: str, *, sha256: str, size_bytes: int, location: str,
                 load_run_id: int, loader_digest: str | None, update_mode: str,
                 republication_of: int | None = None, reuse_id: int | None = None) -> int:
    """The row of a version being loaded, in the data transaction (it vanishes if the load fails).
    ``reuse_id`` keeps the number of a held version that is being accepted."""
    cols = ("source_id, sha256, size_bytes, location, status, load_run_id, loader_digest, update_mode, "
            "republication_of")
    args: tuple = (source_id, sha256, size_bytes, location, load_run_id, loader_digest, update_mode, republication_of)
    if reuse_id is not None:
        return conn.execute(
            f"""INSERT INTO lineage.feed_version (id, {cols}) OVERRIDING SYSTEM VALUE
                VALUES (%s, %s, %s, %s, %s, 'loaded', %s, %s, %s, %s) RETURNING id""",
            (reuse_id, *args),
        ).fetchone()[0]
    return conn.execute(
        f"""INSERT INTO lineage.feed_version ({cols}) VALUES (%s, %s, %s, %s, 'loaded', %s, %s, %s, %s)
            RETURNING id""",
        args,
    ).fetchone()[0]


def delete_version(conn: psycopg.Connection, version_id: int) -> None:
    """Replace a held version by its accepted publication (same number, in the same transaction;
    the load runs naming it are checked at commit). Its evidence is written again by the load."""
    conn.execute("DELETE FROM lineage.feed_version WHERE id = %s AND status IN ('rejected', 'held')", (version_id,))


def publish_version(conn: psycopg.Connection, source_id: str, version_id: int, *, coverage_from: dt.date | None,
                    coverage_to: dt.date | None, feed_label: str | None, file_stats: dict[str, Any],
                    table_counts: dict[str, int], rows_loaded: int, rows_rejected: int,
                    applied_on: int | None = None) -> None:
    """Make ``version_id`` the source's current version and the previous one superseded (caller's
    transaction; the caller closes the previous version's unified rows in the same one)."""
    conn.execute(
        "UPDATE lineage.feed_version SET is_current = false, status = 'superseded' WHERE source_id = %s AND is_current",
        (source_id,),
    )
    conn.execute(
        """UPDATE lineage.feed_version SET is_current = true, status = 'loaded', loaded_at = now(),
               coverage_from = %s, coverage_to = %s, feed_label = %s, file_stats = %s, table_counts = %s,
               rows_loaded = %s, rows_rejected = %s, applied_on = %s WHERE id = %s""",
        (coverage_from, coverage_to, feed_label, json.dumps(file_stats), json.dumps(table_counts), rows_loaded,
         rows_rejected, applied_on, version_id),
    )


def retire_current(conn: psycopg.Connection, source_id: str) -> None:
    """The source is removed: its current version stops being current (its rows are closed by the caller)."""
    conn.execute(
        "UPDATE lineage.feed_version SET is_current = false, status = 'retired' WHERE source_id = %s AND is_current",
        (source_id,),
    )


def record_refusal(conn: psycopg.Connection, source_id: str, *, status: str, sha256: str, size_bytes: int,
                   location: str, load_run_id: int, reason: str, loader_digest: str | None, update_mode: str,
                   file_stats: dict[str, Any] | None = None, rows_rejected: int = 0,
                   table_counts: dict[str, int] | None = None,
                   evidence: tuple[list[tuple], list[tuple]] | None = None, version_id: int | None = None) -> int:
    """A version that was not published, ``rejected`` (bad input) or ``held`` (publication guard),
    with its reason and, after the data transaction rolled back, its quarantined records and notices.
    ``version_id``: the number the rolled-back load had (and its messages named); identity values
    are never handed out twice, so it is free."""
    if status not in ("rejected", "held"):
        raise ValueError(f"not a refusal status: {status}")
    with conn.transaction():
        fv_id = conn.execute(
            """INSERT INTO lineage.feed_version (id, source_id, sha256, size_bytes, location, status, reject_reason,
                   load_run_id, file_stats, rows_rejected, table_counts, loader_digest, update_mode)
               OVERRIDING SYSTEM VALUE
               VALUES (coalesce(%s, nextval(pg_get_serial_sequence('lineage.feed_version', 'id'))),
                       %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
            (version_id, source_id, sha256, size_bytes, location, status, reason, load_run_id,
             json.dumps(file_stats or {}), rows_rejected, json.dumps(table_counts or {}), loader_digest, update_mode),
        ).fetchone()[0]
        if evidence is not None:
            rejects, notices = evidence
            write_evidence(conn, ((fv_id, *r[1:]) for r in rejects), ((fv_id, *n[1:]) for n in notices))
    return fv_id


def write_evidence(conn: psycopg.Connection, rejects: Iterable[Sequence[object]],
                   notices: Iterable[Sequence[object]]) -> None:
    """Quarantined records (REJECT_COLUMNS) and validation notices (NOTICE_COLUMNS), by COPY."""
    copy_rows(conn, "lineage.rejected_record", REJECT_COLUMNS, rejects)
    copy_rows(conn, "lineage.notice", NOTICE_COLUMNS, notices)


def forget_row_sources(conn: psycopg.Connection, version_ids: list[int]) -> None:
    """Drop the row-level provenance of pruned versions (their unified rows are gone)."""
    conn.execute("DELETE FROM lineage.entity_source WHERE feed_version_id = ANY(%s)", (version_ids,))


def mark_pruned(conn: psycopg.Connection, version_ids: list[int]) -> None:
    conn.execute("UPDATE lineage.feed_version SET table_counts = table_counts || '{\"pruned\": true}'::jsonb "
                 "WHERE id = ANY(%s)", (version_ids,))


def record_match_evidence(conn: psycopg.Connection, namespace: str, load_run_id: int | None) -> None:
    """Harmonisation's evidence: one lineage.entity_source row per member of each canonical stop, with the
    decision and the member's own source record; replaced on every run (they describe the current decisions)."""
    run_sql_file(conn, _HERE / "match_evidence.sql", {"namespace": namespace, "load_run_id": load_run_id})


def record_release(conn: psycopg.Connection, *, release_date: dt.date, checksum: str, location: str,
                   files: dict[str, Any], summary: dict[str, Any], builder_digest: str,
                   feed_versions: Sequence[tuple[int, str]], run_kind: str, run_id: str | None,
                   build_seconds: float) -> tuple[int, int | None]:
    """One built open-data release and the feed versions (id, source) it was built from, in one transaction.
    Returns (release id, the earlier release of the same date and checksum it reproduced, if any)."""
    with conn.transaction():
        same = conn.execute(
            """SELECT min(id) FROM lineage.release WHERE release_date = %s AND checksum = %s""",
            (release_date, checksum)).fetchone()[0]
        release_id = conn.execute(
            """INSERT INTO lineage.release (release_date, checksum, location, files, summary, builder_digest,
                   run_kind, run_id, build_seconds, same_as)
               VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
            (release_date, checksum, location, json.dumps(files), json.dumps(summary, default=str), builder_digest,
             run_kind, run_id, build_seconds, same)).fetchone()[0]
        with conn.cursor() as cur:
            cur.executemany("INSERT INTO lineage.release_feed_version (release_id, feed_version_id, source_id) "
                            "VALUES (%s, %s, %s)", [(release_id, fv, src) for fv, src in feed_versions])
    return release_id, same


def record_road_link_evidence(conn: psycopg.Connection, load_run_id: int | None) -> None:
    """Road-link identity evidence: one lineage.entity_source row per member link of the run (see
    harmonise/road_links.py), with its decision and the link's own source record."""
    run_sql_file(conn, _HERE / "road_link_evidence.sql", {"load_run_id": load_run_id})


def record_rail_point_evidence(conn: psycopg.Connection, load_run_id: int | None) -> None:
    """Rail-point identity evidence: one lineage.entity_source row per member record of the run (see
    harmonise/rail_points.py), with its decision and the register line or CZPTT file behind it."""
    run_sql_file(conn, _HERE / "rail_point_evidence.sql", {"load_run_id": load_run_id})
