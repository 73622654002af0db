"""Census sections from a CSV export or an OGR layer: PSILNICE, PKOD_R, vehicle classes, SV."""

from __future__ import annotations

import csv
import io
import json
import math
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

import shapely

from transport_etl.roads import ogr
from transport_etl.roads.geometry import ewkb
from transport_etl.roads.roadnum import normalise

CLASSES = ("O", "LN", "SN", "SNP", "TN", "TNP", "NSN", "A", "AK", "TR", "TRP", "M", "SV")
HEAVY = ("LN", "SN", "SNP", "TN", "TNP", "NSN", "A", "AK", "TR", "TRP")
DEFAULT_FIELDS = {"road_number": "PSILNICE", "section": "PKOD_R", "year": "ROK", "geometry_wkt": "WKT"}
COLUMNS = ["feed_version_id", "line_no", "source_file", "local_id", "road_number", "road_number_raw", "section_code",
           "census_year", *[c.lower() for c in CLASSES], "light_vehicles", "heavy_vehicles", "motorcycles",
           "total_vehicles", "attributes", "geom"]


class Bad(Exception):
    """A census row that cannot be loaded (message = reason)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def _count(props: Mapping[str, Any], name: str) -> int | None:
    v = ogr.field(props, name)
    if v in (None, ""):
        return None
    try:
        n = float(str(v).replace(" ", "").replace(",", "."))
    except ValueError as exc:
        raise Bad("invalid_value", f"{name}={v!r} is not a number") from exc
    if not math.isfinite(n) or n >= 2**31:
        raise Bad("invalid_value", f"{name}={str(v)[:20]!r} is not a finite count")
    if n < 0:
        raise Bad("invalid_value", f"{name}={v!r} is negative")
    return int(round(n))


def census_values(props: Mapping[str, Any], fields: Mapping[str, str], year: int | None
                  ) -> dict[str, Any]:
    """Typed values of one census row; raises Bad for rows to quarantine."""
    raw_rn = ogr.field(props, fields["road_number"])
    raw_rn = None if raw_rn is None else (str(int(raw_rn)) if isinstance(raw_rn, float) and raw_rn.is_integer()
                                          else str(raw_rn).strip())
    section = ogr.field(props, fields["section"])
    section = None if section in (None, "") else str(section).strip()
    if not raw_rn:
        raise Bad("missing_required_field", f"no road number ({fields['road_number']})")
    rn, _cls = normalise(raw_rn, section)
    counts = {c: _count(props, c) for c in CLASSES}
    heavy = _count(props, "TV")
    if heavy is None and any(counts[c] is not None for c in HEAVY):
        heavy = sum(counts[c] or 0 for c in HEAVY)
    light = counts["O"] if counts["O"] is not None else _count(props, "OA")
    total = counts["SV"]
    if total is None and any(v is not None for v in (light, heavy, counts["M"])):
        total = (light or 0) + (heavy or 0) + (counts["M"] or 0)
    if total is None:
        raise Bad("missing_required_field", "no SV total and no vehicle class counts")
    y = ogr.field(props, fields["year"])
    try:
        census_year = int(float(y)) if y not in (None, "") else year
    except ValueError:
        census_year = year
    return {"road_number": rn, "road_number_raw": raw_rn, "section": section, "year": census_year,
            "counts": counts, "light": light, "heavy": heavy, "moto": counts["M"], "total": total}


def iter_csv(path: Path, encoding: str, ctx: Any = None) -> Iterator[tuple[int, dict[str, Any]]]:
    """(physical line, row) from a ; or , separated CSV, streamed through the shared text path (encoding
    recognised, long or undecodable lines quarantined through ``ctx``)."""
    from transport_etl.boundaries import open_text

    with open_text(path, ctx, encoding=encoding, fmt="traffic census") as f:
        head = f.readline()
        delim = ";" if head.count(";") >= head.count(",") else ","
        names = next(csv.reader(io.StringIO(head), delimiter=delim))
        names = [n.strip().lstrip("\ufeff") for n in names]
        reader = csv.reader(f, delimiter=delim)
        for row in reader:
            if not any(c.strip() for c in row):
                continue
            yield reader.line_num + 1, dict(zip(names, row, strict=False))


def wkt_geometry(props: Mapping[str, Any], name: str, reproject) -> shapely.Geometry | None:
    text = ogr.field(props, name)
    if not text:
        return None
    try:
        geom = shapely.from_wkt(str(text))
    except shapely.errors.GEOSException as exc:
        raise Bad("invalid_geometry", f"unreadable WKT: {exc}") from exc
    geom = shapely.force_2d(geom)  # Z/M (LINESTRING Z ...) as the OGR path reads it: the column is 2D
    return reproject(geom) if reproject is not None and not geom.is_empty else geom


def staging_row(feed_version_id: int, line_no: int, file_name: str, local_id: str, v: Mapping[str, Any],
                props: Mapping[str, Any], geom: shapely.Geometry | None) -> tuple:
    return (feed_version_id, line_no, file_name, local_id, v["road_number"], v["road_number_raw"], v["section"],
            v["year"], *[v["counts"][c] for c in CLASSES], v["light"], v["heavy"], v["moto"], v["total"],
            json.dumps(dict(props), ensure_ascii=False, default=str),
            ewkb(geom) if geom is not None and not geom.is_empty else None)
