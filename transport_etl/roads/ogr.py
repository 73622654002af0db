"""Reading any OGR layer (Shapefile, GeoPackage, GeoJSON, zipped) in batches through pyogrio.

Every input layer is opened here, after the shared boundaries (zip members checked by
boundaries.open_zip, folders by boundaries.folder_files) and with GDAL restricted to the allowed drivers
(transport_etl.gdal_env): GDAL picks a driver from content, and an OGR VRT posing as a .geojson would
otherwise read any file it names. GDAL's messages are quoted without local paths.
"""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any

from pyproj import CRS

from transport_etl.boundaries import Limits, folder_files, open_zip
from transport_etl.crs import resolve_crs
from transport_etl.errors import InputRejected
from transport_etl.gdal_env import ALLOWED_DRIVERS, gdal_message, pyogrio

LAYER_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".fgb", ".csv")
SHAPEFILE_DRIVERS = ("ESRI Shapefile",)


@dataclass(frozen=True)
class LayerInfo:
    dataset: str          # what GDAL opens (may be /vsizip/…)
    layer: str | int | None
    file_name: str        # name for lineage (rejects, entity_source)
    driver: str
    crs: str | None
    encoding: str | None  # encoding GDAL detected (.cpg, LDID), if any
    fields: tuple[str, ...]
    geometry_type: str | None
    features: int          # -1 if unknown without a scan
    source: Path | None = None  # the input file or zip the dataset is in
    prj_unreadable: bool = False  # a Shapefile .prj exists but GDAL could not read a CRS from it
    stem: str = ""               # the layer's name in the dataset (a Shapefile's file name without suffix)


def dataset_path(path: Path, limits: Limits | None = None) -> tuple[str, str]:
    """(what GDAL should open, a file name for lineage) for a file, a zip or a folder. A zip passes the
    shared archive check (symlink, ``..``, duplicate members, member count, ratio) before GDAL sees it."""
    if path.is_dir():
        found = [p for p in folder_files(path) if p.suffix.lower() in LAYER_SUFFIXES]
        if not found:
            raise InputRejected(f"no vector layer ({', '.join(LAYER_SUFFIXES)}) in folder {path.name}",
                                code="missing_input")
        return str(found[0]), found[0].relative_to(path).as_posix()
    if path.suffix.lower() == ".zip" or zipfile.is_zipfile(path):
        # an XLSX is a zip GDAL opens through /vsizip/ itself: it meets the same archive limits
        zf, _infos = open_zip(path, path.name, limits or Limits())
        zf.close()
        if path.suffix.lower() == ".zip":
            return f"/vsizip/{path}", path.name
    return str(path), path.name


def layer_info(path: Path, layer: str | int | None = None, encoding: str | None = None,
               limits: Limits | None = None) -> LayerInfo:
    """Open the layer and describe it; a file GDAL cannot read, or reads only with a driver outside
    the allow-list, is refused with GDAL's reason (paths removed)."""
    dataset, name = dataset_path(path, limits)
    gdal = pyogrio()
    try:
        layers = gdal.list_layers(dataset)
        if layer is None and len(layers) > 1:
            # Several layers (a GeoPackage with styles, a zip of shapefiles): take the first with geometry.
            geo = [str(row[0]) for row in layers if row[1] is not None]
            layer = geo[0] if geo else str(layers[0][0])
        info = gdal.read_info(dataset, layer=layer, encoding=encoding)
    except (gdal.errors.DataSourceError, gdal.errors.DataLayerError, UnicodeDecodeError) as exc:
        raise InputRejected(f"cannot read {name} as a vector layer: {_reason(exc, dataset, name, path)}",
                            code="invalid_input") from exc
    driver = str(info.get("driver") or "")
    if driver not in ALLOWED_DRIVERS:  # cannot happen with the drivers deregistered; never read if it does
        raise InputRejected(f"{name}: a {gdal_message(driver)} layer is not read (accepted: "
                            f"{', '.join(sorted(ALLOWED_DRIVERS))})", code="unsupported_file_type")
    stem = str(layer if isinstance(layer, str) else (layers[0][0] if len(layers) else ""))
    return LayerInfo(
        dataset=dataset, layer=layer, file_name=name, driver=driver,
        crs=info.get("crs"), encoding=info.get("encoding"), fields=tuple(str(f) for f in info["fields"]),
        geometry_type=info.get("geometry_type"), features=int(info.get("features", -1)), source=path, stem=stem,
        prj_unreadable=(driver in SHAPEFILE_DRIVERS and not info.get("crs")
                        and sidecar(dataset, path, stem, ".prj") is not None),
    )


def _reason(exc: BaseException, dataset: str, name: str, path: Path) -> str:
    return gdal_message(exc, {dataset: name, str(path): path.name})


def sidecar(dataset: str, path: Path | None, stem: str, suffix: str) -> str | Path | None:
    """The file next to a Shapefile layer with this suffix (.prj, .cpg, .dbf), any case: a zip member
    name or a Path, None when there is none."""
    want = (stem + suffix).lower()
    if dataset.startswith("/vsizip/") and path is not None:
        with zipfile.ZipFile(path) as z:
            return next((n for n in z.namelist() if PurePosixPath(n).name.lower() == want), None)
    shp = Path(dataset)
    folder = shp.parent if shp.is_file() else shp
    return next((p for p in folder.glob("*") if p.name.lower() == want and p.is_file()), None)


def layer_crs(info: LayerInfo, catalog_crs: str | None) -> tuple[CRS, list[tuple[str, str]]]:
    """The CRS to read the layer in (resolve_crs) and the notices to record: (code, message)."""
    notes: list[tuple[str, str]] = []
    if info.prj_unreadable:
        notes.append(("crs_unreadable", f"the layer's .prj is not a CRS GDAL can read; using the catalog crs "
                      f"{catalog_crs}" if catalog_crs else "the layer's .prj is not a CRS GDAL can read"))
    crs, warning = resolve_crs(info.crs, catalog_crs)
    if warning:
        notes.append(("crs_mismatch", warning))
    return crs, notes


def iter_features(info: LayerInfo, encoding: str | None = None, batch: int = 5_000
                  ) -> Iterator[tuple[int, dict[str, Any], bytes | None]]:
    """(1-based feature index, attributes, WKB geometry or None) for every feature, a batch at a time
    so that a national network never sits in memory whole."""
    index = 0
    gdal = pyogrio()
    while True:
        try:
            _meta, _fids, geoms, data = gdal.raw.read(
                info.dataset, layer=info.layer, encoding=encoding, skip_features=index, max_features=batch,
                datetime_as_string=True,
            )
        except (gdal.errors.DataSourceError, gdal.errors.DataLayerError, UnicodeDecodeError) as exc:
            # A truncated .dbf, a damaged .shp: GDAL cannot go on, so the layer is refused in one line.
            raise InputRejected(f"{info.file_name}: cannot read the features after feature {index}: "
                                f"{_reason(exc, info.dataset, info.file_name, info.source or Path(info.file_name))}",
                                code="invalid_input") from exc
        n = len(geoms) if geoms is not None else (len(data[0]) if data else 0)
        if n == 0:
            return
        names = list(_meta["fields"])
        for i in range(n):
            index += 1
            props = {names[j]: _plain(data[j][i]) for j in range(len(names))}
            yield index, props, (geoms[i] if geoms is not None else None)
        if n < batch:
            return


def _plain(value: Any) -> Any:
    """numpy scalars → Python values, NaN → None (a DBF's empty numeric field)."""
    if value is None:
        return None
    if hasattr(value, "item"):
        value = value.item()
    if isinstance(value, float) and value != value:
        return None
    if isinstance(value, bytes):
        return value.decode("utf-8", "replace")
    return value


def field(props: dict[str, Any], name: str | None) -> Any:
    """A field by name, case-insensitively (DBF upper-cases names, GeoJSON keeps them)."""
    if not name:
        return None
    if name in props:
        return props[name]
    low = name.lower()
    for k, v in props.items():
        if k.lower() == low:
            return v
    return None


def text(value: Any) -> str | None:
    """An attribute as text: stripped, None when empty; a whole float (a DBF numeric field) without ".0"."""
    if value is None:
        return None
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    s = str(value).strip()
    return s or None
