"""Hostile rail and stop-register inputs (fuzz-rail campaign): one bad value, byte or line is quarantined by
itself, never the whole input as an internal error; counts balance; nothing of a non-XML member is quoted."""

from __future__ import annotations

import csv
import io
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.hostile.damage import Case, Demo, file_copy, rezip

REGISTER, SR70, CZPTT = "regional-stop-register", "sz-sr70", "sz-czptt"
SR70_FILE = "rail-sr70-2026-08-15.csv"


def _gvd(fn: Callable[[str], str] | None = None, extra: list[tuple[str, bytes]] | None = None):
    """The demo's annual zip (a base: a new chain) with its first message transformed, members added."""
    def build(demo: Demo, tmp: Path) -> str:
        src = demo.path(CZPTT) / "GVD2026.zip"
        with zipfile.ZipFile(src) as z:
            first = sorted(z.namelist())[0]
            text = z.read(first).decode("utf-8")
        edits = {first: fn(text).encode("utf-8")} if fn else {}
        extra_members = [(name, data.replace(b"@SECRET@", demo.secret.read_bytes())) for name, data in extra or []]
        return rezip(src, tmp / "GVD2026.zip", edits, extra=extra_members)
    return build


def _sub(old: str, new: str) -> Callable[[str], str]:
    def fn(text: str) -> str:
        assert re.search(old, text), old
        return re.sub(old, new, text, count=1)
    return fn


def _sr70_rows(edit: Callable[[list[list[str]]], None]) -> Callable[[bytes, Demo], bytes]:
    def fn(data: bytes, _demo: Demo) -> bytes:
        rows = list(csv.reader(io.StringIO(data.decode("cp1250"), newline=""), delimiter=";"))
        edit(rows)
        out = io.StringIO()
        csv.writer(out, delimiter=";", lineterminator="\r\n").writerows(rows)
        return out.getvalue().encode("cp1250")
    return fn


def _strip_kind_zero(rows: list[list[str]]) -> None:
    k = rows[0].index("Kvalifikátor")
    for r in rows[1:]:
        r[k] = r[k].lstrip("0") or r[k]


def _wrong_check_digit(copy: bool) -> Callable[[list[list[str]]], None]:
    def edit(rows: list[list[str]]) -> None:
        r = list(rows[1])
        r[0] = r[0][:5] + str((int(r[0][5]) + 1) % 10)
        if copy:
            rows.insert(2, r)  # the same station again under a wrong check digit: line 3
        else:
            rows[1] = r
    return edit


def _line_bytes(n: int, fn: Callable[[bytes], bytes]) -> Callable[[bytes, Demo], bytes]:
    """Physical line ``n`` (1-based) of the file's bytes transformed."""
    def edit(data: bytes, _demo: Demo) -> bytes:
        lines = data.split(b"\n")
        lines[n - 1] = fn(lines[n - 1])
        return b"\n".join(lines)
    return edit


def _register_line_cp1250(data: bytes, _demo: Demo) -> bytes:
    lines = data.split(b"\n")
    lines[4] = lines[4].decode("utf-8").encode("cp1250")  # line 5 ("Ústí ..." in CP1250)
    return b"\n".join(lines)


BIG = {"max_rejected_bytes_ratio": 1.0}  # the over-long line is most of a small input's bytes: accepted
RAIL_CASES: list[Case] = [
    # CZPTT: one unusable value in one message of the annual zip rejects that message alone
    Case("czptt_dwell_not_a_number", "domain", CZPTT, _gvd(_sub(r"</Timing>", "</Timing><DwellTime>abc</DwellTime>")),
         "loaded", reject=("GVD2026.zip", None, "invalid_czptt")),
    Case("czptt_offset_100000", "domain", CZPTT, _gvd(_sub(r"<Offset>0</Offset>", "<Offset>100000</Offset>")),
         "loaded", reject=("GVD2026.zip", None, "invalid_czptt")),
    Case("czptt_offset_minus_1000000", "domain", CZPTT, _gvd(_sub(r"<Offset>0</Offset>", "<Offset>-1000000</Offset>")),
         "loaded", reject=("GVD2026.zip", None, "invalid_czptt")),
    Case("czptt_timetable_year_huge", "domain", CZPTT, _gvd(lambda t: t.replace(
        "<TimetableYear>2026</TimetableYear>", "<TimetableYear>99999999999</TimetableYear>")), "loaded",
         reject=("GVD2026.zip", None, "invalid_czptt")),
    Case("czptt_start_9999", "domain", CZPTT, _gvd(_sub(r"<StartDateTime>[^<]+<", "<StartDateTime>9999-12-30T00:00:00<")),
         "loaded", reject=("GVD2026.zip", None, "invalid_czptt")),
    # a member that is not XML holding a secret-like text: rejected, nothing of it quoted (assert_no_secret)
    Case("czptt_non_xml_member_not_quoted", "boundary", CZPTT, _gvd(extra=[("PA_x.xml", b"@SECRET@")]), "loaded",
         reject=("GVD2026.zip", None, "invalid_xml")),
    # SR70
    Case("sr70_kind_without_leading_zero", "domain", SR70, file_copy(SR70, _sr70_rows(_strip_kind_zero)), "loaded"),
    Case("sr70_duplicate_under_wrong_check_digit", "domain", SR70,
         file_copy(SR70, _sr70_rows(_wrong_check_digit(True))), "loaded", reject=(SR70_FILE, 3, "duplicate_key")),
    Case("sr70_wrong_check_digit", "domain", SR70, file_copy(SR70, _sr70_rows(_wrong_check_digit(False))), "loaded",
         notice=("invalid_check_digit", SR70_FILE, 2)),
    Case("sr70_undefined_cp1250_byte", "encoding", SR70, file_copy(SR70, _line_bytes(4, lambda b: b"\x98" + b)),
         "loaded", reject=(SR70_FILE, 4, "invalid_character")),
    Case("sr70_nul_byte", "encoding", SR70, file_copy(SR70, _line_bytes(4, lambda b: b.replace(b";", b"\x00;", 1))),
         "loaded", reject=(SR70_FILE, 4, "invalid_character")),
    Case("sr70_field_300k", "boundary", SR70, file_copy(SR70, _line_bytes(4, lambda b: b.replace(
        b";", b";" + b"A" * 300_000, 1))), "loaded", reject=(SR70_FILE, 4, "line_too_long"), options=BIG),
    Case("sr70_iso_8859_2", "encoding", SR70, file_copy(SR70, lambda d, _x: d.decode("cp1250").encode(
        "iso8859-2", "replace")), "loaded", notice=("encoding_recognised", SR70_FILE, None)),
    # stop register CSV
    Case("register_one_cp1250_line_in_utf8", "encoding", REGISTER, file_copy(REGISTER, _register_line_cp1250),
         "loaded", reject=("stop_register.csv", 5, "invalid_character")),
    Case("register_nul_byte", "encoding", REGISTER, file_copy(REGISTER, _line_bytes(
        5, lambda b: b.replace(b";", b"\x00;", 1))), "loaded", reject=("stop_register.csv", 5, "invalid_character")),
    Case("register_line_200k", "boundary", REGISTER, file_copy(REGISTER, _line_bytes(
        5, lambda b: b.replace(b";", b";" + b"A" * 200_000, 1))), "loaded",
         reject=("stop_register.csv", 5, "line_too_long"), options=BIG),
    Case("register_short_row", "domain", REGISTER, file_copy(REGISTER, _line_bytes(
        5, lambda b: b";".join(b.split(b";")[:3]))), "loaded", reject=("stop_register.csv", 5, "wrong_field_count")),
    Case("register_extra_field", "domain", REGISTER, file_copy(REGISTER, _line_bytes(5, lambda b: b.rstrip(b"\r") + b";x\r")),
         "loaded", reject=("stop_register.csv", 5, "wrong_field_count")),
]
