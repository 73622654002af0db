"""CSV records read by physical line, with a bound on how far a quoted field may run.

A quoted field may hold line breaks, so a record can span lines. A quote that is never closed (or closed by
another stray quote hundreds of lines later) would make a CSV reader swallow the rest of the file, or a long
stretch of it, as one record: valid records would vanish uncounted. Here a quoted field that runs past
``max_lines`` physical lines or ``max_bytes`` bytes, or to the end of the file, makes its first line one
:class:`Unreadable` record, and reading goes on with the next line as a record of its own.

Quoting is judged like PostgreSQL's CSV COPY does (every ``"`` toggles quoting), so that the physical line
numbers and record counts agree with the COPY fast paths that use the same rule.
"""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from transport_etl.boundaries import DEFAULT_MAX_LINE_BYTES, excerpt

# A quoted field spanning more lines than this is taken as unterminated (descriptions run a few lines).
MAX_RECORD_LINES = 100


@dataclass(frozen=True)
class Unreadable:
    """A record that cannot be read as CSV: its first physical line (``raw``) and why."""

    raw: bytes
    reason: str

    @property
    def text(self) -> str:
        return excerpt(self.raw, 200)


def records(lines: Iterable[bytes], max_lines: int = MAX_RECORD_LINES, max_bytes: int = DEFAULT_MAX_LINE_BYTES,
            encoding: str = "utf-8") -> Iterator[tuple[int, list[str] | Unreadable]]:
    """(physical line number of the record's first line, fields or :class:`Unreadable`) for every record of
    ``lines`` (physical lines split on LF, as a binary stream iterates), header included (line 1). A UTF-8
    BOM and CRLF are handled; undecodable bytes become U+FFFD. A blank line gives ``[""]``."""
    source = enumerate(lines, 1)
    again: deque[tuple[int, bytes]] = deque()  # lines to read again after an unreadable record

    def pull() -> tuple[int, bytes] | None:
        return again.popleft() if again else next(source, None)

    while (item := pull()) is not None:
        n, raw = item
        if n == 1 and raw.startswith(b"\xef\xbb\xbf"):
            raw = raw[3:]
        if not raw.count(b'"') % 2:
            yield n, fields(raw, encoding)
            continue
        held, size, closed = [(n, raw)], len(raw), False
        while len(held) <= max_lines and size <= max_bytes:
            nxt = pull()
            if nxt is None:
                break
            held.append(nxt)
            size += len(nxt[1])
            if nxt[1].count(b'"') % 2:
                closed = True
                break
        if closed and len(held) <= max_lines and size <= max_bytes:
            row = fields(b"".join(r for _, r in held), encoding)
            if not isinstance(row, Unreadable):
                yield n, row
                continue
            # quotes that pair up across lines but not as CSV (a stray quote inside a field): as an open quote
            yield n, Unreadable(raw, "a stray quote on this line: what it opens does not read as a CSV field")
            again.extendleft(reversed(held[1:]))
            continue
        where = ("before the end of the file" if not closed and len(held) <= max_lines and size <= max_bytes
                 else f"within {max_lines} lines or {max_bytes:,} bytes")
        yield n, Unreadable(raw, f"a quoted field opened on this line is not closed {where}")
        again.extendleft(reversed(held[1:]))


def fields(raw: bytes, encoding: str = "utf-8") -> list[str] | Unreadable:
    """The fields of one whole record (its line break(s) inside quotes kept, the final one dropped)."""
    text = raw.decode(encoding, "replace")
    if text.endswith("\n"):
        text = text[:-1]
    if text.endswith("\r"):  # CRLF, or CR CR LF (a CRLF file written again by a tool that adds CRs)
        text = text.rstrip("\r")
    if '"' not in text:
        row = text.split(",")
        # a CR before a comma: a column appended to a CRLF file by an LF-only tool
        return [f.rstrip("\r") for f in row] if "\r" in text else row
    try:
        return next(csv.reader([text]), [""])
    except csv.Error:
        pass
    try:
        return next(csv.reader([text.replace("\r,", ",")]), [""])
    except csv.Error as exc:
        return Unreadable(raw, f"not readable as CSV: {str(exc).split(' - ')[0]}")  # (not its file-mode hint)
