"""Service days of CZPTT paths: bitmaps → dates, duplicates of a PA, cancellations. Pure functions.

Rules (docs/formats/czptt.md): a run is identified by its PA; when several messages share a PA the
newest CZPTTCreation wins; a CZCanceledPTTMessage removes the days set in its bitmap from the path
it names, unless it is older than that path's current version (then it was superseded).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field


def bitmap_dates(bitmap: str, start: dt.date) -> list[dt.date]:
    """Dates whose bitmap character is '1'; the first character is ``start``."""
    if set(bitmap) - {"0", "1"}:
        raise ValueError(f"bitmap must hold only 0 and 1, got {bitmap[:20]!r}")
    return [start + dt.timedelta(days=i) for i, c in enumerate(bitmap) if c == "1"]


def bitmap_length_problem(bitmap: str, start: dt.date, end: dt.date | None) -> str | None:
    """Why the bitmap length disagrees with its ValidityPeriod, or None. (Data wins: the bitmap is used.)"""
    expected = 1 if end is None else (end - start).days + 1
    if expected < 1:
        return f"ValidityPeriod ends {end} before it starts {start}"
    if len(bitmap) != expected:
        return f"bitmap has {len(bitmap)} days, ValidityPeriod {start}..{end or start} has {expected}"
    return None


@dataclass(frozen=True)
class Header:
    """What the merge needs of one message."""

    msg_no: int
    kind: str                 # path | cancel
    pa_key: str
    created: dt.datetime
    bitmap: str
    start: dt.date
    source_file: str = ""
    day_shift: int = 0


@dataclass
class Merged:
    status: dict[int, str] = field(default_factory=dict)               # msg_no → current/superseded/applied/...
    service_dates: dict[int, list[dt.date]] = field(default_factory=dict)  # current path msg_no → dates
    notices: list[tuple[str, str, str, str, str]] = field(default_factory=list)  # code, severity, msg, file, key


def merge(headers: Iterable[Header]) -> Merged:
    """Pick the current message of every PA and apply cancellations to its days."""
    out = Merged()
    paths: dict[str, Header] = {}
    cancels: list[Header] = []
    for h in headers:
        if h.kind == "cancel":
            cancels.append(h)
            continue
        cur = paths.get(h.pa_key)
        # The newer creation wins; at equal times the later message in input order does.
        if cur is None or h.created >= cur.created:
            if cur is not None:
                _superseded(out, cur, h)
            paths[h.pa_key] = h
        else:
            _superseded(out, h, cur)
    days: dict[str, set[dt.date]] = {k: set(bitmap_dates(h.bitmap, h.start)) for k, h in paths.items()}
    for c in cancels:
        path = paths.get(c.pa_key)
        if path is None:
            out.status[c.msg_no] = "orphan"
            out.notices.append(("cancellation_without_path", "WARNING",
                                f"cancellation of PA {c.pa_key} whose path is not in this input", c.source_file,
                                c.pa_key))
            continue
        if c.created < path.created:
            out.status[c.msg_no] = "outdated"
            out.notices.append(("cancellation_superseded", "INFO",
                                f"cancellation of {c.created:%Y-%m-%d %H:%M} is older than the path version of "
                                f"{path.created:%Y-%m-%d %H:%M} ({path.source_file}): not applied",
                                c.source_file, c.pa_key))
            continue
        removed = days[c.pa_key] & set(bitmap_dates(c.bitmap, c.start))
        days[c.pa_key] -= removed
        out.status[c.msg_no] = "applied"
        out.notices.append(("path_days_cancelled", "INFO",
                            f"{len(removed)} day(s) of PA {c.pa_key} cancelled", c.source_file, c.pa_key))
    for key, h in paths.items():
        out.status[h.msg_no] = "current"
        shift = dt.timedelta(days=h.day_shift)
        out.service_dates[h.msg_no] = sorted(d + shift for d in days[key])
    return out


def _superseded(out: Merged, old: Header, new: Header) -> None:
    out.status[old.msg_no] = "superseded"
    out.notices.append(("duplicate_path_superseded", "INFO",
                        f"PA {old.pa_key} created {old.created:%Y-%m-%d %H:%M} is replaced by the version created "
                        f"{new.created:%Y-%m-%d %H:%M} in {new.source_file}: ignored", old.source_file, old.pa_key))
