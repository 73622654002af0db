"""Pure readers of parking CSV / GeoJSON into records under a configurable column mapping.

source.options['columns'] maps the model's fields to the file's column (CSV header) or property
(GeoJSON) names: id, name, capacity, free, occupied, timestamp, lat, lon, x, y, and crs (the CRS of
x/y, e.g. EPSG:5514). Only id is required; unmapped fields fall back to the same-named column.
"""

from __future__ import annotations

import csv
import json
import math
import re
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transport_etl.boundaries import DEFAULT_MAX_LINE_BYTES, Limits, open_text
from transport_etl.csv_records import Unreadable, checked_records
from transport_etl.encodings import SNIFF_BYTES, decode_text
from transport_etl.errors import InputRejected, json_reason
from transport_etl.formats.parking import datex_parking, detect
from transport_etl.mapped_records import DEFAULT_TZ, parse_time
from transport_etl.problems import Problem

FIELDS = ("id", "name", "capacity", "free", "occupied", "timestamp", "lat", "lon", "x", "y")


@dataclass
class ColumnMap:
    columns: dict[str, str]
    crs: str | None
    timezone: str

    @classmethod
    def from_options(cls, options: Mapping[str, Any], source_crs: str | None = None) -> ColumnMap:
        given = dict(options.get("columns") or {})
        unknown = set(given) - set(FIELDS) - {"crs"}
        if unknown:
            raise InputRejected(f"options.columns has unknown fields {', '.join(sorted(unknown))}; "
                                f"known: {', '.join(FIELDS)}, crs", code="invalid_mapping")
        crs = given.pop("crs", None) or options.get("crs") or source_crs
        return cls(columns={f: str(given.get(f, f)) for f in FIELDS}, crs=crs,
                   timezone=str(options.get("timezone") or DEFAULT_TZ))


def srid_of(crs: str | None, default: int) -> int:
    if not crs:
        return default
    m = re.fullmatch(r"(?:EPSG:|urn:ogc:def:crs:EPSG::)?(\d{4,5})", str(crs).strip(), re.IGNORECASE)
    if not m:
        if "CRS84" in str(crs).upper():
            return 4326
        raise InputRejected(f"unsupported CRS {crs!r} (give EPSG:<code>)", code="invalid_mapping")
    return int(m.group(1))


def _num(value: Any) -> float | None:
    if value is None:
        return None
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return float(value)
    s = str(value).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    return float(s.replace(",", "."))  # Czech decimal comma


def _count(value: Any, what: str) -> int | None:
    f = _num(value)
    if f is None:
        return None
    if not math.isfinite(f) or f != int(f) or f < 0 or f >= 2**31:
        raise ValueError(f"{what} {value!r} is not a whole number ≥ 0")
    return int(f)


def record(props: Mapping[str, Any], m: ColumnMap, line_no: int | None, point: tuple[float, float] | None,
           point_srid: int | None) -> dict[str, Any] | Problem | tuple[dict[str, Any], Problem]:
    """One mapped record, or a Problem saying why it cannot be loaded, or (record, notice) when it loads with
    something to say (a local time that happened twice)."""
    c = m.columns
    raw = json.dumps(dict(props), ensure_ascii=False, default=str)[:4000]

    def get(field: str) -> Any:
        v = props.get(c[field])
        return None if v is None or (isinstance(v, str) and not v.strip()) else v

    fid = get("id")
    if fid is None:
        return Problem("missing_required_field", f"no facility id (column {c['id']!r})", line_no=line_no,
                       severity="REJECT", raw=raw)
    try:
        capacity = _count(get("capacity"), "capacity")
        free = _count(get("free"), "free places")
        occupied = _count(get("occupied"), "occupied places")
        if free is None and occupied is not None and capacity is not None:
            free = max(capacity - occupied, 0)
        ts = get("timestamp")
        notes: list[str] = []
        observed = parse_time(str(ts), m.timezone, notes) if ts is not None else None
        x = y = None
        srid = None
        if point is not None:
            (x, y), srid = point, point_srid
        elif get("lat") is not None and get("lon") is not None:
            x, y, srid = _num(get("lon")), _num(get("lat")), srid_of(None, 4326)
        elif get("x") is not None and get("y") is not None:
            x, y, srid = _num(get("x")), _num(get("y")), srid_of(m.crs, 5514)
    except (ValueError, TypeError) as exc:
        return Problem("invalid_value", f"facility {fid}: {exc}", line_no=line_no, severity="REJECT", raw=raw)
    rec = {"line_no": line_no, "facility_id": str(fid).strip(), "name": get("name"), "capacity": capacity,
           "free_places": free, "observed_at": observed, "x": x, "y": y, "srid": srid, "raw": raw}
    if notes:
        return rec, Problem("ambiguous_local_time", f"facility {rec['facility_id']}: {notes[0]}", line_no=line_no,
                            severity="WARNING", entity_key=rec["facility_id"])
    return rec


def read_csv(text: str | Iterable[str], m: ColumnMap, delimiter: str | None = None,
             max_record_chars: int = DEFAULT_MAX_LINE_BYTES) -> Iterator[dict[str, Any] | Problem]:
    """Records of a parking CSV (whole text, or its physical lines as read from the shared text path). A
    record's line number is its first physical line (header = 1). A record with another field count than the
    header, or whose quote never closes, is a REJECT Problem; an unterminated quote takes only its first line
    with it (the lines after it are records of their own)."""
    lines = iter(text.splitlines(keepends=True) if isinstance(text, str) else text)
    first = next(lines, "")
    if not first.strip():
        raise InputRejected("parking CSV is empty", code="empty_file")
    first = first.lstrip("\ufeff")
    delim = delimiter or (";" if first.count(";") > first.count(",") else ",")
    header = [h.strip() for h in next(csv.reader([first], delimiter=delim), [])]
    if m.columns["id"] not in header:
        raise InputRejected(f"parking CSV has no id column {m.columns['id']!r} ({len(header)} columns found); "
                            "set options.columns.id", code="missing_required_column")
    has_pos = ({m.columns["lat"], m.columns["lon"]} <= set(header)) or ({m.columns["x"], m.columns["y"]} <= set(header))
    if not has_pos:
        raise InputRejected("parking CSV has no position columns (lat/lon or x/y); set options.columns",
                            code="missing_required_column")
    for line_no, row in checked_records(lines, delim, len(header), 2, max_record_chars):
        if isinstance(row, Unreadable):
            yield Problem(row.code, row.reason, line_no=line_no, severity="REJECT", raw=row.kept)
            continue
        yield record(dict(zip(header, row, strict=True)), m, line_no, None, None)


def read_geojson(data: Any, m: ColumnMap) -> Iterator[dict[str, Any] | Problem]:
    if not isinstance(data, dict) or data.get("type") != "FeatureCollection" or not isinstance(
            data.get("features"), list):
        raise InputRejected("parking GeoJSON is not a FeatureCollection", code="invalid_geojson")
    srid = srid_of(((data.get("crs") or {}).get("properties") or {}).get("name") or m.crs, 4326)
    for i, feat in enumerate(data["features"], start=1):
        props = (feat or {}).get("properties") or {}
        geom = (feat or {}).get("geometry") or {}
        try:
            point = _point_of(geom) if isinstance(geom, dict) or not geom else None
        except (KeyError, TypeError, ValueError, IndexError, AttributeError):
            point = None
        if point is None and geom:
            kind = geom.get("type") if isinstance(geom, dict) else type(geom).__name__
            yield Problem("invalid_geometry", f"feature {i}: unsupported or broken geometry {str(kind)[:40]!r}",
                          line_no=i, severity="REJECT", raw=json.dumps(feat, ensure_ascii=False)[:4000])
            continue
        # feature number (1-based) is the locator inside a GeoJSON file
        yield record(props, m, i, point, srid if point else None)


def _point_of(geom: dict[str, Any]) -> tuple[float, float] | None:
    """Point as is; polygons by a point inside them (car parks are often mapped as areas)."""
    if not geom:
        return None
    if geom.get("type") == "Point":
        x, y = geom["coordinates"][:2]
        return float(x), float(y)
    if geom.get("type") in ("Polygon", "MultiPolygon"):
        from shapely.geometry import shape

        p = shape(geom).representative_point()
        return p.x, p.y
    return None


def read(path: Path, m: ColumnMap, encoding: str | None = None, delimiter: str | None = None,
         ctx: Any = None) -> tuple[str, Iterator[dict[str, Any] | Problem]]:
    """(kind, records) of a parking file; the whole input is refused only if it is unreadable. A CSV is read
    through the shared text path (transport_etl.boundaries.open_text): encoding recognised, over-long,
    undecodable and NUL lines quarantined through ``ctx`` (without a ctx, such a line refuses the file)."""
    with path.open("rb") as fh:
        head = fh.read(SNIFF_BYTES)
    # recognise the shape on the text, whatever its encoding (a UTF-16 CSV is still a CSV)
    sniff = head.decode("utf-16", errors="replace").encode("utf-8") if head[:2] in (b"\xff\xfe", b"\xfe\xff") else head
    if sniff.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] in (b"{", b"["):
        data = path.read_bytes()   # JSON is parsed whole
        sniff = data.decode("utf-16", errors="replace").encode("utf-8") if data[:2] in (b"\xff\xfe", b"\xfe\xff") else data
    kind = detect.kind_of(path.name, sniff)
    if kind == "datex2":
        # DATEX II names its own fields: the publication, not options.columns, says what each value is.
        dm = ColumnMap(columns={f: f for f in FIELDS}, crs=None, timezone=m.timezone)
        return kind, (record(props, dm, line, point, 4326 if point else None)
                      for line, props, point in datex_parking.read(path))
    if kind in ("geojson", "json_array"):
        text, _enc = decode_text(path.read_bytes(), encoding, path.name, ctx)
        try:
            doc = json.loads(text)
        except (ValueError, RecursionError) as exc:   # ValueError: also a 5000-digit number
            raise InputRejected(f"{path.name} is not JSON: {json_reason(exc)}", code="invalid_geojson") from exc
        return kind, (read_geojson(doc, m) if kind == "geojson" else detect.read_json_array(doc, m, record))
    limit = Limits.of(ctx.source.options).max_line_bytes if ctx is not None else DEFAULT_MAX_LINE_BYTES

    def records() -> Iterator[dict[str, Any] | Problem]:
        with open_text(path, ctx, path.name, encoding, "parking") as f:
            yield from read_csv(f, m, delimiter, limit)

    return kind, records()
