"""The model's one CRS: EPSG:5514 (S-JTSK / Krovak East North). Point conversions shared by readers."""

from __future__ import annotations

from functools import lru_cache

from pyproj import Transformer


@lru_cache(maxsize=1)
def _from_wgs84() -> Transformer:
    # always_xy: (lon, lat) in, (x, y) out, whatever the CRS definitions say about axis order.
    return Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True)


def wgs84_to_5514(lat: float, lon: float) -> tuple[float, float]:
    """WGS84 latitude/longitude → EPSG:5514 (x, y), both negative in Czechia."""
    x, y = _from_wgs84().transform(lon, lat)
    return float(x), float(y)
