"""Pure parsers of GBFS feed documents into row dicts (no database). Invalid records come back as
(index, reason, raw) problems for the caller to quarantine; nothing is dropped silently."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from transport_etl.formats.gbfs.discovery import GbfsError
from transport_etl.timestamps import EARLIEST, LATEST, from_epoch


@dataclass
class Problem:
    index: int
    code: str
    message: str
    raw: str


def timestamp(value: Any, notes: list[str] | None = None, what: str = "timestamp") -> dt.datetime | None:
    """GBFS time: POSIX seconds (2.x) or RFC 3339 (3.0) → aware UTC datetime; None if absent (null, 0).
    Epoch numbers go through the one guarded rule (transport_etl.timestamps.from_epoch): milliseconds are
    read as such with a note appended to ``notes``; NaN, 1e300, a 20-digit number → ValueError naming it."""
    if value is None or value == 0 or value == "":
        return None
    if isinstance(value, str):
        try:
            t = dt.datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            t = None
        if t is not None:
            t = t if t.tzinfo else t.replace(tzinfo=dt.UTC)
            if not EARLIEST <= t < LATEST:
                raise ValueError(f"{what} {value[:40]!r} is outside {EARLIEST.year}…{LATEST.year - 1}")
            return t
    t, note = from_epoch(value, what)
    if note and notes is not None:
        notes.append(note)
    return t


def lenient_timestamp(value: Any) -> dt.datetime | None:
    # an informative time (system_information, geofencing rule times): an unusable one is read as absent
    try:
        return timestamp(value)
    except ValueError:
        return None


def last_updated(doc: dict[str, Any], location: str, notes: list[str] | None = None) -> dt.datetime:
    """The document's last_updated; a feed without a usable one cannot be deduplicated, so it is refused."""
    try:
        t = timestamp(doc.get("last_updated"), notes, "last_updated")
    except ValueError as exc:
        raise GbfsError(f"{location}: {exc}", code="invalid_gbfs") from exc
    if t is None:
        raise GbfsError(f"{location}: missing last_updated", code="invalid_gbfs")
    return t


def millisecond_notice(notes: list[str], location: str) -> Problem | None:
    """One notice for the times of a document read as milliseconds (some real feeds publish them)."""
    if not notes:
        return None
    return Problem(-1, "timestamp_in_milliseconds", f"{location}: {len(notes)} time(s) in epoch milliseconds, "
                   f"read as such (first: {notes[0]})", "")


def _text(value: Any) -> str | None:
    # GBFS 3.0 localises names: [{"text": ..., "language": ...}]; take the first.
    if isinstance(value, list):
        value = next((v.get("text") for v in value if isinstance(v, dict) and v.get("text")), None)
    if value is None:
        return None
    s = str(value).strip()
    return s or None


def _int(value: Any) -> int | None:
    if value is None or isinstance(value, bool):
        return None
    try:
        f = float(value)
        return int(f) if f == int(f) and abs(f) < 2**31 else None  # a count, not 1e30
    except (TypeError, ValueError, OverflowError):  # not a number, NaN, ±Inf
        return None


def _id(value: Any) -> str | None:
    """An identifier: a string or an integer, never an object, list or boolean."""
    if isinstance(value, bool) or not isinstance(value, str | int):
        return None
    return _text(value)


def _bad_counts(st: dict[str, Any], fields: tuple[str, ...]) -> str | None:
    """The first count field present that is not a whole number >= 0 (negative, NaN, text, ...)."""
    for f in fields:
        if f in st and st[f] is not None:
            v = _int(st[f])
            if v is None or v < 0:
                return f"{f} = {str(st[f])[:20]!r} is not a whole number >= 0"
    return None


_STATUS_COUNTS = ("num_bikes_available", "num_vehicles_available", "num_bikes_disabled", "num_vehicles_disabled",
                  "num_docks_available", "num_docks_disabled")


def _bool(value: Any) -> bool | None:
    if isinstance(value, bool):
        return value
    if value in (0, 1):
        return bool(value)
    return None


def _raw(obj: Any) -> str:
    return json.dumps(obj, ensure_ascii=False)[:4000]


def _list(doc: dict[str, Any], key: str, location: str) -> list[Any]:
    items = doc["data"].get(key)
    if not isinstance(items, list):
        raise GbfsError(f"{location}: data.{key} is missing or not a list", code="invalid_gbfs")
    return items


def _coord(obj: dict[str, Any]) -> tuple[float | None, float | None, str | None]:
    try:
        lat, lon = float(obj["lat"]), float(obj["lon"])
    except (KeyError, TypeError, ValueError):
        return None, None, "missing_coordinates"
    if not (-90 <= lat <= 90 and -180 <= lon <= 180):
        return None, None, "coordinates_out_of_range"
    return lat, lon, None


def _language(d: dict[str, Any], notes: list[str]) -> str | None:
    """data.language (2.x) or the first of data.languages (3.0, a list of codes); another shape is noted."""
    if isinstance(d.get("language"), str) and d["language"].strip():
        return d["language"].strip()
    langs = d.get("languages")
    if langs is None:
        return None
    if isinstance(langs, list) and langs and all(isinstance(x, str) for x in langs):
        return langs[0]
    notes.append(f"data.languages is {type(langs).__name__} {_raw(langs)[:60]}, not a list of language codes "
                 "(GBFS 3.0): the system's language is left empty")
    return None


def system_information(doc: dict[str, Any]) -> dict[str, Any]:
    """The system row; ``notes`` lists what was not as GBFS says (read as absent, not refused)."""
    d = doc["data"]
    notes: list[str] = []
    return {
        "system_id": _text(d.get("system_id")),
        "language": _language(d, notes),
        "name": _text(d.get("name")),
        "operator": _text(d.get("operator")),
        "url": _text(d.get("url")),
        "timezone": _text(d.get("timezone")),
        "last_updated": lenient_timestamp(doc.get("last_updated")),
        "raw": d,
        "notes": notes,
    }


def _records(items: list[Any], key_of: Callable[[dict[str, Any]], str | None], missing: str,
             row: Callable[[int, dict[str, Any], str], dict[str, Any] | Problem],
             counts: tuple[str, ...] = ()) -> Iterator[dict[str, Any] | Problem]:
    """``row(index, record, key)`` for each record of a feed's list, or a Problem for a record that is no
    object or has no key (``missing`` says what), or whose count of ``counts`` is not a whole number >= 0."""
    for i, rec in enumerate(items):
        key = key_of(rec) if isinstance(rec, dict) else None
        if not key:
            yield Problem(i, "missing_required_field", missing, _raw(rec))
            continue
        bad = _bad_counts(rec, counts)
        if bad:
            yield Problem(i, "invalid_count", f"station {key}: {bad}", _raw(rec))
            continue
        yield row(i, rec, key)


def _station_id(st: dict[str, Any]) -> str | None:
    return _id(st.get("station_id"))


def stations(doc: dict[str, Any], location: str) -> Iterator[dict[str, Any] | Problem]:
    """station_information → station rows, or Problems for records without id or position."""

    def row(i: int, st: dict[str, Any], sid: str) -> dict[str, Any] | Problem:
        lat, lon, why = _coord(st)
        if why:
            return Problem(i, why, f"station {st['station_id']}: no valid lat/lon", _raw(st))
        return {"json_index": i, "station_id": sid, "name": _text(st.get("name")),
                "short_name": _text(st.get("short_name")), "lat": lat, "lon": lon,
                "capacity": _int(st.get("capacity")), "address": _text(st.get("address")),
                "region_id": _text(st.get("region_id")), "raw": st}

    yield from _records(_list(doc, "stations", location), _station_id, "station without a station_id string", row,
                    ("capacity",))


def vehicle_types(doc: dict[str, Any], location: str) -> Iterator[dict[str, Any] | Problem]:
    yield from _records(_list(doc, "vehicle_types", location), lambda vt: _text(vt.get("vehicle_type_id")),
                    "vehicle type without vehicle_type_id",
                    lambda i, vt, key: {"json_index": i, "vehicle_type_id": key,
                                        "form_factor": _text(vt.get("form_factor")),
                                        "propulsion_type": _text(vt.get("propulsion_type")),
                                        "name": _text(vt.get("name")), "raw": vt})


def station_status(doc: dict[str, Any], location: str, notes: list[str] | None = None
                   ) -> Iterator[dict[str, Any] | Problem]:
    """station_status → one row per station (the feed's last_updated is added by the caller); a station whose
    last_reported is no usable time is a Problem; times read as milliseconds are noted in ``notes``."""

    def row(i: int, st: dict[str, Any], sid: str) -> dict[str, Any] | Problem:
        try:
            reported = timestamp(st.get("last_reported"), notes, "last_reported")
        except ValueError as exc:
            return Problem(i, "invalid_time", f"station {sid}: {exc}", _raw(st))
        return {
            "station_id": sid,
            "last_reported": reported,
            "num_bikes_available": _int(st.get("num_bikes_available", st.get("num_vehicles_available"))),
            "num_bikes_disabled": _int(st.get("num_bikes_disabled", st.get("num_vehicles_disabled"))),
            "num_docks_available": _int(st.get("num_docks_available")),
            "num_docks_disabled": _int(st.get("num_docks_disabled")),
            "is_installed": _bool(st.get("is_installed")),
            "is_renting": _bool(st.get("is_renting")),
            "is_returning": _bool(st.get("is_returning")),
            "vehicle_types_available": st.get("vehicle_types_available"),
        }

    yield from _records(_list(doc, "stations", location), _station_id, "status without a station_id string", row,
                    _STATUS_COUNTS)


def vehicles(doc: dict[str, Any], location: str) -> Iterator[dict[str, Any] | Problem]:
    """free_bike_status (2.x: data.bikes) or vehicle_status (3.0: data.vehicles) → vehicle rows."""

    def row(_i: int, v: dict[str, Any], vid: str) -> dict[str, Any]:
        lat, lon, _why = _coord(v)  # vehicles at a station may omit lat/lon: that is allowed
        return {
            "vehicle_id": vid,
            "vehicle_type_id": _text(v.get("vehicle_type_id")),
            "station_id": _text(v.get("station_id")),
            "is_reserved": _bool(v.get("is_reserved")),
            "is_disabled": _bool(v.get("is_disabled")),
            "current_range_m": v.get("current_range_meters") if isinstance(
                v.get("current_range_meters"), (int, float)) else None,
            "lat": lat,
            "lon": lon,
        }

    key = "vehicles" if "vehicles" in doc["data"] else "bikes"
    yield from _records(_list(doc, key, location), lambda v: _id(v.get("vehicle_id") or v.get("bike_id")),
                    "vehicle without bike_id/vehicle_id", row)
