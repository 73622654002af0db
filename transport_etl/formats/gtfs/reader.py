"""Open a GTFS input (zip, zip with the feed in a nested folder, or a folder) and stream its CSV
records. Knows the file format only: no database, no Dagster."""

from __future__ import annotations

import csv
import hashlib
import io
import zipfile
import zlib
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from transport_etl import csv_records
from transport_etl.boundaries import DEFAULT_MAX_LINE_BYTES, Limits, excerpt, folder_files, open_zip
from transport_etl.csv_records import Unreadable
from transport_etl.errors import InputRejected
from transport_etl.formats.gtfs.spec import BY_FILE

_SYSTEM_PARTS = ("__MACOSX", ".DS_Store", "Thumbs.db", "desktop.ini")
csv.field_size_limit(1 << 24)


@dataclass(frozen=True)
class Entry:
    """One file of the input. ``name`` is its path as published; ``gtfs_name`` the standard file
    name it stands for (None for files that are not GTFS); ``kind`` gtfs | unknown | system."""

    name: str
    gtfs_name: str | None
    kind: str
    size: int
    opener: Callable[[], BinaryIO]


class HashingReader(io.RawIOBase):
    """A raw stream that hashes the bytes read through it (per-file sha256 without a second pass)."""

    def __init__(self, raw: BinaryIO):
        self.raw = raw
        self.sha = hashlib.sha256()
        self.nbytes = 0

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # noqa: ANN001 - buffer protocol
        data = self.raw.read(len(b))
        n = len(data)
        b[:n] = data
        self.sha.update(data)
        self.nbytes += n
        return n

    def close(self) -> None:
        self.raw.close()
        super().close()


def _is_system(name: str) -> bool:
    parts = name.replace("\\", "/").split("/")
    return any(p in _SYSTEM_PARTS or p.startswith("._") for p in parts)


def _feed_root(names: list[str]) -> str:
    """The folder holding the GTFS files: the one with most standard file names (shallowest wins)."""
    score: dict[str, int] = {}
    for n in names:
        if _is_system(n):
            continue
        folder, _, base = n.rpartition("/")
        if base in BY_FILE:
            score[folder] = score.get(folder, 0) + 1
    if not score:
        return ""
    return max(score, key=lambda f: (score[f], -f.count("/")))


def _classify(names_sizes: list[tuple[str, int]], opener_for: Callable[[str], Callable[[], BinaryIO]]) -> list[Entry]:
    root = _feed_root([n for n, _ in names_sizes])
    prefix = f"{root}/" if root else ""
    out = []
    for name, size in names_sizes:
        if _is_system(name):
            kind, gtfs = "system", None
        else:
            rel = name[len(prefix):] if name.startswith(prefix) else None
            gtfs = rel if rel in BY_FILE else None
            kind = "gtfs" if gtfs else "unknown"
        out.append(Entry(name, gtfs, kind, size, opener_for(name)))
    return out


def open_feed(path: Path, limits: Limits | None = None) -> list[Entry]:
    """The entries of a GTFS input. A file that is not a readable zip, or breaks the input boundaries
    (transport_etl.boundaries), is refused (InputRejected)."""
    path = Path(path)
    limits = limits or Limits()
    if path.is_dir():
        files = folder_files(path)
        items = [(p.relative_to(path).as_posix(), p.stat().st_size) for p in files]
        return _classify(items, lambda n: (lambda: (path / n).open("rb")))
    zf, infos = open_zip(path, path.name, limits)
    items = [(i.filename, i.file_size) for i in infos]
    # A corrupt member is found as it is read (zipfile checks each member's CRC at its end), not by reading
    # the archive twice beforehand (testzip: ~50 ms on HART's 20 MB): the load then stops in one line, in
    # its transaction, and nothing is published.
    return _classify(items, lambda n: (lambda: ZipMember(zf.open(n), path.name, n)))


class ZipMember(io.RawIOBase):
    """A zip member read as a stream: a corrupt one (CRC mismatch, damaged compressed data), found as it is
    read, refuses the input in one line (InputRejected) instead of a traceback."""

    def __init__(self, raw: BinaryIO, archive: str, member: str):
        self.raw, self.archive, self.member = raw, archive, member

    def readable(self) -> bool:
        return True

    def read(self, n: int = -1) -> bytes:
        try:
            return self.raw.read(n)
        except (zipfile.BadZipFile, zlib.error, EOFError) as exc:
            raise InputRejected(f"{self.archive}: member {excerpt(self.member)} is corrupt ({excerpt(str(exc))})",
                                code="invalid_zip") from exc

    def readinto(self, b) -> int:  # noqa: ANN001 - buffer protocol
        data = self.read(len(b))
        b[:len(data)] = data
        return len(data)

    def close(self) -> None:
        self.raw.close()
        super().close()


def records(stream: BinaryIO, max_bytes: int = DEFAULT_MAX_LINE_BYTES) -> Iterator[tuple[int, list[str] | Unreadable]]:
    """(physical line number of the record's first line, fields) for every CSV record, header
    included (line 1). Handles a UTF-8 BOM, CRLF and quoted fields spanning lines; a quoted field left
    open gives one :class:`Unreadable` record and the lines after it are read on (transport_etl.csv_records).
    Undecodable bytes become U+FFFD rather than aborting the file."""
    return csv_records.records(stream, csv_records.MAX_RECORD_LINES, max_bytes)


def parse_time(s: str) -> int:
    """GTFS time H:MM:SS or HH:MM:SS (hours may exceed 23) → seconds. ValueError if malformed."""
    h, m, sec = s.split(":")
    if not (1 <= len(h) <= 3 and len(m) == 2 and len(sec) == 2):
        raise ValueError(s)
    hh, mm, ss = int(h), int(m), int(sec)
    if hh < 0 or not (0 <= mm < 60 and 0 <= ss < 60):
        raise ValueError(s)
    return hh * 3600 + mm * 60 + ss


def parse_date(s: str) -> str:
    """GTFS date YYYYMMDD → ISO 'YYYY-MM-DD'. ValueError if malformed or impossible."""
    import datetime as dt

    if len(s) != 8 or not s.isdigit():
        raise ValueError(s)
    return dt.date(int(s[:4]), int(s[4:6]), int(s[6:])).isoformat()
