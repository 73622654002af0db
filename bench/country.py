"""Country-scale synthetic workload: one GTFS feed per Czech region (the 14 kraje of lineage.region) with
realistic volumes, scalable by a factor. At factor 1.0 the country has ~20,000 stops and ~1,000,000 scheduled
stop calls a day (≈ 50,000 trips × 20 calls), split by each region's share of the population; a factor of 0.01
makes a feed set that loads in minutes on a laptop. Deterministic (seeded by region code)."""

from __future__ import annotations

import csv
import io
import random
import zipfile
from pathlib import Path

# NUTS 3 code → (share of the country's population, centre lat, centre lon)
REGIONS = {
    "CZ010": (0.127, 50.08, 14.44), "CZ020": (0.131, 49.95, 14.60), "CZ031": (0.061, 49.05, 14.45),
    "CZ032": (0.055, 49.60, 13.30), "CZ041": (0.027, 50.20, 12.80), "CZ042": (0.075, 50.55, 13.90),
    "CZ051": (0.042, 50.75, 15.05), "CZ052": (0.052, 50.30, 15.80), "CZ053": (0.049, 49.95, 16.10),
    "CZ063": (0.048, 49.40, 15.60), "CZ064": (0.113, 49.05, 16.60), "CZ071": (0.059, 49.70, 17.20),
    "CZ072": (0.054, 49.20, 17.70), "CZ080": (0.111, 49.80, 18.20),
}
COUNTRY_STOPS = 20_000
COUNTRY_TRIPS_PER_DAY = 50_000
CALLS_PER_TRIP = 20


def volumes(region: str, factor: float) -> tuple[int, int]:
    """(stops, trips a day) of a region at a scale factor."""
    share = REGIONS[region][0]
    return max(CALLS_PER_TRIP, round(COUNTRY_STOPS * share * factor)), max(1, round(COUNTRY_TRIPS_PER_DAY * share * factor))


def _csv(rows: list[list[object]]) -> str:
    buf = io.StringIO()
    csv.writer(buf, lineterminator="\n").writerows(rows)
    return buf.getvalue()


def write_region_feed(region: str, out: Path, factor: float) -> dict[str, int]:
    """Write <out>/<region>.zip; returns its row counts."""
    rng = random.Random(region)
    n_stops, n_trips = volumes(region, factor)
    _, lat0, lon0 = REGIONS[region]
    stops = [[f"{region}-S{i}", f"Zastávka {region} {i}", round(lat0 + rng.uniform(-0.35, 0.35), 6),
              round(lon0 + rng.uniform(-0.5, 0.5), 6)] for i in range(n_stops)]
    n_routes = max(1, n_trips // 40)
    routes = [[f"{region}-R{r}", f"{region}-A", f"{r + 1}", 3] for r in range(n_routes)]
    trips, stop_times = [], []
    for t in range(n_trips):
        route = t % n_routes
        trip_id = f"{region}-T{t}"
        trips.append([f"{region}-R{route}", "WD", trip_id])
        first = rng.randrange(len(stops) - CALLS_PER_TRIP + 1)
        clock = 4 * 3600 + rng.randrange(19 * 3600)
        for seq in range(CALLS_PER_TRIP):
            hms = f"{clock // 3600:02d}:{clock % 3600 // 60:02d}:{clock % 60:02d}"
            stop_times.append([trip_id, hms, hms, stops[first + seq][0], seq + 1])
            clock += 60 + rng.randrange(180)
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"{region}.zip"
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("agency.txt", _csv([["agency_id", "agency_name", "agency_url", "agency_timezone"],
                                       [f"{region}-A", f"Dopravce {region}", "https://example.invalid", "Europe/Prague"]]))
        z.writestr("stops.txt", _csv([["stop_id", "stop_name", "stop_lat", "stop_lon"], *stops]))
        z.writestr("routes.txt", _csv([["route_id", "agency_id", "route_short_name", "route_type"], *routes]))
        z.writestr("trips.txt", _csv([["route_id", "service_id", "trip_id"], *trips]))
        z.writestr("stop_times.txt", _csv([["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence"],
                                           *stop_times]))
        z.writestr("calendar.txt", _csv([["service_id", "monday", "tuesday", "wednesday", "thursday", "friday",
                                          "saturday", "sunday", "start_date", "end_date"],
                                         ["WD", 1, 1, 1, 1, 1, 0, 0, "20260101", "20271231"]]))
    return {"stops": n_stops, "trips": n_trips, "stop_times": len(stop_times)}


def write_country(out: Path, factor: float) -> dict[str, dict[str, int]]:
    return {region: write_region_feed(region, out, factor) for region in REGIONS}
