"""Records of vendor exports (CSV or JSON lines) read through a column mapping, with units, and the
position check every reader of such exports applies. Shared by the fleet formats (telemetry, charging
sessions, charging points, vehicles): each vendor names and scales its columns differently, so the
catalog entry says which column is which (options.columns) and in which unit (options.units).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from transport_etl.crs import region_bbox
from transport_etl.errors import InputRejected

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
    """A coordinate as published: like number(), but NaN/inf come back as NaN so the Placer notes an
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


def parse_time(value: Any, tz: str) -> dt.datetime:
    """ISO 8601 (naive = the source's local time), 'd.m.Y H:M[:S]', or epoch seconds / milliseconds."""
    v = str(value).strip()
    if re.fullmatch(r"\d{9,13}(\.\d+)?", v):
        f = float(v)
        return dt.datetime.fromtimestamp(f / 1000 if f > 1e11 else f, tz=dt.UTC)
    m = re.fullmatch(r"(\d{1,2})\.\s*(\d{1,2})\.\s*(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?", v)
    if m:
        d, mo, y, h, mi, s = (int(g or 0) for g in m.groups())
        t = dt.datetime(y, mo, d, h, mi, s)
    else:
        t = dt.datetime.fromisoformat(v.replace("Z", "+00:00"))
    return t if t.tzinfo else t.replace(tzinfo=ZoneInfo(tz))


class Placer:
    """Positions into EPSG:5514 with the checks every reader applies: missing, NaN or out-of-range
    coordinates, a point at 0,0 and a point outside the region are never placed (x/y NULL + a note)."""

    def __init__(self, options: Mapping[str, Any], crs: str | None = None):
        from pyproj import Transformer

        self.bbox = region_bbox(dict(options))
        self._wgs = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True)
        self._xy = None
        if crs and crs.upper() not in ("EPSG:5514", "5514"):
            self._xy = Transformer.from_crs(crs, "EPSG:5514", always_xy=True)

    def lat_lon(self, lat: float | None, lon: float | None) -> tuple[float | None, float | None, str | None]:
        if lat is None or lon is None:
            return None, None, "missing_coordinates"
        if not (math.isfinite(lat) and math.isfinite(lon)):
            return None, None, "invalid_coordinates"
        if abs(lat) < 1e-6 and abs(lon) < 1e-6:
            return None, None, "point_near_origin"
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            return None, None, "invalid_coordinates"
        x, y = self._wgs.transform(lon, lat)
        return self._check(x, y)

    def x_y(self, x: float | None, y: float | None) -> tuple[float | None, float | None, str | None]:
        if x is None or y is None:
            return None, None, "missing_coordinates"
        if not (math.isfinite(x) and math.isfinite(y)):
            return None, None, "invalid_coordinates"
        if abs(x) < 1e-6 and abs(y) < 1e-6:
            return None, None, "point_near_origin"
        if self._xy is not None:
            x, y = self._xy.transform(x, y)
        return self._check(x, y)

    def _check(self, x: float, y: float) -> tuple[float | None, float | None, str | None]:
        if not (math.isfinite(x) and math.isfinite(y)):
            return None, None, "invalid_coordinates"
        if self.bbox is not None and not (self.bbox[0] <= x <= self.bbox[2] and self.bbox[1] <= y <= self.bbox[3]):
            return None, None, "outside_region"
        return round(x, 2), round(y, 2), None


def open_rows(path: Path, encoding: str | None = None, delimiter: str | None = None
              ) -> tuple[str, Iterator[tuple[int, dict[str, Any] | None, str]]]:
    """(kind, rows) of a CSV or JSON-lines file, streamed: each row is (line number, mapping or None when
    the line is not a JSON object, raw text). CSV line numbers are physical lines (header = 1)."""
    enc = _encoding(encoding)
    with path.open("rb") as f:
        head = f.read(4096)
    try:
        head.decode(enc) if len(head) < 4096 else head[:4000].decode(enc, errors="strict")
    except UnicodeDecodeError as exc:
        raise InputRejected(f"{path.name} is not {encoding or 'UTF-8'} text: {exc.reason}", code="invalid_encoding") from exc
    except LookupError as exc:
        raise InputRejected(f"unknown encoding {encoding!r}", code="invalid_mapping") from exc
    if not head.strip():
        raise InputRejected(f"{path.name} is empty", code="empty_file")
    if path.suffix.lower() in (".jsonl", ".ndjson", ".json") or head.lstrip(b"\xef\xbb\xbf \r\n\t")[:1] == b"{":
        return "jsonl", _jsonl(path, enc)
    return "csv", _csv(path, enc, delimiter, head.decode(enc, errors="replace"))


def _jsonl(path: Path, enc: str) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    with path.open(encoding=enc, errors="replace", newline="") as f:
        for n, line in enumerate(f, start=1):
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
            except json.JSONDecodeError:
                obj = None
            yield n, obj if isinstance(obj, dict) else None, line.rstrip("\r\n")[:2000]


def _csv(path: Path, enc: str, delimiter: str | None, head: str) -> Iterator[tuple[int, dict[str, Any] | None, str]]:
    first = head.splitlines()[0] if head else ""
    delim = delimiter or max((";", ",", "\t"), key=first.count)
    with path.open(encoding=enc, errors="replace", newline="") as f:
        reader = csv.reader(f, delimiter=delim)
        header = [h.strip() for h in next(reader, [])]
        for row in reader:
            if not row or not any(c.strip() for c in row):
                continue
            raw = delim.join(row)[:2000]
            yield reader.line_num, dict(zip(header, row, strict=False)), raw


def csv_header(path: Path, encoding: str | None = None, delimiter: str | None = None) -> list[str]:
    with path.open(encoding=_encoding(encoding), errors="replace", newline="") as f:
        first = f.readline()
    delim = delimiter or max((";", ",", "\t"), key=first.count)
    return [h.strip() for h in next(csv.reader(io.StringIO(first), delimiter=delim), [])]


def _encoding(encoding: str | None) -> str:
    # A UTF-8 file may start with a byte-order mark (Excel exports do): never part of the first column name.
    if not encoding or encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
        return "utf-8-sig"
    return encoding


def getter(row: Mapping[str, Any] | None, columns: Mapping[str, str]):
    """field → the row's stripped text in the mapped column, None when absent or blank."""
    row = row or {}

    def get(field: str) -> str | None:
        v = row.get(columns[field])
        if v is None:
            return None
        return str(v).strip() or None

    return get
