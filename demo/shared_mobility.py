"""Demo free-floating shared mobility: a GBFS 3.0 e-scooter system in Ústí nad Labem with no stations
(vehicle_status, vehicle_types, geofencing_zones with a slow zone and a no-parking zone,
system_pricing_plans), feed URLs absolute as v3 requires, mirrored into one folder. Deterministic."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

SOURCE = "municipal-usti-scooters-gbfs"
FOLDER = "gbfs-usti-scooters"
LAST_UPDATED = "2026-03-02T10:00:00+01:00"
BASE = "https://gbfs.demo.invalid/v3/usti-scooters/"
# (vehicle_id, lat, lon, vehicle_type_id, range m, reserved, disabled) around Mírové náměstí and the station.
VEHICLES = [
    ("sc-0001", 50.66120, 14.03390, "escooter", 18_500, False, False),
    ("sc-0002", 50.66010, 14.03810, "escooter", 9_200, False, False),
    ("sc-0003", 50.65870, 14.04310, "escooter", 22_000, True, False),
    ("sc-0004", 50.66280, 14.03700, "escooter", 3_100, False, True),
    ("eb-0101", 50.65960, 14.04050, "ebike", 41_000, False, False),
]


def _ring(lon0: float, lat0: float, dlon: float, dlat: float) -> list[list[float]]:
    return [[lon0, lat0], [lon0 + dlon, lat0], [lon0 + dlon, lat0 + dlat], [lon0, lat0 + dlat], [lon0, lat0]]


def _t(text: str) -> list[dict[str, str]]:
    return [{"text": text, "language": "cs"}]


def write_free_floating(folder: Path) -> dict[str, Any]:
    folder.mkdir(parents=True, exist_ok=True)
    feeds = ["system_information", "vehicle_types", "vehicle_status", "geofencing_zones", "system_pricing_plans"]
    files: dict[str, Any] = {
        "gbfs": {"feeds": [{"name": f, "url": f"{BASE}{f}.json"} for f in feeds]},
        "system_information": {"system_id": "usti_scooters", "languages": ["cs"], "name": _t("Koloběžky Ústí"),
                               "operator": _t("Demo Mobility s.r.o."), "timezone": "Europe/Prague",
                               "opening_hours": "Mo-Su 00:00-24:00", "feed_contact_email": "data@demo.invalid"},
        "vehicle_types": {"vehicle_types": [
            {"vehicle_type_id": "escooter", "form_factor": "scooter_standing", "propulsion_type": "electric",
             "name": _t("Elektrokoloběžka"), "max_range_meters": 35_000, "pricing_plan_ids": ["minute"],
             "default_pricing_plan_id": "minute"},
            {"vehicle_type_id": "ebike", "form_factor": "bicycle", "propulsion_type": "electric_assist",
             "name": _t("Elektrokolo"), "max_range_meters": 60_000, "pricing_plan_ids": ["minute", "day"],
             "default_pricing_plan_id": "minute"}]},
        "vehicle_status": {"vehicles": [
            {"vehicle_id": vid, "lat": lat, "lon": lon, "vehicle_type_id": vt, "current_range_meters": rng,
             "is_reserved": res, "is_disabled": dis, "last_reported": LAST_UPDATED}
            for vid, lat, lon, vt, rng, res, dis in VEHICLES]},
        "geofencing_zones": {
            "geofencing_zones": {"type": "FeatureCollection", "features": [
                {"type": "Feature", "properties": {"name": _t("Mírové náměstí – pomalá zóna"), "rules": [
                    {"vehicle_type_ids": ["escooter"], "ride_start_allowed": True, "ride_end_allowed": True,
                     "ride_through_allowed": True, "maximum_speed_kph": 10, "station_parking": False}]},
                 "geometry": {"type": "MultiPolygon", "coordinates": [[_ring(14.0320, 50.6600, 0.0045, 0.0028)]]}},
                {"type": "Feature", "properties": {"name": _t("Hlavní nádraží – zákaz parkování"), "rules": [
                    {"ride_start_allowed": False, "ride_end_allowed": False, "ride_through_allowed": True}]},
                 "geometry": {"type": "MultiPolygon", "coordinates": [[_ring(14.0420, 50.6580, 0.0025, 0.0015)]]}},
            ]},
            "global_rules": [{"ride_start_allowed": True, "ride_end_allowed": True, "ride_through_allowed": True}]},
        "system_pricing_plans": {"plans": [
            {"plan_id": "minute", "name": _t("Za minutu"), "currency": "CZK", "price": 25, "is_taxable": False,
             "description": _t("Odemčení 25 Kč, pak 5 Kč za minutu"),
             "per_min_pricing": [{"start": 0, "rate": 5, "interval": 1}]},
            {"plan_id": "day", "name": _t("Denní jízdenka"), "currency": "CZK", "price": 299, "is_taxable": False,
             "description": _t("24 hodin jízd do 45 minut")}]},
    }
    for name, data in files.items():
        doc = {"last_updated": LAST_UPDATED, "ttl": 60, "version": "3.0", "data": data}
        (folder / f"{name}.json").write_text(json.dumps(doc, ensure_ascii=False, indent=1), encoding="utf-8")
    return {"id": SOURCE, "family": "municipal", "format": "gbfs", "location": f"{FOLDER}/gbfs.json",
            "crs": "EPSG:4326", "encoding": "UTF-8", "owner": "Demo Mobility s.r.o.", "schedule": "0 4 * * *",
            "description": "Free-floating e-scooters and e-bikes in Ústí nad Labem (demo GBFS 3.0 system without "
                           "stations: vehicle_status, vehicle_types, geofencing_zones, system_pricing_plans).",
            "options": {"poll_interval_s": 60, "retention_days": 30, "timeout_s": 10}}
