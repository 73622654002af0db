"""GBFS 3.0 free-floating system (no stations): vehicles, vehicle types, geofencing zones as polygons,
pricing plans; a 1.x system without stations either; a system with neither is refused naming its feeds."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from demo.shared_mobility import VEHICLES, write_free_floating
from transport_etl.formats.gbfs.status import poll_gbfs_status
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration


def _quiet(_m):
    return None


def test_free_floating_v3_system_loads_vehicles_zones_and_plans(db_url, conn, tmp_path, make_source):
    entry = write_free_floating(tmp_path / "ff")
    src = replace(make_source("gbfs", id="ff"), location=str(tmp_path / "ff" / "gbfs.json"))
    res = ingest(src, database_url=db_url, run_kind="test", log=_quiet)
    assert res.outcome == "loaded", res.reason
    assert entry["format"] == "gbfs" and res.notices == {"free_floating_system (INFO)": 1}
    assert res.tables["unified.bike_vehicle_type"] == 2 and res.tables["unified.bike_pricing_plan"] == 2
    assert res.tables["unified.bike_geofencing_zone"] == 2
    assert conn.execute("SELECT count(*) FROM unified.bike_station").fetchone()[0] == 0
    vehicles = conn.execute("SELECT vehicle_id, vehicle_type_id, is_reserved, is_disabled, current_range_m, "
                            "last_updated FROM unified.bike_vehicle_status ORDER BY vehicle_id").fetchall()
    assert [(v[0], v[1], v[2], v[3], v[4]) for v in vehicles] == sorted(
        (vid, vt, res_, dis, rng) for vid, _la, _lo, vt, rng, res_, dis in VEHICLES)
    assert {v[5].isoformat() for v in vehicles} == {"2026-03-02T09:00:00+00:00"}
    # Zones are polygons in EPSG:5514 around Ústí; the slow zone holds the scooter parked on the square.
    slow = conn.execute(
        """SELECT z.name, z.maximum_speed_kph, z.ride_end_allowed, ST_GeometryType(z.geom), ST_Area(z.geom),
                  (SELECT array_agg(v.vehicle_id ORDER BY v.vehicle_id) FROM unified.bike_vehicle_status v
                   WHERE ST_Contains(z.geom, v.geom))
           FROM unified.bike_geofencing_zone z WHERE z.local_id = '0'""").fetchone()
    assert slow[:4] == ("Mírové náměstí – pomalá zóna", 10.0, True, "ST_MultiPolygon")
    inside = [v[0] for v in VEHICLES if 14.0320 < v[2] < 14.0365 and 50.6600 < v[1] < 50.6628]   # truth: the ring
    assert 90_000 < slow[4] < 120_000 and slow[5] == inside == ["sc-0001"]
    assert conn.execute("SELECT ride_start_allowed, ride_end_allowed FROM gis.bike_geofencing_zone "
                        "WHERE name LIKE 'Hlavní%%'").fetchone() == (False, False)
    plan = conn.execute("SELECT name, currency, price, per_min_pricing FROM unified.bike_pricing_plan "
                        "WHERE local_id = 'minute'").fetchone()
    assert plan[:3] == ("Za minutu", "CZK", 25) and plan[3] == [{"start": 0, "rate": 5, "interval": 1}]
    assert conn.execute("SELECT form_factor, max_range_m, pricing_plan_ids FROM unified.bike_vehicle_type "
                        "WHERE local_id = 'ebike'").fetchone() == ("bicycle", 60000.0, ["minute", "day", "minute"])
    # Polling a station-less system works too (same last_updated: nothing new).
    assert poll_gbfs_status(db_url, src).outcome == "unchanged"


def test_gbfs_1_free_bike_status_only_and_refusal(db_url, conn, tmp_path, make_source):
    folder = tmp_path / "v1"
    folder.mkdir()
    feeds = {"free_bike_status": {"bikes": [{"bike_id": "b1", "lat": 50.66, "lon": 14.03, "is_reserved": 0,
                                             "is_disabled": 0}]},
             "system_alerts": {"alerts": []},
             "system_information": {"system_id": "v1sys", "language": "en", "name": "Old system",
                                    "timezone": "Europe/Prague"}}
    (folder / "gbfs.json").write_text(json.dumps({"last_updated": 1772442000, "ttl": 0, "data": {"en": {"feeds": [
        {"name": n, "url": f"{n}.json"} for n in feeds]}}}), encoding="utf-8")
    for n, d in feeds.items():
        (folder / f"{n}.json").write_text(json.dumps({"last_updated": 1772442000, "ttl": 0, "data": d}),
                                          encoding="utf-8")
    src = replace(make_source("gbfs", id="v1"), location=str(folder / "gbfs.json"))
    res = ingest(src, database_url=db_url, run_kind="test", log=_quiet)
    assert res.outcome == "loaded", res.reason
    assert conn.execute("SELECT vehicle_id, is_reserved FROM unified.bike_vehicle_status").fetchall() == [("b1", False)]
    assert res.notices["unused_file (INFO)"] == 1

    bare = tmp_path / "bare"
    bare.mkdir()
    (bare / "gbfs.json").write_text(json.dumps({"last_updated": 1772442000, "ttl": 0, "data": {"feeds": [
        {"name": "system_information", "url": "https://x.invalid/system_information.json"}]}}), encoding="utf-8")
    res = ingest(replace(make_source("gbfs", id="bare"), location=str(bare / "gbfs.json")), database_url=db_url,
                 run_kind="test", log=_quiet)
    assert res.outcome == "rejected"
    assert "neither station_information nor vehicle_status/free_bike_status (feeds: system_information)" in res.reason
