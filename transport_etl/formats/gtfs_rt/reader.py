"""Decoding GTFS-Realtime protobuf messages (gtfs-realtime-bindings) into plain row dicts."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from transport_etl.errors import InputRejected

PREFERRED_LANGS = ("cs", "cz", "en")


class InvalidMessage(InputRejected):
    """The bytes are not a GTFS-Realtime FeedMessage."""


@dataclass
class Decoded:
    header_timestamp: dt.datetime | None
    version: str | None
    incrementality: str | None
    kind: str
    entity_count: int
    trip_updates: list[dict[str, Any]] = field(default_factory=list)
    stop_time_updates: list[dict[str, Any]] = field(default_factory=list)
    vehicles: list[dict[str, Any]] = field(default_factory=list)
    alerts: list[dict[str, Any]] = field(default_factory=list)
    alert_entities: list[dict[str, Any]] = field(default_factory=list)


def _pb():
    from google.transit import gtfs_realtime_pb2

    return gtfs_realtime_pb2


def parse(data: bytes, name: str) -> Any:
    """The FeedMessage in ``data``; InvalidMessage with the decoder's reason otherwise."""
    from google.protobuf.message import DecodeError

    pb = _pb()
    msg = pb.FeedMessage()
    if not data:
        raise InvalidMessage(f"{name}: empty file, not a GTFS-Realtime message", code="invalid_protobuf")
    try:
        msg.ParseFromString(data)
    except (DecodeError, RuntimeWarning, ValueError) as exc:
        raise InvalidMessage(f"{name} is not a GTFS-Realtime FeedMessage: {exc}", code="invalid_protobuf") from exc
    if not msg.HasField("header") or not msg.header.gtfs_realtime_version:
        raise InvalidMessage(f"{name}: FeedMessage without header.gtfs_realtime_version", code="invalid_protobuf")
    return msg


def _ts(seconds: int) -> dt.datetime | None:
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC) if seconds and seconds > 0 else None


def _opt(obj: Any, name: str) -> Any:
    return getattr(obj, name) if obj.HasField(name) else None


def _enum(obj: Any, name: str) -> str | None:
    if not obj.HasField(name):
        return None
    fd = obj.DESCRIPTOR.fields_by_name[name]
    value = getattr(obj, name)
    ev = fd.enum_type.values_by_number.get(value)
    return ev.name if ev else str(value)


def _date(s: str) -> dt.date | None:
    try:
        return dt.datetime.strptime(s, "%Y%m%d").date() if s else None
    except ValueError:
        return None


def _text(ts: Any) -> str | None:
    """A TranslatedString in the preferred language (Czech, then English, then the first)."""
    if ts is None or not ts.translation:
        return None
    by_lang = {t.language.lower(): t.text for t in ts.translation}
    for lang in PREFERRED_LANGS:
        if lang in by_lang:
            return by_lang[lang]
    return ts.translation[0].text


def _trip(td: Any) -> dict[str, Any]:
    return {
        "trip_id": td.trip_id or None,
        "route_id": td.route_id or None,
        "direction_id": _opt(td, "direction_id"),
        "start_date": _date(td.start_date),
        "start_time": td.start_time or None,
        "schedule_relationship": _enum(td, "schedule_relationship"),
    }


def _event(ev: Any) -> tuple[dt.datetime | None, int | None]:
    return (_ts(ev.time) if ev.HasField("time") else None, ev.delay if ev.HasField("delay") else None)


def decode(data: bytes, name: str) -> Decoded:
    msg = parse(data, name)
    h = msg.header
    out = Decoded(header_timestamp=_ts(h.timestamp), version=h.gtfs_realtime_version,
                  incrementality=_enum(h, "incrementality"), kind="empty", entity_count=len(msg.entity))
    kinds = set()
    for i, e in enumerate(msg.entity):
        if e.HasField("trip_update"):
            kinds.add("trip_updates")
            tu = e.trip_update
            key = len(out.trip_updates)
            out.trip_updates.append({
                "key": key, "entity_index": i, "entity_id": e.id or None, **_trip(tu.trip),
                "vehicle_id": tu.vehicle.id or None if tu.HasField("vehicle") else None,
                "vehicle_label": tu.vehicle.label or None if tu.HasField("vehicle") else None,
                "update_timestamp": _ts(tu.timestamp), "delay_s": _opt(tu, "delay"),
            })
            for stu in tu.stop_time_update:
                arr_t, arr_d = _event(stu.arrival) if stu.HasField("arrival") else (None, None)
                dep_t, dep_d = _event(stu.departure) if stu.HasField("departure") else (None, None)
                out.stop_time_updates.append({
                    "tu_key": key, "stop_sequence": _opt(stu, "stop_sequence"), "stop_id": stu.stop_id or None,
                    "schedule_relationship": _enum(stu, "schedule_relationship"),
                    "arrival_time": arr_t, "arrival_delay": arr_d, "departure_time": dep_t, "departure_delay": dep_d,
                })
        if e.HasField("vehicle"):
            kinds.add("vehicle_positions")
            v = e.vehicle
            pos = v.position if v.HasField("position") else None
            out.vehicles.append({
                "entity_index": i, "entity_id": e.id or None,
                **(_trip(v.trip) if v.HasField("trip") else {k: None for k in _trip(_pb().TripDescriptor())}),
                "vehicle_id": v.vehicle.id or None if v.HasField("vehicle") else None,
                "vehicle_label": v.vehicle.label or None if v.HasField("vehicle") else None,
                "position_timestamp": _ts(v.timestamp),
                "lat": pos.latitude if pos is not None else None,
                "lon": pos.longitude if pos is not None else None,
                "bearing": _opt(pos, "bearing") if pos is not None else None,
                "speed": _opt(pos, "speed") if pos is not None else None,
                "current_stop_sequence": _opt(v, "current_stop_sequence"),
                "stop_id": v.stop_id or None,
                "current_status": _enum(v, "current_status"),
                "occupancy_status": _enum(v, "occupancy_status"),
            })
        if e.HasField("alert"):
            kinds.add("alerts")
            a = e.alert
            key = len(out.alerts)
            periods = [{"start": p.start or None, "end": p.end or None} for p in a.active_period]
            starts = [p["start"] for p in periods]
            ends = [p["end"] for p in periods]
            out.alerts.append({
                "key": key, "entity_index": i, "entity_id": e.id or None,
                "cause": _enum(a, "cause"), "effect": _enum(a, "effect"), "severity_level": _enum(a, "severity_level"),
                "header_text": _text(a.header_text if a.HasField("header_text") else None),
                "description_text": _text(a.description_text if a.HasField("description_text") else None),
                "url": _text(a.url if a.HasField("url") else None),
                # an open start or end (0 / missing) in any period makes the whole span open there
                "active_from": None if not starts or None in starts else _ts(min(starts)),
                "active_to": None if not ends or None in ends else _ts(max(ends)),
                "active_periods": json.dumps(periods),
            })
            for ie in a.informed_entity:
                out.alert_entities.append({
                    "alert_key": key, "agency_id": ie.agency_id or None, "route_id": ie.route_id or None,
                    "route_type": _opt(ie, "route_type"),
                    "trip_id": (ie.trip.trip_id or None) if ie.HasField("trip") else None,
                    "stop_id": ie.stop_id or None,
                })
    out.kind = "mixed" if len(kinds) > 1 else (kinds.pop() if kinds else "empty")
    return out
