"""Readers of vehicle telemetry that stream each record's mapped fields as text: vendor CSV / JSON lines
under a column mapping, and GPX tracks. Typing, units and checks are set work on staging (stage.sql), the
same for every reader and for the CSV fast path (fastcopy.py).

options.columns maps the model's fields (vehicle, time, lat, lon, x, y, speed, odometer, soc, charging)
to the vendor's column names; options.units gives speed (km/h|m/s|mph|kn), odometer (km|m|mi) and soc
(percent|fraction). A driver or person column is never read (the model keeps no person identifiers).
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterator, Mapping
from pathlib import Path
from typing import Any

from transport_etl import xmlsafe
from transport_etl.errors import InputRejected
from transport_etl.mapped_records import not_a_record, open_rows
from transport_etl.problems import Problem

FIELDS = ("vehicle", "time", "lat", "lon", "x", "y", "speed", "odometer", "soc", "charging")
DEFAULTS = {"vehicle": "vehicle_id", "time": "timestamp"}
MAX_SPEED_KMH = 250.0
# A record as read: (line number, raw text, the FIELDS as text or None).
Fields = tuple[int, str, tuple[str | None, ...]]


def _text(v: Any) -> str | None:
    if v is None:
        return None
    if isinstance(v, bool):  # JSON true/false
        return "1" if v else "0"
    return str(v)


def read_tabular(path: Path, columns: Mapping[str, str], encoding: str | None = None,
                 delimiter: str | None = None, ctx: Any = None, file_name: str | None = None
                 ) -> Iterator[Fields | Problem]:
    """Records of a CSV or JSON-lines export, streamed (memory does not grow with the file); with a ``ctx``
    over-long and undecodable lines are quarantined through it (mapped_records.open_rows)."""
    _kind, rows = open_rows(path, encoding, delimiter, ctx, file_name)
    names = [columns[f] for f in FIELDS]
    line_no = 1
    try:
        for line_no, row, raw in rows:
            problem = not_a_record(line_no, row, raw)
            if problem is not None:
                yield problem
                continue
            yield line_no, raw, tuple(_text(row.get(c)) for c in names)
    except csv.Error as exc:  # e.g. a field of megabytes: no export of telemetry has one
        raise InputRejected(f"{path.name}: after line {line_no}: {exc}", code="invalid_record") from exc


def gpx_vehicle(path: Path, pattern: str | None) -> str | None:
    """The vehicle of a GPX file: the first group of options.gpx_vehicle_pattern on the file name
    (default: the name up to the first underscore, e.g. 1U23456_2026-01.gpx → 1U23456)."""
    m = re.match(pattern or r"^([^_.]+)", path.name)
    return m.group(1) if m else None


def read_gpx(path: Path) -> Iterator[Fields]:
    """Track points of a GPX 1.0/1.1 file: lat/lon attributes, <time>, and <speed> (m/s, GPX 1.0 or an
    extension) when present. Hostile XML (DTD, entities) refuses the file."""
    xmlsafe.check(path)
    for _event, el in xmlsafe.iterparse(path, events=("end",)):
        if xmlsafe.local(el.tag) != "trkpt":
            continue
        vals = {xmlsafe.local(ch.tag): (ch.text or "").strip() for ch in el.iter() if ch is not el}
        lat, lon, time = el.get("lat"), el.get("lon"), vals.get("time")
        raw = f"<trkpt lat={lat!r} lon={lon!r} time={time!r}>"
        yield el.sourceline, raw, (None, time, lat, lon, None, None, vals.get("speed"), None, None, None)
        el.clear()
