"""What a parking input is, from its content (never its name): CSV, GeoJSON FeatureCollection, a plain
JSON array of facilities (bare or under one key), or a DATEX II parking publication. Anything else is
refused with one line saying what it looks like."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from typing import Any

from transport_etl.errors import InputRejected, json_reason

_MAGIC = {b"PK\x03\x04": "a zip archive", b"%PDF": "a PDF document", b"\x1f\x8b": "gzip-compressed data",
          b"\xd0\xcf\x11\xe0": "an old Excel/Office file", b"\x89PNG": "a PNG image"}
_CONTROL = [bytes([b]) for b in range(32) if b not in (9, 10, 13)]
DATEX_NS = re.compile(rb"http://datex2\.eu/schema/(2/2_0|3/)")


def kind_of(name: str, data: bytes) -> str:
    """'csv', 'geojson', 'json_array' or 'datex2'; InputRejected naming what the input looks like."""
    head = data[:4096]
    for magic, what in _MAGIC.items():
        if head.startswith(magic):
            raise InputRejected(f"{name}: looks like {what}, not a parking CSV, GeoJSON, JSON array or DATEX II "
                                "publication", code="unrecognised_format")
    text_head = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if not text_head:
        raise InputRejected(f"{name}: empty file", code="empty_file")
    if text_head.startswith(b"<"):
        return _xml_kind(name, text_head)
    if text_head[:1] in (b"{", b"["):
        return _json_kind(name, data)
    if sum(map(head.count, _CONTROL)) > len(head) // 100 + 2:  # binary; a stray NUL is one line's problem
        raise InputRejected(f"{name}: looks like binary data, not a parking CSV, GeoJSON, JSON array or DATEX II "
                            "publication", code="unrecognised_format")
    first = text_head.split(b"\n", 1)[0]
    if not any(d in first for d in (b";", b",", b"\t")):
        raise InputRejected(f"{name}: looks like plain text without a delimited header line "
                            f"({first[:60].decode('utf-8', 'replace')!r}), not a parking CSV", code="unrecognised_format")
    return "csv"


def _xml_kind(name: str, head: bytes) -> str:
    m = re.search(rb"<([A-Za-z_][\w.-]*:)?([A-Za-z_][\w.-]*)[\s>/]", re.sub(rb"<[?!][^>]*>", b"", head))
    root = m.group(2).decode() if m else "?"
    if root.lower() == "html":
        raise InputRejected(f"{name}: looks like an HTML page (an error or login page?), not parking data",
                            code="unrecognised_format")
    if DATEX_NS.search(head) and re.search(rb"Parking(Table|Status)Publication", head):
        return "datex2"
    if DATEX_NS.search(head):
        found = re.search(rb'xsi:type="(?:\w+:)?(\w+Publication)"', head)
        what = found.group(1).decode() if found else "another publication"
        raise InputRejected(f"{name}: a DATEX II {what}, not a ParkingTablePublication or ParkingStatusPublication",
                            code="unrecognised_format")
    raise InputRejected(f"{name}: looks like XML with root <{root}>, not a DATEX II parking publication",
                        code="unrecognised_format")


def _json_kind(name: str, data: bytes) -> str:
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as exc:   # ValueError: also bad UTF-8 and a number of 4300+ digits
        raise InputRejected(f"{name}: starts like JSON but is not valid JSON ({json_reason(exc)})",
                            code="invalid_json") from exc
    if isinstance(doc, dict) and doc.get("type") == "FeatureCollection":
        return "geojson"
    if facility_list(doc) is not None:
        return "json_array"
    if isinstance(doc, dict):
        keys = ", ".join(sorted(map(str, doc))[:8]) or "none"
        raise InputRejected(f"{name}: looks like a JSON object without features or a list of facilities "
                            f"(keys: {keys})", code="unrecognised_format")
    raise InputRejected(f"{name}: looks like a JSON array that holds no objects", code="unrecognised_format")


def facility_list(doc: Any) -> list[dict] | None:
    """The list of facility objects: the document itself, or the one list of objects under a key
    ({"parkings": [...]}, {"data": [...]})."""
    if isinstance(doc, list):
        return doc if doc and all(isinstance(x, dict) for x in doc) else None
    if isinstance(doc, dict):
        lists = [v for v in doc.values() if isinstance(v, list) and v and all(isinstance(x, dict) for x in v)]
        if len(lists) == 1:
            return lists[0]
    return None


def flatten(obj: dict, prefix: str = "") -> dict[str, Any]:
    """Nested objects as dotted keys ({"location": {"lat": 1}} → {"location.lat": 1}) for the column map."""
    out: dict[str, Any] = {}
    for k, v in obj.items():
        key = f"{prefix}{k}"
        if isinstance(v, dict):
            out.update(flatten(v, key + "."))
        else:
            out[key] = v
    return out


def read_json_array(doc: Any, m, record: Callable) -> Iterator[Any]:
    """Records of a plain JSON array (position = 1-based index in the array, the locator in the file)."""
    for i, obj in enumerate(facility_list(doc) or [], start=1):
        yield record(flatten(obj), m, i, None, None)
