"""Read the regional stop register (CSV or XLSX): one row per pole (CRZ stop number + označník) with
name, municipality, district and a position in S-JTSK (EPSG:5514) or WGS84. Pure: no database.

Header names vary between exports, so columns are found by normalised aliases. Positions are
returned in EPSG:5514; rows without a usable one keep ``x = y = None`` and say why (``note``) —
they are never placed at 0,0.
"""

from __future__ import annotations

import csv
import unicodedata
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transport_etl import positions
from transport_etl.boundaries import open_text
from transport_etl.csv_records import Unreadable, records
from transport_etl.errors import InputRejected

ALIASES: dict[str, tuple[str, ...]] = {
    "crz": ("crz", "cislo zastavky", "cislo_zastavky", "cis zast", "stop number", "zastavka id", "crz cislo"),
    "post": ("oznacnik", "oznacnik1", "post", "pole", "stanoviste", "cislo oznacniku"),
    "crz_post": ("crz oznacn", "crz_oznacn", "crz oznacnik"),
    "name": ("nazev", "name", "nazev zastavky", "tarif naze", "tarif nazev", "jmeno"),
    "municipality": ("obec", "municipality", "mesto", "nazev obce"),
    "district": ("okres", "district", "district code", "kod okresu"),
    "x": ("x", "x sjtsk", "sjtsk x", "souradnice x"),
    "y": ("y", "y sjtsk", "sjtsk y", "souradnice y"),
    "lat": ("lat", "latitude", "gps n", "wgs84 lat", "sirka", "zem sirka"),
    "lon": ("lon", "lng", "longitude", "gps e", "wgs84 lon", "delka", "zem delka"),
}
REQUIRED = ("crz", "name")

# EPSG:5514 extent of Czechia (with margin): x (east) and y (north) are both negative.
X_RANGE = (-911_000.0, -420_000.0)
Y_RANGE = (-1_240_000.0, -930_000.0)


@dataclass
class RegisterRow:
    line_no: int
    crz: str
    post: str | None
    name: str
    municipality: str | None
    district: str | None
    x: float | None          # EPSG:5514
    y: float | None
    source_crs: str
    note: str | None         # why x/y are NULL or were corrected
    raw: str


@dataclass
class BadRow:
    line_no: int
    code: str
    message: str
    raw: str


def _norm_header(h: str) -> str:
    h = "".join(c for c in unicodedata.normalize("NFD", str(h or "")) if not unicodedata.combining(c))
    h = h.lower().strip().replace("_", " ").replace("-", " ")
    h = h.split("[")[0].split("(")[0].strip()
    return " ".join(h.split())


def map_header(header: list[str]) -> dict[str, int]:
    """Field → column index from a header row; InputRejected if the required columns are missing."""
    normed = [_norm_header(h) for h in header]
    out: dict[str, int] = {}
    for field, aliases in ALIASES.items():
        for i, h in enumerate(normed):
            if h in aliases and field not in out:
                out[field] = i
    if "crz" not in out and "crz_post" in out:
        out["crz"] = -1  # derived from CRZ_OZNACN
    missing = [f for f in REQUIRED if f not in out]
    if missing:
        raise InputRejected(f"stop register header lacks column(s) {', '.join(missing)} ({len(header)} columns found)",
                            code="missing_required_column")
    if not ({"x", "y"} <= out.keys() or {"lat", "lon"} <= out.keys()):
        raise InputRejected("stop register has no coordinate columns (X/Y in S-JTSK or LAT/LON in WGS84)",
                            code="missing_required_column")
    return out


def _num(v: object) -> float | None:
    if v is None:
        return None
    if isinstance(v, int | float):
        return float(v)
    s = str(v).strip().replace("\u00a0", "").replace(" ", "")
    if not s:
        return None
    return float(s.replace(",", "."))


def position(values: dict[str, object], crs_hint: str | None) -> tuple[float | None, float | None, str, str | None]:
    """(x, y) in EPSG:5514, the source CRS, and a note, under the one position rule
    (transport_etl/positions.py); raises ValueError for non-numbers."""
    has_xy = values.get("x") not in (None, "") and values.get("y") not in (None, "")
    use_wgs = (crs_hint or "").upper().endswith("4326") or not has_xy
    if use_wgs:
        lat, lon = _num(values.get("lat")), _num(values.get("lon"))
        p = positions.place_wgs84(lat, lon)
        crs = "EPSG:4326"
    else:
        p = positions.place_5514(_num(values.get("x")), _num(values.get("y")))
        crs = "EPSG:5514"
    if p.note == "outside_expected_extent":
        return None, None, crs, "out_of_bounds"  # a register of Czech stops: never placed abroad
    return p.x, p.y, crs, p.note


def _rows_csv(path: Path, encoding: str | None, ctx: Any = None) -> Iterator[tuple[int, list[str] | None, str]]:
    """(physical line, fields, raw) of a CSV, streamed through the shared text path (boundaries.open_text):
    the encoding recognised per file, and a line that is over-long, not valid in it or carrying a NUL byte
    quarantined through ``ctx`` by itself (without a ctx it refuses the file). The header is line 1; a record
    csv cannot split (a quote left open past its field limit) comes as (line, None, why)."""
    with open_text(path, ctx, path.name, encoding, fmt="stop register") as f:
        head = f.readline()
        delim = max((";", ",", "\t"), key=head.count)
        yield 1, next(csv.reader([head], delimiter=delim), []), head.rstrip("\r\n")
        # the one CSV record rule (csv_records): a record's line is its first; an unclosed quote takes only
        # its own line, and reading goes on after it
        for line_no, row in records(f, delimiter=delim, first_no=2):
            if isinstance(row, Unreadable):
                yield line_no, None, row.reason
            else:
                yield line_no, row, delim.join(row)


def _rows_xlsx(path: Path) -> Iterator[tuple[int, list[str], str]]:
    from openpyxl import load_workbook

    wb = load_workbook(path, read_only=True, data_only=True)
    try:
        ws = wb.worksheets[0]
        for i, row in enumerate(ws.iter_rows(values_only=True), start=1):
            vals = ["" if v is None else v for v in row]
            yield i, vals, ";".join(str(v) for v in vals)
    finally:
        wb.close()


def read_register(path: Path, encoding: str | None = None, crs: str | None = None,
                  ctx: Any = None) -> Iterator[RegisterRow | BadRow]:
    """Rows of a register file (.csv/.txt or .xlsx); the first row is the header (line 1). A CSV record
    with more or fewer fields than the header is a BadRow (its values would land in the wrong columns)."""
    path = Path(path)
    suffix = path.suffix.lower()
    is_csv = suffix in (".csv", ".txt")
    if suffix in (".xlsx", ".xlsm"):
        rows = _rows_xlsx(path)
    elif is_csv:
        rows = _rows_csv(path, encoding, ctx)
    else:
        raise InputRejected(f"{path.name}: stop register must be .csv or .xlsx", code="unsupported_file_type")
    header: dict[str, int] | None = None
    width = 0
    for line_no, row, raw in rows:
        if header is None:
            header, width = map_header([str(h) for h in row or []]), len(row or [])
            continue
        if row is None:
            yield BadRow(line_no, "invalid_csv", f"line {line_no}: {raw}", "")
            continue
        if not any(str(v).strip() for v in row):
            continue
        if is_csv and len(row) != width:
            yield BadRow(line_no, "wrong_field_count", f"line {line_no}: {len(row)} fields where the header has "
                         f"{width}", raw)
            continue
        vals = {f: (row[i] if 0 <= i < len(row) else None) for f, i in header.items()}
        crz = str(vals.get("crz") or "").strip()
        post = str(vals.get("post") or "").strip() or None
        if header.get("crz") == -1:
            combined = str(vals.get("crz_post") or "").strip()
            crz, post = (combined[:-2], combined[-2:].lstrip("0") or "0") if combined.isdigit() else ("", None)
        if isinstance(vals.get("crz"), float):
            crz = str(int(vals["crz"]))  # type: ignore[arg-type]
        if post and post.endswith(".0"):
            post = post[:-2]
        if not crz.isdigit():
            yield BadRow(line_no, "invalid_register_id", f"line {line_no}: CRZ {crz!r} is not a number", raw)
            continue
        name = str(vals.get("name") or "").strip()
        if not name:
            yield BadRow(line_no, "missing_required_field", f"line {line_no}: stop {crz} has no name", raw)
            continue
        try:
            x, y, src_crs, note = position(vals, crs)
        except ValueError:
            yield BadRow(line_no, "invalid_coordinate", f"line {line_no}: coordinates are not numbers", raw)
            continue
        district = str(vals.get("district") or "").strip().upper() or None
        municipality = str(vals.get("municipality") or "").strip() or None
        yield RegisterRow(line_no, crz, post, name, municipality, district, x, y, src_crs, note, raw)
