"""ŘSD closures (ArcGIS DDR/MapServer/3 exported as GeoJSON): ROAD_ID, RN, ChainageFrom/To (km),
ValidFrom/ValidTo (epoch ms; seconds and ISO 8601 are read too: roads/times.py), Description, LocalityDesc,
ddrType → event records.

A value that cannot be read as what the field holds is never dropped silently: the record keeps going
without it and carries a note (``notes``: code, message, field) the loader records as a notice. A
geometry whose coordinates the one position rule (transport_etl/positions.py) refuses (NaN, 0,0, S-JTSK
metres in a GeoJSON without a crs member, swapped axes, far away) is not used: the closure is located by
its ROAD_ID, or quarantined when it has none."""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterator, Mapping
from typing import Any

import shapely
from pyproj import CRS

from transport_etl.boundaries import excerpt
from transport_etl.roads import ogr
from transport_etl.roads.geometry import crs_kind, refused_geometry
from transport_etl.roads.roadnum import normalise
from transport_etl.roads.times import event_time

ID_FIELDS = ("OBJECTID", "ID", "GlobalID", "FID")
STATUS = {"CURRENT": "active", "PLANNED": "planned"}
_KM = re.compile(r"([+-]?\d+(?:[.,]\d+)?)\s*(km|m)?", re.IGNORECASE)
Note = tuple[str, str, str]  # (code, message, field)


def chainage_km(value: Any, name: str, notes: list[Note]) -> float | None:
    """Kilometres from a number or text ('14,2', '14.2 km', '14200 m'); None (and a note) for anything else."""
    if value in (None, ""):
        return None
    if isinstance(value, int | float) and not isinstance(value, bool):
        v = float(value)
    else:
        m = _KM.fullmatch(str(value).strip())
        v = None if m is None else float(m.group(1).replace(",", ".")) / (1000 if (m.group(2) or "").lower() == "m"
                                                                            else 1)
    if v is None or not math.isfinite(v) or abs(v) > 10_000:
        notes.append(("invalid_value", f"{name} {excerpt(str(value), 40)!r} is not a chainage in km: left empty",
                      name))
        return None
    return v


def _time(value: Any, name: str, notes: list[Note]) -> str | None:
    t = event_time(value, name)
    if t.note:
        what = ": left empty" if t.iso is None else ""
        notes.append((t.note, f"{t.message}{what}", name))
    return t.iso


def closure_record(props: Mapping[str, Any], geom: shapely.Geometry | None, line_no: int,
                   id_field: str | None = None) -> dict[str, Any]:
    """One closure feature as staging values (geometry already in EPSG:5514, or None)."""
    road_id = ogr.text(ogr.field(props, "ROAD_ID"))
    rn_raw = ogr.text(ogr.field(props, "RN"))
    rn, _cls = normalise(rn_raw)
    ident = None
    for name in ((id_field,) if id_field else ID_FIELDS):
        ident = ogr.text(ogr.field(props, name))
        if ident:
            break
    notes: list[Note] = []
    cf = chainage_km(ogr.field(props, "ChainageFrom"), "ChainageFrom", notes)
    ct = chainage_km(ogr.field(props, "ChainageTo"), "ChainageTo", notes)
    vf, vt = ogr.field(props, "ValidFrom"), ogr.field(props, "ValidTo")
    local_id = ident or f"{road_id or rn or 'x'}:{cf}-{ct}:{ogr.text(vf)}"
    ddr = ogr.text(ogr.field(props, "ddrType"))
    start = end = None
    if geom is not None and not geom.is_empty:
        coords = shapely.get_coordinates(geom)
        start = tuple(coords[0])
        end = tuple(coords[-1]) if geom.geom_type not in ("Point", "MultiPoint") or len(coords) > 1 else None
    comment = " – ".join(t for t in (ogr.text(ogr.field(props, "LocalityDesc")),
                                     ogr.text(ogr.field(props, "Description"))) if t) or None
    return {
        "line_no": line_no, "local_id": local_id, "record_type": ddr, "event_type": "closure",
        "status": STATUS.get((ddr or "").upper(), ddr), "starts_at": _time(vf, "ValidFrom", notes), "ends_at": _time(vt, "ValidTo", notes),
        "road_number": rn, "road_number_raw": rn_raw, "comment": comment, "impact": "roadClosed",
        "sections": [{"id": road_id, "order": 1, "direction": None, "from_m": None, "to_m": None}] if road_id else [],
        "chainage_from_km": cf, "chainage_to_km": ct, "start_point": start, "end_point": end,
        "location_methods": (["section_id"] if road_id else []) + (["geometry"] if start else []),
        "raw_location": {"ROAD_ID": road_id, "RN": rn_raw, "ChainageFrom": cf, "ChainageTo": ct,
                         **{k: v for k, v in props.items() if k.lower().startswith("alertc")},
                         "geometry": shapely.to_geojson(geom) if geom is not None else None},
        "attributes": json.loads(json.dumps(dict(props), default=str)), "notes": notes,
    }


def read_closures(info: ogr.LayerInfo, reproject, id_field: str | None = None, crs: CRS | None = None,
                  options: Mapping[str, Any] | None = None
                  ) -> Iterator[tuple[int, dict[str, Any] | None, tuple[str, str] | None, str]]:
    """(line_no, record or None, (reason code, message) or None, raw text) per feature."""
    kind = crs_kind(crs)
    for line_no, props, wkb in ogr.iter_features(info):
        raw = json.dumps(props, ensure_ascii=False, default=str)
        geom, refused = None, None
        if wkb is not None:
            try:
                geom = shapely.force_2d(shapely.from_wkb(wkb))
            except shapely.errors.GEOSException as exc:
                yield line_no, None, ("invalid_geometry", f"unreadable geometry: {exc}"), raw
                continue
            if not geom.is_empty:
                refused = refused_geometry(geom, kind, options)
                if refused is None and reproject is not None:
                    geom = reproject(geom)
                    refused = refused_geometry(geom, "5514", options)
                if refused is not None:
                    geom = None
        rec = closure_record(props, geom, line_no, id_field)
        if refused is not None:
            if not rec["sections"]:
                yield line_no, None, ("invalid_geometry", f"closure has no ROAD_ID and its geometry is not usable "
                                                          f"({refused.note}: {refused.message})"), raw
                continue
            rec["notes"].append((refused.note, f"geometry not used ({refused.message}): located by ROAD_ID",
                                 "geometry"))
        if not rec["sections"] and rec["start_point"] is None:
            yield line_no, None, ("missing_location", "closure has neither ROAD_ID nor geometry: nothing to locate "
                                                      "it by"), raw
            continue
        yield line_no, rec, None, raw
