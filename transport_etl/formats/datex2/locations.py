"""Location references of DATEX II v2 and v3 beyond the Czech extension: ALERT-C (methods 2 and 4,
linear by code, direction, extent), TPEG from/to points, GML line strings and OpenLR.

Element local names are the same in v2 (``groupOfLocations``) and v3 (``locationReference``), so one
reader serves both; namespaces and prefixes are ignored (``xsi:type="loc:AlertCMethod4Linear"`` and
``xsi:type="AlertCMethod4Linear"`` mean the same).
"""

from __future__ import annotations

from typing import Any

from transport_etl.crs import wgs84_to_5514
from transport_etl.xmlsafe import XSI_TYPE, local, type_name


def _desc(el, name: str) -> list:
    return list(el.iter("{*}" + name))   # any or no namespace, matched by lxml


def _first_text(el, name: str) -> str | None:
    for d in _desc(el, name):
        if d.text and d.text.strip():
            return d.text.strip()
    return None


def _int(s: str | None) -> int | None:
    try:
        return int(s) if s is not None else None
    except ValueError:
        return None


def _float(s: str | None) -> float | None:
    try:
        return float(s) if s is not None else None
    except ValueError:
        return None


def _point_ref(el) -> tuple[int | None, float | None]:
    """(location code, offset in metres) of an alertCMethodNPrimary/SecondaryPointLocation."""
    code = _int(_first_text(el, "specificLocation"))
    offset = None
    for off in _desc(el, "offsetDistance"):
        if len(off) == 0 and off.text and off.text.strip():   # the inner offsetDistance holds the number
            offset = _float(off.text.strip())
    return code, offset


def alertc_reference(loc) -> dict[str, Any] | None:
    """The ALERT-C reference of a location element, or None when it carries none.

    Keys: method (2, 4 or 'linear_by_code'), country, table, table_version, direction (positive,
    negative, both, unknown), primary / secondary (location codes), primary_offset_m /
    secondary_offset_m (method 4), extent (steps from the primary, when published instead of a
    secondary), point (True for AlertCPoint).
    """
    if loc is None:
        return None
    found = [d for d in loc.iter() if local(d.tag) in ("alertCLinear", "alertCPoint")]
    if not found:
        return None
    el = found[0]
    kind = type_name(el.get(XSI_TYPE))
    ref: dict[str, Any] = {
        "country": _first_text(el, "alertCLocationCountryCode"),
        "table": _first_text(el, "alertCLocationTableNumber"),
        "table_version": _first_text(el, "alertCLocationTableVersion"),
        "direction": _first_text(el, "alertCDirectionCoded") or "unknown",
        "point": local(el.tag) == "alertCPoint",
        "method": 4 if "Method4" in kind else 2,
        "primary": None, "secondary": None, "primary_offset_m": None, "secondary_offset_m": None, "extent": None,
    }
    for d in el.iter():
        name = local(d.tag)
        if name.startswith("alertCMethod") and name.endswith("PrimaryPointLocation"):
            ref["primary"], ref["primary_offset_m"] = _point_ref(d)
            ref["method"] = 4 if "Method4" in name else 2
        elif name.startswith("alertCMethod") and name.endswith("SecondaryPointLocation"):
            ref["secondary"], ref["secondary_offset_m"] = _point_ref(d)
        elif name == "locationCodeForLinearLocation":
            ref["primary"], ref["method"] = _int(_first_text(d, "specificLocation")), "linear_by_code"
        elif name.lower().endswith("extent") and d.text and d.text.strip().isdigit():
            ref["extent"] = int(d.text.strip())
    return ref


def _lat_lon_point(el) -> tuple[float, float] | None:
    lat, lon = _float(_first_text(el, "latitude")), _float(_first_text(el, "longitude"))
    if lat is None or lon is None:
        return None
    return wgs84_to_5514(lat, lon)


def tpeg_points(loc) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """(start, end) in EPSG:5514 of a tpegLinearLocation (from/to) or tpegPointLocation (point)."""
    for tl in _desc(loc, "tpegLinearLocation"):
        frm = [c for c in tl if local(c.tag) == "from"]
        to = [c for c in tl if local(c.tag) == "to"]
        start = _lat_lon_point(frm[0]) if frm else None
        end = _lat_lon_point(to[0]) if to else None
        if start or end:
            return start or end, end if start else None
    for tp in _desc(loc, "tpegPointLocation"):
        pt = _lat_lon_point(tp)
        if pt:
            return pt, None
    return None, None


def gml_points(loc) -> tuple[tuple[float, float] | None, tuple[float, float] | None]:
    """(first, last) point in EPSG:5514 of a gmlLineString posList ('lat lon lat lon ...', EPSG:4326
    axis order as the v3 schema specifies)."""
    for gl in _desc(loc, "gmlLineString"):
        text = _first_text(gl, "posList")
        if not text:
            continue
        vals = [_float(v) for v in text.replace(",", " ").split()]
        if len(vals) < 4 or any(v is None for v in vals) or len(vals) % 2:
            continue
        first = wgs84_to_5514(vals[0], vals[1])
        last = wgs84_to_5514(vals[-2], vals[-1])
        return first, last
    return None, None


def has_openlr(loc) -> bool:
    """True when the location carries an OpenLR reference (v3 openlrLinear/openlrPoint..., v2
    openlrExtendedLinear in a linearExtension)."""
    return loc is not None and any(local(d.tag).lower().startswith("openlr") for d in loc.iter())


def notice_location_kinds(ctx, file_name: str, rec) -> None:
    """Notices for location kinds the reader keeps but cannot place by itself."""
    methods = rec.location_methods
    if "openlr" in methods and rec.start_point is None and not rec.sections and "alertC" not in methods:
        # No maintained OpenLR decoder on PyPI (openlr 1.0.1 dates from 2020): kept raw, not decoded.
        ctx.notice("openlr_not_decoded", "WARNING", "OpenLR location reference kept in raw_location but not "
                   "decoded (no maintained OpenLR library); the record stays unlocated",
                   file_name=file_name, line_no=rec.line_no, entity_key=rec.local_id)
