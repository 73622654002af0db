"""DATEX II v2 and v3 SituationPublication → one EventRecord per situationRecord, streamed.

v2: root ``d2LogicalModel`` ({NS}), ``payloadPublication xsi:type="SituationPublication"``,
locations in ``groupOfLocations``. v3: root ``messageContainer`` (or a bare ``payload``) in a
``http://datex2.eu/schema/3/...`` namespace, ``payload xsi:type="sit:SituationPublication"``, locations
in ``locationReference``. Detected by root and namespace only.

Location methods read (NDIC CommonTI profile): the Czech ``globalNetworkLinear`` extension (start/end
points in S-JTSK ``sjtskX/sjtskY`` or WGS84, ``linearWithinLinearGNElement`` sections with
``sectionId``, direction and ``distanceAlong``), ``pointWithinLinearGNElement``, plain Point/Linear
coordinates and ``roadNumber``. ALERT-C references need the location table and are kept raw only.
"""

from __future__ import annotations

import math
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from transport_etl import positions
from transport_etl.errors import InputRejected
from transport_etl.formats.datex2.locations import (
    alertc_reference,
    gml_points,
    has_openlr,
    tpeg_points,
)
from transport_etl.roads.roadnum import normalise
from transport_etl.xmlsafe import DEFAULT_MAX_BYTES, XSI_TYPE, check, iterparse, local, type_name

NS = "http://datex2.eu/schema/2/2_0"
NS_V3_PREFIX = "http://datex2.eu/schema/3/"
V3_ROOTS = ("messageContainer", "payload")

# DATEX II record type → unified event_type (a roadClosed impact makes any record a closure).
EVENT_TYPES = {
    "MaintenanceWorks": "roadworks", "ConstructionWorks": "roadworks", "Roadworks": "roadworks",
    "Accident": "accident", "AbnormalTraffic": "congestion",
    "RoadOrCarriagewayOrLaneManagement": "restriction", "SpeedManagement": "restriction",
    "NetworkManagement": "restriction", "GeneralNetworkManagement": "restriction",
    "ReroutingManagement": "rerouting", "WinterDrivingManagement": "restriction",
    "PoorEnvironmentConditions": "weather", "WeatherRelatedRoadConditions": "weather",
    "NonWeatherRelatedRoadConditions": "road_condition",
    "VehicleObstruction": "obstruction", "GeneralObstruction": "obstruction",
    "AnimalPresenceObstruction": "obstruction", "EnvironmentalObstruction": "obstruction",
    "InfrastructureDamageObstruction": "obstruction", "PublicEvent": "public_event",
    "Activity": "public_event", "DisturbanceActivity": "public_event", "EquipmentOrSystemFault": "equipment_fault",
    # v3 and German (MDM/Mobilithek) record types.
    "RoadsideAssistance": "assistance", "TransitInformation": "public_transport", "RoadConditions": "road_condition",
    "WeatherRelatedRoadConditionType": "weather", "VehicleObstructionType": "obstruction",
    "AuthorityOperation": "public_event", "RoadsideServiceDisruption": "service_disruption",
}
CLOSED = {"roadClosed", "carriagewayClosures", "closedPermanentlyForTheWinter"}
IMPACT_FIELDS = ("roadOrCarriagewayOrLaneManagementType", "networkManagementType", "trafficConstrictionType",
                 "roadMaintenanceType", "roadworksType", "constructionWorkType", "accidentType",
                 "abnormalTrafficType", "obstructionType")


@dataclass
class EventRecord:
    local_id: str
    situation_id: str | None
    situation_version: str | None
    record_version: str | None
    record_type: str
    event_type: str
    line_no: int | None
    xml_path: str
    status: str | None = None
    starts_at: str | None = None
    ends_at: str | None = None
    road_number: str | None = None
    road_number_raw: str | None = None
    comment: str | None = None
    impact: str | None = None
    sections: list[dict[str, Any]] = field(default_factory=list)
    start_point: tuple[float, float] | None = None
    end_point: tuple[float, float] | None = None
    raw_location: dict[str, Any] | None = None
    location_methods: list[str] = field(default_factory=list)
    attributes: dict[str, Any] | None = None
    chainage_from_km: float | None = None
    chainage_to_km: float | None = None


@dataclass
class Publication:
    publication_time: str | None = None
    records: int = 0
    datex_version: str | None = None


def _children(el, name: str) -> list:
    # "{*}name": lxml matches the local name in any or no namespace in C (a Python local() per node cost
    # ~0.6 ms a record)
    return list(el.iterchildren("{*}" + name))


def _child(el, *path: str):
    for name in path:
        if el is None:
            return None
        found = _children(el, name)
        el = found[0] if found else None
    return el


def _text(el, *path: str) -> str | None:
    node = _child(el, *path) if path else el
    if node is None or node.text is None:
        return None
    return node.text.strip() or None


def _descendants(el, name: str) -> list:
    return list(el.iter("{*}" + name))


def to_json(el) -> Any:
    """An element as plain JSON (local names, repeated children as lists, attributes as '@name')."""
    kids = list(el)
    attrs = {("@" + local(k) if "}" in k else "@" + k): type_name(v) if k == XSI_TYPE else v
             for k, v in el.attrib.items()}
    if not kids:
        text = (el.text or "").strip()
        return {**attrs, "#text": text} if attrs else text
    out: dict[str, Any] = dict(attrs)
    for k in kids:
        name = local(k.tag)
        if not name:
            continue
        val = to_json(k)
        if name in out:
            if not isinstance(out[name], list):
                out[name] = [out[name]]
            out[name].append(val)
        else:
            out[name] = val
    return out


def _point(el, methods: list[str] | None = None) -> tuple[tuple[float, float] | None, str | None]:
    """(x, y) in EPSG:5514 of a point element holding sjtskPointCoordinates or WGS84 coordinates, under
    the one position rule (transport_etl/positions.py): a refused position is named in ``methods``."""
    if el is None:
        return None, None
    found: list[tuple[positions.Placement, str]] = []
    for s in _descendants(el, "sjtskPointCoordinates"):
        x, y = _text(s, "sjtskX"), _text(s, "sjtskY")
        if x and y:
            found.append((positions.place_5514(x, y), "sjtsk"))
    for name in ("pointCoordinates", "locationForDisplay"):
        for p in _descendants(el, name):
            lat, lon = _text(p, "latitude"), _text(p, "longitude")
            if lat and lon:
                found.append((positions.place_wgs84(lat, lon), "wgs84"))
    for placed, how in found:
        if placed.placed:
            return (placed.x, placed.y), how
    if found and methods is not None:
        methods.append(f"position_refused:{found[0][0].note}")
    return None, None


def _float(s: str | None) -> float | None:
    try:
        v = float(s) if s is not None else None
    except ValueError:
        return None
    return v if v is None or math.isfinite(v) else None  # NaN/Inf are no distance


def _order(text: str | None, default: int) -> int:
    """orderOfSection as an integer ('2', '2.0'); a value that is no whole number keeps document order."""
    v = _float(text)
    return int(v) if v is not None and v.is_integer() and abs(v) < 2**31 else default


def parse_location(loc) -> dict[str, Any]:
    """Points, sections, road number and the methods found in a groupOfLocations element."""
    out: dict[str, Any] = {"sections": [], "start": None, "end": None, "road": None, "methods": []}
    if loc is None:
        return out
    for gn in _descendants(loc, "globalNetworkLinear"):
        out["methods"].append("globalNetworkLinear")
        out["start"] = out["start"] or _point(_child(gn, "startPoint"), out["methods"])[0]
        out["end"] = out["end"] or _point(_child(gn, "endPoint"), out["methods"])[0]
        for i, sec in enumerate(_children(gn, "linearWithinLinearGNElement"), start=1):
            sid = _text(sec, "sectionId")
            if not sid:
                continue
            out["sections"].append({
                "id": sid,
                "order": _order(_text(sec, "orderOfSection"), i),
                "direction": _text(sec, "directionRelativeOnLinearSection"),
                "from_m": _float(_text(sec, "fromPoint", "distanceAlong")),
                "to_m": _float(_text(sec, "toPoint", "distanceAlong")),
            })
    for pw in _descendants(loc, "pointWithinLinearGNElement"):
        out["methods"].append("pointWithinLinearGNElement")
        sid = _text(pw, "sectionId")
        along = _float(_text(pw, "distanceAlong")) or _float(_text(pw, "fromPoint", "distanceAlong"))
        if sid:
            out["sections"].append({"id": sid, "order": 1, "direction": _text(pw, "directionRelativeOnLinearSection"),
                                    "from_m": along, "to_m": along})
        out["start"] = out["start"] or _point(pw, out["methods"])[0]
    if out["start"] is None:
        # Plain Point / Linear coordinates (pointByCoordinates, locationForDisplay as a last resort).
        for name in ("pointByCoordinates", "startPoint", "fromPoint"):
            els = _descendants(loc, name)
            if els:
                pt, how = _point(els[0], out["methods"])
                if pt:
                    out["start"], end_el = pt, (_descendants(loc, "endPoint") or _descendants(loc, "toPoint"))
                    out["end"] = _point(end_el[0])[0] if end_el else None
                    out["methods"].append(f"coordinates:{how}")
                    break
        for how, (start, end) in (("tpeg", tpeg_points(loc)), ("gml", gml_points(loc))):
            if out["start"] is None and start is not None:
                out["start"], out["end"] = start, end
                out["methods"].append(f"coordinates:{how}")
        if out["start"] is None:
            pt, how = _point(loc, out["methods"])
            if pt:
                out["start"] = pt
                out["methods"].append(f"locationForDisplay:{how}")
    alertc = alertc_reference(loc)
    if alertc is not None or any(local(d.tag).startswith("alertC") for d in loc.iter()):
        out["methods"].append("alertC")
        out["alertc"] = alertc
    if has_openlr(loc):
        out["methods"].append("openlr")
    for lw in _descendants(loc, "linearWithinLinearElement"):   # linear reference along a road (metres)
        frm, to = _float(_text(lw, "fromPoint", "distanceAlong")), _float(_text(lw, "toPoint", "distanceAlong"))
        if frm is not None or to is not None:
            out["chainage"] = (frm / 1000 if frm is not None else None, to / 1000 if to is not None else None)
            out["methods"].append("linearWithinLinearElement")
            break
    roads = [t for t in (d.text.strip() for d in _descendants(loc, "roadNumber") if d.text) if t]
    out["road"] = roads[0] if roads else None
    out["sections"].sort(key=lambda s: s["order"])
    return out


def _comment(rec) -> str | None:
    texts = []
    for gpc in _children(rec, "generalPublicComment"):
        values = _descendants(gpc, "value")
        cs = [v for v in values if (v.get("lang") or "").lower() in ("cs", "cz")]
        pick = (cs or values)[:1]
        if pick and pick[0].text and pick[0].text.strip():
            texts.append(" ".join(pick[0].text.split()))
    return "\n".join(texts) or None


def _impact(rec) -> str | None:
    for name in IMPACT_FIELDS:
        els = _descendants(rec, name)
        if els and els[0].text and els[0].text.strip():
            return els[0].text.strip()
    cap = _descendants(rec, "capacityRemaining")
    if cap and (cap[0].text or "").strip() in ("0", "0.0"):
        return "roadClosed"
    return None


def parse_record(rec, situation) -> EventRecord:
    rtype = type_name(rec.get(XSI_TYPE)) or "SituationRecord"
    rid = rec.get("id") or f"line{rec.sourceline}"
    impact = _impact(rec)
    mgmt = {(e.text or "").strip() for n in ("roadOrCarriagewayOrLaneManagementType", "networkManagementType")
            for e in _descendants(rec, n)}
    closed = bool((mgmt | {impact}) & CLOSED)
    loc_el = _child(rec, "groupOfLocations")
    if loc_el is None:       # v3
        loc_el = _child(rec, "locationReference")
    loc = parse_location(loc_el)
    raw = to_json(loc_el) if loc_el is not None else None
    rn, _cls = normalise(loc["road"])
    return EventRecord(
        local_id=rid,
        situation_id=situation.get("id") if situation is not None else None,
        situation_version=situation.get("version") if situation is not None else None,
        record_version=rec.get("version"),
        record_type=rtype,
        event_type="closure" if closed else EVENT_TYPES.get(rtype, _snake(rtype)),
        line_no=rec.sourceline,
        xml_path=f"situation[@id='{situation.get('id') if situation is not None else ''}']"
                 f"/situationRecord[@id='{rid}']",
        status=_text(rec, "validity", "validityStatus"),
        starts_at=_text(rec, "validity", "validityTimeSpecification", "overallStartTime"),
        ends_at=_text(rec, "validity", "validityTimeSpecification", "overallEndTime"),
        road_number=rn, road_number_raw=loc["road"],
        comment=_comment(rec),
        impact="roadClosed" if closed and impact not in CLOSED else impact,
        sections=loc["sections"], start_point=loc["start"], end_point=loc["end"],
        raw_location=raw, location_methods=loc["methods"],
        attributes={"alertc": loc["alertc"]} if loc.get("alertc") else None,
        chainage_from_km=(loc.get("chainage") or (None, None))[0],
        chainage_to_km=(loc.get("chainage") or (None, None))[1],
    )


def _snake(name: str) -> str:
    return "".join("_" + c.lower() if c.isupper() else c for c in name).lstrip("_") or "other"


def parse(path: Path, pub: Publication | None = None, max_bytes: int = DEFAULT_MAX_BYTES) -> Iterator[EventRecord]:
    """Every situationRecord of a DATEX II v2 or v3 SituationPublication, in document order.

    Refuses (InputRejected) unsafe or non-XML input, another root or another publication type.
    Memory stays bounded: each situation is dropped once read.
    """
    check(path, max_bytes)
    pub = pub if pub is not None else Publication()
    root_seen = False
    for event, el in iterparse(path, events=("start", "end")):
        name = local(el.tag)
        if event == "start":
            if not root_seen:
                root_seen = True
                pub.datex_version = datex_version(el)
                if pub.datex_version is None:
                    raise InputRejected(f"{path.name}: root element {el.tag} is neither a DATEX II v2 d2LogicalModel "
                                        f"({NS}) nor a v3 messageContainer ({NS_V3_PREFIX}...)", code="invalid_datex")
                if name == "payload":
                    _check_payload(path, el)
            elif name in ("payloadPublication", "payload"):
                _check_payload(path, el)
            continue
        if name == "publicationTime" and el.getparent() is not None and \
                local(el.getparent().tag) in ("payloadPublication", "payload"):
            pub.publication_time = (el.text or "").strip() or None
        elif name == "situation":
            for rec in _children(el, "situationRecord"):
                pub.records += 1
                yield parse_record(rec, el)
            el.clear()
            parent = el.getparent()
            while el.getprevious() is not None and parent is not None:
                del parent[0]


def datex_version(root) -> str | None:
    """'2' or '3' from a root element's name and namespace, None when it is not DATEX II."""
    tag, name = str(root.tag), local(root.tag)
    if name == "d2LogicalModel" and tag.startswith("{" + NS + "}"):
        return "2"
    if name in V3_ROOTS and tag.startswith("{" + NS_V3_PREFIX):
        return "3"
    return None


def _check_payload(path: Path, el) -> None:
    ptype = type_name(el.get(XSI_TYPE))
    if ptype != "SituationPublication":
        raise InputRejected(f"{path.name}: {local(el.tag)} is {ptype or 'untyped'}, not a "
                            "SituationPublication", code="invalid_datex")
