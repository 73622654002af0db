"""The one reading of a road event's validity times (DATEX II overallStartTime/EndTime, closure ValidFrom/To).

- ISO 8601 with an offset (or Z) is taken as written;
- ISO 8601 without a zone is Czech local time (Europe/Prague, DST included), never the session's zone
  (UTC), and says so (``time_without_zone``): DATEX II times should carry their offset;
- a plain number is epoch seconds, milliseconds, µs or ns, told apart by its magnitude (ArcGIS exports
  milliseconds, hand-made files seconds; read as milliseconds, seconds put a 2025 closure in 1970);
- anything else (``2025-02-30``, ``zítra ráno``, a time centuries away) is ``invalid_time`` with no value:
  a reader quarantines the record or keeps it without the time, saying which.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from transport_etl.timestamps import epoch_time, local_time

LOCAL = "Europe/Prague"  # the zone of a road event time written without one
# Validity outside these years is a misread value (ms taken as µs, a date field read as a number), not a plan.
EARLIEST, LATEST = dt.datetime(1990, 1, 1, tzinfo=dt.UTC), dt.datetime(2200, 1, 1, tzinfo=dt.UTC)
NAIVE, INVALID = "time_without_zone", "invalid_time"


@dataclass(frozen=True)
class EventTime:
    """An ISO 8601 instant with offset (or None), and what was not as it should be (``note``, ``message``)."""

    iso: str | None
    note: str | None = None
    message: str | None = None


def event_time(value: Any, what: str = "time") -> EventTime:
    """``value`` (text or number) read under the rule above. Never raises."""
    if value is None or isinstance(value, bool) or (isinstance(value, str) and not value.strip()):
        return EventTime(None)
    text = str(value).strip()
    shown = text if len(text) <= 40 else text[:39] + "…"
    note = None
    try:
        t = epoch_time(text)
        if t is None:
            t = dt.datetime.fromisoformat(text.replace("Z", "+00:00").replace("z", "+00:00"))
            if t.tzinfo is None:  # the one local-time rule: a time in the DST gap is no time (ValueError)
                t, note = local_time(t, LOCAL)[0], NAIVE
        if not EARLIEST <= t <= LATEST:
            return EventTime(None, INVALID, f"{what} {shown!r} reads as {t.date()}, outside "
                                            f"{EARLIEST.year}…{LATEST.year}")
    except (ValueError, OverflowError, OSError):
        return EventTime(None, INVALID, f"{what} {shown!r} is not a date and time")
    if note:
        return EventTime(t.isoformat(), NAIVE, f"{what} {shown!r} has no UTC offset: read as Europe/Prague "
                                               f"local time ({t.isoformat()})")
    return EventTime(t.isoformat())
