"""DATEX II parking publications, v2.3 (``d2LogicalModel``) and v3 (``messageContainer``, namespace
``http://datex2.eu/schema/3/parking``): ParkingTablePublication (sites: id, name, number of spaces,
position) and ParkingStatusPublication (per site: vacant/occupied spaces at parkingStatusOriginTime).
Elements are found by local name, so both versions (and prefixed xsi:types) read alike."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from transport_etl.xmlsafe import XSI_TYPE, check, iterparse, local, type_name

SITES = ("parkingRecord", "parkingSite")
STATUSES = ("parkingRecordStatus", "parkingSiteStatus")


def _first(el, *names: str) -> str | None:
    for d in el.iter():
        if local(d.tag) in names and d.text and d.text.strip():
            return d.text.strip()
    return None


def _name(el) -> str | None:
    for d in el.iter():
        if local(d.tag) in ("parkingName", "name"):
            value = _first(d, "value")
            if value:
                return value
    return None


def _site(el) -> tuple[dict[str, Any], tuple[float, float] | None]:
    lat, lon = _first(el, "latitude"), _first(el, "longitude")
    point = (float(lon), float(lat)) if lat and lon else None
    return {"id": el.get("id"), "name": _name(el), "capacity": _first(el, "parkingNumberOfSpaces"),
            "kind": type_name(el.get(XSI_TYPE)) or "ParkingSite"}, point


def _status(el) -> dict[str, Any]:
    ref = next((d for d in el.iter() if local(d.tag) in ("parkingRecordReference", "parkingSiteReference")), None)
    return {"id": ref.get("id") if ref is not None else el.get("id"),
            "free": _first(el, "parkingNumberOfVacantSpaces"),
            "occupied": _first(el, "parkingNumberOfOccupiedSpaces"),
            "capacity": _first(el, "parkingNumberOfSpacesOverride", "parkingNumberOfSpaces"),
            "timestamp": _first(el, "parkingStatusOriginTime", "parkingRecordStatusTime")
            or _first(el, "publicationTime")}


def read(path: Path) -> Iterator[tuple[int | None, dict[str, Any], tuple[float, float] | None]]:
    """(line of the record, properties, (lon, lat) or None) per site or site status, streamed."""
    check(path)
    publication_time = None
    for _event, el in iterparse(path, events=("end",)):
        name = local(el.tag)
        if name == "publicationTime" and publication_time is None:
            publication_time = (el.text or "").strip() or None
        elif name in SITES and el.get("id") and not any(local(a.tag) in SITES for a in el.iterancestors()):
            props, point = _site(el)
            yield el.sourceline, props, point
            el.clear()
        elif name in STATUSES:
            props = _status(el)
            if props["timestamp"] is None:
                props["timestamp"] = publication_time
            yield el.sourceline, props, None
            el.clear()
