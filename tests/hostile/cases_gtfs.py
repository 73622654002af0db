"""Hostile GTFS CSV (fuzzing campaign of issue 13, GTFS findings): a quote left open, a stray CR or a repeated
column in a header, a NUL byte inside a field on the fast path, one bad byte in a UTF-8 file."""

from __future__ import annotations

from tests.hostile.damage import Case, gtfs_edit

GTFS = "municipal-dpmul-gtfs"


def _open_quote(line: int):
    """Text transform: the first field separator of physical line ``line`` opens a quote never closed."""
    def fn(text: str) -> str:
        lines = text.split("\n")
        lines[line - 1] = lines[line - 1].replace(",", ',"', 1)
        return "\n".join(lines)
    return fn


def _appended_column(text: str) -> str:
    """A column appended to a CRLF file by a tool that writes LF: every line gets ',x\\n' after its CR, and the
    new column repeats a name."""
    lines = text.split("\r\n")
    return "".join(f"{ln}\r,{'stop_name' if i == 0 else 'other'}\n" for i, ln in enumerate(lines) if ln)


def _bad_utf8_byte(text: str) -> bytes:
    """UTF-8 with one byte that is not UTF-8 in line 3: only that line is quarantined, the file stays UTF-8 (read
    as CP1250 whole, 0xFF is a letter: nothing would be quarantined and every other name would be garbled)."""
    lines = [ln.encode() for ln in text.split("\n")]
    lines[2] = lines[2].replace(b",", b",\xff", 1)
    return b"\n".join(lines)


def _nul_in_field(text: str) -> str:
    lines = text.split("\n")
    lines[3] = lines[3].replace(":00,", ":\x0000,", 1)
    return "\n".join(lines)


GTFS_CASES: list[Case] = [
    # the rest of stop_times.txt (every line after 5) is read, not swallowed into one record
    Case("gtfs_stop_times_quote_left_open", "boundary", GTFS, gtfs_edit("stop_times.txt", _open_quote(5)), "loaded",
         reject=("stop_times.txt", 5, "csv_parsing_failed"), cli=True),
    Case("gtfs_stops_stray_cr_in_header", "failure", GTFS, gtfs_edit(
        "stops.txt", lambda t: t.replace("stop_code,", "stop_code\r,", 1)), "loaded", cli=True),
    Case("gtfs_stops_column_appended_by_lf_tool", "failure", GTFS, gtfs_edit("stops.txt", _appended_column),
         "loaded", notice=("duplicated_column", "stops.txt", 1), cli=True),
    Case("gtfs_stop_times_nul_in_field", "encoding", GTFS, gtfs_edit("stop_times.txt", _nul_in_field), "loaded",
         reject=("stop_times.txt", 4, "invalid_character")),
    Case("gtfs_stops_utf8_one_bad_byte", "encoding", GTFS, gtfs_edit("stops.txt", _bad_utf8_byte), "loaded",
         reject=("stops.txt", 3, "invalid_character"), options={"max_reject_ratio": 0.5}),
]
