"""Records of vendor exports (CSV or JSON lines) read through a column mapping, with units, and the
rules every reader of such exports applies (positions, times, keys). Shared by the fleet formats
(telemetry, charging sessions, charging points, vehicles) and parking: each vendor names and scales its
columns differently, so the catalog entry says which column is which (options.columns) and in which
unit (options.units).
"""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import io
import itertools
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from transport_etl.boundaries import DEFAULT_MAX_LINE_BYTES, Limits
from transport_etl.csv_records import Unreadable, checked_records
from transport_etl.encodings import SNIFF_BYTES, normalise, recognise
from transport_etl.errors import InputRejected
from transport_etl.positions import place_5514, place_wgs84
from transport_etl.problems import Problem
from transport_etl.timestamps import epoch_time, local_time

if TYPE_CHECKING:
    from transport_etl.ingest.context import LoadContext

DEFAULT_TZ = "Europe/Prague"
# Unit → factor to the model's unit (km/h, km, %, kWh, kW).
UNITS: dict[str, dict[str, float]] = {
    "speed": {"km/h": 1.0, "kmh": 1.0, "m/s": 3.6, "mph": 1.609344, "kn": 1.852},
    "odometer": {"km": 1.0, "m": 0.001, "mi": 1.609344},
    "soc": {"percent": 1.0, "%": 1.0, "fraction": 100.0},
    "energy": {"kWh": 1.0, "Wh": 0.001},
    "power": {"kW": 1.0, "W": 0.001},
}
_TRUE = {"1", "true", "t", "yes", "y", "ano", "a", "on"}
_FALSE = {"0", "false", "f", "no", "n", "ne", "off", ""}
RAW_CHARS = 2000  # the most of a record's text its quarantine row keeps


@dataclass(frozen=True)
class ColumnMap:
    """Model field → column (CSV header or JSON key), unit factors, timezone of naive times."""

    columns: dict[str, str]
    factors: dict[str, float]
    timezone: str

    @classmethod
    def from_options(cls, options: Mapping[str, Any], fields: Sequence[str],
                     defaults: Mapping[str, str] | None = None) -> ColumnMap:
        given = dict(options.get("columns") or {})
        unknown = set(given) - set(fields)
        if unknown:
            raise InputRejected(f"options.columns has unknown fields {', '.join(sorted(unknown))}; known: "
                                f"{', '.join(fields)}", code="invalid_mapping")
        units = dict(options.get("units") or {})
        factors = {}
        for quantity, unit in units.items():
            table = UNITS.get(quantity)
            if table is None or unit not in table:
                known = ", ".join(f"{q}: {'|'.join(u)}" for q, u in UNITS.items())
                raise InputRejected(f"options.units: unknown {quantity}={unit!r} (known {known})", code="invalid_mapping")
            factors[quantity] = table[unit]
        cols = {f: str(given.get(f) or (defaults or {}).get(f) or f) for f in fields}
        return cls(columns=cols, factors=factors, timezone=str(options.get("timezone") or DEFAULT_TZ))

    def scale(self, quantity: str, value: float | None) -> float | None:
        return None if value is None else value * self.factors.get(quantity, 1.0)


def number(value: Any) -> float | None:
    """A finite number (Czech decimal comma and spaces allowed); None for empty; ValueError otherwise."""
    if value is None or isinstance(value, bool):
        return None if value is None else float(value)
    if isinstance(value, int | float):
        f = float(value)
    else:
        try:
            f = float(value)  # the common case, fast; Czech forms below
        except ValueError:
            s = str(value).strip().replace("\u00a0", "").replace(" ", "")
            if not s:
                return None
            f = float(s.replace(",", "."))
    if not math.isfinite(f):
        raise ValueError(f"{value!r} is not a finite number")
    return f


def coordinate(value: Any) -> float | None:
    """A coordinate as published: like number(), but NaN/inf come back as NaN so the one position rule notes an
    invalid position instead of the whole record being refused."""
    try:
        return number(value)
    except ValueError:
        s = str(value).strip().lower()
        if s in ("nan", "inf", "-inf", "infinity", "-infinity"):
            return math.nan
        raise


def flag(value: Any) -> bool | None:
    if value is None or isinstance(value, bool):
        return value
    s = str(value).strip().lower()
    if s in _TRUE:
        return True
    if s in _FALSE:
        return False
    raise ValueError(f"{value!r} is not yes/no")


def parse_time(value: Any, tz: str, notes: list[str] | None = None) -> dt.datetime:
    """ISO 8601 (naive = the source's local time), 'd.m.Y H:M[:S]', or epoch seconds / milliseconds /
    microseconds / nanoseconds (told apart by magnitude); every result is range-checked. A local time the
    clocks skipped (DST gap) is a ValueError; one that happened twice is read as the first, and the reason
    appended to ``notes`` (the shared rule: transport_etl.timestamps)."""
    v = str(value).strip()
    t = epoch_time(v)
    if t is None:
        m = re.fullmatch(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?", v)
        if m:
            d, mo, y, h, mi, s = (int(g or 0) for g in m.groups())
            t = dt.datetime(y, mo, d, h, mi, s)
        else:
            t = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
        if not t.tzinfo:
            t, note = local_time(t, tz)
            if note and notes is not None:
                notes.append(note)
    return check_range(t, v)


# A reading outside this window is a misread timestamp (seconds taken as milliseconds, a date field
# read as a number), never data: refused with the value, instead of publishing the year 1542.
EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
FUTURE_SLACK = dt.timedelta(days=2)


def check_range(t: dt.datetime, raw: str) -> dt.datetime:
    latest = dt.datetime.now(dt.UTC) + FUTURE_SLACK
    if not EARLIEST <= t <= latest:
        raise ValueError(f"timestamp {raw!r} reads as {t.isoformat()}, outside {EARLIEST.year}…{latest.date()}")
    return t


def open_rows(path: Path, encoding: str | None = None, delimiter: str | None = None, ctx: LoadContext | None = None,
              file_name: str | None = None) -> tuple[str, Iterator[tuple[int, dict[str, Any] | None, str]]]:
    """(kind, rows) of a CSV or JSON-lines file, streamed: each row is (line number, mapping or None when
    the line is not a JSON object, raw text). CSV line numbers are physical lines (header = 1). The text
    comes through the shared path (boundaries.open_text): encoding recognised per file, a line longer
    than max_line_bytes or with bytes invalid in its encoding quarantined through ``ctx`` (without a ctx
    such a line refuses the file)."""
    if encoding and normalise(encoding) is None:
        raise InputRejected(f"unknown encoding {encoding!r}", code="invalid_mapping")
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    name = file_name or path.name
    if not head.strip(b"\xef\xbb\xbf\xff\xfe \r\n\t\x00"):
        raise InputRejected(f"{name} is empty", code="empty_file")
    first = head.decode(recognise(head, encoding), errors="replace").lstrip("\ufeff \r\n\t")
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or first[:1] == "{":
        return "jsonl", _jsonl(path, encoding, ctx, name)
    return "csv", _csv(path, encoding, delimiter, ctx, name)


def _text(path: Path, encoding: str | None, ctx: LoadContext | None, name: str) -> io.TextIOWrapper:
    from transport_etl.boundaries import open_text

    return open_text(path, ctx, name, encoding, ctx.source.format if ctx is not None else None)


def _bounded(raw: str) -> str:
    # what the quarantine keeps of a record: its first characters, never a whole megabyte field; NUL,
    # which PostgreSQL text cannot hold, as U+FFFD
    return raw[:RAW_CHARS].replace("\x00", "\ufffd")


def _jsonl(path: Path, encoding: str | None, ctx: LoadContext | None, name: str
           ) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    with _text(path, encoding, ctx, name) as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except (ValueError, RecursionError):   # ValueError: also a number of more than 4300 digits
                obj = None
            yield n, obj if isinstance(obj, dict) else None, _bounded(line.rstrip("\r\n"))


def _csv(path: Path, encoding: str | None, delimiter: str | None, ctx: LoadContext | None, name: str
         ) -> Iterator[tuple[int, dict[str, Any] | Unreadable, str]]:
    with _text(path, encoding, ctx, name) as f:
        first = f.readline()
        delim = delimiter or max((";", ",", "\t"), key=first.count)
        limit = Limits.of(ctx.source.options).max_line_bytes if ctx is not None else DEFAULT_MAX_LINE_BYTES
        # records by the shared splitter (first physical line, unterminated quotes contained); the field count
        # is the fleet formats' own rule (short rows read empty, as the fast path pads them)
        records = checked_records(itertools.chain([first], f), delim, None, 1, limit)
        head = next(records, None)
        header = [h.strip().lstrip("\ufeff") for h in head[1]] if head and isinstance(head[1], list) else []
        for line_no, row in records:
            if isinstance(row, Unreadable):
                yield line_no, row, row.kept
                continue
            yield line_no, dict(zip(header, row, strict=False)), _bounded(delim.join(row))


def not_a_record(line_no: int, row: Any, raw: str) -> Problem | None:
    """The Problem of a row of open_rows that is no record (a JSON line that is not an object, a CSV record
    that cannot be split), or None."""
    if isinstance(row, Unreadable):
        return Problem(row.code, row.reason, line_no=line_no, severity="REJECT", raw=row.kept)
    if row is None:
        return Problem("invalid_record", "line is not a JSON object", line_no=line_no, severity="REJECT", raw=raw)
    return None


def csv_header(path: Path, encoding: str | None = None, delimiter: str | None = None) -> list[str]:
    with path.open("rb") as f:
        head = f.read(SNIFF_BYTES)
    text = head.decode(recognise(head, encoding), errors="replace").lstrip("\ufeff")
    first = text.splitlines()[0] if text else ""
    delim = delimiter or max((";", ",", "\t"), key=first.count)
    return [h.strip() for h in next(csv.reader(io.StringIO(first), delimiter=delim), [])]


def getter(row: Mapping[str, Any] | None, columns: Mapping[str, str]):
    """field → the row's stripped text in the mapped column, None when absent or blank."""
    row = row or {}

    def get(field: str) -> str | None:
        v = row.get(columns[field])
        if v is None:
            return None
        return str(v).strip().replace("\x00", "\ufffd") or None

    return get


def file_digest(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, read in 1 MiB chunks (memory stays flat whatever the export's size)."""
    digest = hashlib.sha256()
    with path.open("rb") as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest(), path.stat().st_size


def counted(ctx: LoadContext, name: str, records: Iterable[Any]) -> Iterator[Any]:
    """A reader's records of one file, counted into its statistics: a Problem is reported instead of
    yielded, a (record, Problem) pair reports the problem and yields the record."""
    stats = ctx.file(name)
    for r in records:
        stats.rows_in += 1
        if isinstance(r, Problem):
            ctx.report(r, file_name=name)
            continue
        if isinstance(r, tuple):
            r, problem = r
            ctx.report(problem, file_name=name)
        yield r


def _to_wgs84(crs: str | None) -> Any:
    """A transformer from the source's x/y CRS to WGS84 (lon, lat), or None for S-JTSK (read as it is)."""
    code = str(crs or "EPSG:5514").upper().rsplit(":", 1)[-1]
    if code in ("5514", "5513", "102067"):
        return None
    from pyproj import Transformer

    return Transformer.from_crs(crs, "EPSG:4326", always_xy=True)


class KeyedFile:
    """One vendor export (a CSV or JSON-lines file) of records that each name a key (a vehicle, a charging
    station, a session), as the fleet formats load them: the file's statistics and hash, its rows through
    the column mapping, and the rules they share: a line that is not a record, a record without its key
    and a key listed twice are quarantined; a value that does not parse quarantines its record."""

    def __init__(self, ctx: LoadContext, fields: Sequence[str], noun: str, key_column: str | None = None):
        path = Path(ctx.path)
        if path.is_dir():
            raise InputRejected(f"{path.name}: {ctx.source.format} reads one file, not a folder", code="missing_input")
        self.ctx, self.noun, self.name = ctx, noun, path.name
        self.map = ColumnMap.from_options(ctx.options, fields)
        self.columns = self.map.columns
        self._to_wgs84 = _to_wgs84(ctx.source.crs)
        self.stats = ctx.file(self.name)
        self.stats.sha256, self.stats.size_bytes = file_digest(path)
        delimiter = ctx.options.get("delimiter")
        self.kind, self._rows = open_rows(path, ctx.source.encoding, delimiter, ctx)
        if key_column and self.kind == "csv" and self.columns[key_column] not in csv_header(
                path, ctx.source.encoding, delimiter):
            raise InputRejected(f"{self.name}: no {noun} id column {self.columns[key_column]!r}; set "
                                f"options.columns.{key_column}", code="missing_required_column")
        self.seen: set[str] = set()

    def rows(self) -> Iterator[tuple[int, Any, str]]:
        """(line number, get(field) → text or None, raw line) of every line that is a record."""
        for line_no, row, raw in self._rows:
            self.stats.rows_in += 1
            problem = not_a_record(line_no, row, raw)
            if problem is not None:
                self.ctx.report(problem, file_name=self.name)
                continue
            yield line_no, getter(row, self.columns), raw

    def keyed_rows(self) -> Iterator[tuple[int, Any, str, str]]:
        """(line number, get, raw line, key) of every record with a key ("id") not listed before; the
        others are quarantined."""
        for line_no, get, raw in self.rows():
            if not self.require(get, line_no, raw, "id"):
                continue
            key = get("id")
            if self.duplicate(key, line_no, raw):
                continue
            yield line_no, get, raw, key

    def require(self, get: Any, line_no: int, raw: str, *fields: str) -> bool:
        """False (and the record quarantined) when one of ``fields`` is empty."""
        missing = [f for f in fields if get(f) is None]
        if missing:
            what = f"{self.noun} id" if missing[0] == "id" else missing[0]
            self.reject(line_no, "missing_required_field", f"no {what} (column {self.columns[missing[0]]!r})", raw)
        return not missing

    def position(self, get: Any) -> tuple[float | None, float | None, str | None]:
        """EPSG:5514 x, y and a location note from lat/lon, else x/y (the source's CRS, S-JTSK by default),
        under the one position rule (transport_etl.positions); ValueError for a value that is no number."""
        lat, lon = coordinate(get("lat")), coordinate(get("lon"))
        if (lat, lon) != (None, None):
            p = place_wgs84(lat, lon, self.ctx.options)
        else:
            x, y = coordinate(get("x")), coordinate(get("y"))
            if self._to_wgs84 is None or x is None or y is None or not (math.isfinite(x) and math.isfinite(y)):
                p = place_5514(x, y, self.ctx.options)
            else:
                lon, lat = self._to_wgs84.transform(x, y)
                p = place_wgs84(lat, lon, self.ctx.options)
        return p.x, p.y, p.note

    def position_notice(self, line_no: int, key: str, x: float | None, note: str | None) -> None:
        """A notice with file and line for a position the rule did not take as given (a missing one is no news)."""
        if note and note != "missing_position":
            severity = "INFO" if note in ("sjtsk_sign_corrected", "sjtsk_axes_swapped") else "WARNING"
            how = "placed, flagged" if x is not None else "not placed"
            self.ctx.notice(note, severity, f"{self.noun} {key}: position {how} ({note})", file_name=self.name,
                            line_no=line_no, entity_key=key)

    def reject(self, line_no: int, code: str, message: str, raw: str) -> None:
        self.ctx.reject(self.name, line_no, code, message, raw)

    def duplicate(self, key: str, line_no: int, raw: str) -> bool:
        """True (and the record quarantined) when ``key`` was loaded from an earlier line."""
        if key in self.seen:
            self.reject(line_no, "duplicate_key", f"{self.noun} {key} is listed twice", raw)
            return True
        return False

    def accept(self, key: str) -> None:
        """Count the record as loaded under ``key``."""
        self.seen.add(key)
        self.stats.rows_loaded += 1

    def stage(self, table: str, columns: Sequence[str], records: Iterable[Sequence[Any]]) -> None:
        """COPY the records into their staging table; a file without one usable record is refused."""
        self.ctx.count(table, self.ctx.copy_rows(table, list(columns), records))
        if not self.seen:
            raise InputRejected(f"no usable {self.noun} in the input", code="empty_feed")
