"""The fast staging path: stream a GTFS file's bytes into PostgreSQL's CSV COPY with only a light
pass in Python (line numbers, BOM, CRLF, blank lines, field counts), then check required fields and
duplicate keys in SQL. Any value the server cannot type aborts the attempt (savepoint) and the caller
falls back to record-by-record staging, which quarantines exactly the bad records."""

from __future__ import annotations

import csv
import io

import psycopg
from psycopg import sql

from transport_etl.ingest.context import LoadContext
from transport_etl.sources.municipal.gtfs.reader import Entry, HashingReader
from transport_etl.sources.municipal.gtfs.spec import FileSpec


def analyze(ctx: LoadContext, spec: FileSpec) -> None:
    """Fresh statistics, so validation and publish joins get hash plans instead of nested loops."""
    ctx.conn.execute(sql.SQL("ANALYZE {}").format(sql.Identifier("staging", f"gtfs_{spec.name}")))

_BATCH = 1 << 20  # bytes per COPY write


class _Fallback(Exception):
    """The fast path cannot take this file; stage it record by record."""


def _lines(stream, ncols: int, fv: int, rejects: list, blanks: list):
    """Yield COPY-ready CSV chunks: every record prefixed with 'feed_version_id,line_no,'."""
    prefix_fv = b"%d," % fv
    buf: list[bytes] = []
    size = 0
    pending: bytes | None = None
    start = 0
    for n, line in enumerate(stream, 2):  # the caller has read the header (line 1)
        line = line.rstrip(b"\r\n")
        if pending is not None:  # inside a quoted field spanning lines
            pending += b"\n" + line
            if pending.count(b'"') % 2:
                continue
            line, pending = pending, None
        else:
            start = n
            if not line.strip():
                blanks.append(n)
                continue
            q = line.count(b'"')
            if q % 2:
                pending = line
                continue
        if b'"' in line:
            fields = next(csv.reader([line.decode("utf-8", "replace")]))
            count = len(fields)
        else:
            count = line.count(b",") + 1
        if count != ncols:
            rejects.append((start, count, line))
            continue
        rec = prefix_fv + b"%d," % start + line + b"\n"
        buf.append(rec)
        size += len(rec)
        if size >= _BATCH:
            yield b"".join(buf)
            buf, size = [], 0
    if pending is not None:
        raise _Fallback("unterminated quoted field")
    if buf:
        yield b"".join(buf)


def fast_stage(ctx: LoadContext, entry: Entry, spec: FileSpec) -> dict | None:
    """Stage ``entry`` through COPY csv; None when the file needs the record-by-record path."""
    fname = spec.file_name
    raw = entry.opener()
    hashing = HashingReader(raw)
    stream = io.BufferedReader(hashing, 1 << 16)
    first = stream.readline()
    if not first.strip():
        hashing.close()
        return None
    try:
        header = [h.strip() for h in next(csv.reader([first.decode("utf-8-sig")]))]
    except UnicodeDecodeError:
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
    cols = ["feed_version_id", "line_no", *header]
    stmt = sql.SQL("COPY {} ({}) FROM STDIN (FORMAT csv, FORCE_NULL ({}))").format(
        sql.Identifier("staging", f"gtfs_{spec.name}"), sql.SQL(", ").join(map(sql.Identifier, cols)),
        sql.SQL(", ").join(map(sql.Identifier, header)))
    conn = ctx.conn
    try:
        with conn.transaction(), conn.cursor() as cur:
            with cur.copy(stmt) as copy:
                for chunk in _lines(stream, ncols, ctx.feed_version_id, rejects, blanks):
                    copy.write(chunk)
            loaded = cur.rowcount if cur.rowcount >= 0 else None
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
    for line_no in blanks:
        ctx.notice("empty_row", "WARNING", f"blank line in {fname}", file_name=fname, line_no=line_no)
    for line_no, count, line in rejects:
        ctx.reject(fname, line_no, "invalid_row_length", f"{count} fields where the header has {ncols}",
                   line.decode("utf-8", "replace"))
    records = loaded + len(rejects)
    loaded -= _post_checks(ctx, spec, header)
    stats = ctx.file(fname)
    stats.rows_in += records
    stats.rows_loaded += loaded
    stats.sha256, stats.size_bytes = hashing.sha.hexdigest(), hashing.nbytes
    ctx.count(spec.table, loaded)
    analyze(ctx, spec)
    return {"header": header, "rows_in": records, "sha256": stats.sha256, "size": hashing.nbytes}


def _post_checks(ctx: LoadContext, spec: FileSpec, header: list[str]) -> int:
    """Required fields and duplicate keys, in SQL over the staged rows: offenders are moved to
    lineage.rejected_record. Returns how many were moved."""
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
