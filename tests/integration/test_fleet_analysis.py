"""The fleet analysis on the demo with the regional timetable: trips public transport could have served
agree with the generator's truth (computed from the JDF lines independently of SQL), the report renders
with its plots, and its figures agree with SQL over the unified tables."""

from __future__ import annotations

import datetime as dt
import json

import pytest

from tests import fleet_demo
from transport_etl.cli import main

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("fleet_pt")
    return out, fleet_demo.generate(out, days=6, timetable=True)


@pytest.fixture
def reported(db_url, conn, demo_dir, tmp_path, capsys):
    out, sources = demo_dir
    fleet_demo.load(sources, db_url)
    assert main(["fleet", "report", "--out", str(tmp_path / "report")]) == 0
    capsys.readouterr()
    return conn, out, tmp_path / "report"


def test_substitution_agrees_with_the_timetable_truth(reported):
    conn, out, _ = reported
    truth = {(t["vehicle_id"], dt.datetime.fromisoformat(t["started_at"])): t for t in fleet_demo.truth_trips(out)}
    got = conn.execute("SELECT vehicle_id, started_at, servable, pt_departure, time_ratio, car_minutes, pt_minutes "
                       "FROM unified.fleet_trip_substitution").fetchall()
    assert len(got) == len(truth)
    servable = 0
    for vid, start, ok, dep, ratio, car_min, pt_min in got:
        t = truth[(vid, start)]
        assert ok == (t["pt_servable"] == "1"), (vid, start, t)
        if ok:
            servable += 1
            expected = dt.datetime.strptime(t["pt_departure"], "%Y-%m-%d %H:%M")
            assert dep.astimezone(fleet_demo.fleet.PRAGUE).replace(tzinfo=None) == expected
            assert ratio == pytest.approx(pt_min / car_min, abs=0.01)
    assert servable > 0


def test_report_renders_and_its_figures_agree_with_sql(reported):
    conn, _out, report = reported
    html = (report / "index.html").read_text(encoding="utf-8")
    for png in ("utilisation.png", "energy_by_month.png", "charging_map.png"):
        data = (report / png).read_bytes()
        assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 5000 and png in html
    f = json.loads((report / "figures.json").read_text(encoding="utf-8"))
    km, trips = conn.execute("SELECT sum(distance_km), count(*) FROM unified.fleet_trip WHERE recorded_to IS NULL"
                             ).fetchone()
    assert f["trips"] == trips and f["km"] == pytest.approx(float(km), abs=0.1)
    assert f["fleet_size"] == len(fleet_demo.CARS)
    # peak simultaneous use, recomputed here in Python from the trips
    days = conn.execute("SELECT vehicle_id, min(started_at), max(ended_at) FROM unified.fleet_trip "
                        "WHERE recorded_to IS NULL GROUP BY vehicle_id, (started_at AT TIME ZONE 'Europe/Prague')::date"
                        ).fetchall()
    peak = max(sum(1 for _v, a, b in days if a <= t < b) for _v, t, _e in days)
    assert f["peak_simultaneous_use"] == peak
    n_servable = conn.execute("SELECT count(*) FROM unified.fleet_trip_substitution WHERE servable").fetchone()[0]
    assert f["pt_servable_trips"] == n_servable and html.count("<tr>") >= n_servable
    winter = conn.execute("SELECT sum(energy_kwh) / sum(distance_km) * 100 FROM unified.fleet_trip "
                          "WHERE season = 'winter' AND energy_kwh IS NOT NULL").fetchone()[0]
    assert f["kwh_per_100km_by_season"]["winter"] == pytest.approx(float(winter), abs=0.01)
    assert f["kwh_per_100km_by_season"]["winter"] > f["kwh_per_100km_by_season"]["summer"]
    depot = conn.execute("SELECT sum(s.energy_kwh) FROM unified.fleet_charging_session s JOIN "
                         "unified.fleet_charging_point p ON p.id = s.charging_point_id WHERE p.access = 'private'"
                         ).fetchone()[0]
    assert f["depot_kwh"] == pytest.approx(float(depot), abs=0.1) and f["depot_wallboxes_needed"] >= 1
    month = conn.execute("SELECT sum(km), sum(trips) FROM unified.fleet_vehicle_month").fetchone()
    assert float(month[0]) == pytest.approx(float(km), abs=0.01) and month[1] == trips
