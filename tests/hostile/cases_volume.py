"""Hostile volume of bad records: more quarantined or noted records in one file than a load buffers (5,000).
Their evidence used to be written on the connection while the file's COPY still held it, and the load hung
for ever (a GTFS stop_times.txt with 6,000 invalid times, a parking CSV with 6,000 bad rows). Each must load
(the bad records quarantined, every one in lineage.rejected_record) or be refused, in bounded time and memory."""

from __future__ import annotations

from tests.hostile.damage import Case, Demo, file_copy, gtfs_edit
from tests.hostile.fleet_cases import TELE, TELE_CSV, tele_csv

GTFS, PARKING = "municipal-dpmul-gtfs", "municipal-usti-parking"
BAD = 12_000  # over twice the evidence buffer


def _bad_times(text: str) -> str:
    """stop_times.txt with BAD more records whose arrival time is '8h05' (invalid_time), each quarantined."""
    lines = text.rstrip("\n").split("\n")
    header = lines[0].split(",")
    row = lines[1].split(",")
    row[header.index("arrival_time")] = "8h05"
    return "\n".join(lines + [",".join(row)] * BAD) + "\n"


def _nul_lines(text: str) -> str:
    """stop_times.txt with 25,000 more lines holding a NUL byte (invalid_character): more than the one-COPY
    path holds, so the file is read again record by record."""
    lines = text.rstrip("\n").split("\n")
    return "\n".join(lines + ["T\x00,08:00:00,08:00:00,X,1"] * 25_000) + "\n"


def _bad_parking_rows(data: bytes, _demo: Demo) -> bytes:
    """The parking CSV with BAD more rows whose capacity is not a number."""
    text = data.decode("utf-8").rstrip("\n")
    lines = text.split("\n")
    header = lines[0].split(";")
    row = lines[2].split(";")
    cap = next(i for i, h in enumerate(header) if "KAPACITA" in h.upper())
    row[cap] = "many"
    return ("\n".join(lines + [";".join(row)] * BAD) + "\n").encode("utf-8")


def _tele_nul_lines(data: bytes) -> bytes:
    """The telemetry export with 25,000 more lines holding a NUL byte: more than its one-COPY path holds."""
    return data + b"x\x00;1;2\r\n" * 25_000


VOLUME_CASES: list[Case] = [
    Case("gtfs_stop_times_12000_invalid_times", "boundary", GTFS, gtfs_edit("stop_times.txt", _bad_times), "loaded",
         reject=("stop_times.txt", None, "invalid_time"), options={"max_reject_ratio": 1.0}),
    Case("gtfs_stop_times_25000_nul_lines", "boundary", GTFS, gtfs_edit("stop_times.txt", _nul_lines), "loaded",
         reject=("stop_times.txt", None, "invalid_character"), options={"max_reject_ratio": 1.0}),
    Case("fleet_telemetry_25000_nul_lines", "boundary", TELE, tele_csv(_tele_nul_lines), "loaded",
         reject=(TELE_CSV, None, "invalid_character"), options={"max_reject_ratio": 1.0}),
    Case("parking_12000_bad_rows", "boundary", PARKING, file_copy(PARKING, _bad_parking_rows), "rejected",
         reason=r"error threshold"),
]
