"""Zasspoje records of one trip → calls in travel order (docs/formats/jdf.md §1.8). Pure.

- Records come in tariff order; for even (return) trips that is reverse travel order.
- Empty time and km: the stop lies before the trip's origin or after its destination → no call.
- ``<`` the trip runs another way (skips the stop) → no call.
- ``|`` the trip passes without stopping → a call with no times, pickup and drop-off 1 (none).
- Times are HHMM without day overflow: a decrease along travel order is a midnight crossing.
- A record whose time or km cannot be read is quarantined (REJECT): the trip is published without it,
  never with a guessed time or a NaN distance.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field

from transport_etl.problems import Problem

PASS = "|"
OTHER_ROUTE = "<"


@dataclass
class Call:
    sequence: int
    tariff_no: int
    stop_no: str
    post_code: str | None
    arrival_s: int | None
    departure_s: int | None
    distance_m: float | None
    pickup_type: int
    drop_off_type: int
    line_no: int           # physical line of the Zasspoje record
    passes: bool = False


@dataclass
class TripCalls:
    calls: list[Call] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    midnight_crossings: int = 0


_HHMM = re.compile(r"[0-9]{4}")
_KM = re.compile(r"[0-9]{1,5}(?:[.,][0-9]{1,3})?")
# Longest plausible distance from a trip's first stop: international lines in CIS JŘ run to Lisbon or Kyiv
# (~3,000 km); a larger value is a typo or an overflow, not a distance.
MAX_KM = 10_000.0


def parse_hhmm(value: str) -> int:
    """HHMM → minutes after midnight. ValueError if malformed. JDF times have no day overflow (00:00–23:59);
    2400 is accepted as the midnight that ends the day, nothing later (not 2430)."""
    v = value.strip()
    if not _HHMM.fullmatch(v):
        raise ValueError(f"not a JDF time (HHMM): {value!r}")
    h, m = int(v[:2]), int(v[2:])
    if m > 59 or h > 24 or (h == 24 and m):
        raise ValueError(f"not a JDF time (HHMM, 0000-2400): {value!r}")
    return h * 60 + m


def parse_km(value: str | None) -> float | None:
    """JDF km (``12``, ``12.5`` or ``12,5``) → km; None for empty. ValueError for anything that is not a
    plain non-negative decimal up to MAX_KM (so never NaN, infinity, an exponent or a sign)."""
    if not value:
        return None
    v = value.strip()
    if not _KM.fullmatch(v):
        raise ValueError(f"km {value!r} is not a distance (digits, optionally a decimal point)")
    km = float(v.replace(",", "."))
    if km > MAX_KM:
        raise ValueError(f"km {value!r} is above {MAX_KM:,.0f} km: not a plausible distance")
    return km


def _flags(symbols: Iterable[str]) -> tuple[int, int]:
    """GTFS pickup_type, drop_off_type from stop fixed-code symbols."""
    syms = set(symbols)
    pickup = drop_off = 0
    if "x" in syms:
        pickup = drop_off = 3  # request stop: tell the driver
    if "(" in syms:
        pickup = 1  # alighting only
    if ")" in syms:
        drop_off = 1  # boarding only
    return pickup, drop_off


def _reject(out: TripCalls, r: Mapping[str, object], code: str, message: str) -> None:
    """Quarantine one Zasspoje record (file and line): the trip is published without this stop."""
    out.problems.append(Problem(code, message, file_name="zasspoje", line_no=int(r["line_no"]),  # type: ignore[arg-type]
                                severity="REJECT", raw=r.get("raw")))  # type: ignore[arg-type]


def trip_calls(
    rows: Sequence[Mapping[str, object]],
    even: bool,
    symbols_of: Mapping[int, Sequence[str]] | None = None,
) -> TripCalls:
    """Calls of one trip. ``rows``: dicts with tariff_no, stop_no, post_code, km, arrival, departure,
    symbols (stop codes of the record), line_no. ``symbols_of`` adds the line's default stop symbols
    (Zaslinky codes) per tariff number."""
    out = TripCalls()
    ordered = sorted(rows, key=lambda r: int(r["tariff_no"]), reverse=even)  # type: ignore[arg-type]
    prev: int | None = None
    offset = 0
    seq = 0
    for r in ordered:
        arr, dep, km = r.get("arrival"), r.get("departure"), r.get("km")
        times = {arr, dep} - {None}
        if not times and km is None:
            continue  # before the origin / after the destination
        if OTHER_ROUTE in times or (r.get("min_arrival") == OTHER_ROUTE):
            continue
        line_no = int(r["line_no"])  # type: ignore[arg-type]
        try:
            distance = parse_km(km) * 1000 if km is not None else None  # type: ignore[arg-type,operator]
        except ValueError as exc:
            _reject(out, r, "invalid_km", str(exc))
            continue
        tariff = int(r["tariff_no"])  # type: ignore[arg-type]
        syms = list(r.get("symbols") or []) + list((symbols_of or {}).get(tariff, ()))
        if PASS in times:
            seq += 1
            out.calls.append(Call(seq, tariff, str(r["stop_no"]), r.get("post_code"), None, None,  # type: ignore[arg-type]
                                  distance, 1, 1, line_no, passes=True))
            continue
        try:
            a = parse_hhmm(arr) if arr else None  # type: ignore[arg-type]
            d = parse_hhmm(dep) if dep else None  # type: ignore[arg-type]
        except ValueError as exc:
            _reject(out, r, "invalid_time", str(exc))
            continue
        if a is None and d is None:
            _reject(out, r, "missing_time", "km given but neither arrival nor departure")
            continue
        a = d if a is None else a
        d = a if d is None else d
        # Midnight: a time earlier than the previous one belongs to the next day.
        a += offset
        if prev is not None and a < prev:
            offset += 1440
            a += 1440
            out.midnight_crossings += 1
        d += offset
        if d < a:
            offset += 1440
            d += 1440
            out.midnight_crossings += 1
        prev = d
        pickup, drop_off = _flags(syms)
        seq += 1
        out.calls.append(Call(seq, tariff, str(r["stop_no"]), r.get("post_code"), a * 60, d * 60,  # type: ignore[arg-type]
                              distance, pickup, drop_off, line_no))
    if out.midnight_crossings > 1:
        first_line = ordered[0]["line_no"] if ordered else 0
        out.problems.append(Problem("time_order", f"times decrease {out.midnight_crossings} times along travel order",
                                    file_name="zasspoje", line_no=first_line))  # type: ignore[arg-type]
    # A passing call cannot open or close a trip in GTFS terms: trim them at the ends.
    while out.calls and out.calls[0].passes:
        out.calls.pop(0)
    while out.calls and out.calls[-1].passes:
        out.calls.pop()
    for i, c in enumerate(out.calls, start=1):
        c.sequence = i
    return out
