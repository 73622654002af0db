"""CSV records from physical lines, the one way the mapped-record readers (parking, the fleet exports) split
them: a record's line number is its FIRST physical line (header = 1); a quoted field may span lines, but a
quote that never closes takes only its own line with it (the lines after it are read again as records);
a record with another field count than the header is broken, trailing empty fields (a spreadsheet's
trailing delimiters) excepted; blank lines are skipped; a csv.Error is one broken record, never the file."""

from __future__ import annotations

import csv
from collections import deque
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from transport_etl.boundaries import DEFAULT_MAX_LINE_BYTES

RAW_CHARS = 2000


@dataclass(frozen=True)
class BrokenRecord:
    """A record that cannot be read as fields: quarantine it with its first line."""

    line_no: int
    code: str      # unterminated_quote | invalid_row_length | invalid_record
    message: str
    raw: str


# A quoted field may span lines, but not without end: a record taking more physical lines or characters than
# this is an unterminated quote, quarantined on its first line while the lines after it are read again.
MAX_RECORD_LINES = 50


class _Lines:
    """Physical lines for csv.reader, numbered, with lines pushed back to be read again, and a cap on what one
    record may take (``ended`` says the record ran out of lines: end of input, or the cap)."""

    def __init__(self, lines: Iterator[str], first_no: int, max_chars: int):
        self.lines, self.next_no, self.max_chars = lines, first_no, max_chars
        self.back: deque[tuple[int, str]] = deque()
        self.start()

    def start(self) -> None:
        self.taken: list[tuple[int, str]] = []
        self.chars, self.ended = 0, False

    def __iter__(self) -> _Lines:
        return self

    def __next__(self) -> str:
        if self.taken and (len(self.taken) >= MAX_RECORD_LINES or self.chars > self.max_chars):
            self.ended = True
            raise StopIteration
        if self.back:
            item = self.back.popleft()
        else:
            line = next(self.lines, None)
            if line is None:
                self.ended = True
                raise StopIteration
            item = (self.next_no, line)
            self.next_no += 1
        self.taken.append(item)
        self.chars += len(item[1])
        return item[1]

    def reread_after_first(self) -> None:
        self.back.extendleft(reversed(self.taken[1:]))


def _raw(text: str) -> str:
    return text.rstrip("\r\n")[:RAW_CHARS].replace("\x00", "\ufffd")


def csv_records(lines: Iterable[str], delimiter: str, ncols: int | None, first_no: int = 2,
                max_chars: int = DEFAULT_MAX_LINE_BYTES) -> Iterator[tuple[int, list[str]] | BrokenRecord]:
    """(first line number, fields) of each record of ``lines`` (the lines after the header, the first
    numbered ``first_no``), or a BrokenRecord; with ``ncols`` None the field count is not checked."""
    src = _Lines(iter(lines), first_no, max_chars)
    reader = csv.reader(src, delimiter=delimiter)
    while True:
        src.start()
        try:
            row = next(reader)
        except StopIteration:
            return
        except csv.Error as exc:  # e.g. a field above csv's size limit: the record, never the file
            line_no, text0 = src.taken[0] if src.taken else (src.next_no, "")
            src.reread_after_first()
            yield BrokenRecord(line_no, "invalid_record", f"not a CSV record: {exc}", _raw(text0))
            continue
        line_no, text0 = src.taken[0]
        if src.ended or (len(src.taken) > 1 and ncols is not None and len(row) != ncols):
            # the quote opened on this line does not close into a record: only this line is lost
            src.reread_after_first()
            yield BrokenRecord(line_no, "unterminated_quote", f"line {line_no}: a quote that does not close (the "
                               "record is not read; the lines after it are)", _raw(text0))
            continue
        if not any(c.strip() for c in row):
            continue   # a blank line
        if ncols is not None and len(row) > ncols and not any(c.strip() for c in row[ncols:]):
            row = row[:ncols]   # trailing delimiters: nothing is lost
        if ncols is not None and len(row) != ncols:
            yield BrokenRecord(line_no, "invalid_row_length", f"{len(row)} fields where the header has {ncols}",
                               _raw(delimiter.join(row)))
            continue
        yield line_no, row
