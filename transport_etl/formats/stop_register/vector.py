"""Stop registers as regions publish them: any vector source GDAL reads (Shapefile, GeoPackage, GeoJSON,
CSV with coordinates, XLSX; plain, zipped or in a folder) through pyogrio, with the catalog's column
mapping ``options.columns`` = {id, name, municipality, district, pole, crz_post, x, y, lat, lon}.

Position: the layer's geometry (CRS from the file, e.g. the Shapefile's .prj, else the catalog ``crs``),
else the mapped x/y (S-JTSK, signs and axis order recovered) or lat/lon columns. Encoding: the catalog,
the ``.cpg`` and the text weighed by transport_etl.roads.layer_text, so a ``.cpg`` that says UTF-8 over
CP1250 names (common in Czech exports) is caught and read as CP1250 with a warning.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator, Mapping
from pathlib import Path
from typing import Any

import shapely

from transport_etl.boundaries import Limits
from transport_etl.crs import transformer_to_5514
from transport_etl.errors import InputRejected
from transport_etl.formats.stop_register.reader import BadRow, RegisterRow, position
from transport_etl.roads import ogr
from transport_etl.roads.layer_text import choose_encoding

VECTOR_SUFFIXES = (".shp", ".gpkg", ".geojson", ".json", ".fgb", ".zip")
MAPPED = ("id", "name", "municipality", "district", "pole", "crz_post", "x", "y", "lat", "lon")
DEFAULTS = {"id": "CRZ", "name": "NAZEV", "municipality": "OBEC", "district": "OKRES", "pole": "OZNACNIK"}


def is_vector_input(path: Path, options: Mapping[str, Any]) -> bool:
    """Vector layers always; CSV/XLSX only when the catalog maps their columns (else the CRZ reader)."""
    if options.get("columns"):
        return True
    if path.is_dir():
        return any(p.suffix.lower() in VECTOR_SUFFIXES for p in path.rglob("*") if p.is_file())
    return path.suffix.lower() in VECTOR_SUFFIXES


def column_map(options: Mapping[str, Any]) -> dict[str, str | None]:
    given = dict(options.get("columns") or {})
    unknown = set(given) - set(MAPPED)
    if unknown:
        raise InputRejected(f"options.columns has unknown fields {', '.join(sorted(unknown))}; known: "
                            f"{', '.join(MAPPED)}", code="invalid_mapping")
    return {f: given.get(f, DEFAULTS.get(f)) for f in MAPPED}


def read_vector_register(path: Path, options: Mapping[str, Any], catalog_encoding: str | None,
                         catalog_crs: str | None, warn: Callable[[str, str], None]
                         ) -> tuple[str, Iterator[RegisterRow | BadRow]]:
    """(file name for lineage, rows) of a vector stop register."""
    info = ogr.layer_info(path, options.get("layer"), limits=Limits.of(options))
    cols = column_map(options)
    encoding = choose_encoding(info, catalog_encoding, warn)
    lower = {f.lower() for f in info.fields}
    for field in ("id", "name"):
        if cols[field] and cols[field].lower() not in lower and not (field == "id" and cols["crz_post"]):
            raise InputRejected(f"{info.file_name}: no column {cols[field]!r} for the stop {field} (columns: "
                                f"{', '.join(info.fields)}); map it in options.columns.{field}",
                                code="missing_required_column")
    reproject, file_crs = None, None
    if info.geometry_type not in (None, "Unknown") or info.crs:
        crs, notes = ogr.layer_crs(info, catalog_crs)
        for code, message in notes:
            warn(code, message)
        reproject, file_crs = transformer_to_5514(crs), crs.to_string()
    return info.file_name, _rows(info, encoding, cols, reproject, file_crs, catalog_crs)


def _rows(info, encoding, cols, reproject, file_crs, catalog_crs) -> Iterator[RegisterRow | BadRow]:
    for line_no, props, wkb in ogr.iter_features(info, encoding=encoding):
        raw = json.dumps(props, ensure_ascii=False, default=str)[:4000]
        crz = ogr.text(ogr.field(props, cols["id"])) or ""
        post = ogr.text(ogr.field(props, cols["pole"]))
        if not crz and cols["crz_post"]:
            combined = ogr.text(ogr.field(props, cols["crz_post"])) or ""
            crz, post = (combined[:-2], combined[-2:].lstrip("0") or "0") if combined.isdigit() else ("", None)
        if not crz.isdigit():
            yield BadRow(line_no, "invalid_register_id", f"feature {line_no}: stop id {crz!r} is not a number", raw)
            continue
        name = str(ogr.field(props, cols["name"]) or "").strip()
        if not name:
            yield BadRow(line_no, "missing_required_field", f"feature {line_no}: stop {crz} has no name", raw)
            continue
        try:
            x, y, src_crs, note = _position(props, wkb, cols, reproject, file_crs, catalog_crs)
        except ValueError:
            yield BadRow(line_no, "invalid_coordinate", f"feature {line_no}: coordinates are not numbers", raw)
            continue
        district = str(ogr.field(props, cols["district"]) or "").strip().upper() or None
        municipality = str(ogr.field(props, cols["municipality"]) or "").strip() or None
        yield RegisterRow(line_no, crz, post, name, municipality, district, x, y, src_crs, note, raw)


def _position(props, wkb, cols, reproject, file_crs, catalog_crs):
    if wkb is not None:
        geom = shapely.from_wkb(wkb)
        if not geom.is_empty:
            pt = geom if geom.geom_type == "Point" else geom.representative_point()
            if reproject is not None:
                pt = reproject(pt)
            x, y, _crs, note = position({"x": pt.x, "y": pt.y}, "EPSG:5514")
            return x, y, file_crs or "EPSG:5514", note
    values = {k: ogr.field(props, cols[k]) for k in ("x", "y", "lat", "lon")}
    return position(values, catalog_crs)
