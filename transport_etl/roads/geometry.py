"""Geometry checks shared by the road loaders: what may be loaded, and why not."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import numpy as np
import shapely
from pyproj import CRS

from transport_etl import positions
from transport_etl.crs import in_region


def as_line(wkb: bytes | None, reproject: Callable | None, bbox: Sequence[float] | None
            ) -> tuple[shapely.LineString | None, str | None, str | None]:
    """(LineString in 5514, None, None), or (None, reason_code, message) for a geometry to quarantine."""
    if wkb is None:
        return None, "missing_geometry", "feature has no geometry"
    try:
        geom = shapely.from_wkb(wkb)
    except shapely.errors.GEOSException as exc:
        return None, "invalid_geometry", f"unreadable geometry: {exc}"
    if geom is None or geom.is_empty:
        return None, "empty_geometry", "geometry is empty"
    geom = shapely.force_2d(geom)
    if geom.geom_type == "MultiLineString":
        merged = shapely.line_merge(geom)
        if merged.geom_type != "LineString":
            return None, "multipart_geometry", f"MultiLineString of {len(geom.geoms)} disconnected parts"
        geom = merged
    if geom.geom_type != "LineString":
        return None, "wrong_geometry_type", f"{geom.geom_type} where a LineString was expected"
    coords = shapely.get_coordinates(geom)
    if not (abs(coords) < 1e9).all():
        return None, "invalid_geometry", "non-finite coordinates"
    if reproject is not None:
        geom = reproject(geom)
        if not (abs(shapely.get_coordinates(geom)) < 1e9).all():
            return None, "invalid_geometry", "coordinates cannot be transformed to EPSG:5514"
    if not geom.is_valid or geom.length == 0:
        return None, "invalid_geometry", "line has fewer than two distinct points"
    if not geom.is_simple:
        return None, "self_intersecting_link", "line crosses itself (a link cannot)"
    if not in_region(geom, bbox):
        x, y = geom.coords[0]
        return None, "out_of_region", f"line starting at ({x:.0f}, {y:.0f}) in EPSG:5514 lies outside the region"
    return geom, None, None


def ewkb(geom: shapely.Geometry, srid: int = 5514) -> str:
    """Hex EWKB with SRID, as COPY into a geometry column takes it."""
    return shapely.to_wkb(shapely.set_srid(geom, srid), hex=True, include_srid=True)


def crs_kind(crs: CRS | None) -> str | None:
    """'wgs84' (lat/lon degrees), '5514' (S-JTSK metres) or None (another projected CRS) for the rule below."""
    if crs is None or crs.is_geographic:
        return "wgs84"
    return "5514" if crs.to_epsg() in (5514, 5513, 102067) else None


def refused_geometry(geom: shapely.Geometry, kind: str | None, options: Mapping[str, Any] | None
                     ) -> positions.Placement | None:
    """The position rule's refusal of a geometry in its source CRS (``kind``: crs_kind), checked on its
    bounding box corners (a 1.5-million-vertex line costs two checks); None when it may be used."""
    coords = shapely.get_coordinates(geom)
    if not np.isfinite(coords).all():
        return positions.Placement(None, None, "non_finite_position", "geometry has NaN or infinite coordinates")
    if kind is None:
        return None  # another projected CRS: check it again once in EPSG:5514
    (x0, y0), (x1, y1) = coords.min(axis=0), coords.max(axis=0)
    for x, y in ((x0, y0), (x1, y1)):
        p = positions.place_wgs84(y, x, options) if kind == "wgs84" else positions.place_5514(x, y, options)
        if not p.placed or p.note in ("sjtsk_sign_corrected", "sjtsk_axes_swapped"):  # a line is not flipped
            return p
    return None
