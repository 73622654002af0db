"""JDF operating days: fixed codes (X, +, 1–7) and time codes (Caskody types 1–8) → service dates,
intersected with the line's validity. Pure functions; Czech public holidays from ``holidays``.

Evaluation order (MP5; as the DÚK build script and jrutil do it):
1. type 3 "runs only": the trip runs on those dates only (minus type 4), day symbols ignored;
2. type 4 "does not run" excludes a day, type 2 "also runs" includes it;
3. type 1 "runs": the day must lie inside one of its intervals;
4. types 5–8: odd/even ISO weeks (7/8 only inside their interval);
5. day symbols: X working days (Mon–Fri, not a holiday), + Sundays and holidays, 1–7 weekdays;
   a trip with no day symbol runs every day.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import lru_cache

import holidays

from transport_etl import public_holidays

DAY_SYMBOLS = frozenset("X+1234567")
TYPE_WORDS = {
    "1": "jede", "2": "jede také", "3": "jede jen", "4": "nejede",
    "5": "jede v lichých týdnech", "6": "jede v sudých týdnech",
    "7": "jede v lichých týdnech", "8": "jede v sudých týdnech",
}


class RangeReversed(ValueError):
    """A date range whose end lies before its start: refused, never read as its complement or as empty."""

    code = "start_and_end_range_out_of_order"  # MobilityData's word for the same defect in GTFS


def check_range(date_from: dt.date | None, date_to: dt.date | None, what: str) -> None:
    """RangeReversed when both dates are given and ``date_to`` is before ``date_from``."""
    if date_from is not None and date_to is not None and date_to < date_from:
        raise RangeReversed(f"{what} {date_from:%d.%m.%Y}–{date_to:%d.%m.%Y} ends before it starts")


@dataclass(frozen=True)
class TimeCode:
    """One Caskody row of a trip. ``date_to`` None = the single day ``date_from``; a reversed range raises
    RangeReversed (a 'does not run 09.01.–05.01.' must not silently exclude nothing)."""

    type: str | None
    date_from: dt.date | None
    date_to: dt.date | None = None
    mark: str | None = None
    note: str | None = None

    def __post_init__(self) -> None:
        check_range(self.date_from, self.date_to, f"time-code {TYPE_WORDS.get(self.type or '', 'range')!r}")

    def covers(self, day: dt.date) -> bool:
        if self.date_from is None:
            return False
        return self.date_from <= day <= (self.date_to or self.date_from)


def parse_date(value: str | None) -> dt.date | None:
    """JDF date DDMMRRRR → date; None for empty. ValueError for anything else."""
    if not value:
        return None
    v = value.strip()
    if len(v) != 8 or not v.isdigit():
        raise ValueError(f"not a JDF date (DDMMRRRR): {value!r}")
    return dt.date(int(v[4:]), int(v[2:4]), int(v[:2]))


@lru_cache(maxsize=64)
def _holidays(first_year: int, last_year: int) -> frozenset[dt.date]:
    return frozenset(holidays.country_holidays("CZ", years=range(first_year, last_year + 1)).keys())


def czech_holidays(start: dt.date, end: dt.date) -> frozenset[dt.date]:
    """Czech public holidays between the two dates' years (fixed days, Good Friday, Easter Monday)."""
    return _holidays(start.year, end.year)


def _day_symbol_ok(day: dt.date, symbols: frozenset[str], hols: frozenset[dt.date]) -> bool:
    day_syms = symbols & DAY_SYMBOLS
    if not day_syms:
        return True
    holiday = day in hols
    wd = day.isoweekday()
    for s in day_syms:
        if s == "X" and wd <= 5 and not holiday:
            return True
        if s == "+" and (wd == 7 or holiday):
            return True
        if s.isdigit() and int(s) == wd:
            return True
    return False


def _week_ok(day: dt.date, codes: Sequence[TimeCode]) -> bool:
    odd = day.isocalendar().week % 2 == 1
    for c in codes:
        if c.type == "5" and not odd:
            return False
        if c.type == "6" and odd:
            return False
        if c.type == "7" and c.covers(day) and not odd:
            return False
        if c.type == "8" and c.covers(day) and odd:
            return False
    return True


def runs_on(day: dt.date, symbols: frozenset[str], codes: Sequence[TimeCode], hols: frozenset[dt.date]) -> bool:
    """Whether a trip with these fixed-code symbols and time codes runs on ``day``."""
    only = [c for c in codes if c.type == "3"]
    if only:
        return any(c.covers(day) for c in only) and not any(c.covers(day) for c in codes if c.type == "4")
    if any(c.covers(day) for c in codes if c.type == "4"):
        return False
    if any(c.covers(day) for c in codes if c.type == "2"):
        return True
    runs = [c for c in codes if c.type == "1"]
    if runs and not any(c.covers(day) for c in runs):
        return False
    if not _week_ok(day, codes):
        return False
    return _day_symbol_ok(day, symbols, hols)


def service_dates(
    symbols: Iterable[str],
    codes: Sequence[TimeCode],
    valid_from: dt.date,
    valid_to: dt.date,
    holidays_of: str | None = None,
) -> list[dt.date]:
    """All dates from ``valid_from`` to ``valid_to`` (the line's validity) on which the trip runs;
    holidays of ``holidays_of`` (a country such as SK or DE-SN; default Czechia)."""
    syms = frozenset(symbols)
    if valid_to < valid_from:
        return []
    hols = public_holidays.between(holidays_of, valid_from, valid_to) if holidays_of else \
        czech_holidays(valid_from, valid_to)
    out = []
    day = valid_from
    one = dt.timedelta(days=1)
    while day <= valid_to:
        if runs_on(day, syms, codes, hols):
            out.append(day)
        day += one
    return out


def describe(symbols: Iterable[str], codes: Sequence[TimeCode]) -> str:
    """Human-readable rule as printed in a timetable, e.g. ``X | 14 nejede 09.03.2015–13.03.2015``."""
    syms = sorted(set(symbols) & DAY_SYMBOLS, key=lambda s: "X+1234567".index(s))
    parts = [",".join(syms) if syms else "denně"]
    for c in codes:
        if c.type is None:
            if c.note:
                parts.append(f"{c.mark or ''} {c.note}".strip())
            continue
        span = ""
        if c.date_from:
            span = c.date_from.strftime("%d.%m.%Y")
            if c.date_to and c.date_to != c.date_from:
                span += "–" + c.date_to.strftime("%d.%m.%Y")
        parts.append(" ".join(x for x in (c.mark, TYPE_WORDS.get(c.type, f"typ {c.type}"), span) if x))
    return " | ".join(parts)


def weekdays(symbols: Iterable[str]) -> str:
    """Regular weekdays Monday..Sunday as 7 characters ('1' = runs), from the day symbols alone."""
    syms = set(symbols) & DAY_SYMBOLS
    if not syms:
        return "1111111"
    bits = ["0"] * 7
    for s in syms:
        if s == "X":
            bits[:5] = ["1"] * 5
        elif s == "+":
            bits[6] = "1"
        else:
            bits[int(s) - 1] = "1"
    return "".join(bits)


def calendar_key(dates: Sequence[dt.date]) -> str:
    """Stable key of a set of service dates: trips running on the same days share one calendar."""
    h = hashlib.sha1(",".join(d.isoformat() for d in sorted(dates)).encode()).hexdigest()
    return f"d{h[:16]}"
