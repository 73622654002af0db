"""Demo data beyond timetables: a nextbike-like GBFS system for Most, parking occupancy for Ústí
nad Labem (CSV with Czech column names and a column mapping) and a short GTFS-Realtime sequence
for the demo municipal GTFS feed (trip ids read from the zip that demo.municipal
generates). Deterministic: fixed times, no randomness."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import tempfile
import zipfile
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from demo import shared_mobility
from demo.shared_mobility import write_free_floating

GBFS_SOURCE = "municipal-nextbike-most-gbfs"
PARKING_SOURCE = "municipal-usti-parking"
RT_SOURCE = "municipal-dpmul-gtfs-rt"
PRAGUE = ZoneInfo("Europe/Prague")
LAST_UPDATED = 1_772_442_000  # 2026-03-02 09:00:00 UTC = 10:00 in Most

# (station_id, name, lat, lon, capacity, bikes, place_key or None). Stations at places of places.py
# sit ~20 m from the stop, as bike racks do.
MOST_STATIONS = [
    ("5612301", "Most, 1. náměstí", 50.50318, 13.63645, 12, 5, "mo_namesti"),
    ("5612302", "Most, nádraží", 50.50842, 13.64430, 15, 7, "mo_nadrazi"),
    ("5612303", "Most, Repre", 50.50520, 13.63810, 10, 2, None),
    ("5612304", "Most, kostel Nanebevzetí P. Marie", 50.51080, 13.63660, 8, 0, None),
    ("5612305", "Most, Aquadrom", 50.49960, 13.64310, 10, 4, None),
    ("5612306", "Most, Nemocnice", 50.49410, 13.62810, 8, 1, None),
    ("5612307", "Litvínov, nám. Míru", 50.60030, 13.61110, 10, 3, "mo_litvinov_namesti"),
]
FREE_BIKES = [("881203", 50.50210, 13.63150), ("881247", 50.50690, 13.64020)]

# Ústí nad Labem car parks near Mírové náměstí, the main station and Forum (positions approximate).
USTI_PARKING = [
    ("UL-P01", "Parkoviště Mírové náměstí (Hradební)", 50.66150, 14.03420, 110, "ul_mirove_namesti"),
    ("UL-P02", "P+R Hlavní nádraží", 50.65890, 14.04380, 180, "ul_hlavni_nadrazi"),
    ("UL-P03", "Parkovací dům OC Forum", 50.65990, 14.04020, 620, None),
    ("UL-P04", "Parkoviště Divadlo (Lidické náměstí)", 50.66250, 14.03740, 60, "ul_divadlo"),
    ("UL-P05", "Parkoviště Muzeum (Masarykova)", 50.65910, 14.03690, 45, "ul_muzeum"),
]
# Share of places taken at 07:00 … 10:00 of the demo day, per car park.
OCCUPANCY = {"UL-P01": (0.55, 0.82, 0.95, 0.97), "UL-P02": (0.40, 0.71, 0.78, 0.80),
             "UL-P03": (0.05, 0.12, 0.25, 0.41), "UL-P04": (0.30, 0.52, 0.66, 0.70),
             "UL-P05": (0.62, 0.91, 1.00, 0.98)}


def _gbfs_doc(data: dict[str, Any]) -> str:
    return json.dumps({"last_updated": LAST_UPDATED, "ttl": 60, "version": "2.3", "data": data},
                      ensure_ascii=False, indent=1)


def write_gbfs(folder: Path) -> list[tuple[str, str, str]]:
    """A GBFS 2.3 system like gbfs.nextbike.net/maps/gbfs/v2/nextbike_uo, with relative feed URLs."""
    folder.mkdir(parents=True, exist_ok=True)
    feeds = ["system_information", "station_information", "station_status", "free_bike_status", "vehicle_types"]
    files = {
        "gbfs": {lang: {"feeds": [{"name": f, "url": f"{f}.json"} for f in feeds]} for lang in ("cs", "en")},
        "system_information": {"system_id": "nextbike_uo", "language": "cs", "name": "nextbike Most",
                               "operator": "nextbike Czech Republic s.r.o.", "url": "https://www.nextbikeczech.com",
                               "timezone": "Europe/Prague"},
        "vehicle_types": {"vehicle_types": [{"vehicle_type_id": "196", "form_factor": "bicycle",
                                             "propulsion_type": "human", "name": "nextbike classic"}]},
        "station_information": {"stations": [
            {"station_id": sid, "name": name, "short_name": sid[-4:], "lat": lat, "lon": lon, "capacity": cap,
             "region_id": "uo"} for sid, name, lat, lon, cap, _b, _p in MOST_STATIONS]},
        "station_status": {"stations": [
            {"station_id": sid, "num_bikes_available": bikes, "num_docks_available": cap - bikes,
             "is_installed": True, "is_renting": True, "is_returning": True, "last_reported": LAST_UPDATED - 45,
             "vehicle_types_available": [{"vehicle_type_id": "196", "count": bikes}]}
            for sid, _n, _la, _lo, cap, bikes, _p in MOST_STATIONS]},
        "free_bike_status": {"bikes": [{"bike_id": b, "lat": lat, "lon": lon, "is_reserved": False,
                                        "is_disabled": False, "vehicle_type_id": "196"} for b, lat, lon in FREE_BIKES]},
    }
    for name, data in files.items():
        (folder / f"{name}.json").write_text(_gbfs_doc(data), encoding="utf-8")
    return [(GBFS_SOURCE, sid, place) for sid, *_rest, place in MOST_STATIONS if place]


def write_parking(path: Path) -> list[tuple[str, str, str]]:
    day = dt.datetime(2026, 3, 2, tzinfo=PRAGUE)
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", lineterminator="\n")
    w.writerow(["ID_PARKOVISTE", "NAZEV", "KAPACITA", "VOLNA_MISTA", "CAS_AKTUALIZACE", "ZEM_SIRKA", "ZEM_DELKA"])
    for hour_i, hour in enumerate((7, 8, 9, 10)):
        for pid, name, lat, lon, cap, _place in USTI_PARKING:
            taken = round(cap * OCCUPANCY[pid][hour_i])
            w.writerow([pid, name, cap, cap - taken, (day + dt.timedelta(hours=hour)).strftime("%Y-%m-%d %H:%M"),
                        f"{lat:.5f}".replace(".", ","), f"{lon:.5f}".replace(".", ",")])
    path.write_text(buf.getvalue(), encoding="utf-8")
    return []  # car parks are not stops: no stop truth


PARKING_COLUMNS = {"id": "ID_PARKOVISTE", "name": "NAZEV", "capacity": "KAPACITA", "free": "VOLNA_MISTA",
                   "timestamp": "CAS_AKTUALIZACE", "lat": "ZEM_SIRKA", "lon": "ZEM_DELKA"}


def _service_date(zf: zipfile.ZipFile, service_id: str) -> dt.date | None:
    """A date the service runs on: the first weekday of calendar.txt, else the first added date."""
    names = set(zf.namelist())
    if "calendar.txt" in names:
        for row in csv.DictReader(io.StringIO(zf.read("calendar.txt").decode("utf-8-sig"))):
            if row["service_id"] != service_id:
                continue
            d = dt.datetime.strptime(row["start_date"], "%Y%m%d").date()
            end = dt.datetime.strptime(row["end_date"], "%Y%m%d").date()
            days = ["monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday"]
            while d <= end:
                if row[days[d.weekday()]] == "1":
                    return d
                d += dt.timedelta(days=1)
    if "calendar_dates.txt" in names:
        for row in csv.DictReader(io.StringIO(zf.read("calendar_dates.txt").decode("utf-8-sig"))):
            if row["service_id"] == service_id and row.get("exception_type") == "1":
                return dt.datetime.strptime(row["date"], "%Y%m%d").date()
    return None


def _secs(hms: str) -> int:
    h, m, s = (int(x) for x in hms.split(":"))
    return h * 3600 + m * 60 + s


def write_rt_sequence(static_zip: Path, folder: Path, trips_wanted: int = 3, steps: int = 3) -> list[str]:
    """Trip updates + vehicle positions for the first trips of a GTFS zip, every 30 s while they
    run, plus one service alert on the first route; returns the trip ids used."""
    from google.transit import gtfs_realtime_pb2 as pb

    folder.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(static_zip) as zf:
        def rows(name: str):
            return csv.DictReader(io.StringIO(zf.read(name).decode("utf-8-sig")))

        stops = {r["stop_id"]: (float(r["stop_lat"]), float(r["stop_lon"])) for r in rows("stops.txt")
                 if r.get("stop_lat")}
        trips = [r for r in rows("trips.txt")][:trips_wanted]
        wanted = {t["trip_id"] for t in trips}
        times: dict[str, list[dict]] = {}
        for r in rows("stop_times.txt"):
            if r["trip_id"] in wanted:
                times.setdefault(r["trip_id"], []).append(r)
        dates = {t["trip_id"]: _service_date(zf, t["service_id"]) for t in trips}
        tz = ZoneInfo(next(rows("agency.txt"), {}).get("agency_timezone") or "Europe/Prague")
    trips = [t for t in trips if dates[t["trip_id"]] and times.get(t["trip_id"])]
    if not trips:
        return []
    for st in times.values():
        st.sort(key=lambda r: int(r["stop_sequence"]))

    def at(trip_id: str, secs: int) -> float:
        d = dates[trip_id]
        noon = dt.datetime(d.year, d.month, d.day, 12, tzinfo=tz)
        return (noon - dt.timedelta(hours=12) + dt.timedelta(seconds=secs)).timestamp()

    # The moment of the sequence: one third into the first trip, so it is running.
    first = times[trips[0]["trip_id"]]
    t_start = _secs(first[0]["departure_time"] or first[0]["arrival_time"])
    t_end = _secs(first[-1]["arrival_time"] or first[-1]["departure_time"])
    base = int(at(trips[0]["trip_id"], t_start + (t_end - t_start) // 3))
    for step in range(steps):
        ts = base + 30 * step
        m = pb.FeedMessage()
        m.header.gtfs_realtime_version = "2.0"
        m.header.incrementality = pb.FeedHeader.FULL_DATASET
        m.header.timestamp = ts
        for i, trip in enumerate(trips):
            tid = trip["trip_id"]
            delay = 60 * (i + 1) + 20 * step  # each trip a little later, growing over the sequence
            e = m.entity.add(id=f"tu-{tid}")
            e.trip_update.trip.trip_id = tid
            e.trip_update.trip.route_id = trip["route_id"]
            e.trip_update.trip.start_date = dates[tid].strftime("%Y%m%d")
            e.trip_update.timestamp = ts
            e.trip_update.vehicle.id = f"DPMUL-{101 + i}"
            for st in times[tid]:
                u = e.trip_update.stop_time_update.add(stop_sequence=int(st["stop_sequence"]), stop_id=st["stop_id"])
                if st.get("arrival_time"):
                    u.arrival.time = int(at(tid, _secs(st["arrival_time"]))) + delay
                if st.get("departure_time"):
                    u.departure.time = int(at(tid, _secs(st["departure_time"]))) + delay
            lat, lon = stops.get(times[tid][len(times[tid]) // 2]["stop_id"], (None, None))
            if lat is not None:
                v = m.entity.add(id=f"vp-{tid}")
                v.vehicle.trip.trip_id = tid
                v.vehicle.vehicle.id = f"DPMUL-{101 + i}"
                v.vehicle.position.latitude, v.vehicle.position.longitude = lat, lon
                v.vehicle.timestamp = ts - 5
        if step == 0:
            a = m.entity.add(id="alert-1")
            a.alert.effect = pb.Alert.DETOUR
            a.alert.cause = pb.Alert.CONSTRUCTION
            a.alert.header_text.translation.add(text="Objížďka kvůli opravě vozovky", language="cs")
            a.alert.active_period.add(start=base - 3600, end=base + 8 * 3600)
            a.alert.informed_entity.add(route_id=trips[0]["route_id"])
            a.alert.informed_entity.add(stop_id=times[trips[0]["trip_id"]][1]["stop_id"])
        (folder / f"{step:02d}-{ts}.pb").write_bytes(m.SerializeToString())
    return [t["trip_id"] for t in trips]


def _municipal_static() -> tuple[str, Path, tempfile.TemporaryDirectory] | None:
    """(static source id, zip) of the demo municipal GTFS feed, generated afresh; None if absent."""
    import importlib

    try:
        municipal = importlib.import_module("demo.municipal")
    except ModuleNotFoundError as exc:
        if exc.name != "demo.municipal":
            raise
        return None
    tmp = tempfile.TemporaryDirectory(prefix="demo_municipal_")
    made = municipal.generate(Path(tmp.name))
    for s in made.get("sources", []):
        if s.get("format") == "gtfs" and str(s.get("location", "")).endswith(".zip"):
            return s["id"], Path(tmp.name) / s["location"], tmp
    tmp.cleanup()
    return None


def generate(out_dir: Path) -> dict[str, Any]:
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    truth = write_gbfs(out_dir / "gbfs-most")
    write_parking(out_dir / "parkoviste-usti.csv")
    sources: list[dict[str, Any]] = [
        {"id": GBFS_SOURCE, "family": "municipal", "format": "gbfs", "location": "gbfs-most/gbfs.json",
         "crs": "EPSG:4326", "encoding": "UTF-8", "owner": "nextbike Czech Republic s.r.o.",
         "schedule": "0 4 * * *",
         "description": "Bike sharing in Most (demo copy of a GBFS 2.3 system like nextbike_uo); the station "
                        "layer loads daily, station_status is polled every minute by the poll sensor.",
         "options": {"poll_interval_s": 60, "retention_days": 30, "timeout_s": 10}},
        {"id": PARKING_SOURCE, "family": "municipal", "format": "parking", "location": "parkoviste-usti.csv",
         "crs": "EPSG:4326", "encoding": "UTF-8", "owner": "Statutární město Ústí nad Labem",
         "schedule": "*/15 * * * *",
         "description": "Car park occupancy in Ústí nad Labem (demo CSV: ';' separated, decimal commas, "
                        "local times), mapped by options.columns.",
         "options": {"columns": PARKING_COLUMNS, "delimiter": ";", "timezone": "Europe/Prague",
                     "retention_days": 0}},
    ]
    sources.append(write_free_floating(out_dir / shared_mobility.FOLDER))
    static = _municipal_static()
    if static is not None:
        static_id, zip_path, tmp = static
        try:
            trip_ids = write_rt_sequence(zip_path, out_dir / "gtfs-rt-usti")
        finally:
            tmp.cleanup()
        if trip_ids:
            sources.append(
                {"id": RT_SOURCE, "family": "municipal", "format": "gtfs-rt", "location": "gtfs-rt-usti",
                 "crs": "EPSG:4326", "encoding": None, "owner": "Dopravní podnik města Ústí nad Labem",
                 "schedule": None,
                 "description": f"Recorded GTFS-Realtime sequence (trip updates, vehicle positions, one alert) "
                                f"for trips {', '.join(trip_ids)} of the demo municipal feed; a live feed would "
                                "set location to its URL and be polled.",
                 "options": {"static_source": static_id, "retention_days": 0}})
    return {"sources": sources, "truth": truth}
