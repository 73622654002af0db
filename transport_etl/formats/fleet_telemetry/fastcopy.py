"""The fast path of a vendor CSV export: its bytes stream into PostgreSQL's CSV COPY (a temporary all-text
table, one column per header field, each record prefixed with its physical line number) with only a light
pass in Python per block of lines: line numbers, BOM, CRLF, blank lines, field counts. stage.sql then maps,
types and checks the records set-wise. A file this pass cannot take (a quoted field spanning lines, more
fields than COPY allows, bytes the server cannot read as the file's encoding) raises ``Fallback`` and the
loader reads it record by record instead, which ends in the same SQL checks."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator, Mapping
from pathlib import Path

import psycopg
from psycopg import sql

from transport_etl.boundaries import DEFAULT_MAX_LINE_BYTES, LineCapped, LineIssue
from transport_etl.db.copy import line_blocks
from transport_etl.formats.fleet_telemetry.reader import FIELDS

BLOCK = 1 << 20  # bytes per COPY write
MAX_COLUMNS = 400  # a wider "header" is not a telemetry export: read it record by record
# Python codec → the server's name for it (COPY ... ENCODING); other encodings take the record-by-record path.
SERVER_ENCODINGS = {"utf-8": "UTF8", "utf8": "UTF8", "utf-8-sig": "UTF8", "cp1250": "WIN1250",
                    "windows-1250": "WIN1250", "iso-8859-2": "LATIN2", "latin2": "LATIN2"}


class Fallback(Exception):
    """The fast path cannot take this file."""


def server_encoding(encoding: str | None) -> str | None:
    return SERVER_ENCODINGS.get((encoding or "utf-8").lower().replace("_", "-"))


def stage_csv(conn: psycopg.Connection, path: Path, columns: Mapping[str, str], delimiter: str | None,
              encoding: str | None, max_line: int = DEFAULT_MAX_LINE_BYTES, on_issue: LineIssue | None = None) -> None:
    """COPY the export into ``tmp_fleet_raw`` and define the view ``tmp_fleet_in`` (line_no, raw and the
    mapped fields as text) over it. Raises Fallback (nothing kept: the caller holds a savepoint). A line
    longer than ``max_line`` is not read: the shared line cap (boundaries.LineCapped) blanks it and
    reports it to ``on_issue`` (the loader quarantines it as line_too_long)."""
    enc = server_encoding(encoding)
    if enc is None:
        raise Fallback(f"encoding {encoding}")
    with path.open("rb") as head:
        if head.read(2) in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
            raise Fallback("UTF-16")  # the record-by-record path recognises and transcodes it

    def refuse(kind: str, line_no: int, nbytes: int, _head: bytes) -> None:
        raise Fallback(f"line {line_no}: {kind}")

    capped = LineCapped(path.open("rb"), max_line, on_issue or refuse, None, path.name)
    with io.BufferedReader(capped, BLOCK) as fh:
        first = fh.readline()
        if first.startswith(b"\xef\xbb\xbf"):
            first = first[3:]
        text = first.decode("utf-8" if enc == "UTF8" else encoding, errors="replace").rstrip("\r\n")
        if "\r" in text:
            raise Fallback("bare carriage return")  # old Mac line ends: the csv module reads them
        delim = delimiter or max((";", ",", "\t"), key=text.count)
        if len(delim) != 1 or delim == '"':
            raise Fallback("delimiter")
        header = [h.strip() for h in next(csv.reader(io.StringIO(text), delimiter=delim), [])]
        if not header or len(header) > MAX_COLUMNS:
            raise Fallback("header")
        ncols = len(header)
        cols = [sql.Identifier(f"c{i}") for i in range(ncols)]
        conn.execute(sql.SQL("CREATE TEMP TABLE tmp_fleet_raw (line_no integer, {}) ON COMMIT DROP").format(
            sql.SQL(", ").join(sql.SQL("{} text").format(c) for c in cols)))
        stmt = sql.SQL("COPY tmp_fleet_raw FROM STDIN (FORMAT csv, DELIMITER {}, ENCODING {})").format(
            sql.Literal(delim), sql.Literal(enc))
        with conn.cursor() as cur, cur.copy(stmt) as copy:
            for chunk in _numbered(fh, delim.encode(), ncols):
                copy.write(chunk)
    # The last column of a name wins, as in a dict of the row (the record-by-record reader).
    where = {name: i for i, name in enumerate(header)}
    picked = [sql.SQL("{} AS {}").format(cols[where[columns[f]]] if columns[f] in where else sql.SQL("NULL::text"),
                                         sql.Identifier(f)) for f in FIELDS]
    raw = sql.SQL("array_to_string(ARRAY[{}], {}, '')").format(sql.SQL(", ").join(cols), sql.Literal(delim))
    conn.execute(sql.SQL("CREATE TEMP VIEW tmp_fleet_in AS SELECT line_no, left({}, 2000) AS raw, {} "
                         "FROM tmp_fleet_raw").format(raw, sql.SQL(", ").join(picked)))


def _numbered(fh, delim: bytes, ncols: int) -> Iterator[bytes]:
    """COPY-ready chunks: every record prefixed with '<line number><delimiter>' (the header was line 1).
    Blocks of plain records (no quotes, no blank lines, the header's field count: counted per block at C
    speed) pass with one list comprehension; any other block goes line by line: blank lines are skipped,
    short records padded and long ones cut to the header (as a dict of the row reads them)."""
    n = 2
    want = (ncols - 1)
    for data in line_blocks(fh, BLOCK):
        lines = data.split(b"\n")
        lines.pop()
        nl = len(lines)
        if b"\r" in data:
            if data.count(b"\r\n") != data.count(b"\r"):
                raise Fallback("bare carriage return")
            lines = [ln[:-1] if ln.endswith(b"\r") else ln for ln in lines]
        if b'"' not in data and b"\n\n" not in data and b"\n\r\n" not in data and (nl == 0 or lines[0]) \
                and data.count(delim) == want * nl:
            yield b"".join([b"%d%b%b\n" % (i, delim, ln) for i, ln in enumerate(lines, n)])
            n += nl
            continue
        out = []
        for i, ln in enumerate(lines, n):
            if not ln.strip(b" \t" + delim):
                continue  # blank or separators only: not a record
            if b'"' in ln:
                if ln.count(b'"') % 2:
                    raise Fallback("quoted field spanning lines")
                fields = next(csv.reader([ln.decode("utf-8", errors="replace")], delimiter=delim.decode()))
                if len(fields) != ncols:
                    raise Fallback("quoted record of another width")
            elif ln.count(delim) != want:
                parts = ln.split(delim)[:ncols]
                ln = delim.join(parts + [b""] * (ncols - len(parts)))
            out.append(b"%d%b%b\n" % (i, delim, ln))
        n += nl
        yield b"".join(out)
