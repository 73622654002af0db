"""Road network sections from any OGR layer: attribute mapping, decoding, CRS → EPSG:5514.

Knows the format and nothing of the database: yields staging rows and quarantine reasons.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transport_etl.boundaries import Limits
from transport_etl.crs import transformer_to_5514
from transport_etl.roads import ogr
from transport_etl.roads.geometry import as_line, ewkb
from transport_etl.roads.layer_text import Warn, choose_encoding
from transport_etl.roads.roadnum import normalise

# ŘSD Global Network attribute names (SHP/DBF, WIN1250). A catalog entry overrides any of them with
# options.attributes: {local_id: ..., road_number: ..., road_class: ..., direction: ..., form_of_way: ..., name: ...}.
DEFAULT_ATTRIBUTES: dict[str, str | None] = {
    "local_id": "ROAD_ID",
    "road_number": "RN",
    "road_class": None,
    "direction": "DF",
    "form_of_way": "FW",
    "name": "NAZEV",
}

STAGING_COLUMNS = ["feed_version_id", "line_no", "source_file", "local_id", "road_number", "road_number_raw",
                   "road_class", "direction", "form_of_way", "name", "attributes", "geom"]


@dataclass
class Rejected:
    line_no: int
    code: str
    message: str
    raw: str


def attribute_map(options: Mapping[str, Any]) -> dict[str, str | None]:
    return {**DEFAULT_ATTRIBUTES, **(options.get("attributes") or {})}


def read_sections(info: ogr.LayerInfo, encoding: str | None, catalog_crs: str | None,
                  options: Mapping[str, Any], bbox, feed_version_id: int,
                  warn: Warn = lambda code, msg: None) -> Iterator[tuple | Rejected]:
    """Staging rows (STAGING_COLUMNS order) or Rejected records, in layer order; ``warn(code, message)``
    for CRS notices."""
    crs, notes = ogr.layer_crs(info, catalog_crs)
    for code, message in notes:
        warn(code, message)
    reproject = transformer_to_5514(crs)
    amap = attribute_map(options)
    seen: set[str] = set()
    for line_no, props, wkb in ogr.iter_features(info, encoding=encoding):
        raw = json.dumps(props, ensure_ascii=False, default=str)
        local_id = ogr.text(ogr.field(props, amap["local_id"]))
        if local_id is None:
            yield Rejected(line_no, "missing_required_field", f"no section id ({amap['local_id']})", raw)
            continue
        if local_id in seen:
            yield Rejected(line_no, "duplicate_key", f"section id {local_id} appears more than once", raw)
            continue
        geom, code, message = as_line(wkb, reproject, bbox)
        if geom is None:
            yield Rejected(line_no, code or "invalid_geometry", f"section {local_id}: {message}", raw)
            continue
        seen.add(local_id)
        rn_raw = ogr.text(ogr.field(props, amap["road_number"]))
        number, cls = normalise(rn_raw, ogr.field(props, amap.get("road_class")))
        yield (
            feed_version_id, line_no, info.file_name, local_id, number, rn_raw,
            ogr.text(ogr.field(props, amap.get("road_class"))) if cls is None else cls,
            ogr.text(ogr.field(props, amap["direction"])), ogr.text(ogr.field(props, amap["form_of_way"])),
            ogr.text(ogr.field(props, amap["name"])), raw, ewkb(geom),
        )


def open_layer(path: Path, options: Mapping[str, Any], catalog_encoding: str | None,
               warn: Warn = lambda code, msg: None) -> tuple[ogr.LayerInfo, str | None]:
    """The layer to read and the encoding to decode its attributes with.

    Encodings matter for Shapefiles only (a DBF may lack a .cpg, and the ŘSD writes WIN1250): the
    catalog's, unless the .cpg names another one the text agrees with (layer_text.choose_encoding).
    GeoPackage and GeoJSON are UTF-8 by definition and GDAL decodes them itself.
    """
    info = ogr.layer_info(path, options.get("layer"), limits=Limits.of(options))
    if info.driver not in ogr.SHAPEFILE_DRIVERS:
        return info, None
    return info, choose_encoding(info, catalog_encoding, warn)
