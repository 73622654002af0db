"""One checked batch's records → stops, trips with service dates, and calls. Pure: the loader feeds
it records and writes what it returns; problems come back as (file stem, line, code, message)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from transport_etl.formats.jdf.calendar import (
    RangeReversed,
    TimeCode,
    calendar_key,
    check_range,
    describe,
    parse_date,
    service_dates,
    weekdays,
)
from transport_etl.formats.jdf.reader import Record, stop_name
from transport_etl.formats.jdf.stoptimes import trip_calls
from transport_etl.problems import Problem

# Horizon for a line without a timetable end date (optional in 1.10): one year from its start.
OPEN_END_DAYS = 365


def _problem(stem: str, line_no: int | None, code: str, message: str, severity: str = "WARNING",
             raw: str | None = None) -> Problem:
    """A Problem whose file is the JDF table's stem (the loader maps it to the path inside the batch)."""
    return Problem(code, message, file_name=stem, line_no=line_no, severity=severity, raw=raw)


@dataclass
class Derived:
    stops: list[dict] = field(default_factory=list)
    trips: list[dict] = field(default_factory=list)
    calendar_days: dict[str, list[dt.date]] = field(default_factory=dict)
    calls: list[dict] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)
    valid_from: dt.date | None = None
    valid_to: dt.date | None = None


def place_key(name: str, district: str | None, country: str | None) -> str:
    """Identity of a JDF stop across batches and versions: batch-local numbers are not stable."""
    return f"{name}|{district or ''}|{country or 'CZ'}"


def uses_register_numbers(stops: list[Record], has_posts: bool, option: str = "auto") -> bool:
    """Whether stop numbers are CIS JŘ register (CRZ) numbers rather than batch-local 1..N."""
    if option in ("register", "local"):
        return option == "register"
    nums = []
    for r in stops:
        try:
            nums.append(int(r.values["stop_no"] or ""))
        except ValueError:
            return False
    if not nums:
        return False
    return has_posts or sorted(nums) != list(range(1, len(nums) + 1))


def _symbols(rec: Record, cols: tuple[str, ...], codes: dict[str, str], stem: str, problems: list[Problem]) -> list[str]:
    out = []
    for c in cols:
        n = rec.values.get(c)
        if n is None:
            continue
        sym = codes.get(n)
        if sym is None:
            problems.append(_problem(stem, rec.line_no, "jdf_unknown_fixed_code",
                                    f"fixed code {n} is not in Pevnykod.txt; ignored"))
            continue
        out.append(sym)
    return out


def derive(recs: dict[str, list[Record]], stop_numbers: str = "auto", holidays_of: str | None = None) -> Derived:
    """Stops, trips (with service dates) and calls of one batch from its parsed records."""
    out = Derived()
    codes = {r.values["code_no"]: r.values["symbol"] for r in recs.get("pevnykod", []) if r.values["code_no"]}

    # Stops.
    stop_recs = recs.get("zastavky", [])
    register = uses_register_numbers(stop_recs, bool(recs.get("oznacniky")), stop_numbers)
    stop_name_of: dict[str, str] = {}
    for r in stop_recs:
        v = r.values
        name = stop_name(v["town"], v["part"], v["place"])
        district = v["nearby_town"] if v["nearby_town"] and len(v["nearby_town"]) == 2 else None
        key = place_key(name, district, v["country"])
        stop_name_of[v["stop_no"]] = name  # type: ignore[index]
        out.stops.append({"stop_no": v["stop_no"], "place_key": key, "name": name, "town": v["town"],
                          "district_code": district, "country": v["country"] or "CZ",
                          "register_no": v["stop_no"] if register else None, "line_no": r.line_no})

    # Lines and their validity.
    validity: dict[tuple[str, str], tuple[dt.date, dt.date]] = {}
    for r in recs.get("linky", []):
        v = r.values
        try:
            start = parse_date(v["valid_from"])
            end = parse_date(v["valid_to"])
            check_range(start, end, "timetable validity")
        except RangeReversed as exc:
            out.problems.append(_problem("linky", r.line_no, exc.code, f"{exc}: the line would have no service "
                                         "day", "REJECT", r.raw))
            continue
        except ValueError as exc:
            out.problems.append(_problem("linky", r.line_no, "invalid_date", str(exc), "REJECT", r.raw))
            continue
        if start is None:
            out.problems.append(_problem("linky", r.line_no, "missing_required_field",
                                        "line has no timetable start date", "REJECT", r.raw))
            continue
        if end is None:
            end = start + dt.timedelta(days=OPEN_END_DAYS)
            out.problems.append(_problem("linky", r.line_no, "jdf_open_validity",
                                        f"no timetable end date: service days generated until {end}", "INFO"))
        validity[(v["line_code"], v["line_distinction"])] = (start, end)  # type: ignore[index]
        out.valid_from = min(filter(None, (out.valid_from, start)))
        out.valid_to = max(filter(None, (out.valid_to, end)))

    # Time codes per trip.
    timecodes: dict[tuple[str, str, str], list[TimeCode]] = defaultdict(list)
    for r in recs.get("caskody", []):
        v = r.values
        try:
            tc = TimeCode(v["type"], parse_date(v["date_from"]), parse_date(v["date_to"]), v["mark"], v["note"])
        except RangeReversed as exc:
            out.problems.append(_problem("caskody", r.line_no, exc.code, str(exc), "REJECT", r.raw))
            continue
        except ValueError as exc:
            out.problems.append(_problem("caskody", r.line_no, "invalid_date", str(exc), "REJECT", r.raw))
            continue
        if tc.type is not None and (tc.type not in "12345678" or len(tc.type) != 1):
            out.problems.append(_problem("caskody", r.line_no, "jdf_invalid_timecode_type",
                                        f"time-code type {tc.type!r} is not 1-8", "REJECT", r.raw))
            continue
        if tc.type in ("1", "2", "3", "4", "7", "8") and tc.date_from is None:
            out.problems.append(_problem("caskody", r.line_no, "missing_required_field",
                                        f"time-code type {tc.type} without a date", "REJECT", r.raw))
            continue
        timecodes[(v["line_code"], v["line_distinction"], v["trip_no"])].append(tc)  # type: ignore[index]

    # Line stop defaults (Zaslinky codes) per (line, dist) → tariff → symbols.
    line_syms: dict[tuple[str, str], dict[int, list[str]]] = defaultdict(dict)
    for r in recs.get("zaslinky", []):
        v = r.values
        syms = _symbols(r, ("code1", "code2", "code3"), codes, "zaslinky", out.problems)
        if syms:
            line_syms[(v["line_code"], v["line_distinction"])][int(v["tariff_no"])] = syms  # type: ignore[arg-type,index]

    # Stop times grouped per trip.
    rows_of: dict[tuple[str, str, str], list[dict]] = defaultdict(list)
    for r in recs.get("zasspoje", []):
        v = r.values
        if v["stop_no"] not in stop_name_of:
            out.problems.append(_problem("zasspoje", r.line_no, "foreign_key_violation",
                                        f"stop {v['stop_no']} is not in Zastavky.txt", "REJECT", r.raw))
            continue
        row = dict(v)
        row["symbols"] = _symbols(r, ("code1", "code2", "code3"), codes, "zasspoje", out.problems)
        row["line_no"] = r.line_no
        row["raw"] = r.raw
        rows_of[(v["line_code"], v["line_distinction"], v["trip_no"])].append(row)  # type: ignore[index]

    # Trips. Their dates once per distinct rule (symbols, time codes, validity): a line's trips share a few, and
    # a year of days per trip cost ~2 ms (40,000 calls in 2,000 trips: 3.9 s of a 10.8 s load).
    dates_of: dict[tuple, tuple[list[dt.date], str]] = {}
    trip_keys = set()
    for r in recs.get("spoje", []):
        v = r.values
        line_key = (v["line_code"], v["line_distinction"])
        key = (*line_key, v["trip_no"])
        trip_keys.add(key)
        if line_key not in validity:
            out.problems.append(_problem("spoje", r.line_no, "foreign_key_violation",
                                        f"line {line_key[0]}/{line_key[1]} is not in Linky.txt", "REJECT", r.raw))
            continue
        syms = _symbols(r, tuple(f"code{i}" for i in range(1, 11)), codes, "spoje", out.problems)
        tcs = timecodes.get(key, [])
        start, end = validity[line_key]
        rule = (frozenset(syms), tuple(tcs), start, end)
        if rule not in dates_of:
            found = service_dates(syms, tcs, start, end, holidays_of)
            dates_of[rule] = (found, calendar_key(found))
        dates, ck = dates_of[rule]
        if not dates:
            out.problems.append(_problem("spoje", r.line_no, "jdf_trip_never_runs",
                                        "the trip's codes leave no day within the line's validity", "INFO"))
        try:
            even = int(v["trip_no"] or "") % 2 == 0  # type: ignore[arg-type]
        except ValueError:
            out.problems.append(_problem("spoje", r.line_no, "invalid_trip_number",
                                        f"trip number {v['trip_no']!r} is not a number", "REJECT", r.raw))
            continue
        tc = trip_calls(rows_of.get(key, []), even, line_syms.get(line_key))
        out.problems.extend(tc.problems)
        stopping = [c for c in tc.calls if not c.passes]
        if len(stopping) < 2:
            out.problems.append(_problem("spoje", r.line_no, "jdf_trip_too_few_stops",
                                        f"trip {key[2]} of line {key[0]} has {len(stopping)} timed stop(s): "
                                        "not published", "WARNING"))
            continue
        out.calendar_days.setdefault(ck, dates)
        out.trips.append({
            "line_code": key[0], "line_distinction": key[1], "trip_no": key[2], "calendar_key": ck,
            "description": describe(syms, tcs), "weekdays": weekdays(syms),
            "headsign": stop_name_of.get(stopping[-1].stop_no),
            "wheelchair_accessible": 1 if "@" in syms else 0, "bikes_allowed": 1 if "O" in syms else 0,
            "line_no": r.line_no,
        })
        for c in tc.calls:
            out.calls.append({
                "line_code": key[0], "line_distinction": key[1], "trip_no": key[2], "sequence": c.sequence,
                "tariff_no": c.tariff_no, "stop_no": c.stop_no, "post_code": c.post_code,
                "arrival_s": c.arrival_s, "departure_s": c.departure_s, "distance_m": c.distance_m,
                "pickup_type": c.pickup_type, "drop_off_type": c.drop_off_type, "line_no": c.line_no,
            })
    for key, rows in rows_of.items():
        if key not in trip_keys:
            for row in rows:
                out.problems.append(_problem("zasspoje", row["line_no"], "foreign_key_violation",
                                            f"trip {key[2]} of line {key[0]}/{key[1]} is not in Spoje.txt", "REJECT",
                                            row["raw"]))
    return out
