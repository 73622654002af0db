"""Demo fleet of the regional office in Ústí nad Labem: 21 electric cars over three sampled months
(January, April, July 2026: winter, spring and summer consumption) driving on the demo road network to
the towns of the region, charging at the depot wallboxes and at public stations.

Writes a vendor telemetry export (CSV, Czech headers, odometer in metres, naive local times, 15 s
records while the ignition is on), GPX tracks of the one car without a telematics unit, charging
sessions, the national register of public charging stations (extract), the region's own chargers, the
vehicle register, and truth files (trips with distance, energy and the public-transport offer;
charging sessions). Deterministic: a seeded random generator, the same files every run.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import random
from collections.abc import Iterator
from pathlib import Path
from zoneinfo import ZoneInfo

import holidays
from pyproj import Transformer
from shapely.geometry import LineString
from shapely.ops import linemerge

from demo import fleet_places as fp
from demo import fleet_truth
from demo.places import to_5514
from demo.road import network_sections

PRAGUE = ZoneInfo("Europe/Prague")
MONTHS = ((2026, 1), (2026, 4), (2026, 7))
INTERVAL_S = 15
TELEMETRY_SOURCE, SESSIONS_SOURCE = "fleet-kuuk-telemetry", "fleet-kuuk-charging-sessions"
REGISTER_SOURCE, DEPOT_SOURCE, VEHICLES_SOURCE = "fleet-charging-register", "fleet-kuuk-chargers", "fleet-kuuk-vehicles"
TELEMETRY_HEADER = ["vozidlo", "cas", "lat", "lon", "rychlost", "tachometr_m", "soc", "nabijeni"]
_TO_WGS = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)


def _xy(lat: float, lon: float) -> tuple[float, float]:
    return to_5514(lat, lon)


def _legs() -> dict[tuple[str, str, str], LineString]:
    by_leg: dict[tuple[str, str, str], list] = {}
    for s in network_sections():
        by_leg.setdefault((s["RN"], *s["leg"]), []).append((s["part"], s["geometry"]))
    return {k: linemerge([g for _p, g in sorted(v, key=lambda t: t[0])]) for k, v in by_leg.items()}


def route(dest: str, legs: dict) -> list[tuple[LineString, float]]:
    """(geometry, km/h) pieces from the depot to ``dest`` over the demo road network."""
    lat, lon, path = fp.DESTINATIONS[dest]
    pieces: list[tuple[LineString, float]] = []
    for road, a, b in path:
        if (road, a, b) in legs:
            g = legs[(road, a, b)]
        else:
            g = LineString(list(legs[(road, b, a)].coords)[::-1])
        pieces.append((g, fp.ROAD_SPEED[road]))
    start, end = _xy(fp.DEPOT[1], fp.DEPOT[2]), _xy(lat, lon)
    first, last = pieces[0][0].coords[0], pieces[-1][0].coords[-1]
    return [(LineString([start, first]), fp.TOWN_SPEED), *pieces, (LineString([last, end]), fp.TOWN_SPEED)]


def reverse(pieces: list[tuple[LineString, float]]) -> list[tuple[LineString, float]]:
    return [(LineString(list(g.coords)[::-1]), v) for g, v in reversed(pieces)]


class Car:
    def __init__(self, spec: tuple, index: int):
        self.id, self.registration, self.model, self.capacity, self.factor, self.p_use = spec
        self.odometer_m = 11_000_000 + index * 1_730_000
        self.soc = 70.0 + index % 4 * 5  # %
        self.gpx = self.id == fp.GPX_VEHICLE


def drive(car: Car, pieces, t0: dt.datetime, rng: random.Random, stop: tuple[float, float] | None
          ) -> tuple[list[tuple], dict]:
    """Records of one trip (departure standing record, 15 s moving records, an optional short stop on the
    way, arrival standing record) and its truth (distance, energy, times)."""
    pace = rng.uniform(0.9, 1.08)
    month = t0.month
    # Timeline of (duration s, geometry or None for a stop, speed km/h).
    timeline = []
    total_len = sum(g.length for g, _ in pieces)
    done = 0.0
    for g, v in pieces:
        if stop and done <= stop[0] * total_len < done + g.length:
            cut = stop[0] * total_len - done
            from shapely.ops import substring
            a, b = substring(g, 0, cut), substring(g, cut, g.length)
            timeline += [(a.length / (v * pace / 3.6), a, v * pace), (stop[1], None, 0.0),
                         (b.length / (v * pace / 3.6), b, v * pace)]
        else:
            timeline.append((g.length / (v * pace / 3.6), g, v * pace))
        done += g.length
    end_t = sum(d for d, _g, _v in timeline)
    records = []
    start_soc, start_odo = car.soc, car.odometer_m
    pos = pieces[0][0].coords[0]
    records.append((t0, pos, 0.0))
    k, seg_start, dist = 1, 0.0, 0.0
    last_d = 0.0
    for dur, g, v in timeline:
        while k * INTERVAL_S < seg_start + dur:
            tau = k * INTERVAL_S - seg_start
            if g is not None and g.length > 0:
                p = g.interpolate(tau * v / 3.6)
                pos, dist = (p.x, p.y), last_d + tau * v / 3.6
            records.append((t0 + dt.timedelta(seconds=k * INTERVAL_S), pos, v if g is not None else 0.0, dist))
            k += 1
        seg_start += dur
        if g is not None:
            last_d += g.length
            pos = g.coords[-1]
    t_end = t0 + dt.timedelta(seconds=math.floor(end_t) + 1)  # after the last 15 s record
    records.append((t_end, pos, 0.0, total_len))
    out = []
    prev_d = 0.0
    for rec in records:
        t, (x, y), v = rec[0], rec[1], rec[2]
        d = rec[3] if len(rec) > 3 else 0.0
        step_km = max(d - prev_d, 0.0) / 1000
        car.soc -= step_km * fp.BASE_KWH_PER_KM[month] * car.factor * (0.85 + (v or 50) / 300) / car.capacity * 100
        prev_d = d
        out.append((t, x + rng.gauss(0, 3), y + rng.gauss(0, 3), v * rng.uniform(0.95, 1.05) if v else 0.0,
                    start_odo + round(d), car.soc))
    car.odometer_m = start_odo + round(total_len)
    truth = {"started_at": t0, "ended_at": t_end, "distance_km": total_len / 1000,
             "energy_kwh": (start_soc - car.soc) / 100 * car.capacity}
    return out, truth


def working_days(year: int, month: int) -> list[dt.date]:
    cz = holidays.country_holidays("CZ", years=year)
    d = dt.date(year, month, 1)
    out = []
    while d.month == month:
        if d.weekday() < 5 and d not in cz:
            out.append(d)
        d += dt.timedelta(days=1)
    return out


def _safe_start(rng: random.Random, day: dt.date, hour_from: float, hour_to: float, origin, dest) -> dt.datetime:
    """A departure time whose nearest public-transport departure is clearly inside or outside ±30 min."""
    t = dt.datetime.combine(day, dt.time()) + dt.timedelta(minutes=round(rng.uniform(hour_from, hour_to) * 60))
    for _ in range(12):
        off = fleet_truth.nearest_offset(origin, dest, t, True)
        if off is None or not 24 <= off <= 36:
            break
        t += dt.timedelta(minutes=9)
    return t.replace(tzinfo=PRAGUE)


def _chosen(vehicle_id: str, index: int, vehicles) -> bool:
    """vehicles: None (all), a count (the first n) or a collection of ids (smaller demos for tests)."""
    if vehicles is None:
        return True
    return index < vehicles if isinstance(vehicles, int) else vehicle_id in vehicles


def simulate(vehicles=None, months=MONTHS, days: int | None = None) -> Iterator[tuple]:
    """Events in time order per car: ('rec', car, record) | ('trip', car, truth) | ('session', car, dict)."""
    legs = _legs()
    rng = random.Random(19)
    depot_ll = (fp.DEPOT[1], fp.DEPOT[2])
    stations = {s[0]: s for s in fp.PUBLIC_STATIONS}
    cars = [Car(spec, i) for i, spec in enumerate(fp.VEHICLES) if _chosen(spec[0], i, vehicles)]
    routes = {d: route(d, legs) for d in fp.DESTINATIONS}
    names = list(fp.WEIGHTS)
    for year, month in months:
        for day in working_days(year, month)[:days]:
            for car in cars:
                if rng.random() >= car.p_use:
                    continue
                rounds = 2 if rng.random() < 0.2 else 1
                earliest = rng.uniform(7.0, 10.5)
                for r in range(rounds):
                    pool = [n for n in names if not car.gpx or n in fp.NEAR]
                    dest = rng.choices(pool, weights=[fp.WEIGHTS[n] for n in pool])[0]
                    dest_ll = fp.DESTINATIONS[dest][:2]
                    t0 = _safe_start(rng, day, earliest, earliest + 0.5, depot_ll, dest_ll)
                    stop = (rng.uniform(0.3, 0.7), rng.uniform(120, 360)) if rng.random() < 0.3 else None
                    recs, truth = drive(car, routes[dest], t0, rng, stop)
                    yield from (("rec", car, x) for x in recs)
                    yield "trip", car, {**truth, "origin": fp.DEPOT[0], "destination": dest,
                                        "o": depot_ll, "d": dest_ll}
                    arrive = truth["ended_at"]
                    dwell = rng.uniform(45, 180) if r == rounds - 1 else rng.uniform(30, 75)
                    if car.soc < 40 and not car.gpx:
                        st = stations[fp.PUBLIC_FOR[dest]]
                        yield from _charge(car, st[0], (st[5], st[6]), arrive + dt.timedelta(minutes=10),
                                           min(st[8], 50.0), 85.0, 35, "public")
                        dwell = max(dwell, 60)
                    back_from = arrive + dt.timedelta(minutes=dwell)
                    t1 = _shift_return(back_from, dest_ll, depot_ll)
                    recs, truth = drive(car, reverse(routes[dest]), t1, rng, None)
                    yield from (("rec", car, x) for x in recs)
                    yield "trip", car, {**truth, "origin": dest, "destination": fp.DEPOT[0], "o": dest_ll,
                                        "d": depot_ll}
                    earliest = (truth["ended_at"] - dt.datetime.combine(day, dt.time(), PRAGUE)).total_seconds() / 3600 + 0.5
                if car.soc < 55:
                    charger = fp.DEPOT_CHARGERS[int(car.id[-2:]) % len(fp.DEPOT_CHARGERS)]
                    start = truth["ended_at"] + dt.timedelta(minutes=20)
                    yield from _charge(car, charger[0], (charger[2], charger[3]), start, charger[4], 90.0, None, "depot")


def _shift_return(t: dt.datetime, origin, dest) -> dt.datetime:
    for _ in range(12):
        off = fleet_truth.nearest_offset(origin, dest, t, True)
        if off is None or not 24 <= off <= 36:
            break
        t += dt.timedelta(minutes=9)
    return t.replace(second=0, microsecond=0)


def _charge(car: Car, point_id: str, ll, start: dt.datetime, kw: float, target: float, minutes: float | None,
            kind: str) -> Iterator[tuple]:
    need_kwh = (target - car.soc) / 100 * car.capacity
    hours = need_kwh / (kw * 0.92)
    if minutes is not None:
        hours = min(hours, minutes / 60)
    gained = hours * kw * 0.92
    end = start + dt.timedelta(seconds=round(hours * 3600))
    x, y = _xy(*ll)
    if not car.gpx:
        yield "rec", car, (start, x, y, 0.0, car.odometer_m, car.soc, True)
    car.soc += gained / car.capacity * 100
    if not car.gpx:
        yield "rec", car, (end, x, y, 0.0, car.odometer_m, car.soc, True)
    yield "session", car, {"point_id": point_id, "kind": kind, "start": start, "end": end, "kwh": gained / 0.92,
                           "ll": ll}


def _local(t: dt.datetime) -> str:
    return t.astimezone(PRAGUE).strftime("%Y-%m-%d %H:%M:%S")


def _ll(x: float, y: float) -> tuple[float, float]:
    lon, lat = _TO_WGS.transform(x, y)
    return round(lat, 6), round(lon, 6)


def _gpx(trips: list[list[tuple]], name: str) -> str:
    segs = []
    for trip in trips:
        pts = "".join(f'<trkpt lat="{lat}" lon="{lon}"><time>{t.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ")}'
                      "</time></trkpt>\n" for t, lat, lon in trip)
        segs.append(f"<trkseg>\n{pts}</trkseg>\n")
    return ('<?xml version="1.0" encoding="UTF-8"?>\n<gpx version="1.1" creator="demo phone logger" '
            f'xmlns="http://www.topografix.com/GPX/1/1">\n<trk><name>{name}</name>\n{"".join(segs)}</trk>\n</gpx>\n')


def generate(out_dir: Path, vehicles=None, months=MONTHS, days: int | None = None) -> dict:
    """Write the fleet demo into ``out_dir``; return catalog entries (the truth files stay in the folder)."""
    out_dir = Path(out_dir)
    tele = out_dir / "telemetrie"
    tele.mkdir(parents=True, exist_ok=True)
    files: dict[str, tuple] = {}
    gpx: dict[str, list[list[tuple]]] = {}
    trips, sessions = [], []
    current: list[tuple] = []
    try:
        for kind, car, item in simulate(vehicles, months, days):
            if kind == "rec":
                t, x, y, v, odo, soc, *charging = item
                month = t.astimezone(PRAGUE).strftime("%Y-%m")
                lat, lon = _ll(x, y)
                if car.gpx:
                    current.append((t, lat, lon))
                    continue
                if month not in files:
                    f = (tele / f"{month}.csv").open("w", newline="", encoding="utf-8")
                    w = csv.writer(f, delimiter=";", lineterminator="\r\n")
                    w.writerow(TELEMETRY_HEADER)
                    files[month] = (f, w)
                files[month][1].writerow([car.id, _local(t), f"{lat:.6f}", f"{lon:.6f}", f"{v:.1f}", odo,
                                          f"{soc:.1f}", 1 if charging and charging[0] else 0])
            elif kind == "trip":
                if car.gpx:
                    gpx.setdefault(item["started_at"].strftime("%Y-%m"), []).append(current)
                    current = []
                trips.append((car.id, item["started_at"].astimezone(dt.UTC).isoformat(),
                               item["ended_at"].astimezone(dt.UTC).isoformat(), round(item["distance_km"], 3),
                               "" if car.gpx else round(item["energy_kwh"], 3), item["origin"], item["destination"],
                               *_pt(item)))
            else:
                sessions.append((car.id, item))
    finally:
        for f, _w in files.values():
            f.close()
    for month, segs in sorted(gpx.items()):
        (tele / f"{fp.GPX_VEHICLE}_{month}.gpx").write_text(_gpx(segs, f"{fp.GPX_VEHICLE} {month}"), encoding="utf-8")
    _write_sessions(out_dir, sessions)
    _write_stations(out_dir)
    _write_vehicles(out_dir, vehicles)
    with (out_dir / "truth_trips.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["vehicle_id", "started_at", "ended_at", "distance_km", "energy_kwh", "origin", "destination",
                    "pt_servable", "pt_line", "pt_departure"])
        w.writerows(trips)
    return {"sources": catalog_entries(), "truth": []}


def _pt(item: dict) -> tuple:
    got = fleet_truth.best_journey(item["o"], item["d"], item["started_at"], True)
    if got is None:
        return 0, "", ""
    return 1, got[1], got[2].strftime("%Y-%m-%d %H:%M")


def _write_sessions(out_dir: Path, sessions: list[tuple[str, dict]]) -> None:
    with (out_dir / "nabijeni_relace.csv").open("w", newline="", encoding="utf-8") as f, \
            (out_dir / "truth_sessions.csv").open("w", newline="", encoding="utf-8") as t:
        w, tw = csv.writer(f, delimiter=";"), csv.writer(t)
        w.writerow(["relace", "vozidlo", "nabijeci_bod", "zacatek", "konec", "energie_kwh", "lat", "lon"])
        tw.writerow(["session_id", "vehicle_id", "point_id", "kind", "energy_kwh"])
        for n, (vid, s) in enumerate(sessions, start=1):
            sid = f"S{n:05d}"
            # Roaming exports of public sessions often carry only the station's position, not its id.
            roaming = s["kind"] == "public" and n % 2 == 0
            lat, lon = s["ll"]
            w.writerow([sid, vid, "" if roaming else s["point_id"], s["start"].isoformat(timespec="seconds"),
                        s["end"].isoformat(timespec="seconds"), f"{s['kwh']:.2f}".replace(".", ","),
                        f"{lat:.6f}" if roaming else "", f"{lon:.6f}" if roaming else ""])
            tw.writerow([sid, vid, s["point_id"], s["kind"], round(s["kwh"], 2)])


def _write_stations(out_dir: Path) -> None:
    with (out_dir / "nabijeci_stanice_cr.csv").open("w", newline="", encoding="utf-8-sig") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ID stanice", "Provozovatel", "Název", "Adresa", "Obec", "Zeměpisná šířka", "Zeměpisná délka",
                    "Konektory", "Výkon [kW]", "Počet nabíjecích bodů"])
        for sid, op, name, street, town, lat, lon, conn, kw, n in fp.PUBLIC_STATIONS:
            coord = ("" if lat is None else f"{lat:.6f}".replace(".", ","), "" if lon is None else f"{lon:.6f}".replace(".", ","))
            w.writerow([sid, op, name, street, town, *coord, conn, f"{kw:g}", n])
    with (out_dir / "nabijeci_body_kuuk.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["ID stanice", "Provozovatel", "Název", "Adresa", "Obec", "Zeměpisná šířka", "Zeměpisná délka",
                    "Konektory", "Výkon [kW]", "Počet nabíjecích bodů"])
        for pid, name, lat, lon, kw in fp.DEPOT_CHARGERS:
            w.writerow([pid, "Ústecký kraj", name, "Velká Hradební 3118/48", "Ústí nad Labem", f"{lat:.6f}",
                        f"{lon:.6f}", "Typ 2", f"{kw:g}", 1])


def _write_vehicles(out_dir: Path, vehicles) -> None:
    with (out_dir / "vozidla.csv").open("w", newline="", encoding="utf-8") as f:
        w = csv.writer(f, delimiter=";")
        w.writerow(["vozidlo", "spz", "model", "kapacita_kwh", "stredisko", "lat", "lon"])
        for i, spec in enumerate(fp.VEHICLES):
            if not _chosen(spec[0], i, vehicles):
                continue
            w.writerow([spec[0], spec[1], spec[2], f"{spec[3]:g}", fp.DEPOT[0], fp.DEPOT[1], fp.DEPOT[2]])


STATION_COLUMNS = {"id": "ID stanice", "operator": "Provozovatel", "name": "Název", "address": "Adresa",
                   "municipality": "Obec", "lat": "Zeměpisná šířka", "lon": "Zeměpisná délka",
                   "connectors": "Konektory", "power": "Výkon [kW]", "charge_points": "Počet nabíjecích bodů"}


def catalog_entries() -> list[dict]:
    owner = "Ústecký kraj, odbor dopravy a silničního hospodářství (demo)"
    return [
        {"id": VEHICLES_SOURCE, "family": "fleet", "format": "fleet-vehicles", "location": "vozidla.csv",
         "encoding": "UTF-8", "owner": owner, "schedule": "0 6 * * 1",
         "description": "Vehicle register of the regional office's 21 electric cars (demo).",
         "options": {"columns": {"id": "vozidlo", "registration": "spz", "model": "model", "battery_kwh": "kapacita_kwh",
                                 "depot": "stredisko", "lat": "lat", "lon": "lon"}}},
        {"id": REGISTER_SOURCE, "family": "fleet", "format": "charging-points", "location": "nabijeci_stanice_cr.csv",
         "encoding": "UTF-8", "owner": "Ministerstvo průmyslu a obchodu (demo extract)", "schedule": "0 3 * * 1",
         "description": "National register of public charging stations as published (Ústecký kraj extract, demo).",
         "options": {"columns": dict(STATION_COLUMNS), "access": "public"}},
        {"id": DEPOT_SOURCE, "family": "fleet", "format": "charging-points", "location": "nabijeci_body_kuuk.csv",
         "encoding": "UTF-8", "owner": owner, "schedule": "0 3 * * 1",
         "description": "The region's own chargers: wallboxes in the regional office's garage (demo).",
         "options": {"columns": dict(STATION_COLUMNS), "access": "private"}},
        {"id": TELEMETRY_SOURCE, "family": "fleet", "format": "fleet-telemetry", "location": "telemetrie",
         "encoding": "UTF-8", "owner": owner, "schedule": "0 2 1 * *",
         "description": "Telematics export of the fleet (15 s records with ignition on) and GPX tracks of the car "
                        "without a unit; January, April and July 2026 (demo).",
         "options": {"columns": {"vehicle": "vozidlo", "time": "cas", "speed": "rychlost", "odometer": "tachometr_m",
                                 "soc": "soc", "charging": "nabijeni"},
                     "units": {"odometer": "m", "speed": "km/h", "soc": "percent"}, "timezone": "Europe/Prague",
                     "trip_stop_min": 10, "retention_days": 3650, "network_source": "road-rsd-network",
                     "vehicles_source": VEHICLES_SOURCE}},
        {"id": SESSIONS_SOURCE, "family": "fleet", "format": "charging-sessions", "location": "nabijeni_relace.csv",
         "encoding": "UTF-8", "owner": owner, "schedule": "0 2 1 * *",
         "description": "Charging sessions from the depot charger backend and the public charging card (demo).",
         "options": {"columns": {"id": "relace", "vehicle": "vozidlo", "charger": "nabijeci_bod", "start": "zacatek",
                                 "end": "konec", "energy": "energie_kwh", "lat": "lat", "lon": "lon"},
                     "points_source": REGISTER_SOURCE, "depot_points_source": DEPOT_SOURCE}},
    ]
