"""The model's one CRS: EPSG:5514 (S-JTSK / Krovak East North). Every reader reprojects through here:
point conversions, layer transformers, the CRS a file or the catalog declares, S-JTSK conventions."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from functools import lru_cache

import shapely
from pyproj import CRS, Transformer
from pyproj.exceptions import CRSError, ProjError

from transport_etl.errors import InputRejected

TARGET = CRS.from_epsg(5514)
# Ústecký kraj in EPSG:5514 with a 10 km margin (the region spans about X −836 … −714 km,
# Y −1032 … −941 km): a geometry entirely outside is in the wrong CRS or the wrong region.
USTECKY_BBOX: tuple[float, float, float, float] = (-846_000.0, -1_042_000.0, -704_000.0, -931_000.0)


def resolve_crs(file_crs: str | None, catalog_crs: str | None) -> tuple[CRS, str | None]:
    """The CRS to read a layer in, and a warning when the file and the catalog disagree.

    The file's own CRS (.prj, GeoPackage srs) wins: it travels with the coordinates. The catalog's
    crs is the fallback for files that carry none (a Shapefile without .prj).
    """
    if file_crs:
        crs = _parse(file_crs, "the layer's CRS")
        warning = None
        if catalog_crs and not _same(crs, _parse(catalog_crs, "the catalog crs")):
            warning = f"file CRS {crs.to_string()} differs from catalog crs {catalog_crs}; using the file's"
        return crs, warning
    if catalog_crs:
        return _parse(catalog_crs, "the catalog crs"), None
    raise InputRejected("layer has no CRS and the source catalog sets none (crs: EPSG:5514?)", code="missing_crs")


def _parse(text: str, what: str) -> CRS:
    try:
        return CRS.from_user_input(text)
    except CRSError as exc:
        raise InputRejected(f"{what} is not a coordinate reference system PROJ can read", code="invalid_crs") from exc


def _same(a: CRS, b: CRS) -> bool:
    return a == b or a.equals(b, ignore_axis_order=True)


def transformer_to_5514(crs: CRS) -> Callable[[shapely.Geometry], shapely.Geometry] | None:
    """A function reprojecting shapely geometries to EPSG:5514, or None when ``crs`` is 5514 already.

    always_xy: coordinates are (easting/longitude, northing/latitude) whatever the CRS's axis order
    (EPSG:4326 is lat/lon by definition, but OGR hands out lon/lat).
    """
    if _same(crs, TARGET) or crs.to_epsg() == 5514:
        return None
    try:
        t = Transformer.from_crs(crs, TARGET, always_xy=True)
    except (ProjError, CRSError) as exc:
        # e.g. a .prj with LOCAL_CS (an engineering CRS): no way to EPSG:5514 exists, nothing can be placed
        raise InputRejected(f"the layer's CRS {_name(crs)} cannot be converted to EPSG:5514 (no known "
                            "transformation; a local or engineering system?)", code="invalid_crs") from exc

    def _apply(geom: shapely.Geometry) -> shapely.Geometry:
        return shapely.transform(geom, lambda xy: _stack(t.transform(xy[:, 0], xy[:, 1])))

    return _apply


def _name(crs: CRS) -> str:
    # a short name for a message: the authority code, else the CRS's own name (trimmed, printable)
    auth = crs.to_authority()
    text = ":".join(auth) if auth else repr(crs.name or "unnamed")
    return "".join(ch for ch in text if ch.isprintable())[:60]


def _stack(xy):
    import numpy as np

    return np.column_stack(xy)


def in_region(geom: shapely.Geometry, bbox: Sequence[float] | None) -> bool:
    """True when ``geom`` touches the region box (no box: everything is in region)."""
    if bbox is None:
        return True
    return shapely.intersects(geom, shapely.box(*bbox))


def region_bbox(options: dict) -> tuple[float, float, float, float] | None:
    """The region box from options['region_bbox'] ([xmin, ymin, xmax, ymax] in 5514, or null to
    accept anything), defaulting to Ústecký kraj."""
    if "region_bbox" not in options:
        return USTECKY_BBOX
    box = options["region_bbox"]
    return None if box is None else tuple(float(v) for v in box)  # type: ignore[return-value]


def sjtsk_xy(a: float, b: float) -> tuple[float, float]:
    """EPSG:5514 (x, y) from an S-JTSK pair as published in whichever convention.

    In Czechia |x| (about 430–905 km) is always below |y| (about 935–1230 km), so sign (classic
    Křovák EPSG:5513 is positive) and order (south-west axes) can be recovered from the values.
    """
    small, large = sorted((abs(a), abs(b)))
    return -small, -large


@lru_cache(maxsize=1)
def _from_wgs84() -> Transformer:
    # always_xy: (lon, lat) in, (x, y) out, whatever the CRS definitions say about axis order.
    return Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True)


def wgs84_to_5514(lat: float, lon: float) -> tuple[float, float]:
    """WGS84 latitude/longitude → EPSG:5514 (x, y), both negative in Czechia."""
    x, y = _from_wgs84().transform(lon, lat)
    return float(x), float(y)
