"""Fleet telemetry readers: vendor column mappings and units, local times, positions that are never
placed (NaN, 0,0, outside the region), quarantined records with their line, GPX tracks and hostile XML."""

from __future__ import annotations

import datetime as dt

import pytest

from transport_etl.crs import wgs84_to_5514
from transport_etl.errors import InputRejected
from transport_etl.formats.fleet_telemetry import reader
from transport_etl.mapped_records import ColumnMap, Placer
from transport_etl.problems import Problem

VENDOR = {"columns": {"vehicle": "vozidlo", "time": "cas", "speed": "rychlost", "odometer": "tachometr_m",
                      "soc": "soc", "charging": "nabijeni"},
          "units": {"odometer": "m", "speed": "m/s", "soc": "fraction"}}


def _read(tmp_path, text: str, options: dict, name: str = "export.csv"):
    f = tmp_path / name
    f.write_text(text, encoding="utf-8")
    m = ColumnMap.from_options(options, reader.FIELDS, reader.DEFAULTS)
    return list(reader.read_tabular(f, m, Placer(options)))


def test_vendor_mapping_converts_units_and_reads_local_time(tmp_path):
    rows = _read(tmp_path, "vozidlo;cas;lat;lon;rychlost;tachometr_m;soc;nabijeni\n"
                           "EV1;2026-01-05 08:00:15;50,6617;14,0352;12,5;11000127;0,705;ne\n", VENDOR)
    (r,) = rows
    assert r["vehicle_id"] == "EV1" and r["line_no"] == 2
    assert r["recorded_at"] == dt.datetime(2026, 1, 5, 7, 0, 15, tzinfo=dt.UTC)  # CET = UTC+1
    assert r["speed_kmh"] == pytest.approx(45.0) and r["odometer_km"] == pytest.approx(11000.127)
    assert r["soc_pct"] == pytest.approx(70.5) and r["charging"] is False
    x, y = wgs84_to_5514(50.6617, 14.0352)
    assert (r["x"], r["y"]) == (pytest.approx(x, abs=0.01), pytest.approx(y, abs=0.01))


@pytest.mark.parametrize(("lat", "lon", "note"), [
    ("nan", "14.03", "invalid_coordinates"), ("0", "0", "point_near_origin"), ("48.2", "16.37", "outside_region"),
    ("91", "14", "invalid_coordinates"), ("", "", "missing_coordinates"),
])
def test_bad_positions_are_never_placed_but_the_record_keeps_its_state(tmp_path, lat, lon, note):
    text = f"vehicle_id,timestamp,lat,lon,soc\nEV1,2026-01-05T08:00:00+01:00,{lat},{lon},55\n"
    (got,) = _read(tmp_path, text, {})
    rec, problem = got if isinstance(got, tuple) else (got, None)
    assert rec["x"] is None and rec["y"] is None and rec["location_note"] == note and rec["soc_pct"] == 55
    if note != "missing_coordinates":
        assert problem.code == note and problem.severity == "WARNING" and problem.line_no == 2


def test_unusable_records_are_quarantined_with_their_line(tmp_path):
    text = ("vehicle_id,timestamp,lat,lon,speed,soc\n"
            "EV1,2026-01-05T08:00:00Z,50.66,14.03,30,80\n"
            ",2026-01-05T08:00:15Z,50.66,14.03,30,80\n"          # no vehicle
            "EV1,yesterday,50.66,14.03,30,80\n"                    # no time
            "EV1,2026-01-05T08:00:30Z,50.66,14.03,900,80\n"        # 900 km/h
            "EV1,2026-01-05T08:00:45Z,50.66,14.03,30,140\n"        # SoC 140 %
            "EV1,2026-01-05T08:01:00Z,50.66,14.03,fast,80\n")      # not a number
    rows = _read(tmp_path, text, {})
    problems = [r for r in rows if isinstance(r, Problem)]
    assert [(p.line_no, p.code) for p in problems] == [
        (3, "missing_required_field"), (4, "invalid_value"), (5, "invalid_value"), (6, "invalid_value"),
        (7, "invalid_value")]
    assert all(p.severity == "REJECT" and p.raw for p in problems)


def test_json_lines_with_a_broken_line(tmp_path):
    text = ('{"vehicle_id": "EV2", "timestamp": 1767600000, "lat": 50.64, "lon": 13.83, "speed": 50}\n'
            '{"vehicle_id": "EV2", "timestamp": 1767600015\n'
            '[1, 2]\n')
    rows = _read(tmp_path, text, {}, name="export.jsonl")
    assert rows[0]["recorded_at"] == dt.datetime.fromtimestamp(1767600000, dt.UTC)
    assert [(r.line_no, r.code) for r in rows[1:]] == [(2, "invalid_record"), (3, "invalid_record")]


def test_unknown_mapping_field_or_unit_refuses_the_source():
    with pytest.raises(InputRejected, match="unknown fields driver"):
        ColumnMap.from_options({"columns": {"driver": "ridic"}}, reader.FIELDS)
    with pytest.raises(InputRejected, match="speed='furlongs'"):
        ColumnMap.from_options({"units": {"speed": "furlongs"}}, reader.FIELDS)


GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="phone" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="50.6617" lon="14.0352"><time>2026-01-05T07:00:00Z</time></trkpt>
<trkpt lat="50.6610" lon="14.0336"><time>2026-01-05T07:00:15Z</time><speed>8.3</speed></trkpt>
<trkpt lat="0" lon="0"><time>2026-01-05T07:00:30Z</time></trkpt>
<trkpt lat="50.6600" lon="14.0320"></trkpt>
</trkseg></trk></gpx>
"""


def test_gpx_track_points_with_vehicle_from_the_file_name(tmp_path):
    f = tmp_path / "KUUK-21_2026-01.gpx"
    f.write_text(GPX, encoding="utf-8")
    m = ColumnMap.from_options({}, reader.FIELDS, reader.DEFAULTS)
    vehicle = reader.gpx_vehicle(f, None)
    rows = list(reader.read_gpx(f, m, Placer({}), vehicle))
    assert vehicle == "KUUK-21"
    assert rows[0]["vehicle_id"] == "KUUK-21" and rows[0]["line_no"] == 3
    assert rows[1]["speed_kmh"] == pytest.approx(8.3 * 3.6)  # GPX speeds are m/s
    rec, problem = rows[2]
    assert rec["x"] is None and problem.code == "point_near_origin"
    assert isinstance(rows[3], Problem) and rows[3].code == "missing_required_field" and rows[3].line_no == 6


def test_gpx_with_a_doctype_is_refused(tmp_path):
    f = tmp_path / "bomb.gpx"
    f.write_text('<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>', encoding="utf-8")
    m = ColumnMap.from_options({}, reader.FIELDS, reader.DEFAULTS)
    with pytest.raises(InputRejected, match="DTD"):
        list(reader.read_gpx(f, m, Placer({}), "X"))
