"""ISO 14819-3 location table exchange files (the TMC Forum "LTEF" set): semicolon-separated text
files with a header line, one per table of the data model — POINTS, POFFSETS, SEGMENTS, SOFFSETS,
ROADS, NAMES, ... (``.DAT``, any case; some publishers use ``.txt`` or ``.csv``).

Read here: POINTS (with XCOORD/YCOORD and, where offsets are not in a separate file, NEG_OFF_LCD /
POS_OFF_LCD), POFFSETS, SEGMENTS, SOFFSETS, ROADS and NAMES. Other files of the set are listed as
unused. Coordinates are WGS84 as signed integers of 10⁻⁵ degrees (``+01404523`` = 14.04523°) or
plain decimals.
"""

from __future__ import annotations

import csv
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from transport_etl.boundaries import Limits, excerpt, folder_files, open_zip
from transport_etl.crs import wgs84_to_5514
from transport_etl.errors import InputRejected
from transport_etl.roads.roadnum import normalise

USED = ("POINTS", "POFFSETS", "SEGMENTS", "SOFFSETS", "ROADS", "NAMES")
SUFFIXES = (".dat", ".txt", ".csv")
MAX_FILE_BYTES = 200 * 1024 * 1024


@dataclass
class Location:
    """One staging row (a point, segment or road of the table)."""

    line_no: int
    source_file: str
    cid: int | None
    tabcd: int
    lcd: int
    cls: str | None
    tcd: int | None
    stcd: int | None
    road_number: str | None
    road_lcd: int | None
    segment_lcd: int | None
    area_lcd: int | None
    neg_off_lcd: int | None
    pos_off_lcd: int | None
    name: str | None
    junction_number: str | None
    point: tuple[float, float] | None

    @property
    def type_code(self) -> str | None:
        if not self.cls:
            return None
        return f"{self.cls}{self.tcd if self.tcd is not None else ''}.{self.stcd if self.stcd is not None else ''}"


@dataclass
class Problem:
    file_name: str
    line_no: int
    code: str
    message: str
    raw: str | None = None


def exchange_files(path: Path, limits: Limits | None = None) -> dict[str, tuple[str, bytes]]:
    """{TABLE: (file name, bytes)} of the exchange files in a folder or zip (nested folders allowed), after
    the shared boundaries: folder symlinks stay inside, zip members pass boundaries.check_zip."""
    found: dict[str, tuple[str, bytes]] = {}

    def take(name: str, read) -> None:
        base = name.replace("\\", "/").rsplit("/", 1)[-1]
        stem, dot, suffix = base.rpartition(".")
        if not dot or "." + suffix.lower() not in SUFFIXES or base.startswith("._"):
            return
        key = stem.upper()
        if key not in found:
            found[key] = (base, read())

    if path.is_dir():
        for p in folder_files(path):
            if p.stat().st_size > MAX_FILE_BYTES:
                raise InputRejected(f"{p.name}: larger than {MAX_FILE_BYTES // 2**20} MB", code="too_large")
            take(p.name, p.read_bytes)
    elif zipfile.is_zipfile(path):
        z, infos = open_zip(path, path.name, limits or Limits())
        with z:
            for info in sorted(infos, key=lambda i: i.filename):
                if info.is_dir() or info.filename.startswith("__MACOSX/"):
                    continue
                if info.file_size > MAX_FILE_BYTES:
                    raise InputRejected(f"{excerpt(info.filename)}: larger than {MAX_FILE_BYTES // 2**20} MB",
                                        code="too_large")
                take(info.filename, lambda i=info: z.read(i))
    else:
        raise InputRejected(f"{path.name}: not a folder or zip of location table exchange files "
                            "(POINTS.DAT, SEGMENTS.DAT, ROADS.DAT, ...)", code="missing_input")
    if "POINTS" not in found:
        listed = ", ".join(sorted(v[0] for v in found.values())) or "no .DAT files"
        raise InputRejected(f"{path.name}: no POINTS.DAT among the exchange files ({listed}); an ALERT-C "
                            "location table needs at least POINTS", code="missing_input")
    return found


def decode(name: str, data: bytes, encoding: str | None) -> str:
    """Text of an exchange file: the catalog encoding, else UTF-8 (BOM allowed), else CP1250 (tables
    of Central Europe are commonly Windows-1250)."""
    if encoding:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError as exc:
            raise InputRejected(f"{name}: not {encoding} (byte {exc.start})", code="invalid_encoding") from exc
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1250", errors="replace")


def rows(name: str, text: str) -> Iterator[tuple[int, dict[str, str], str]]:
    """(line number, {COLUMN: value}, raw line) per data line; trailing missing fields are empty."""
    lines = text.splitlines()
    if not lines:
        return
    header = [h.strip().upper() for h in next(csv.reader([lines[0]], delimiter=";"))]
    for i, line in enumerate(lines[1:], start=2):
        if not line.strip():
            continue
        values = next(csv.reader([line], delimiter=";"))
        values += [""] * (len(header) - len(values))
        yield i, {h: v.strip() for h, v in zip(header, values, strict=False)}, line


def _int(v: str | None) -> int | None:
    v = (v or "").strip()
    if not v:
        return None
    return int(float(v)) if "." in v else int(v)


def coordinate(v: str | None) -> float | None:
    """A WGS84 coordinate: '+01404523' (10⁻⁵ degrees), '14.04523' or '14,04523'."""
    v = (v or "").strip()
    if not v:
        return None
    if "." in v or "," in v:
        return float(v.replace(",", "."))
    return int(v) / 100_000


def read_table(path: Path, encoding: str | None, warn, limits: Limits | None = None
               ) -> tuple[list[str], Iterator[Location | Problem]]:
    """(unused file names, iterator of locations and problems). ``warn(code, message, file)`` gets
    dangling references and similar notices."""
    files = exchange_files(path, limits)
    unused = sorted(v[0] for k, v in files.items() if k not in USED)
    text = {k: decode(v[0], v[1], encoding) for k, v in files.items() if k in USED}
    fname = {k: v[0] for k, v in files.items()}

    names: dict[int, str] = {}
    for _i, r, _raw in rows(fname.get("NAMES", ""), text.get("NAMES", "")):
        try:
            nid = _int(r.get("NID"))
        except ValueError:
            continue
        if nid is not None and r.get("NAME"):
            names.setdefault(nid, r["NAME"])
    offsets: dict[int, tuple[int | None, int | None]] = {}
    for key in ("POFFSETS", "SOFFSETS"):
        for i, r, _raw in rows(fname.get(key, ""), text.get(key, "")):
            try:
                offsets[_int(r.get("LCD"))] = (_int(r.get("NEG_OFF_LCD")), _int(r.get("POS_OFF_LCD")))
            except ValueError:
                warn("invalid_offset", f"line {i}: unreadable offset row", fname[key])
    roads: dict[int, str | None] = {}
    for _i, r, _raw in rows(fname.get("ROADS", ""), text.get("ROADS", "")):
        try:
            roads[_int(r.get("LCD"))] = r.get("ROADNUMBER") or None
        except ValueError:
            continue
    seg_roads: dict[int, tuple[str | None, int | None]] = {}
    for _i, r, _raw in rows(fname.get("SEGMENTS", ""), text.get("SEGMENTS", "")):
        try:
            seg_roads[_int(r.get("LCD"))] = (r.get("ROADNUMBER") or None, _int(r.get("ROA_LCD")))
        except ValueError:
            continue

    def road_of(road_lcd, seg_lcd, own=None) -> str | None:
        raw = own or roads.get(road_lcd) if road_lcd is not None else own
        if not raw and seg_lcd is not None and seg_lcd in seg_roads:
            raw = seg_roads[seg_lcd][0] or roads.get(seg_roads[seg_lcd][1])
        return normalise(raw)[0] if raw else None

    def gen() -> Iterator[Location | Problem]:
        for key in ("ROADS", "SEGMENTS", "POINTS"):
            if key not in text:
                continue
            for i, r, raw in rows(fname[key], text[key]):
                try:
                    yield _location(key, fname[key], i, r, names, offsets, road_of)
                except ValueError as exc:
                    yield Problem(fname[key], i, "invalid_row", f"unreadable {key} row: {exc}", raw[:500])

    return unused, gen()


def _location(key, file_name, i, r, names, offsets, road_of) -> Location | Problem:
    lcd, tabcd = _int(r.get("LCD")), _int(r.get("TABCD"))
    if lcd is None or tabcd is None:
        return Problem(file_name, i, "missing_required_field", "row without LCD or TABCD")
    neg, pos = _int(r.get("NEG_OFF_LCD")), _int(r.get("POS_OFF_LCD"))
    if lcd in offsets:
        neg, pos = offsets[lcd]
    road_lcd, seg_lcd = _int(r.get("ROA_LCD")), _int(r.get("SEG_LCD"))
    own_road = r.get("ROADNUMBER") or None
    point = None
    if key == "POINTS":
        lon, lat = coordinate(r.get("XCOORD")), coordinate(r.get("YCOORD"))
        if lon is not None and lat is not None and not (lon == 0 and lat == 0):
            if not (-180 <= lon <= 180 and -90 <= lat <= 90):
                return Problem(file_name, i, "invalid_coordinates",
                               f"location {lcd}: XCOORD/YCOORD {lon}, {lat} are not WGS84 degrees")
            point = wgs84_to_5514(lat, lon)
    name_id = _int(r.get("N1ID")) or _int(r.get("RNID"))
    return Location(
        line_no=i, source_file=file_name, cid=_int(r.get("CID")), tabcd=tabcd, lcd=lcd,
        cls=(r.get("CLASS") or ("P" if key == "POINTS" else "L")) or None,
        tcd=_int(r.get("TCD")), stcd=_int(r.get("STCD")),
        road_number=road_of(lcd if key == "ROADS" else road_lcd, lcd if key == "SEGMENTS" else seg_lcd, own_road),
        road_lcd=road_lcd, segment_lcd=seg_lcd, area_lcd=_int(r.get("POL_LCD")),
        neg_off_lcd=neg, pos_off_lcd=pos, name=names.get(name_id) if name_id is not None else None,
        junction_number=r.get("JUNCTIONNUMBER") or None, point=point,
    )
