"""ŘSD closures (ArcGIS DDR/MapServer/3 exported as GeoJSON): ROAD_ID, RN, ChainageFrom/To (km),
ValidFrom/ValidTo (epoch ms), Description, LocalityDesc, ddrType → event records."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator, Mapping
from typing import Any

import shapely

from transport_etl.roads import ogr
from transport_etl.roads.roadnum import normalise

ID_FIELDS = ("OBJECTID", "ID", "GlobalID", "FID")
STATUS = {"CURRENT": "active", "PLANNED": "planned"}


def epoch_ms(value: Any) -> str | None:
    """ISO timestamp (UTC) from ArcGIS epoch milliseconds; None when empty or unreadable."""
    if value in (None, ""):
        return None
    try:
        return dt.datetime.fromtimestamp(float(value) / 1000.0, tz=dt.UTC).isoformat()
    except (TypeError, ValueError, OverflowError, OSError):
        return None


def _num(value: Any) -> float | None:
    try:
        return None if value in (None, "") else float(str(value).replace(",", "."))
    except ValueError:
        return None


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
    cf, ct = _num(ogr.field(props, "ChainageFrom")), _num(ogr.field(props, "ChainageTo"))
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
        "status": STATUS.get((ddr or "").upper(), ddr), "starts_at": epoch_ms(vf), "ends_at": epoch_ms(vt),
        "road_number": rn, "road_number_raw": rn_raw, "comment": comment, "impact": "roadClosed",
        "sections": [{"id": road_id, "order": 1, "direction": None, "from_m": None, "to_m": None}] if road_id else [],
        "chainage_from_km": cf, "chainage_to_km": ct, "start_point": start, "end_point": end,
        "location_methods": (["section_id"] if road_id else []) + (["geometry"] if start else []),
        "raw_location": {"ROAD_ID": road_id, "RN": rn_raw, "ChainageFrom": cf, "ChainageTo": ct,
                         **{k: v for k, v in props.items() if k.lower().startswith("alertc")},
                         "geometry": shapely.to_geojson(geom) if geom is not None else None},
        "attributes": json.loads(json.dumps(dict(props), default=str)),
    }


def read_closures(info: ogr.LayerInfo, reproject, id_field: str | None = None
                  ) -> Iterator[tuple[int, dict[str, Any] | None, str | None, str]]:
    """(line_no, record or None, rejection reason or None, raw text) per feature."""
    for line_no, props, wkb in ogr.iter_features(info):
        raw = json.dumps(props, ensure_ascii=False, default=str)
        geom = None
        if wkb is not None:
            try:
                geom = shapely.force_2d(shapely.from_wkb(wkb))
            except shapely.errors.GEOSException as exc:
                yield line_no, None, f"unreadable geometry: {exc}", raw
                continue
            if reproject is not None and not geom.is_empty:
                geom = reproject(geom)
        rec = closure_record(props, geom, line_no, id_field)
        if not rec["sections"] and rec["start_point"] is None:
            yield line_no, None, "closure has neither ROAD_ID nor geometry: nothing to locate it by", raw
            continue
        yield line_no, rec, None, raw
