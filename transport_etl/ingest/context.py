"""What a format loader gets: the open transaction, the new feed version, and sinks for
rejected records, validation notices and counts."""

from __future__ import annotations

import datetime as dt
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql
from psycopg.pq import TransactionStatus

from transport_etl import positions
from transport_etl.catalog import Source
from transport_etl.db.copy import copy_rows
from transport_etl.db.model import of_source
from transport_etl.db.sqlfile import run_sql_file
from transport_etl.lineage import ledger
from transport_etl.problems import Problem

# Rejected records and notices are kept in memory up to this many so that, when the whole
# version is rejected and its transaction rolled back, they can still be written as evidence.
_KEEP_AFTER_ROLLBACK = 20_000
_FLUSH_AT = 5_000  # buffered rejects and notices written at once
# The most evidence a one-COPY fast path may hold (it cannot write while its COPY holds the connection): past it,
# the fast path hands the file to its record-by-record path, which writes as it goes (copy_rows).
HELD_DURING_COPY = 20_000
MESSAGE_CHARS = 300  # a quarantine message: one line, however long the value it quotes
RAW_CHARS = 2000  # the most of a record's text the quarantine keeps


def _bounded(text: str | None, limit: int) -> str | None:
    if text is None or len(text) <= limit:
        return text
    return text[: limit - 1] + "…"


@dataclass
class FileStats:
    rows_in: int = 0
    rows_loaded: int = 0
    rows_rejected: int = 0
    sha256: str | None = None
    size_bytes: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {k: v for k, v in self.__dict__.items() if v is not None}


@dataclass
class LoadContext:
    """Everything a loader's ``load`` and ``publish`` need. All writes go through ``conn``, inside
    the one transaction that publishes the version or, on any error, leaves nothing behind."""

    conn: psycopg.Connection
    source: Source
    feed_version_id: int
    load_run_id: int
    path: Path
    log: Callable[[str], None] = print
    files: dict[str, FileStats] = field(default_factory=dict)
    tables: Counter = field(default_factory=Counter)
    coverage_from: dt.date | None = None
    coverage_to: dt.date | None = None
    feed_label: str | None = None
    _rejects: list[tuple] = field(default_factory=list)
    _notices: list[tuple] = field(default_factory=list)
    rejected_total: int = 0
    unread_bytes: int = 0  # bytes of lines the shared line checks refused before any reader (boundaries.py)
    notice_counts: Counter = field(default_factory=Counter)
    analyzed: set[str] = field(default_factory=set)
    # Bytes of the records quarantined (the publication guard holds a version whose rejected bytes
    # exceed the threshold, whatever the record count).
    rejected_bytes: int = 0
    # Cumulative sources: the version this input is applied on top of (set by the loader).
    applied_on: int | None = None
    # The previous version whose unchanged records this load carries instead of staging them again (GTFS
    # trips: formats/gtfs/delta.py); None when everything is staged.
    carried_from: int | None = None
    # Unified tables the format publishes incrementally (Format.incremental_tables; set by the runner).
    incremental_tables: tuple[str, ...] = ()

    @property
    def namespace(self) -> str:
        return self.source.namespace

    @property
    def options(self) -> Mapping[str, Any]:
        return self.source.options

    @property
    def params(self) -> dict[str, Any]:
        """Bind parameters every publish SQL file may use: %(feed_version_id)s, %(load_run_id)s,
        %(source_id)s, %(namespace)s, and %(extent)s (the source's expected extent for the SQL position
        rule: unified.place_point(lat, lon, %(extent)s::float8[]))."""
        return {
            "feed_version_id": self.feed_version_id,
            "load_run_id": self.load_run_id,
            "source_id": self.source.id,
            "namespace": self.namespace,
            "extent": list(positions.extent(self.options)),
        }

    def file(self, name: str) -> FileStats:
        return self.files.setdefault(name, FileStats())

    def reject(self, file_name: str, line_no: int | None, code: str, message: str, raw_text: str | None = None,
               size_bytes: int | None = None) -> None:
        """Quarantine one source record: it is not loaded, and lineage.rejected_record says why.
        ``size_bytes``: the record's true size when ``raw_text`` is only an excerpt of it."""
        self.rejected_total += 1
        self.rejected_bytes += size_bytes if size_bytes is not None else len((raw_text or "").encode("utf-8"))
        self.file(file_name).rows_rejected += 1
        # a message quoting a hostile value (a 70 kB "vehicle id") stays one readable line
        self._rejects.append((self.feed_version_id, file_name, line_no, code, _bounded(message, MESSAGE_CHARS),
                              _bounded(raw_text, RAW_CHARS)))
        self.flush_when_full()

    def notice(
        self,
        code: str,
        severity: str,
        message: str,
        file_name: str | None = None,
        line_no: int | None = None,
        field_name: str | None = None,
        entity_key: str | None = None,
    ) -> None:
        """Record a validation notice (MobilityData vocabulary); it does not by itself reject anything."""
        self.notice_counts[(code, severity)] += 1
        self._notices.append((self.feed_version_id, code, severity, file_name, line_no, field_name, entity_key,
                              _bounded(message, MESSAGE_CHARS)))
        self.flush_when_full()

    def report(self, problem: Problem, file_name: str | None = None) -> None:
        """Quarantine (REJECT) or note (ERROR/WARNING/INFO) one Problem; ``file_name`` fills a Problem
        whose reader did not know the path inside the input."""
        where = problem.file_name or file_name or "-"
        if problem.quarantines:
            self.reject(where, problem.line_no, problem.code, problem.message, problem.raw)
        else:
            self.notice(problem.code, problem.severity, problem.message, file_name=where, line_no=problem.line_no,
                        field_name=problem.field_name, entity_key=problem.entity_key)

    @property
    def evidence_pending(self) -> int:
        """Rejects and notices buffered, not yet written."""
        return len(self._rejects) + len(self._notices)

    def flush_when_full(self) -> None:
        """Write the buffered evidence once it holds _FLUSH_AT records, unless a COPY holds the connection (a
        reader quarantining records while its rows stream into staging): then it waits for the next call
        with the connection free. Loaders that COPY row generators use :meth:`copy_rows`, which calls this
        between pieces, so the buffers stay bounded."""
        if self.evidence_pending >= _FLUSH_AT and self.conn.info.transaction_status != TransactionStatus.ACTIVE:
            self.flush()

    def copy_rows(self, table: str, columns: Sequence[str], rows: Iterable[Sequence[object]]) -> int:
        """COPY ``rows`` (a generator that may quarantine records) into ``table`` on the load's connection,
        writing the evidence between pieces (db.copy.copy_rows)."""
        return copy_rows(self.conn, table, columns, rows, between=self.flush_when_full)

    def flush(self) -> None:
        """Write buffered rejects and notices (called by the runner; loaders may call it too)."""
        if self._rejects or self._notices:
            ledger.write_evidence(self.conn, self._rejects, self._notices)
            self._kept_rejects.extend(self._rejects[: max(0, _KEEP_AFTER_ROLLBACK - len(self._kept_rejects))])
            self._kept_notices.extend(self._notices[: max(0, _KEEP_AFTER_ROLLBACK - len(self._kept_notices))])
            self._rejects, self._notices = [], []

    def __post_init__(self) -> None:
        self._kept_rejects: list[tuple] = []
        self._kept_notices: list[tuple] = []

    def evidence(self) -> tuple[list[tuple], list[tuple]]:
        """Rejects and notices seen so far (bounded), for recording after a rollback."""
        return self._kept_rejects + self._rejects, self._kept_notices + self._notices

    def count(self, table: str, n: int) -> None:
        """Rows written to a staging or unified table."""
        self.tables[table] += n

    def version_rows(self, table: str, alias: str = "u") -> sql.Composable:
        """Condition selecting this version's rows of ``unified.<table>`` once published (binds %(fv)s and
        %(src)s): the source's current rows where the format publishes the table incrementally (kept rows
        carry the version that first recorded them), else the rows this version wrote."""
        if table in self.incremental_tables:
            return sql.SQL("{s} AND {a}.recorded_to IS NULL").format(s=of_source(table, alias),
                                                                     a=sql.Identifier(alias))
        return sql.SQL("{a}.feed_version_id = %(fv)s").format(a=sql.Identifier(alias))

    def analyze(self, *tables: str, sample_target: int | None = None,
                columns: Mapping[str, Sequence[str]] | None = None) -> None:
        """Fresh planner statistics for staging tables just written (a loader that joins them before
        publish calls this; the runner analyses the rest once, between load and publish). One statement for
        all of them; ``sample_target``: a smaller statistics target (sample of 300 × target rows) for big
        tables whose plans only need their row counts and rough key cardinalities; ``columns``: per table, the
        only columns to gather statistics for (those plans join or filter on; the row count is always
        renewed, other columns keep the statistics they had)."""
        if not tables:
            return
        cols = columns or {}
        stmt = sql.SQL("ANALYZE {}").format(sql.SQL(", ").join(
            sql.SQL("{} ({})").format(sql.Identifier(*t.split(".", 1)), sql.SQL(", ").join(map(sql.Identifier, cols[t])))
            if cols.get(t) else sql.Identifier(*t.split(".", 1)) for t in tables))
        if sample_target is None:
            self.conn.execute(stmt)
        else:  # one round trip; the setting is back to the session's default after it
            with psycopg.ClientCursor(self.conn) as cur:
                cur.execute(sql.SQL("SET LOCAL default_statistics_target = {}; {}; "
                                    "SET LOCAL default_statistics_target TO DEFAULT").format(
                    sql.Literal(int(sample_target)), stmt))
        self.analyzed.update(tables)

    def run_sql_file(self, path: Path, extra: Mapping[str, Any] | None = None) -> None:
        """Run a publish SQL file beside its Python caller with the standard parameters.

        The file may hold several statements (client-side binding); write a literal % as %%.
        """
        run_sql_file(self.conn, path, {**self.params, **(extra or {})}, log=self.log)
