"""Demo GTFS feed of the Ústí nad Labem city lines (DPmÚL): deterministic, small, realistic.

Lines 31 (bus, Hlavní nádraží – Severní Terasa), 41 (bus, Mírové náměstí – Krásné Březno via
Střekov), 52 and 53 (trolleybuses), Europe/Prague, a winter timetable from 2026-12-01 with the Czech
public holidays (from the ``holidays`` library) run to the Sunday timetable. Stop ids follow the
city's pole numbering (U<stop>Z<pole>); Hlavní nádraží is a station (U101S) with two poles.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import math
from pathlib import Path
from typing import Any

import holidays

from demo.archive import zip_members
from demo.places import BY_KEY

SOURCE_ID = "municipal-dpmul-gtfs"
FILE_NAME = "dpmul-gtfs.zip"
START = dt.date(2026, 12, 1)
END = dt.date(2027, 2, 28)
AGENCY = "DPMUL"

# place key → city stop number (U101 …)
STOPS: dict[str, int] = {
    "ul_hlavni_nadrazi": 101, "ul_mirove_namesti": 102, "ul_divadlo": 103, "ul_muzeum": 104,
    "ul_stara_posta": 105, "ul_klise_poliklinika": 106, "ul_strekov_nadrazi": 107, "ul_krasne_brezno": 108,
    "ul_severni_terasa": 109, "ul_skrivanek": 110, "ul_vanov": 111, "ul_zapad_nadrazi": 112,
}
# line: (short name, long name, route_type, colour, stops outbound)
LINES: tuple[tuple[str, str, int, str, tuple[str, ...]], ...] = (
    ("31", "Hlavní nádraží – Severní Terasa", 3, "1E63B5",
     ("ul_hlavni_nadrazi", "ul_muzeum", "ul_mirove_namesti", "ul_divadlo", "ul_stara_posta",
      "ul_klise_poliklinika", "ul_severni_terasa")),
    ("41", "Mírové náměstí – Krásné Březno", 3, "2E8B57",
     ("ul_mirove_namesti", "ul_muzeum", "ul_hlavni_nadrazi", "ul_strekov_nadrazi", "ul_krasne_brezno")),
    ("52", "Západní nádraží – Vaňov", 11, "C8102E",
     ("ul_zapad_nadrazi", "ul_klise_poliklinika", "ul_stara_posta", "ul_divadlo", "ul_mirove_namesti",
      "ul_hlavni_nadrazi", "ul_vanov")),
    ("53", "Skřivánek – Hlavní nádraží", 11, "F39C12",
     ("ul_skrivanek", "ul_severni_terasa", "ul_divadlo", "ul_mirove_namesti", "ul_hlavni_nadrazi")),
)
# service: (id, calendar weekdays Mon..Sun, first departure h, last departure h, headway min)
SERVICES = (("PD", "1111100", 5, 23, 30), ("SO", "0000010", 6, 22, 60), ("NE", "0000001", 6, 22, 60))


def _pole(key: str, direction: int) -> tuple[str, float, float]:
    """Stop id and position of a pole: the two directions stand ~15 m either side of the place."""
    p = BY_KEY[key]
    off = 0.00012 if direction == 0 else -0.00012
    return f"U{STOPS[key]}Z{direction + 1}", round(p.lat + off, 6), round(p.lon + off / 2, 6)


def _dist_m(a: tuple[float, float], b: tuple[float, float]) -> float:
    lat = math.radians((a[0] + b[0]) / 2)
    return math.hypot((b[0] - a[0]) * 111_320, (b[1] - a[1]) * 111_320 * math.cos(lat))


def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _csv(rows: list[list[Any]]) -> bytes:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\r\n").writerows(rows)
    return buf.getvalue().encode("utf-8")


def build_feed() -> dict[str, list[list[Any]]]:
    """The feed's tables as rows (header first); deterministic."""
    stops = [["stop_id", "stop_code", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station",
              "wheelchair_boarding", "platform_code"]]
    hn = BY_KEY["ul_hlavni_nadrazi"]
    stops.append(["U101S", "", hn.city_name, hn.lat, hn.lon, 1, "", 1, ""])
    for key in STOPS:
        for d in (0, 1):
            sid, lat, lon = _pole(key, d)
            parent = "U101S" if key == "ul_hlavni_nadrazi" else ""
            stops.append([sid, sid[1:], BY_KEY[key].city_name, lat, lon, 0, parent, 1, str(d + 1)])
    routes = [["route_id", "agency_id", "route_short_name", "route_long_name", "route_type", "route_color",
               "route_text_color"]]
    trips = [["route_id", "service_id", "trip_id", "trip_headsign", "direction_id", "shape_id",
              "wheelchair_accessible"]]
    stop_times = [["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence", "shape_dist_traveled",
                   "timepoint"]]
    shapes = [["shape_id", "shape_pt_lat", "shape_pt_lon", "shape_pt_sequence", "shape_dist_traveled"]]
    for short, long_name, rtype, colour, path in LINES:
        route_id = f"L{short}"
        routes.append([route_id, AGENCY, short, long_name, rtype, colour, "FFFFFF"])
        for direction in (0, 1):
            seq = path if direction == 0 else tuple(reversed(path))
            poles = [_pole(k, direction) for k in seq]
            shape_id = f"{route_id}-{direction}"
            # Shape: the poles plus a point between each pair, slightly off the straight line (streets bend).
            dist, n = 0.0, 0
            prev = None
            cum = []
            for i, (_, lat, lon) in enumerate(poles):
                pts = [(lat, lon)]
                if i + 1 < len(poles):
                    nlat, nlon = poles[i + 1][1], poles[i + 1][2]
                    pts.append((round((lat + nlat) / 2 + 0.0002, 6), round((lon + nlon) / 2 - 0.0002, 6)))
                for j, pt in enumerate(pts):
                    if prev is not None:
                        dist += _dist_m(prev, pt)
                    if j == 0:
                        cum.append(dist)
                    n += 1
                    shapes.append([shape_id, pt[0], pt[1], n, round(dist, 1)])
                    prev = pt
            # Running times: 22 km/h between poles (×1.2 for street detours), rounded to the minute.
            run = [0]
            for a, b in zip(cum, cum[1:], strict=False):
                run.append(run[-1] + max(60, round((b - a) * 1.2 / (22 / 3.6) / 60) * 60))
            headsign = BY_KEY[seq[-1]].city_name
            for service, _days, first_h, last_h, headway in SERVICES:
                offset = {"31": 0, "41": 10, "52": 5, "53": 20}[short] + direction * 7
                t = first_h * 3600 + offset * 60
                k = 0
                while t <= last_h * 3600:
                    k += 1
                    trip_id = f"{route_id}-{service}-{direction}-{k:03d}"
                    trips.append([route_id, service, trip_id, headsign, direction, shape_id, 1])
                    for i, (sid, _, _) in enumerate(poles):
                        at = t + run[i]
                        stop_times.append([trip_id, _hms(at), _hms(at), sid, i + 1, round(cum[i], 1), 1])
                    t += headway * 60
    calendar = [["service_id", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday",
                 "start_date", "end_date"]]
    for service, days, *_ in SERVICES:
        calendar.append([service, *days, START.strftime("%Y%m%d"), END.strftime("%Y%m%d")])
    calendar_dates = [["service_id", "date", "exception_type"]]
    cz = holidays.country_holidays("CZ", years=range(START.year, END.year + 1))
    for day in sorted(d for d in cz if START <= d <= END):
        regular = next(s for s, days, *_ in SERVICES if days[day.weekday()] == "1")
        if regular != "NE":  # holidays run to the Sunday timetable
            ymd = day.strftime("%Y%m%d")
            calendar_dates += [[regular, ymd, 2], ["NE", ymd, 1]]
    return {
        "agency": [["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang"],
                   [AGENCY, "Dopravní podnik města Ústí nad Labem, a.s.", "https://www.dpmul.cz", "Europe/Prague",
                    "cs"]],
        "stops": stops, "routes": routes, "trips": trips, "stop_times": stop_times, "shapes": shapes,
        "calendar": calendar, "calendar_dates": calendar_dates,
        "feed_info": [["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date", "feed_end_date",
                       "feed_version"],
                      ["Dopravní podnik města Ústí nad Labem, a.s.", "https://www.dpmul.cz", "cs",
                       START.strftime("%Y%m%d"), END.strftime("%Y%m%d"), f"DPMUL-{START:%Y%m%d}"]],
    }


def write_zip(path: Path) -> dict[str, list[list[Any]]]:
    """Write the feed as a zip whose bytes are identical on every run (fixed timestamps)."""
    feed = build_feed()
    zip_members(path, ((f"{name}.txt", _csv(rows)) for name, rows in feed.items()), (2026, 11, 20, 0, 0, 0))
    return feed


def generate(out_dir: Path) -> dict[str, Any]:
    """Write dpmul-gtfs.zip into ``out_dir``; return its catalog entry and the stop truth tuples."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_zip(out_dir / FILE_NAME)
    truth = [(SOURCE_ID, "U101S", "ul_hlavni_nadrazi")]
    for key in STOPS:
        truth += [(SOURCE_ID, _pole(key, d)[0], key) for d in (0, 1)]
    source = {
        "id": SOURCE_ID, "family": "municipal", "format": "gtfs", "location": FILE_NAME, "crs": "EPSG:4326",
        "encoding": "UTF-8", "owner": "Dopravní podnik města Ústí nad Labem, a.s. (DPmÚL)",
        "schedule": "0 4 * * *",
        "description": "City bus and trolleybus lines of Ústí nad Labem (demo GTFS: lines 31, 41, 52, 53; "
                       "winter timetable from 2026-12-01 with Czech holidays).",
        "options": {"max_reject_ratio": 0.05, "retain_versions": 3},
    }
    return {"sources": [source], "truth": truth}
