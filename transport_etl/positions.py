"""The one position rule for every format. What a source gives as a point becomes EPSG:5514 or nothing:

- NaN, ±Inf or a missing value never become geometry (``missing_position`` / ``non_finite_position``);
- 0,0 in any CRS is never placed: both values below 1 unit of the source CRS (``point_near_origin``);
- WGS84 values that only make sense swapped (``lat_lon_swapped``) or that are S-JTSK metres
  (``sjtsk_in_wgs84``), and S-JTSK values that are degrees (``wgs84_in_sjtsk``), are recognised, named
  and not placed; values the CRS cannot hold (latitude 95) are not placed (``out_of_range``);
- a position outside the source's expected extent (catalog option ``expected_extent``
  [lon_min, lat_min, lon_max, lat_max] in WGS84, default Czechia, widened by ``extent_margin_m``,
  default 50 km) is flagged (``outside_expected_extent``); it is placed only while it stays where
  EPSG:5514 is meaningful (central Europe), so no gis view can fail on it.

The same rule is in SQL as ``unified.place_point`` / ``unified.position_note`` (schemas/640_positions.sql)
for set-based publish code; tests/unit/test_positions.py keeps the two in step.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from transport_etl.crs import sjtsk_xy, wgs84_to_5514

CZECHIA = (12.09, 48.55, 18.86, 51.06)  # lon_min, lat_min, lon_max, lat_max (WGS84)
DEFAULT_MARGIN_M = 50_000.0
# Where EPSG:5514 is meaningful and every gis view's ST_Transform(…, 4326) works (Czechia ± ~400 km).
SAFE_5514 = (-1_300_000.0, -1_600_000.0, -100_000.0, -500_000.0)
# lon_min, lat_min, lon_max, lat_max: placed (and flagged) only here; its EPSG:5514 image lies in SAFE_5514.
PLACEABLE_WGS84 = (9.0, 46.0, 22.0, 53.5)
_M_PER_DEG_LAT = 111_320.0
NOTES = ("missing_position", "non_finite_position", "point_near_origin", "lat_lon_swapped", "sjtsk_in_wgs84",
         "wgs84_in_sjtsk", "out_of_range", "outside_expected_extent", "sjtsk_sign_corrected",
         "sjtsk_axes_swapped")


@dataclass(frozen=True)
class Placement:
    """Where a source position goes: (x, y) in EPSG:5514 or None, a note code and a message."""

    x: float | None
    y: float | None
    note: str | None = None
    message: str | None = None

    @property
    def placed(self) -> bool:
        return self.x is not None


def extent(options: Mapping[str, Any] | None) -> tuple[float, float, float, float]:
    """The source's expected extent in WGS84 with its margin applied."""
    opts = options or {}
    if "expected_extent" in opts and opts["expected_extent"] is None:
        return (-180.0, -90.0, 180.0, 90.0)  # the catalog switched the check off: nowhere is unexpected
    lon0, lat0, lon1, lat1 = (float(v) for v in (opts.get("expected_extent") or CZECHIA))
    margin = float(opts.get("extent_margin_m", DEFAULT_MARGIN_M))
    dlat = margin / _M_PER_DEG_LAT
    dlon = margin / (_M_PER_DEG_LAT * max(math.cos(math.radians((lat0 + lat1) / 2)), 0.1))
    return lon0 - dlon, lat0 - dlat, lon1 + dlon, lat1 + dlat


def _num(v: Any) -> float | None:
    if v is None or (isinstance(v, str) and not v.strip()):
        return None
    if isinstance(v, bool):
        raise ValueError(v)
    return float(str(v).strip().replace(",", ".")) if isinstance(v, str) else float(v)


def _inside(lon: float, lat: float, box: tuple[float, float, float, float]) -> bool:
    return box[0] <= lon <= box[2] and box[1] <= lat <= box[3]


def _safe(x: float, y: float) -> bool:
    return math.isfinite(x) and math.isfinite(y) and SAFE_5514[0] <= x <= SAFE_5514[2] \
        and SAFE_5514[1] <= y <= SAFE_5514[3]


def _numbers(a: Any, b: Any) -> tuple[float, float] | Placement:
    """The two numbers of a position in any CRS, or the placement refusing it: not numbers, missing, not
    finite, or at 0,0."""
    try:
        p, q = _num(a), _num(b)
    except (TypeError, ValueError):
        return Placement(None, None, "non_finite_position", f"position {a!r}, {b!r} is not a number")
    if p is None or q is None:
        return Placement(None, None, "missing_position", "no position")
    if not (math.isfinite(p) and math.isfinite(q)):
        return Placement(None, None, "non_finite_position", f"position {p}, {q} is not finite")
    if abs(p) < 1 and abs(q) < 1:
        return Placement(None, None, "point_near_origin", f"position {p}, {q} is at 0,0 (not placed)")
    return p, q


def place_wgs84(lat: Any, lon: Any, options: Mapping[str, Any] | None = None) -> Placement:
    """A WGS84 latitude/longitude (numbers or text) → EPSG:5514 under the rule. Never raises."""
    pair = _numbers(lat, lon)
    if isinstance(pair, Placement):
        return pair
    la, lo = pair
    box = extent(options)
    if not _inside(lo, la, box) and _inside(la, lo, box):
        return Placement(None, None, "lat_lon_swapped",
                         f"latitude {la} and longitude {lo} look swapped (not placed)")
    if 100_000 <= max(abs(la), abs(lo)) <= 2_000_000 and min(abs(la), abs(lo)) >= 100_000:
        return Placement(None, None, "sjtsk_in_wgs84",
                         f"position {la}, {lo} looks like S-JTSK metres, not WGS84 degrees (not placed)")
    if abs(la) > 90 or abs(lo) > 180:
        return Placement(None, None, "out_of_range", f"latitude {la} / longitude {lo} out of range")
    inside = _inside(lo, la, box)
    x, y = wgs84_to_5514(la, lo) if _inside(lo, la, PLACEABLE_WGS84) else (math.inf, math.inf)
    if not _safe(x, y):
        return Placement(None, None, "outside_expected_extent",
                         f"position {la}, {lo} is far outside the expected extent (not placed)")
    if not inside:
        return Placement(x, y, "outside_expected_extent", f"position {la}, {lo} is outside the expected extent")
    return Placement(x, y)


def place_5514(a: Any, b: Any, options: Mapping[str, Any] | None = None) -> Placement:
    """An S-JTSK pair (EPSG:5514, or classic positive/swapped S-JTSK) → EPSG:5514 under the rule."""
    pair = _numbers(a, b)
    if isinstance(pair, Placement):
        return pair
    x0, y0 = pair
    if abs(x0) <= 180 and abs(y0) <= 180:
        return Placement(None, None, "wgs84_in_sjtsk",
                         f"position {x0}, {y0} looks like WGS84 degrees, not S-JTSK metres (not placed)")
    x, y = sjtsk_xy(x0, y0)
    note = None if (x, y) == (x0, y0) else "sjtsk_axes_swapped" if abs(x0) > abs(y0) else "sjtsk_sign_corrected"
    if not _safe(x, y):
        return Placement(None, None, "outside_expected_extent",
                         f"position {x0}, {y0} is far outside the expected extent (not placed)")
    from transport_etl.crs import _from_wgs84

    lon, lat = _from_wgs84().transform(x, y, direction="INVERSE")
    if not _inside(lon, lat, extent(options)):
        return Placement(x, y, "outside_expected_extent", f"position {x0}, {y0} is outside the expected extent")
    return Placement(x, y, note, f"S-JTSK {x0}, {y0} read as {x}, {y}" if note else None)


def place(a: Any, b: Any, crs: str | int | None, options: Mapping[str, Any] | None = None) -> Placement:
    """Dispatch on the CRS: 4326 takes (lat, lon); 5514/5513 take (x, y)."""
    code = str(crs or "4326").upper().rsplit(":", 1)[-1]
    if code in ("5514", "5513", "102067"):
        return place_5514(a, b, options)
    return place_wgs84(a, b, options)


def report(ctx: Any, p: Placement, file_name: str | None, line_no: int | None, entity_key: str | None = None
           ) -> None:
    """A notice naming file and line for any position the rule did not take as given."""
    if p.note is None or p.note == "missing_position":
        return
    severity = "INFO" if p.note in ("sjtsk_sign_corrected", "sjtsk_axes_swapped") else "WARNING"
    where = f"{file_name or 'input'}" + (f" line {line_no}" if line_no else "")
    ctx.notice(p.note, severity, f"{where}: {p.message}", file_name=file_name, line_no=line_no,
               entity_key=entity_key)
