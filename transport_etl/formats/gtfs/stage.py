"""Stream one GTFS file into its typed staging table with COPY, checking each field on the way:
a record that cannot be typed is quarantined (ctx.reject) with the MobilityData notice code."""

from __future__ import annotations

import json
import math
from collections.abc import Callable

from transport_etl.boundaries import Limits
from transport_etl.csv_records import Unreadable
from transport_etl.errors import InputRejected
from transport_etl.formats.gtfs.fastcopy import (
    EDGE_WHITESPACE,
    STREAM_SECONDS,
    fast_stage,
    is_padded,
    notice_blanks,
)
from transport_etl.formats.gtfs.reader import Entry, HashingReader, parse_date, parse_time, records
from transport_etl.formats.gtfs.spec import FileSpec
from transport_etl.formats.gtfs.trip_lines import NotCarryable
from transport_etl.ingest.context import LoadContext

_INT_MAX = 2**31 - 1


def _cached(parse: Callable[[str], object]) -> Callable[[str], object]:
    # Times and dates repeat a lot (stop_times has few distinct values): parse each once.
    cache: dict[str, object] = {}

    def conv(s: str) -> object:
        try:
            return cache[s]
        except KeyError:
            v = cache[s] = parse(s.strip())
            return v

    return conv


def _int(s: str) -> int:
    v = int(s)
    if not -_INT_MAX <= v <= _INT_MAX:
        raise ValueError(s)
    return v


def _enum(s: str) -> int:
    v = int(s)
    if not 0 <= v <= 32767:
        raise ValueError(s)
    return v


def _float(s: str) -> float:
    v = float(s)
    if not math.isfinite(v):
        raise ValueError(s)
    return v


_CODES = {"int": "invalid_integer", "enum": "invalid_integer", "float": "invalid_float", "date": "invalid_date",
          "time": "invalid_time"}


def _time_text(s: str) -> str:
    parse_time(s)
    return s


def _converter(kind: str) -> Callable[[str], object] | None:
    if kind == "time":
        return _cached(_time_text)
    if kind == "date":
        return _cached(parse_date)
    return {"int": _int, "enum": _enum, "float": _float}.get(kind)


def stage_file(ctx: LoadContext, entry: Entry, spec: FileSpec, carry: dict[str, str] | None = None) -> dict:
    """COPY the records of ``entry`` into ``spec.table``; returns header, rows and hash facts.

    Fast path first: the bytes go to PostgreSQL's own CSV parser (see fastcopy.py). If the server
    refuses a value, that attempt is rolled back to a savepoint and the file is read again record by
    record, quarantining exactly the bad records. ``carry`` (stop_times): trips that need not be staged
    when their lines are unchanged (delta.py); if the file cannot be read trip by trip, it is staged whole.
    """
    try:
        facts = fast_stage(ctx, entry, spec, carry)
    except NotCarryable as exc:
        ctx.log(f"  {spec.file_name}: {exc}: staging every trip")
        facts = fast_stage(ctx, entry, spec)
    if facts is not None:
        return facts
    return slow_stage(ctx, entry, spec)


def slow_stage(ctx: LoadContext, entry: Entry, spec: FileSpec) -> dict:
    """Record-by-record staging: every field checked in Python, bad records quarantined."""
    fname = spec.file_name
    stats = ctx.file(fname)
    hashing = HashingReader(entry.opener())
    import io

    it = records(io.BufferedReader(hashing, 1 << 16), Limits.of(ctx.source.options).max_line_bytes)
    first = next(it, None)
    if first is not None and isinstance(first[1], Unreadable):
        hashing.close()
        raise InputRejected(f"{fname} line 1 (the header): {first[1].reason}",
                            code="csv_parsing_failed")
    if first is None:
        ctx.notice("empty_file", "ERROR", f"{fname} is empty (no header)", file_name=fname)
        hashing.close()
        stats.sha256, stats.size_bytes = hashing.sha.hexdigest(), hashing.nbytes
        return {"header": [], "rows_in": 0}
    header = [h.strip() for h in first[1]]
    ncols = len(header)
    seen_cols: set[str] = set()
    known = []
    for i, h in enumerate(header):
        if h in seen_cols:
            # only the first such column is read (a table has one column of a name)
            ctx.notice("duplicated_column", "ERROR", f"column {h} appears twice in {fname}: the later one is not "
                       "read", file_name=fname, line_no=1, field_name=h)
        elif h in spec.types:
            known.append((i, h))
        seen_cols.add(h)
    extra = [(i, h) for i, h in enumerate(header) if h not in spec.types and h and header.index(h) == i]
    for _, h in extra:
        ctx.notice("unknown_column", "INFO", f"{fname} has a column GTFS does not define: {h} (kept in extra)",
                   file_name=fname, line_no=1, field_name=h)
    for col in spec.required:
        if col not in seen_cols:
            ctx.notice("missing_required_column", "ERROR", f"{fname} lacks the required column {col}",
                       file_name=fname, line_no=1, field_name=col)
    out_cols = [h for _, h in known]
    # Plan: (source index, converter or None, notice code, column) per output column.
    plan = [(i, _converter(spec.types[h]), _CODES.get(spec.types[h]), h) for i, h in known]
    req_idx = [k for k, (_, _, _, h) in enumerate(plan) if h in spec.required]
    key_idx = [k for k, (_, _, _, h) in enumerate(plan) if h in spec.key] if spec.key else []
    if spec.key and len(key_idx) != len(spec.key):
        key_idx = []
    seen_keys: set = set()
    fv = ctx.feed_version_id
    has_extra = bool(extra)
    # Seconds columns that are plain (not GENERATED) columns: filled here, like the fast path does.
    sec_idx = [k for k, h in enumerate(out_cols) if h in STREAM_SECONDS.get(spec.name, ())]
    cols = (["feed_version_id", "line_no", *out_cols] + [f"{out_cols[k]}_s" for k in sec_idx]
            + (["extra"] if has_extra else []))
    counts = {"rows_in": 0, "loaded": 0}
    blanks: list[int] = []

    def reject(line_no: int, row: list[str], code: str, msg: str) -> None:
        ctx.reject(fname, line_no, code, msg, ",".join(row))

    def staged_rows():
        # records go to COPY as they are checked; the quarantine evidence is written between pieces
        # (ctx.copy_rows), not held to the end of the file
        for line_no, row in it:
            if isinstance(row, Unreadable):
                counts["rows_in"] += 1
                ctx.reject(fname, line_no, "csv_parsing_failed", f"{row.reason} (the next lines are read as records "
                           "of their own)", row.text)
                continue
            if not row or (len(row) == 1 and not row[0].strip()):
                blanks.append(line_no)
                continue
            counts["rows_in"] += 1
            if len(row) < ncols:
                # Trailing optional fields left out: read them empty, say so, keep the row.
                ctx.notice("invalid_row_length", "WARNING", f"{len(row)} fields where the header has {ncols}: the "
                           "missing trailing fields are read as empty", file_name=fname, line_no=line_no)
                row = row + [""] * (ncols - len(row))
            if len(row) != ncols:
                reject(line_no, row, "invalid_row_length",
                       f"{len(row)} fields where the header has {ncols}")
                continue
            vals: list[object] = [fv, line_no]
            bad = None
            for i, conv, code, col in plan:
                v = row[i]
                if is_padded(v):
                    # read trimmed, as the MobilityData validator does: "T1 " in trips.txt is trip T1 of
                    # stop_times.txt, not an unknown trip
                    ctx.notice("leading_or_trailing_whitespaces", "WARNING", f"{col} = {v[:60]!r} has leading or "
                               "trailing whitespace: read trimmed", file_name=fname, line_no=line_no, field_name=col)
                    v = v.strip(EDGE_WHITESPACE)
                if not v:
                    vals.append(None)
                elif conv is None:
                    vals.append(v)
                else:
                    try:
                        vals.append(conv(v))
                    except (ValueError, TypeError):
                        bad = (code, f"{col} = {v!r} is not a valid {spec.types[col]}")
                        break
            if bad:
                reject(line_no, row, *bad)
                continue
            missing = [plan[k][3] for k in req_idx if vals[k + 2] is None]
            if missing:
                reject(line_no, row, "missing_required_field", f"required {', '.join(missing)} empty")
                continue
            if key_idx:
                key = tuple(vals[k + 2] for k in key_idx)
                if key in seen_keys:
                    reject(line_no, row, "duplicate_key",
                           f"{', '.join(spec.key)} = {', '.join(map(str, key))} repeats an earlier record")
                    continue
                seen_keys.add(key)
            for k in sec_idx:
                v = vals[k + 2]
                vals.append(None if v is None else parse_time(str(v).strip()))
            if has_extra:
                ex = {h: row[i] for i, h in extra if row[i]}
                vals.append(json.dumps(ex, ensure_ascii=False) if ex else None)
            counts["loaded"] += 1
            yield vals

    ctx.copy_rows(f"staging.gtfs_{spec.name}", cols, staged_rows())
    rows_in, loaded = counts["rows_in"], counts["loaded"]
    hashing.close()
    notice_blanks(ctx, fname, blanks)
    stats.rows_in += rows_in
    stats.rows_loaded += loaded
    stats.sha256, stats.size_bytes = hashing.sha.hexdigest(), hashing.nbytes
    ctx.count(spec.table, loaded)
    return {"header": header, "rows_in": rows_in, "sha256": stats.sha256, "size": hashing.nbytes}

