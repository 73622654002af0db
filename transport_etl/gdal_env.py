"""The one place GDAL is set up for reading inputs: which drivers exist at all, and what GDAL may reach.

GDAL picks a driver from a file's *content*, whatever its name: an OGR VRT (``<OGRVRTDataSource>``) or a
GDALG pipeline saved as ``.geojson`` or as a zip member is opened as such and reads whatever file or URL
it names. So every vector driver but the few formats the project reads is deregistered in this process
(GDAL_SKIP, applied by re-running the registration), and network access through ``/vsicurl/`` and
friends is made unusable. Use :func:`pyogrio` instead of ``import pyogrio`` for anything that reads.
"""

from __future__ import annotations

import re
from functools import lru_cache
from types import ModuleType

# The vector formats inputs are read in (writers use GPKG only). Everything else is deregistered.
ALLOWED_DRIVERS: frozenset[str] = frozenset({"ESRI Shapefile", "GPKG", "GeoJSON", "FlatGeobuf", "CSV", "XLSX"})
# Raster drivers that can point at other files; no input is ever opened as raster, skipped all the same.
_ALSO_SKIP = ("VRT", "GDALG", "DERIVED", "GTI", "STACIT", "STACTA", "WMS", "WMTS", "HTTP")

CONFIG: dict[str, str] = {
    # /vsicurl/ (and /vsis3/, /vsigs/ … built on it) opens only files with this extension: none exist.
    "CPL_VSIL_CURL_ALLOWED_EXTENSIONS": ".transport-etl-no-network",
    "GDAL_HTTP_MAX_RETRY": "0",
    "GDAL_HTTP_TIMEOUT": "1",
    "GDAL_HTTP_PROXY": "127.0.0.1:9",  # the discard port: any HTTP that slips through goes nowhere
    # GeoPackage/SQLite: triggers and views may not call OGR's SQL functions (ogr_geocode reaches the net).
    "ALLOW_OGR_SQL_FUNCTIONS_FROM_TRIGGER_AND_VIEW": "NO",
    "OGR_SQLITE_ALLOW_EXTERNAL_ACCESS": "NO",  # no VirtualOGR tables opening other files
}


@lru_cache(maxsize=1)
def pyogrio() -> ModuleType:
    """pyogrio, with GDAL restricted to :data:`ALLOWED_DRIVERS` and no network. Fails closed: if the
    restriction cannot be verified, nothing is read (a RuntimeError, an internal error to fix)."""
    import pyogrio as _pyogrio
    from pyogrio import _ogr

    skip = sorted((set(_pyogrio.list_drivers()) - ALLOWED_DRIVERS) | set(_ALSO_SKIP))
    # comma-separated: GDAL splits on commas when there is one ("MapInfo File" has a space)
    _pyogrio.set_gdal_config_options({**CONFIG, "GDAL_SKIP": ",".join(skip)})
    _ogr._register_drivers()  # GDALAllRegister → AutoSkipDrivers honours GDAL_SKIP now
    left = set(_pyogrio.list_drivers()) - ALLOWED_DRIVERS
    if left:
        raise RuntimeError(f"GDAL drivers {sorted(left)} could not be disabled; refusing to read any layer")
    return _pyogrio


# a path not glued to a word before it ("b.zip/x" is a member of the input shown as b.zip)
_PATHISH = re.compile(r"(?<![\w.])(?:/vsi[a-z0-9_]+/)?(?:[A-Za-z]:)?(?:/[^\s'\"`,;:()]+)+")


def gdal_message(exc: BaseException | str, shown: dict[str, str] | None = None, limit: int = 160) -> str:
    """GDAL's reason as a short line that quotes no local path: the paths in ``shown`` become their
    display names, any other path-like text becomes ``<path>`` (it may point outside the input)."""
    text = str(exc).splitlines()[0] if str(exc) else type(exc).__name__
    text = text.split("; It might help")[0]  # GDAL's hint about driver prefixes is no use to a publisher
    for raw, name in sorted((shown or {}).items(), key=lambda kv: -len(kv[0])):
        if raw:
            text = text.replace(raw, name)
    text = _PATHISH.sub("<path>", text)
    text = " ".join("".join(ch if ch.isprintable() else " " for ch in text).split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
