"""The fast staging path: stream a GTFS file's bytes into PostgreSQL's CSV COPY with only a light
pass in Python (line numbers, BOM, CRLF, blank lines, field counts), then check required fields and
duplicate keys in SQL. Any value the server cannot type aborts the attempt (savepoint) and the caller
falls back to record-by-record staging, which quarantines exactly the bad records."""

from __future__ import annotations

import csv
import io

import psycopg
from psycopg import sql

from transport_etl.boundaries import DEFAULT_MAX_LINE_BYTES, Limits, lines_refused
from transport_etl.csv_records import MAX_RECORD_LINES
from transport_etl.db.copy import line_blocks
from transport_etl.formats.gtfs.reader import Entry, HashingReader, parse_time
from transport_etl.formats.gtfs.spec import FileSpec
from transport_etl.formats.gtfs.trip_lines import NotCarryable, TripLines
from transport_etl.ingest.context import HELD_DURING_COPY, LoadContext

_BATCH = 1 << 20  # bytes per COPY write


class _Fallback(Exception):
    """The fast path cannot take this file; stage it record by record."""


# Seconds columns filled in the stream instead of GENERATED columns (schemas/102_gtfs_stream_seconds.sql):
# a stored generated column makes the server form every tuple twice (~1.5 s of 4.5 s on HART's stop_times),
# while the stream parses each distinct time once (cached) and runs beside the server's COPY on another core.
STREAM_SECONDS = {"stop_times": ("arrival_time", "departure_time", "start_pickup_drop_off_window",
                                 "end_pickup_drop_off_window")}


class _Seconds(dict):
    """Published time (bytes) → its seconds as COPY text; each distinct time parsed once. A plain dict
    lookup per value (no Python call on a hit): stop_times repeats few distinct times."""

    def __missing__(self, v: bytes) -> bytes:
        if not v:
            r = b""
        else:
            try:
                r = b"%d" % parse_time(v.decode("utf-8"))
            except (ValueError, UnicodeDecodeError) as exc:
                raise _Fallback(f"invalid time {v[:20]!r}") from exc
        self[v] = r
        return r


EDGE_WHITESPACE = " \t\r\n\x0b\x0c"  # what a GTFS value is read trimmed of (the validator's String.trim(), ASCII)
_EDGE_BYTES = EDGE_WHITESPACE.encode()


def is_padded(value: str | bytes) -> bool:
    """Whether a value starts or ends with EDGE_WHITESPACE (the record-by-record path reads it trimmed)."""
    edge = EDGE_WHITESPACE if isinstance(value, str) else _EDGE_BYTES
    return bool(value) and (value[:1] in edge or value[-1:] in edge)


def _edge_space(data: bytes) -> bool:
    """Whether a block of unquoted records may hold a value with leading or trailing whitespace (C-speed
    searches; a tab anywhere counts): such blocks are read line by line."""
    return (b", " in data or b" ," in data or b" \n" in data or b"\n " in data or data[:1] == b" "
            or b"\t" in data)


def _lines(stream, ncols: int, fv: int, rejects: list, blanks: list, secs: tuple[int, ...] = (),
           padded: list | None = None, trips: TripLines | None = None, max_bytes: int = DEFAULT_MAX_LINE_BYTES):
    """Yield COPY-ready CSV chunks: every record prefixed with 'feed_version_id,line_no,' and, for the
    field indexes in ``secs``, followed by their times in seconds (one column each).

    Blocks of plain records (no quotes, no blank lines, the header's field count: checked per block
    with C-level byte counts) take a list-comprehension path; any other block goes record by record.
    With ``trips`` (stop_times), the plain blocks are also cut into trips, and carried trips are not sent."""
    prefix_fv = b"%d," % fv
    cache = _Seconds()
    # Only the fields up to the last seconds column are split off (the rest of the line stays one piece).
    upto = max(secs) + 1 if secs else 0
    if len(secs) == 2:  # arrival_time and departure_time: the usual stop_times.txt
        a, d = secs

        def render(lines: list[bytes], first: int) -> bytes:
            return b"".join([b"%b%d,%b,%b,%b\n" % (prefix_fv, i, ln, cache[f[a]], cache[f[d]])
                             for i, ln in enumerate(lines, first) for f in (ln.split(b",", upto),)])
    elif secs:
        def render(lines: list[bytes], first: int) -> bytes:
            return b"".join([b"%b%d,%b,%b\n" % (prefix_fv, i, ln, b",".join([cache[f[k]] for k in secs]))
                             for i, ln in enumerate(lines, first) for f in (ln.split(b",", upto),)])
    else:
        def render(lines: list[bytes], first: int) -> bytes:
            return b"".join([b"%b%d,%b\n" % (prefix_fv, i, ln) for i, ln in enumerate(lines, first)])
    n = 2  # physical line number of the next line (the caller has read the header, line 1)
    pending: bytes | None = None
    start = 0
    span = 0  # physical lines of the pending record
    for data in line_blocks(stream, _BATCH):
        nl = data.count(b"\n")
        if b"\r" not in data:
            plain = True
        elif data.count(b"\r\n") == data.count(b"\r") == nl:  # CRLF throughout: one replace, at C speed
            data = data.replace(b"\r\n", b"\n")
            plain = True
        else:
            plain = False
        lines = data.split(b"\n")
        lines.pop()  # data ends with a newline
        if not plain:
            lines = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
        if (plain and pending is None and ncols > 1 and b'"' not in data and b"\n\n" not in data
                and (nl == 0 or lines[0]) and data.count(b",") == (ncols - 1) * nl
                and b"\r\n\r\n" not in data and not _edge_space(data)):
            if trips is not None:
                sent = trips.block(lines, n, render)
                n += nl
                if sent:
                    yield sent
                continue
            out = render(lines, n)
            n += nl
            yield out
            continue
        if trips is not None:
            held = trips.irregular()
            if held:
                yield held
        buf: list[bytes] = []
        for line in lines:
            ln_no = n
            n += 1
            if pending is not None:  # inside a quoted field spanning lines
                pending += b"\n" + line
                span += 1
                if span > MAX_RECORD_LINES or len(pending) > max_bytes:
                    # a quote left open: the record-by-record path quarantines its first line and reads on
                    # (transport_etl.csv_records, same limits)
                    raise _Fallback(f"quoted field on line {start} not closed within {MAX_RECORD_LINES} lines")
                if line.count(b'"') % 2 == 0:
                    continue
                line, pending = pending, None
            else:
                start = ln_no
                if not line.strip():
                    blanks.append(ln_no)
                    continue
                if line.count(b'"') % 2:
                    pending, span = line, 1
                    continue
            if b'"' in line:
                try:
                    fields = next(csv.reader([line.decode("utf-8", "replace")]))
                except csv.Error as exc:  # a stray quote: the record-by-record path quarantines that line
                    raise _Fallback(f"line {start}: {exc}") from exc
                count = len(fields)
                if secs and count == ncols:
                    vals = [fields[k].encode("utf-8") for k in secs]
            else:
                fields = line.split(b",")
                count = len(fields)
                if secs and count == ncols:
                    vals = [fields[k] for k in secs]
            if any(is_padded(f) for f in fields):
                # a value to read trimmed, with a notice per value: the record-by-record path does both
                raise _Fallback(f"line {start}: a value with leading or trailing whitespace")
            if count < ncols and padded is not None:
                # Trailing optional fields left out (hand-made feeds): read them empty, say so, keep the row.
                padded.append((start, count))
                line += b"," * (ncols - count)
                if secs:
                    vals = [(fields[k].encode("utf-8") if isinstance(fields[k], str) else fields[k])
                            if k < count else b"" for k in secs]
                count = ncols
            if count != ncols:
                rejects.append((start, count, line))
                continue
            rec = prefix_fv + b"%d," % start + line
            if secs:
                rec += b"," + b",".join([cache[v] for v in vals])
            buf.append(rec + b"\n")
        if buf:
            yield b"".join(buf)
    if pending is not None:
        raise _Fallback("unterminated quoted field")
    if trips is not None:
        tail = trips.finish()
        if tail:
            yield tail


def fast_stage(ctx: LoadContext, entry: Entry, spec: FileSpec, carry: dict[str, str] | None = None) -> dict | None:
    """Stage ``entry`` through COPY csv; None when the file needs the record-by-record path. For stop_times,
    the facts returned include its trips (TripLines): those whose digest is their ``carry`` value are not
    staged (trip_lines.NotCarryable when that cannot be decided trip by trip)."""
    fname = spec.file_name
    raw = entry.opener()
    hashing = HashingReader(raw)
    stream = io.BufferedReader(hashing, 1 << 16)
    first = stream.readline()
    if not first.strip():
        hashing.close()
        return None
    if b"\r" in first.rstrip(b"\r\n") or first.count(b'"') % 2:
        # a stray CR (a column appended to a CRLF file by an LF-only tool) or a quote left open in the header:
        # the record-by-record path reads it
        hashing.close()
        return None
    try:
        header = [h.strip() for h in next(csv.reader([first.decode("utf-8-sig")]))]
    except (UnicodeDecodeError, csv.Error):
        hashing.close()
        return None
    # Unknown or repeated columns need the extra jsonb built per record: slow path.
    if len(set(header)) != len(header) or any(h not in spec.types for h in header):
        hashing.close()
        return None
    missing_cols = [c for c in spec.required if c not in header]
    if missing_cols:
        hashing.close()
        return None
    ncols = len(header)
    rejects: list = []
    blanks: list = []
    padded: list = []
    sec_cols = [c for c in STREAM_SECONDS.get(spec.name, ()) if c in header]
    secs = tuple(header.index(c) for c in sec_cols)
    trips = TripLines(header.index("trip_id"), carry) if spec.name == "stop_times" and "trip_id" in header else None
    stmt = _copy_statement(spec, header, sec_cols)
    conn = ctx.conn
    try:
        with conn.transaction(), conn.cursor() as cur:
            with cur.copy(stmt) as copy:
                for chunk in _lines(stream, ncols, ctx.feed_version_id, rejects, blanks, secs, padded, trips,
                                    Limits.of(ctx.source.options).max_line_bytes):
                    copy.write(chunk)
                    if len(rejects) + len(padded) + ctx.evidence_pending > HELD_DURING_COPY:
                        # the evidence cannot be written while this COPY holds the connection: the record-by-
                        # record path writes it as it goes (ctx.copy_rows), with memory bounded
                        raise _Fallback(f"over {HELD_DURING_COPY:,} records quarantined or noted")
            loaded = cur.rowcount if cur.rowcount >= 0 else None
    except NotCarryable:
        hashing.close()
        raise
    except (psycopg.errors.DataError, psycopg.errors.InvalidTextRepresentation, _Fallback,
            psycopg.errors.BadCopyFileFormat, psycopg.errors.CharacterNotInRepertoire, UnicodeDecodeError) as exc:
        ctx.log(f"  {fname}: bulk COPY refused ({str(exc).splitlines()[0][:120]}); checking record by record")
        hashing.close()
        return None
    # Drain whatever is left unread, so the hash covers the whole file.
    while stream.read(1 << 20):
        pass
    hashing.close()
    if loaded is None:
        loaded = conn.execute(sql.SQL("SELECT count(*) FROM {} WHERE feed_version_id = %s").format(
            sql.Identifier("staging", f"gtfs_{spec.name}")), (ctx.feed_version_id,)).fetchone()[0]
    for line_no, count in padded:
        ctx.notice("invalid_row_length", "WARNING", f"{count} fields where the header has {ncols}: the missing "
                   "trailing fields are read as empty", file_name=fname, line_no=line_no)
    for line_no, count, line in rejects:
        ctx.reject(fname, line_no, "invalid_row_length", f"{count} fields where the header has {ncols}",
                   line.decode("utf-8", "replace"))
    # Carried trips' lines are records of this version too (their rows are the previous version's), and so
    # are the runs delta.py stages after this read (late).
    carried = trips.carried_lines + trips.late_lines if trips is not None else 0  # late: staged after this
    notice_blanks(ctx, fname, blanks)
    records = loaded + len(rejects) + carried
    loaded -= _post_checks(ctx, spec, header)
    loaded += carried
    stats = ctx.file(fname)
    stats.rows_in += records
    stats.rows_loaded += loaded
    stats.sha256, stats.size_bytes = hashing.sha.hexdigest(), hashing.nbytes
    ctx.count(spec.table, loaded)  # analysed with the other staged files (loader.analyze_staged)
    return {"header": header, "rows_in": records, "sha256": stats.sha256, "size": hashing.nbytes,
            "trips": trips if trips is not None and trips.usable else None}


def notice_blanks(ctx: LoadContext, fname: str, blanks: list[int]) -> None:
    """Blank lines of a file get an empty_row notice, except those the shared line checks blanked (a NUL
    byte, too long, undecodable): quarantined records, counted in rows_in by boundaries.line_rejecter."""
    refused = lines_refused(ctx, fname)
    for line_no in blanks:
        if line_no not in refused:
            ctx.notice("empty_row", "WARNING", f"blank line in {fname}", file_name=fname, line_no=line_no)


def _copy_statement(spec: FileSpec, header: list[str], sec_cols: list[str]) -> sql.Composed:
    cols = ["feed_version_id", "line_no", *header, *(f"{c}_s" for c in sec_cols)]
    return sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, FORCE_NULL ({}))").format(
        sql.Identifier("staging", f"gtfs_{spec.name}"), sql.SQL(", ").join(map(sql.Identifier, cols)),
        sql.SQL(", ").join(map(sql.Identifier, header)))


def restage_runs(ctx: LoadContext, entry: Entry, spec: FileSpec, starts: set[int]) -> None:
    """COPY just the trip runs starting at lines ``starts`` of a stop_times file read before on the regular
    path (carried trips that turn out to need their rows: delta.py); the file's counts and notices are those
    of the first read."""
    with entry.opener() as raw:
        stream = io.BufferedReader(raw, 1 << 16)
        header = [h.strip() for h in next(csv.reader([stream.readline().decode("utf-8-sig")]))]
        sec_cols = [c for c in STREAM_SECONDS.get(spec.name, ()) if c in header]
        only = TripLines(header.index("trip_id"), only=starts)
        with ctx.conn.cursor() as cur, cur.copy(_copy_statement(spec, header, sec_cols)) as copy:
            for chunk in _lines(stream, len(header), ctx.feed_version_id, [], [],
                                tuple(header.index(c) for c in sec_cols), [], only):
                copy.write(chunk)


# stop_times' required fields and duplicate (trip_id, stop_sequence) keys are found by validate.sql in the
# ordered pass over stop_times it makes anyway (gtfs_st), instead of two more passes here (~1 s on HART).
CHECKED_IN_VALIDATION = {"stop_times"}


def _post_checks(ctx: LoadContext, spec: FileSpec, header: list[str]) -> int:
    """Required fields and duplicate keys, in SQL over the staged rows: offenders are moved to
    lineage.rejected_record. Returns how many were moved."""
    if spec.name in CHECKED_IN_VALIDATION:
        return 0
    table = sql.Identifier("staging", f"gtfs_{spec.name}")
    fv = ctx.feed_version_id
    req = [c for c in spec.required if c in header]
    conds = sql.SQL(" OR ").join(sql.SQL("{} IS NULL").format(sql.Identifier(c)) for c in req) if req else None
    parts = []
    if conds is not None:
        parts.append(sql.SQL("SELECT line_no, 'missing_required_field' AS code, 'a required field is empty' AS msg "
                             "FROM {t} WHERE feed_version_id = %(fv)s AND ({c})").format(t=table, c=conds))
    if spec.key and all(k in header for k in spec.key):
        keys = sql.SQL(", ").join(map(sql.Identifier, spec.key))
        parts.append(sql.SQL(
            "SELECT line_no, 'duplicate_key', 'repeats the key of an earlier record' FROM ("
            "SELECT line_no, row_number() OVER (PARTITION BY {k} ORDER BY line_no) AS rn FROM {t} "
            "WHERE feed_version_id = %(fv)s AND ({k}) IN (SELECT {k} FROM {t} WHERE feed_version_id = %(fv)s "
            "GROUP BY {k} HAVING count(*) > 1)) d WHERE rn > 1").format(k=keys, t=table))
    if not parts:
        return 0
    bad = ctx.conn.execute(sql.SQL(" UNION ").join(parts), {"fv": fv}).fetchall()
    if not bad:
        return 0
    by_line = {line_no: (code, msg) for line_no, code, msg in bad}
    rows = ctx.conn.execute(sql.SQL("DELETE FROM {t} AS x WHERE feed_version_id = %s AND line_no = ANY(%s) "
                                    "RETURNING line_no, to_jsonb(x)::text").format(t=table),
                            (fv, list(by_line))).fetchall()
    for line_no, raw in rows:
        code, msg = by_line[line_no]
        ctx.reject(spec.file_name, line_no, code, msg, raw)
    return len(rows)
