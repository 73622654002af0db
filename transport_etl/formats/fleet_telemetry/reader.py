"""Pure readers of vehicle telemetry: vendor CSV / JSON lines under a column mapping with units, and GPX
tracks. Each yields record dicts (model units: km/h, km, %, EPSG:5514) or Problems.

options.columns maps the model's fields (vehicle, time, lat, lon, x, y, speed, odometer, soc, charging)
to the vendor's column names; options.units gives speed (km/h|m/s|mph|kn), odometer (km|m|mi) and soc
(percent|fraction). A driver or person column is never read (the model keeps no person identifiers).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from transport_etl import xmlsafe
from transport_etl.mapped_records import ColumnMap, Placer, coordinate, flag, number, open_rows, parse_time
from transport_etl.problems import Problem

FIELDS = ("vehicle", "time", "lat", "lon", "x", "y", "speed", "odometer", "soc", "charging")
DEFAULTS = {"vehicle": "vehicle_id", "time": "timestamp"}
MAX_SPEED_KMH = 250.0


def _record(vehicle: str | None, time: Any, get, m: ColumnMap, placer: Placer, line_no: int, raw: str
            ) -> dict[str, Any] | Problem | tuple[dict[str, Any], Problem]:
    if not vehicle:
        return Problem("missing_required_field", f"no vehicle id (column {m.columns['vehicle']!r})",
                       line_no=line_no, severity="REJECT", raw=raw)
    if time in (None, ""):
        return Problem("missing_required_field", f"vehicle {vehicle}: no time (column {m.columns['time']!r})",
                       line_no=line_no, severity="REJECT", raw=raw)
    try:
        at = parse_time(time, m.timezone)
        speed = m.scale("speed", number(get("speed")))
        odo = m.scale("odometer", number(get("odometer")))
        soc = m.scale("soc", number(get("soc")))
        charging = flag(get("charging"))
        lat, lon = coordinate(get("lat")), coordinate(get("lon"))
        if lat is not None or lon is not None:
            x, y, note = placer.lat_lon(lat, lon)
        else:
            x, y, note = placer.x_y(coordinate(get("x")), coordinate(get("y")))
    except (ValueError, TypeError, OverflowError) as exc:
        return Problem("invalid_value", f"vehicle {vehicle}: {exc}", line_no=line_no, severity="REJECT", raw=raw)
    if speed is not None and not 0 <= speed <= MAX_SPEED_KMH:
        return Problem("invalid_value", f"vehicle {vehicle}: speed {speed:.0f} km/h outside 0..{MAX_SPEED_KMH:.0f}",
                       line_no=line_no, severity="REJECT", raw=raw)
    if soc is not None and not 0 <= soc <= 100:
        return Problem("invalid_value", f"vehicle {vehicle}: state of charge {soc:g} % outside 0..100",
                       line_no=line_no, severity="REJECT", raw=raw)
    if odo is not None and odo < 0:
        return Problem("invalid_value", f"vehicle {vehicle}: negative odometer", line_no=line_no, severity="REJECT",
                       raw=raw)
    rec = {"line_no": line_no, "vehicle_id": vehicle, "recorded_at": at, "x": x, "y": y, "location_note": note,
           "speed_kmh": speed, "odometer_km": odo, "soc_pct": soc, "charging": charging}
    if note and note != "missing_coordinates":
        # Kept for its state (time, charge, odometer), never placed.
        return rec, Problem(note, f"vehicle {vehicle}: position not placed ({note})", line_no=line_no,
                            severity="WARNING", field_name=m.columns["lat"], entity_key=vehicle)
    return rec


def read_tabular(path: Path, m: ColumnMap, placer: Placer, encoding: str | None = None,
                 delimiter: str | None = None, vehicle: str | None = None) -> Iterator[Any]:
    """Records of a CSV or JSON-lines export, streamed (memory does not grow with the file)."""
    _kind, rows = open_rows(path, encoding, delimiter)
    c = m.columns
    for line_no, row, raw in rows:
        if row is None:
            yield Problem("invalid_record", "line is not a JSON object", line_no=line_no, severity="REJECT", raw=raw)
            continue

        def get(field: str, row=row) -> Any:
            v = row.get(c[field])
            return None if v is None or (isinstance(v, str) and not v.strip()) else v

        vid = get("vehicle")
        yield _record(str(vid).strip() if vid is not None else vehicle, get("time"), get, m, placer, line_no,
                      raw)


def gpx_vehicle(path: Path, pattern: str | None) -> str | None:
    """The vehicle of a GPX file: the first group of options.gpx_vehicle_pattern on the file name
    (default: the name up to the first underscore, e.g. 1U23456_2026-01.gpx → 1U23456)."""
    m = re.match(pattern or r"^([^_.]+)", path.name)
    return m.group(1) if m else None


def read_gpx(path: Path, m: ColumnMap, placer: Placer, vehicle: str | None) -> Iterator[Any]:
    """Track points of a GPX 1.0/1.1 file: lat/lon attributes, <time>, and <speed> (m/s, GPX 1.0 or an
    extension) when present. Hostile XML (DTD, entities) refuses the file."""
    xmlsafe.check(path)
    for _event, el in xmlsafe.iterparse(path, events=("end",)):
        if xmlsafe.local(el.tag) != "trkpt":
            continue
        vals = {xmlsafe.local(ch.tag): (ch.text or "").strip() for ch in el.iter() if ch is not el}
        line_no = el.sourceline
        raw = f"<trkpt lat={el.get('lat')!r} lon={el.get('lon')!r} time={vals.get('time')!r}>"
        props = {"lat": el.get("lat"), "lon": el.get("lon"), "speed": vals.get("speed"), "x": None, "y": None,
                 "odometer": None, "soc": None, "charging": None}

        def get(field: str, props=props) -> Any:
            v = props.get(field)
            return None if v in (None, "") else v

        # GPX speeds are m/s by the schema, whatever the catalog says for the vendor's CSV.
        gm = ColumnMap(columns=m.columns, factors={**m.factors, "speed": 3.6}, timezone=m.timezone)
        yield _record(vehicle, vals.get("time"), get, gm, placer, line_no, raw)
        el.clear()
