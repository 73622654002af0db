"""Decoding GTFS-Realtime protobuf messages (gtfs-realtime-bindings) into plain row dicts."""

from __future__ import annotations

import datetime as dt
import json
from dataclasses import dataclass, field
from typing import Any

from transport_etl.errors import InputRejected
from transport_etl.timestamps import from_epoch

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
    # entities not recorded: (entity index, entity id, code, reason); and notes (times read as milliseconds)
    rejected: list[tuple[int, str | None, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)


class BadEntity(ValueError):
    """A value of one entity that cannot be recorded (a time out of range, a NUL, bytes that are not UTF-8)."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


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


def _ts(seconds: int, what: str = "timestamp", notes: list[str] | None = None) -> dt.datetime | None:
    """A POSIX time (0 = not set) through the one guarded rule (transport_etl.timestamps.from_epoch):
    milliseconds are read as such, with a note; uint64 max or a year past 2099 is a BadEntity."""
    if not seconds:
        return None
    try:
        t, note = from_epoch(seconds, what)
    except ValueError as exc:
        raise BadEntity("invalid_time", str(exc)) from exc
    if note and notes is not None:
        notes.append(note)
    return t


def _s(value: Any, what: str) -> str | None:
    """A string field as text: empty → None; bytes that are not UTF-8 (the decoder hands them over as bytes)
    or a NUL (PostgreSQL text cannot hold it) make the entity unrecordable."""
    if isinstance(value, bytes):
        raise BadEntity("invalid_character", f"{what} is not valid UTF-8 ({value[:40]!r})")
    if "\x00" in value:
        raise BadEntity("invalid_character", f"{what} contains a NUL character")
    return value or None


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


def _text(ts: Any, what: str = "text") -> str | None:
    """A TranslatedString in the preferred language (Czech, then English, then the first)."""
    if ts is None or not ts.translation:
        return None
    by_lang = {str(t.language).lower(): t.text for t in ts.translation}
    for lang in PREFERRED_LANGS:
        if lang in by_lang:
            return _s(by_lang[lang], what)
    return _s(ts.translation[0].text, what)


def _trip(td: Any) -> dict[str, Any]:
    return {
        "trip_id": _s(td.trip_id, "trip_id"),
        "route_id": _s(td.route_id, "route_id"),
        "direction_id": _opt(td, "direction_id"),
        "start_date": _date(_s(td.start_date, "start_date") or ""),
        "start_time": _s(td.start_time, "start_time"),
        "schedule_relationship": _enum(td, "schedule_relationship"),
    }


def _event(ev: Any, notes: list[str]) -> tuple[dt.datetime | None, int | None]:
    return (_ts(ev.time, "stop_time_update time", notes) if ev.HasField("time") else None,
            ev.delay if ev.HasField("delay") else None)


def decode(data: bytes, name: str) -> Decoded:
    """The message's rows. An entity with a value that cannot be recorded is left out whole and listed in
    ``rejected``; a header timestamp that is no usable time makes the message invalid."""
    msg = parse(data, name)
    h = msg.header
    notes: list[str] = []
    try:
        header_ts = _ts(h.timestamp, "header timestamp", notes)
        version = _s(h.gtfs_realtime_version, "gtfs_realtime_version")
    except BadEntity as exc:
        raise InvalidMessage(f"{name}: {exc}", code="invalid_protobuf") from exc
    out = Decoded(header_timestamp=header_ts, version=version, incrementality=_enum(h, "incrementality"),
                  kind="empty", entity_count=len(msg.entity), notes=notes)
    kinds: set[str] = set()
    for i, e in enumerate(msg.entity):
        part = Decoded(header_timestamp=None, version=None, incrementality=None, kind="", entity_count=0)
        try:
            _entity(i, e, part, kinds, notes, len(out.trip_updates), len(out.alerts))
        except BadEntity as exc:
            eid = e.id if isinstance(e.id, str) else None
            out.rejected.append((i, (eid or "").replace("\x00", "\ufffd") or None, exc.code,
                                 f"entity {i}: {exc}"))
            continue
        for attr in ("trip_updates", "stop_time_updates", "vehicles", "alerts", "alert_entities"):
            getattr(out, attr).extend(getattr(part, attr))
    out.kind = "mixed" if len(kinds) > 1 else (kinds.pop() if kinds else "empty")
    return out


def _entity(i: int, e: Any, out: Decoded, kinds: set[str], notes: list[str], tu_base: int, alert_base: int) -> None:
    """The rows of entity ``i`` into ``out`` (keys numbered from the message's rows so far); BadEntity when a
    value cannot be recorded."""
    eid = _s(e.id, "entity id")
    if e.HasField("trip_update"):
        kinds.add("trip_updates")
        tu = e.trip_update
        key = tu_base
        out.trip_updates.append({
            "key": key, "entity_index": i, "entity_id": eid, **_trip(tu.trip),
            "vehicle_id": _s(tu.vehicle.id, "vehicle id") if tu.HasField("vehicle") else None,
            "vehicle_label": _s(tu.vehicle.label, "vehicle label") if tu.HasField("vehicle") else None,
            "update_timestamp": _ts(tu.timestamp, "trip_update timestamp", notes), "delay_s": _opt(tu, "delay"),
        })
        for stu in tu.stop_time_update:
            arr_t, arr_d = _event(stu.arrival, notes) if stu.HasField("arrival") else (None, None)
            dep_t, dep_d = _event(stu.departure, notes) if stu.HasField("departure") else (None, None)
            out.stop_time_updates.append({
                "tu_key": key, "stop_sequence": _opt(stu, "stop_sequence"), "stop_id": _s(stu.stop_id, "stop_id"),
                "schedule_relationship": _enum(stu, "schedule_relationship"),
                "arrival_time": arr_t, "arrival_delay": arr_d, "departure_time": dep_t, "departure_delay": dep_d,
            })
    if e.HasField("vehicle"):
        kinds.add("vehicle_positions")
        v = e.vehicle
        pos = v.position if v.HasField("position") else None
        out.vehicles.append({
            "entity_index": i, "entity_id": eid,
            **(_trip(v.trip) if v.HasField("trip") else {k: None for k in _trip(_pb().TripDescriptor())}),
            "vehicle_id": _s(v.vehicle.id, "vehicle id") if v.HasField("vehicle") else None,
            "vehicle_label": _s(v.vehicle.label, "vehicle label") if v.HasField("vehicle") else None,
            "position_timestamp": _ts(v.timestamp, "vehicle timestamp", notes),
            "lat": pos.latitude if pos is not None else None,
            "lon": pos.longitude if pos is not None else None,
            "bearing": _opt(pos, "bearing") if pos is not None else None,
            "speed": _opt(pos, "speed") if pos is not None else None,
            "current_stop_sequence": _opt(v, "current_stop_sequence"),
            "stop_id": _s(v.stop_id, "stop_id"),
            "current_status": _enum(v, "current_status"),
            "occupancy_status": _enum(v, "occupancy_status"),
        })
    if e.HasField("alert"):
        kinds.add("alerts")
        a = e.alert
        key = alert_base
        periods = [{"start": _ts(p.start, "active_period start", notes),
                    "end": _ts(p.end, "active_period end", notes)} for p in a.active_period]
        starts = [p["start"] for p in periods]
        ends = [p["end"] for p in periods]
        out.alerts.append({
            "key": key, "entity_index": i, "entity_id": eid,
            "cause": _enum(a, "cause"), "effect": _enum(a, "effect"), "severity_level": _enum(a, "severity_level"),
            "header_text": _text(a.header_text if a.HasField("header_text") else None, "header_text"),
            "description_text": _text(a.description_text if a.HasField("description_text") else None,
                                      "description_text"),
            "url": _text(a.url if a.HasField("url") else None, "url"),
            # an open start or end (0 / missing) in any period makes the whole span open there
            "active_from": None if not starts or None in starts else min(starts),
            "active_to": None if not ends or None in ends else max(ends),
            "active_periods": json.dumps([{k: int(t.timestamp()) if t else None for k, t in p.items()}
                                          for p in periods]),
        })
        for ie in a.informed_entity:
            out.alert_entities.append({
                "alert_key": key, "agency_id": _s(ie.agency_id, "agency_id"), "route_id": _s(ie.route_id, "route_id"),
                "route_type": _opt(ie, "route_type"),
                "trip_id": _s(ie.trip.trip_id, "trip_id") if ie.HasField("trip") else None,
                "stop_id": _s(ie.stop_id, "stop_id"),
            })
