"""Feeds the benchmark generates from a real one (or from nothing): the same feed ×k, a next version with
1 % of its trips changed, and a synthetic feed with many stops. Written as zips into a scratch folder."""

from __future__ import annotations

import csv
import io
import zipfile
from collections.abc import Iterator
from pathlib import Path


def _members(zf: zipfile.ZipFile) -> dict[str, str]:
    """GTFS file name → member name (skipping __MACOSX junk)."""
    return {Path(n).name: n for n in zf.namelist()
            if n.endswith(".txt") and "__MACOSX" not in n and not Path(n).name.startswith("._")}


def _rows(data: bytes) -> Iterator[list[str]]:
    yield from csv.reader(io.StringIO(data.decode("utf-8-sig"), newline=""))


def _write(rows) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue().encode()


def scaled(feed: Path, k: int, out: Path) -> Path:
    """The feed with every trip (and its stop_times and frequencies) repeated k times under new trip_ids, each
    copy in its own block (block_id with the same suffix): a copy is another vehicle's work. Copies left in their
    original's block would overlap their k - 1 siblings in time, and a network k times as large would be judged
    on k²/2 times as many block_trips_with_overlapping_stop_times notices (HART ×10: ~660,000), which real
    networks do not have."""
    with zipfile.ZipFile(feed) as zf, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as w:
        for name, member in _members(zf).items():
            data = zf.read(member)
            if name not in ("trips.txt", "stop_times.txt", "frequencies.txt"):
                w.writestr(name, data)
                continue
            rows = _rows(data)
            header = next(rows)
            body = [r for r in rows if r]
            ids = [header.index(c) for c in ("trip_id", "block_id") if c in header]
            with w.open(name, "w") as f:
                f.write(_write([header]))
                for i in range(k):
                    suffix = "" if i == 0 else f"~x{i}"
                    f.write(_write([[v + suffix if j in ids and v else v for j, v in enumerate(r)] for r in body]))
    return out


def changed(feed: Path, fraction: float, out: Path) -> tuple[Path, int]:
    """The next version of the feed: departure/arrival times of every (1/fraction)-th trip one minute later.
    Returns the zip and the number of trips changed."""
    step = max(1, round(1 / fraction))
    with zipfile.ZipFile(feed) as zf, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as w:
        members = _members(zf)
        trips = list(_rows(zf.read(members["trips.txt"])))
        ti = trips[0].index("trip_id")
        picked = {r[ti] for r in trips[1:][::step] if r}
        for name, member in members.items():
            data = zf.read(member)
            if name != "stop_times.txt":
                w.writestr(name, data)
                continue
            rows = _rows(data)
            header = next(rows)
            si, cols = header.index("trip_id"), [header.index(c) for c in ("arrival_time", "departure_time")
                                                  if c in header]
            out_rows = [header]
            for r in rows:
                if r and r[si] in picked:
                    r = list(r)
                    for c in cols:
                        if r[c].strip():
                            h, m, s = (int(x) for x in r[c].strip().split(":"))
                            t = h * 3600 + m * 60 + s + 60
                            r[c] = f"{t // 3600:02d}:{t % 3600 // 60:02d}:{t % 60:02d}"
                out_rows.append(r)
            w.writestr(name, _write(out_rows))
    return out, len(picked)


def many_stops(n_stops: int, out: Path) -> Path:
    """A synthetic feed with ``n_stops`` stops: a station per 10 stops (stops are its platforms), 20-stop
    trips that together call at every stop, one weekday calendar."""
    stations = n_stops // 10
    stops = [["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station"]]
    for s in range(stations):
        stops.append([f"S{s}", f"Station {s}", f"{50 + s % 100 / 1000:.5f}", f"{14 + s // 100 / 1000:.5f}", "1", ""])
    platforms = []
    for i in range(n_stops - stations):
        sid = f"P{i}"
        platforms.append(sid)
        st = i % stations
        stops.append([sid, f"Stop {i}", f"{50 + st % 100 / 1000 + 0.0001:.5f}", f"{14 + st // 100 / 1000:.5f}", "0",
                      f"S{st}" if i % 2 else ""])
    routes = [["route_id", "agency_id", "route_short_name", "route_type"]] + [[f"R{r}", "A", str(r), "3"]
                                                                             for r in range(100)]
    trips = [["route_id", "service_id", "trip_id"]]
    stop_times = [["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"]]
    per_trip = 20
    for t in range(0, len(platforms), per_trip):
        tid = f"T{t // per_trip}"
        trips.append([f"R{(t // per_trip) % 100}", "WD", tid])
        for j, sid in enumerate(platforms[t:t + per_trip]):
            hms = f"{6 + j // 60:02d}:{j % 60:02d}:00"
            stop_times.append([tid, hms, hms, sid, str(j + 1)])
    files = {
        "agency.txt": [["agency_id", "agency_name", "agency_url", "agency_timezone"],
                       ["A", "Bench", "https://example.org", "Europe/Prague"]],
        "stops.txt": stops, "routes.txt": routes, "trips.txt": trips, "stop_times.txt": stop_times,
        "calendar.txt": [["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                          "start_date", "end_date"], ["WD", "1", "1", "1", "1", "1", "0", "0", "20260101", "20261231"]],
    }
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED, compresslevel=1) as w:
        for name, rows in files.items():
            w.writestr(name, _write(rows))
    return out
