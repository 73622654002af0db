"""CSV records read by physical line, with a bound on how far a quoted field may run: the one record splitter of
every CSV reader (GTFS, parking, the fleet exports).

A quoted field may hold line breaks, so a record can span lines; its line number is its FIRST physical line
(header = 1). A quote that is never closed (or closed by another stray quote hundreds of lines later) would make
a CSV reader swallow the rest of the file, or a long stretch of it, as one record: valid records would vanish
uncounted. Here a quoted field that runs past ``max_lines`` physical lines or ``max_bytes`` bytes (characters,
for text lines), or to the end of the file, makes its first line one :class:`Unreadable` record
(``unterminated_quote``), and reading goes on with the next line as a record of its own. A csv.Error is one
record (``invalid_record``), never the file.

Quoting is judged like PostgreSQL's CSV COPY does (every ``"`` toggles quoting), so that the physical line
numbers and record counts agree with the COPY fast paths that use the same rule (formats/gtfs/fastcopy.py).
The field count against a header is :func:`checked` (``invalid_row_length``), for the formats that want it.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import AnyStr

from transport_etl.boundaries import DEFAULT_MAX_LINE_BYTES, excerpt

# A quoted field spanning more lines than this is taken as unterminated (descriptions run a few lines).
MAX_RECORD_LINES = 100
RAW_CHARS = 2000  # what a quarantine keeps of an unreadable record's first line


@dataclass(frozen=True)
class Unreadable:
    """A record that cannot be read as CSV: its first physical line (``raw``), why, and the problem code
    (unterminated_quote | invalid_record | invalid_row_length)."""

    raw: bytes | str
    reason: str
    code: str = "unterminated_quote"

    @property
    def text(self) -> str:
        return excerpt(self.raw, 200)

    @property
    def kept(self) -> str:
        """The first line as a quarantine keeps it: bounded, without its line break, NUL as U+FFFD."""
        raw = self.raw.decode("utf-8", "replace") if isinstance(self.raw, bytes) else self.raw
        return raw.rstrip("\r\n")[:RAW_CHARS].replace("\x00", "\ufffd")


def records(lines: Iterable[AnyStr], max_lines: int = MAX_RECORD_LINES, max_bytes: int = DEFAULT_MAX_LINE_BYTES,
            encoding: str = "utf-8", delimiter: str = ",", first_no: int = 1, ncols: int | None = None
            ) -> Iterator[tuple[int, list[str] | Unreadable]]:
    """(physical line number of the record's first line, fields or :class:`Unreadable`) for every record of
    ``lines`` (physical lines split on LF, as a binary stream or a text file iterates; bytes are decoded with
    ``encoding``, undecodable bytes becoming U+FFFD), the first numbered ``first_no``. A UTF-8 BOM on line 1 and
    CRLF are handled. A blank line gives ``[""]``. With ``ncols``, a record spanning lines whose field count
    does not fit (:func:`checked`) is taken as a stray quote: its first line is unreadable, the rest read again."""
    source = enumerate(lines, first_no)
    again: deque[tuple[int, AnyStr]] = deque()  # lines to read again after an unreadable record

    def pull() -> tuple[int, AnyStr] | None:
        return again.popleft() if again else next(source, None)

    first = pull()
    if first is None:
        return
    quote, bom = (b'"', b"\xef\xbb\xbf") if isinstance(first[1], bytes) else ('"', "\ufeff")
    again.append(first)
    while (item := pull()) is not None:
        n, raw = item
        if n == 1 and raw.startswith(bom):
            raw = raw[len(bom):]
        if not raw.count(quote) % 2:
            yield n, fields(raw, encoding, delimiter)
            continue
        held, size, closed = [(n, raw)], len(raw), False
        while len(held) <= max_lines and size <= max_bytes:
            nxt = pull()
            if nxt is None:
                break
            held.append(nxt)
            size += len(nxt[1])
            if nxt[1].count(quote) % 2:
                closed = True
                break
        if closed and len(held) <= max_lines and size <= max_bytes:
            row = fields(raw[:0].join(r for _, r in held), encoding, delimiter)
            if not isinstance(row, Unreadable) and (ncols is None or not isinstance(checked(row, ncols), Unreadable)):
                yield n, row
                continue
            # quotes that pair up across lines but not as CSV (a stray quote inside a field), or (with ncols)
            # not as a record of the header's width: as an open quote
            yield n, Unreadable(raw, "a stray quote on this line: what it opens does not read as a CSV record")
        else:
            where = ("before the end of the file" if not closed and len(held) <= max_lines and size <= max_bytes
                     else f"within {max_lines} lines or {max_bytes:,} bytes")
            yield n, Unreadable(raw, f"a quoted field opened on this line is not closed {where}")
        again.extendleft(reversed(held[1:]))


def fields(raw: bytes | str, encoding: str = "utf-8", delimiter: str = ",") -> list[str] | Unreadable:
    """The fields of one whole record (its line break(s) inside quotes kept, the final one dropped)."""
    text = raw.decode(encoding, "replace") if isinstance(raw, bytes) else raw
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):  # CRLF, or CR CR LF (a CRLF file written again by a tool that adds CRs)
        text = text.rstrip("\r")
    if '"' not in text:
        row = text.split(delimiter)
        # a CR before a delimiter: a column appended to a CRLF file by an LF-only tool
        return [f.rstrip("\r") for f in row] if "\r" in text else row
    try:
        return next(_reader(text, delimiter), [""])
    except csv.Error:
        pass
    try:
        return next(_reader(text.replace("\r" + delimiter, delimiter), delimiter), [""])
    except csv.Error as exc:  # e.g. a field above csv's size limit: the record, never the file
        # (the message without its file-mode hint)
        return Unreadable(raw, f"not readable as CSV: {str(exc).split(' - ')[0]}", "invalid_record")


def _reader(text: str, delimiter: str) -> Iterator[list[str]]:
    # the default dialect without keywords: csv.reader builds a new dialect for every call given one (GTFS speed)
    return csv.reader([text]) if delimiter == "," else csv.reader([text], delimiter=delimiter)


def checked(row: list[str], ncols: int | None, delimiter: str = ",") -> list[str] | Unreadable | None:
    """``row`` held against a header of ``ncols`` fields (None: not checked): None for a blank record (every field
    empty: skip it), trailing empty fields beyond the header dropped (a spreadsheet's trailing delimiters:
    nothing is lost), and another field count :class:`Unreadable` (``invalid_row_length``)."""
    if not any(c.strip() for c in row):
        return None
    if ncols is None or len(row) == ncols:
        return row
    if len(row) > ncols and not any(c.strip() for c in row[ncols:]):
        return row[:ncols]
    return Unreadable(delimiter.join(row), f"{len(row)} fields where the header has {ncols}", "invalid_row_length")


def checked_records(lines: Iterable[AnyStr], delimiter: str, ncols: int | None, first_no: int = 1,
                    max_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Iterator[tuple[int, list[str] | Unreadable]]:
    """:func:`records` as the mapped-record readers (parking, the fleet exports) take them: blank records
    skipped, the field count held against ``ncols`` (:func:`checked`; None: not checked)."""
    for n, row in records(lines, max_bytes=max_bytes, delimiter=delimiter, first_no=first_no, ncols=ncols):
        if not isinstance(row, Unreadable):
            row = checked(row, ncols, delimiter)
            if row is None:
                continue
        yield n, row
