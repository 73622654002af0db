"""What public transport offered for a demo car trip, computed from the demo's own timetable (the JDF
lines of demo.regional) and stop places, independently of the SQL under test: a journey departing
within ±30 min of the trip's start from a stop within 500 m of its origin to one within 500 m of its
destination."""

from __future__ import annotations

import datetime as dt
import math

from demo.places import BY_KEY
from demo.regional import CODE, LINES

WINDOW_MIN = 30.0
RADIUS_M = 500.0


def _metres(a: tuple[float, float], b: tuple[float, float]) -> float:
    dlat = (a[0] - b[0]) * 111_320
    dlon = (a[1] - b[1]) * 111_320 * math.cos(math.radians((a[0] + b[0]) / 2))
    return math.hypot(dlat, dlon)


def _runs(day: dt.date, syms: list[str], codes: list[tuple[str, str, str]], workday: bool) -> bool:
    days = [s for s in syms if s in CODE and s in ("X", "6", "7", "+")]
    if days and not (workday and "X" in days):
        return False  # the office drives on working days only; weekend-only journeys do not count
    for kind, d0, d1 in codes:
        start = dt.datetime.strptime(d0, "%d%m%Y").date() if d0 else None
        end = dt.datetime.strptime(d1, "%d%m%Y").date() if d1 else start
        inside = start is not None and start <= day <= (end or start)
        if kind == "4" and inside:
            return False
        if kind in ("1", "3") and not inside:
            return False
        if kind == "5":
            return False
    return True


def best_journey(origin: tuple[float, float], dest: tuple[float, float], start: dt.datetime, workday: bool,
                 window: float = WINDOW_MIN) -> tuple[float, str, dt.datetime] | None:
    """(|offset| min, line, departure) of the journey nearest in time, or None."""
    best = None
    local = start.replace(tzinfo=None)
    for line in LINES:
        stops = line["stops"]
        total = stops[-1][3]
        for trip, first, syms, tcs, passes, other in line["trips"]:
            if not _runs(start.date(), syms, tcs, workday):
                continue
            h, m = map(int, first.split(":"))
            even = trip % 2 == 0
            order = list(range(len(stops)))[::-1] if even else list(range(len(stops)))
            served = [i for i in order if (i + 1) not in passes and (i + 1) not in other and stops[i][0]]
            for a_pos, a in enumerate(served):
                if _metres(origin, (BY_KEY[stops[a][0]].lat, BY_KEY[stops[a][0]].lon)) > RADIUS_M:
                    continue
                for b in served[a_pos + 1:]:
                    if _metres(dest, (BY_KEY[stops[b][0]].lat, BY_KEY[stops[b][0]].lon)) > RADIUS_M:
                        continue
                    minute = h * 60 + m + ((total - stops[a][3]) if even else stops[a][3])
                    dep = dt.datetime.combine(start.date(), dt.time()) + dt.timedelta(minutes=minute)
                    off = abs((dep - local).total_seconds()) / 60
                    if off <= window and (best is None or off < best[0]):
                        best = (off, line["local_code"], dep)
    return best


def nearest_offset(origin: tuple[float, float], dest: tuple[float, float], start: dt.datetime, workday: bool
                   ) -> float | None:
    """|offset| of the nearest journey within 2 h (to keep demo trips away from the ±30 min border)."""
    got = best_journey(origin, dest, start, workday, window=120.0)
    return None if got is None else got[0]
