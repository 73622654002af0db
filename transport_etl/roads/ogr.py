"""Reading any OGR layer (Shapefile, GeoPackage, GeoJSON, zipped) in batches through pyogrio."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyogrio
from pyogrio import raw

from transport_etl.errors import InputRejected

LAYER_SUFFIXES = (".gpkg", ".shp", ".geojson", ".json", ".gml", ".fgb", ".csv")
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


def dataset_path(path: Path) -> tuple[str, str]:
    """(what GDAL should open, a file name for lineage) for a file, a zip or a folder."""
    if path.is_dir():
        found = sorted(p for p in path.rglob("*") if p.suffix.lower() in LAYER_SUFFIXES and p.is_file())
        if not found:
            raise InputRejected(f"no vector layer ({', '.join(LAYER_SUFFIXES)}) in folder {path.name}",
                                code="missing_input")
        return str(found[0]), found[0].relative_to(path).as_posix()
    if path.suffix.lower() == ".zip":
        return f"/vsizip/{path}", path.name
    return str(path), path.name


def layer_info(path: Path, layer: str | int | None = None, encoding: str | None = None) -> LayerInfo:
    """Open the layer and describe it; a file GDAL cannot read is refused with GDAL's reason."""
    dataset, name = dataset_path(path)
    try:
        layers = pyogrio.list_layers(dataset)
        if layer is None and len(layers) > 1:
            # Several layers (a GeoPackage with styles, a zip of shapefiles): take the first with geometry.
            geo = [str(row[0]) for row in layers if row[1] is not None]
            layer = geo[0] if geo else str(layers[0][0])
        info = pyogrio.read_info(dataset, layer=layer, encoding=encoding)
    except (pyogrio.errors.DataSourceError, pyogrio.errors.DataLayerError) as exc:
        raise InputRejected(f"cannot read {name} as a vector layer: {str(exc).splitlines()[0]}",
                            code="invalid_input") from exc
    return LayerInfo(
        dataset=dataset, layer=layer, file_name=name, driver=str(info.get("driver") or ""),
        crs=info.get("crs"), encoding=info.get("encoding"), fields=tuple(str(f) for f in info["fields"]),
        geometry_type=info.get("geometry_type"), features=int(info.get("features", -1)),
    )


def iter_features(info: LayerInfo, encoding: str | None = None, batch: int = 5_000
                  ) -> Iterator[tuple[int, dict[str, Any], bytes | None]]:
    """(1-based feature index, attributes, WKB geometry or None) for every feature, a batch at a time
    so that a national network never sits in memory whole."""
    index = 0
    while True:
        _meta, _fids, geoms, data = raw.read(
            info.dataset, layer=info.layer, encoding=encoding, skip_features=index, max_features=batch,
            datetime_as_string=True,
        )
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
