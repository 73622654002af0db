"""The one rule for published times, shared by every format that reads them:

- :func:`from_epoch`: an epoch number (GBFS last_updated, GTFS-RT timestamps, vendor exports) must be a
  finite number in a sane range; milliseconds, microseconds and nanoseconds are told from seconds by
  magnitude (no date in 2000…2100 has a seconds value of 10^11 or more) and converted, with a note saying so.
  A value out of range (uint64 max, 1e300, NaN) is a ValueError naming it, never an OverflowError.
- :func:`local_time`: a naive wall-clock time in a timezone: a time in the spring-forward gap does not exist
  (ValueError); a time in the autumn fold happened twice and is read as the first (summer-time) one, with a
  note saying so.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from typing import Any
from zoneinfo import ZoneInfo

EARLIEST = dt.datetime(2000, 1, 1, tzinfo=dt.UTC)
LATEST = dt.datetime(2100, 1, 1, tzinfo=dt.UTC)  # alert periods, timetables: the future is data, 2554 is not
_LO, _HI = EARLIEST.timestamp(), LATEST.timestamp()
# (magnitude from which a value is in this unit, divisor to seconds, unit name)
_UNITS = ((1e17, 1e9, "nanoseconds"), (1e14, 1e6, "microseconds"), (1e11, 1e3, "milliseconds"))
_NUMBER = re.compile(r"[+-]?\d{1,24}(\.\d{1,12})?")


def from_epoch(value: Any, what: str = "timestamp") -> tuple[dt.datetime, str | None]:
    """(aware UTC time, note or None) of an epoch number (int, float or decimal text). The note says when
    the value was read as milliseconds (or µs, ns) rather than seconds. ValueError for anything else."""
    if type(value) is int and _LO <= value < _HI:  # the usual case (protobuf uint64 seconds): no checks to run
        return dt.datetime.fromtimestamp(value, tz=dt.UTC), None
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise ValueError(f"{what} {str(value)[:40]!r} is not an epoch number")
    if isinstance(value, str):
        if not _NUMBER.fullmatch(value.strip()):
            raise ValueError(f"{what} {value[:40]!r} is not an epoch number")
        x = float(value)
    elif isinstance(value, int):
        if abs(value) >= 10**24:  # float() of a 4000-digit int would overflow: say what it is instead
            raise ValueError(f"{what} is a {len(str(abs(value)))}-digit number, not a time")
        x = float(value)
    else:
        x = value
    if not math.isfinite(x):
        raise ValueError(f"{what} {value!r} is not a finite number")
    seconds, note = x, None
    for magnitude, divisor, unit in _UNITS:
        if abs(x) >= magnitude:
            seconds, note = x / divisor, f"{what} {str(value)[:24]} read as {unit} since 1970"
            break
    if not _LO <= seconds < _HI:
        raise ValueError(f"{what} {str(value)[:24]} is outside {EARLIEST.year}…{LATEST.year - 1} as epoch "
                         "seconds, milliseconds, microseconds or nanoseconds")
    return dt.datetime.fromtimestamp(seconds, tz=dt.UTC), note


def epoch_time(v: str) -> dt.datetime | None:
    """A text that is a plain epoch number (:func:`from_epoch`) as a time; None when ``v`` is not a plain
    number, or is 8 digits (a compact date, YYYYMMDD, not a moment of 1970)."""
    m = re.fullmatch(r"(\d+)(\.\d+)?", v)
    if not m or (len(v) == 8 and not m.group(2)):
        return None
    digits = len(m.group(1))
    if digits > 20:
        raise ValueError(f"timestamp {v!r} is a {digits}-digit number, not epoch seconds/ms/µs/ns")
    return from_epoch(v)[0]


def local_time(naive: dt.datetime, tz: str) -> tuple[dt.datetime, str | None]:
    """(aware time, note or None) of a wall-clock time in ``tz``: ValueError when the clocks skipped it (the
    spring-forward gap); the first of the two readings, with a note, when it happened twice (the autumn fold)."""
    zone = ZoneInfo(tz)
    first = naive.replace(tzinfo=zone, fold=0)
    second = naive.replace(tzinfo=zone, fold=1)
    if first.utcoffset() == second.utcoffset():
        return first, None
    back = first.astimezone(dt.UTC).astimezone(zone).replace(tzinfo=None)
    if back != naive.replace(tzinfo=None):   # in the gap: no wall clock showed this time
        raise ValueError(f"local time {naive.isoformat(sep=' ')} does not exist in {tz} (clocks moved forward)")
    return first, (f"local time {naive.isoformat(sep=' ')} happened twice in {tz} (clocks moved back): read as the "
                   f"first, {first.isoformat()}")
