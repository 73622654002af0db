"""Read the SR70 register CSV (Správa železnic): CP1250, ';'-separated, '"'-quoted fields that may
themselves hold ';' (multi-line km positions such as "319,213; 319,213"), decimal commas,
S-JTSK coordinates already signed as EPSG:5514 x/y, and WGS84 strings like ``N50,659150°``.

Knows the format and nothing about the database.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transport_etl.boundaries import open_text
from transport_etl.csv_records import Unreadable, checked_records
from transport_etl.errors import InputRejected
from transport_etl.ids.sr70 import resolve

# Published header → staging column. Columns not listed here are kept verbatim in staging.sr70.extra.
COLUMNS: dict[str, str] = {
    "Evidenční číslo": "sr70",
    "Název": "name",
    "Cizojazyčný název": "name_foreign",
    "Název 35": "name_35",
    "Název 20": "name_20",
    "Název 12": "name_12",
    "Název 7": "name_7",
    "Název 6": "name_6",
    "Název 3": "name_3",
    "Název ISC": "name_isc",
    "Název ZDD": "name_zdd",
    "Kvalifikátor": "kind_code",
    "Kvalifikátor - popis": "kind_text",
    "Stav": "state_code",
    "Stav - popis": "state_text",
    "Km poloha": "km",
    "TUDU": "tudu",
    "TTP": "ttp",
    "Km polohy další": "km_next",
    "TUDU další": "tudu_next",
    "TTP další": "ttp_next",
    "X [S-JTSK (-Y)]": "x_raw",
    "Y [S-JTSK (-X)]": "y_raw",
    "GPS N (DMS)": "gps_n_dms",
    "GPS E (DMS)": "gps_e_dms",
    "GPS N (DEG)": "gps_n_deg",
    "GPS E (DEG)": "gps_e_deg",
    "Nadmořská výška (Bpv)": "altitude_raw",
    "VÚSC": "vusc_code",
    "VÚSC - popis": "vusc_name",
    "Vlastník": "owner",
    "Provozovatel": "operator",
}
DEFAULT_ENCODING = "cp1250"  # as Správa železnic publishes it; the bytes decide (encodings.recognise)
REQUIRED = ("Evidenční číslo", "Název", "Kvalifikátor", "X [S-JTSK (-Y)]", "Y [S-JTSK (-X)]")

# Kvalifikátor codes of points where passengers board: stations, halts, and the combined types
# that include a halt ("... a zastávka"). Node entries (13-19) repeat a station under another code;
# 63 (cableway) and 65 (replacement bus) are not rail stops.
PASSENGER_KINDS = frozenset({"01", "09", "23", "24", "37", "38", "43", "52", "61", "62"})
ABOLISHED_STATES = frozenset({"4"})  # Stav 4 = Zrušen (abolished)

# Generous bounds of Czechia in EPSG:5514: anything outside is a data error, not a position.
CZ_BOUNDS = (-910_000.0, -1_240_000.0, -420_000.0, -930_000.0)  # xmin, ymin, xmax, ymax


@dataclass
class Sr70Row:
    line_no: int
    values: dict[str, str | None]
    extra: dict[str, str] = field(default_factory=dict)
    sr70_5: str | None = None
    check_ok: bool | None = None
    x: float | None = None
    y: float | None = None
    lat: float | None = None
    lon: float | None = None
    altitude: float | None = None
    location_note: str | None = None
    is_passenger: bool = False


def decimal(text: str | None) -> float | None:
    """'-760553,123' → -760553.123; '', '-' → None."""
    if text is None:
        return None
    s = text.strip().replace("\u00a0", "").replace(" ", "")
    if s in ("", "-"):
        return None
    return float(s.replace(",", "."))


def wgs_degrees(text: str | None) -> float | None:
    """'N50,659150°' / 'E14,044078°' → 50.65915 / 14.044078 (S and W negative); None if empty."""
    if not text:
        return None
    s = text.strip().rstrip("°").strip()
    if not s:
        return None
    sign = 1.0
    if s[0] in "NSEW":
        sign = -1.0 if s[0] in "SW" else 1.0
        s = s[1:]
    v = decimal(s)
    return None if v is None else sign * v


def position(x: float | None, y: float | None) -> tuple[float | None, float | None, str | None]:
    """Checked EPSG:5514 position: (x, y, None) or (None, None, reason). Zeros mean 'no coordinates'."""
    if x is None or y is None or (x == 0 and y == 0):
        return None, None, "no_coordinates_in_source"
    xmin, ymin, xmax, ymax = CZ_BOUNDS
    if not (xmin <= x <= xmax and ymin <= y <= ymax):
        return None, None, "coordinates_outside_czechia"
    return x, y, None


def is_passenger_point(kind_code: str | None, state_code: str | None,
                       kinds: frozenset[str] = PASSENGER_KINDS) -> bool:
    """A point passengers use: a station/halt Kvalifikátor and not abolished. Codes are compared as two
    digits, as the catalog option's are (a register re-saved by a spreadsheet says '1' for '01')."""
    kind = (kind_code or "").strip()
    return bool(kind) and kind.zfill(2) in kinds and (state_code or "").strip() not in ABOLISHED_STATES


def read(path: Path, encoding: str | None = DEFAULT_ENCODING, kinds: frozenset[str] = PASSENGER_KINDS, ctx: Any = None,
         file_name: str | None = None) -> Iterator[Sr70Row | tuple[int, str, str, str]]:
    """Rows of the register in file order. Bad records come back as (line_no, code, message, raw)
    tuples for the caller to quarantine; a file that is not an SR70 register raises InputRejected.
    The text comes through the shared path (boundaries.open_text): encoding recognised per file (CP1250,
    ISO-8859-2 or UTF-8, whatever the catalog says), and a line that is over-long, not valid in that
    encoding or carries a NUL byte quarantined through ``ctx`` (without a ctx it refuses the file)."""
    name = file_name or path.name
    f = open_text(path, ctx, name, encoding, fmt="SR70")
    with f:
        first = f.readline()
        try:
            header = next(csv.reader([first], delimiter=";", quotechar='"'), None) if first.strip() else None
        except csv.Error as exc:
            raise InputRejected(f"{name} is not a ';'-separated CSV: {exc}", code="invalid_csv") from exc
        if header is None:
            raise InputRejected(f"{name} is empty", code="empty_file")
        header = [h.strip() for h in header]
        missing = [c for c in REQUIRED if c not in header]
        if missing:
            raise InputRejected(
                f"{name} is not an SR70 register CSV (missing columns {', '.join(missing)}; wrong encoding?)",
                code="missing_required_column",
            )
        # the one CSV record rule (csv_records): a record's line is its first, an unclosed quote takes only its
        # own line, another field count than the header's is a bad record; blank lines are skipped
        for line_no, rec in checked_records(f, ";", len(header), 2):
            if isinstance(rec, Unreadable):
                yield (line_no, _CODES.get(rec.code, "invalid_csv"), rec.reason, rec.kept)
                continue
            yield from _row(line_no, header, rec, ";".join(rec), kinds)


# csv_records' problem codes as this reader has always named them
_CODES = {"invalid_row_length": "wrong_field_count", "unterminated_quote": "invalid_csv",
          "invalid_record": "invalid_csv"}


def _row(line_no: int, header: list[str], rec: list[str], raw: str, kinds: frozenset[str]):
    values: dict[str, str | None] = {}
    extra: dict[str, str] = {}
    for h, v in zip(header, rec, strict=True):
        v = v.strip()
        col = COLUMNS.get(h)
        if col:
            values[col] = v if v != "" else None
        else:
            extra[h] = v
    code = resolve(values.get("sr70"))
    if code is None or len(values.get("sr70") or "") != 6:
        yield (line_no, "invalid_sr70_code", f"Evidenční číslo {values.get('sr70')!r} is not a 6-digit SR70 code", raw)
        return
    try:
        x, y = decimal(values.get("x_raw")), decimal(values.get("y_raw"))
        lat, lon = wgs_degrees(values.get("gps_n_deg")), wgs_degrees(values.get("gps_e_deg"))
        alt = decimal(values.get("altitude_raw"))
    except ValueError as exc:
        yield (line_no, "invalid_number", f"unreadable coordinate or altitude: {exc}", raw)
        return
    px, py, note = position(x, y)
    if lat == 0 and lon == 0:
        lat = lon = None
    yield Sr70Row(
        line_no=line_no, values=values, extra=extra, sr70_5=code.code5, check_ok=code.given_check_ok,
        x=px, y=py, lat=lat, lon=lon, altitude=alt or None, location_note=note,
        is_passenger=is_passenger_point(values.get("kind_code"), values.get("state_code"), kinds),
    )
