"""Fleet telemetry typed and checked set-wise on staging (stage.sql): the catalog's units and local time,
the one position rule, quarantine with file and line, and the same outcome whether a CSV takes the fast
COPY path or is read record by record (JSON lines, GPX, a CSV with a quoted field spanning lines)."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import pytest

from transport_etl.crs import wgs84_to_5514
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

VENDOR = {"columns": {"vehicle": "vozidlo", "time": "cas", "speed": "rychlost", "odometer": "tachometr_m",
                      "soc": "soc", "charging": "nabijeni"},
          "units": {"odometer": "m", "speed": "m/s", "soc": "fraction"}}
BAD = ("vehicle_id,timestamp,lat,lon,speed,soc\n"
       "EV1,2026-01-05T08:00:00Z,50.66,14.03,30,80\n"
       ",2026-01-05T08:00:15Z,50.66,14.03,30,80\n"          # no vehicle
       "EV1,yesterday,50.66,14.03,30,80\n"                    # not a time
       "EV1,2026-01-05T08:00:30Z,50.66,14.03,900,80\n"        # 900 km/h
       "EV1,2026-01-05T08:00:45Z,50.66,14.03,30,140\n"        # state of charge 140 %
       "EV1,2026-01-05T08:01:00Z,50.66,14.03,fast,80\n"       # not a number
       "EV1,2026-01-05T08:01:15Z,nan,14.03,30,80\n"           # NaN: a position note, the record stays
       "EV1,2026-01-05T08:01:30Z,0,0,30,80\n"
       "EV1,2026-01-05T08:01:45Z,91,14,30,80\n"
       "EV1,2026-01-05T08:02:00Z,,,30,80\n")
EXPECTED_REJECTS = [(3, "missing_required_field"), (4, "invalid_value"), (5, "invalid_value"), (6, "invalid_value"),
                    (7, "invalid_value")]
EXPECTED_NOTES = [(2, None), (8, "non_finite_position"), (9, "point_near_origin"), (10, "out_of_range"),
                  (11, "missing_position")]


def _load(db_url, make_source, path, **options):
    src = replace(make_source("fleet-telemetry", id="ev-vendor", family="fleet", max_reject_ratio=0.9, **options),
                  location=str(path))
    res = ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    return res


def _staged(conn):
    return conn.execute("SELECT line_no, location_note FROM staging.fleet_telemetry_record ORDER BY line_no").fetchall()


def _rejects(conn):
    return conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record WHERE file_name = 'export.csv' "
                        "ORDER BY line_no").fetchall()


def test_vendor_units_and_local_time(db_url, conn, tmp_path, make_source):
    f = tmp_path / "export.csv"
    f.write_text("vozidlo;cas;lat;lon;rychlost;tachometr_m;soc;nabijeni;ridic\n"
                 "EV1;2026-01-05 08:00:15;50,6617;14,0352;12,5;11000127;0,705;ne;Jan Novák\n"
                 "EV1;5. 1. 2026 8:00:30;50,6617;14,0352;0;11 000 130;0,705;ano;Jan Novák\n", encoding="utf-8")
    _load(db_url, make_source, f, **VENDOR)
    rows = conn.execute("SELECT line_no, vehicle_id, recorded_at, speed_kmh, odometer_km, soc_pct, charging, x, y "
                        "FROM staging.fleet_telemetry_record ORDER BY line_no").fetchall()
    x, y = wgs84_to_5514(50.6617, 14.0352)
    (n, vid, at, speed, odo, soc, charging, rx, ry), second = rows
    assert (n, vid, at) == (2, "EV1", dt.datetime(2026, 1, 5, 7, 0, 15, tzinfo=dt.UTC))  # CET = UTC+1
    assert speed == pytest.approx(45.0) and odo == pytest.approx(11000.127) and soc == pytest.approx(70.5)
    assert charging is False and (rx, ry) == (pytest.approx(x, abs=0.01), pytest.approx(y, abs=0.01))
    assert second[2] == dt.datetime(2026, 1, 5, 7, 0, 30, tzinfo=dt.UTC) and second[4] == pytest.approx(11000.13)
    assert second[6] is True


@pytest.mark.parametrize("quoted", [False, True])
def test_bad_records_are_quarantined_and_positions_noted_on_either_path(db_url, conn, tmp_path, make_source, quoted):
    text = BAD
    if quoted:  # a quoted field spanning two lines sends the file record by record; it adds one physical line
        text = text.replace("vehicle_id,timestamp,lat,lon,speed,soc\n", 'vehicle_id,timestamp,lat,lon,speed,"s\noc"\n')
    f = tmp_path / "export.csv"
    f.write_text(text, encoding="utf-8")
    _load(db_url, make_source, f, columns={"soc": "s\noc"} if quoted else {})
    shift = 1 if quoted else 0
    assert _rejects(conn) == [(n + shift, code) for n, code in EXPECTED_REJECTS]
    assert _staged(conn) == [(n + shift, note) for n, note in EXPECTED_NOTES]
    assert conn.execute("SELECT count(*) FROM lineage.notice WHERE file_name = 'export.csv' AND code IN "
                        "('non_finite_position', 'point_near_origin', 'out_of_range')").fetchone()[0] == 3


def test_json_lines_meet_the_same_checks(db_url, conn, tmp_path, make_source):
    f = tmp_path / "export.jsonl"
    f.write_text('{"vehicle_id": "EV2", "timestamp": 1767600000, "lat": 50.64, "lon": 13.83, "speed": 50}\n'
                 '{"vehicle_id": "EV2", "timestamp": 1767600015\n'
                 '{"vehicle_id": "EV2", "timestamp": 1767600030, "lat": 50.64, "lon": 13.83, "speed": -5}\n',
                 encoding="utf-8")
    _load(db_url, make_source, f)
    assert conn.execute("SELECT line_no, recorded_at FROM staging.fleet_telemetry_record").fetchall() == [
        (1, dt.datetime.fromtimestamp(1767600000, dt.UTC))]
    assert conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record ORDER BY line_no").fetchall() == [
        (2, "invalid_record"), (3, "invalid_value")]


def test_an_impossible_date_is_quarantined_not_fatal(db_url, conn, tmp_path, make_source):
    f = tmp_path / "export.csv"
    f.write_text("vehicle_id;timestamp;lat;lon\nEV1;30.2.2026 8:00;50.66;14.03\nEV1;2026-02-28 08:00;50.66;14.03\n",
                 encoding="utf-8")
    _load(db_url, make_source, f)
    assert _staged(conn) == [(3, None)]
    assert _rejects(conn) == [(2, "invalid_value")]


GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="phone" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="50.6617" lon="14.0352"><time>2026-01-05T07:00:00Z</time></trkpt>
<trkpt lat="50.6610" lon="14.0336"><time>2026-01-05T07:00:15Z</time><speed>8.3</speed></trkpt>
<trkpt lat="0" lon="0"><time>2026-01-05T07:00:30Z</time></trkpt>
<trkpt lat="50.6600" lon="14.0320"></trkpt>
</trkseg></trk></gpx>
"""


def test_gpx_speeds_are_metres_per_second_and_points_are_checked(db_url, conn, tmp_path, make_source):
    f = tmp_path / "KUUK-21_2026-01.gpx"
    f.write_text(GPX, encoding="utf-8")
    _load(db_url, make_source, f, units={"speed": "km/h"})
    rows = conn.execute("SELECT line_no, vehicle_id, speed_kmh, location_note FROM staging.fleet_telemetry_record "
                        "ORDER BY line_no").fetchall()
    assert rows == [(3, "KUUK-21", None, None), (4, "KUUK-21", pytest.approx(8.3 * 3.6), None),
                    (5, "KUUK-21", None, "point_near_origin")]
    assert conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record").fetchall() == [
        (6, "missing_required_field")]


def test_sjtsk_positions_meet_the_same_rule(db_url, conn, tmp_path, make_source):
    x, y = wgs84_to_5514(50.6617, 14.0352)
    f = tmp_path / "export.csv"
    f.write_text(f"vehicle_id;timestamp;x;y\nEV1;2026-01-05T08:00:00Z;{x:.2f};{y:.2f}\n"
                 f"EV1;2026-01-05T08:00:15Z;{-y:.2f};{-x:.2f}\nEV1;2026-01-05T08:00:30Z;14.03;50.66\n", encoding="utf-8")
    src = replace(make_source("fleet-telemetry", id="ev-vendor", family="fleet", max_reject_ratio=0.9),
                  location=str(f), crs="EPSG:5514")
    assert ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None).outcome == "loaded"
    rows = conn.execute("SELECT line_no, x, y, location_note FROM staging.fleet_telemetry_record ORDER BY line_no"
                        ).fetchall()
    assert rows[0] == (2, pytest.approx(x, abs=0.05), pytest.approx(y, abs=0.05), None)
    assert rows[1][1:3] == (pytest.approx(x, abs=0.05), pytest.approx(y, abs=0.05))  # classic positive, swapped
    assert rows[2] == (4, None, None, "wgs84_in_sjtsk")


GOOD = b"EV1;2026-01-05T08:00:00Z;50.66;14.03;10\n"


@pytest.mark.parametrize(("body", "line", "reason"), [
    # a NUL byte is never text: the shared line check (boundaries.LineCapped) quarantines the line
    (b"EV1;2026-01-05T08:00:15Z;50.66\x00;14.03;10\n", 3, "a NUL byte"),
    # an invalid UTF-8 byte past the first 4 KB: the file is read record by record (U+FFFD) and checked alike
    (GOOD * 400 + b"EV1;2026-01-05T09:00:15Z;50.66;14.03;fast\xff\n", 403, "is not a number (speed)"),
    # a 60,000-digit number is none (PostgreSQL would overflow, Python would read infinity); a longer line
    # than max_line_bytes is not even read (line_too_long, tests/hostile)
    (b"EV1;2026-01-05T08:00:15Z;50.66;" + b"9" * 60_000 + b";10\n", 3, "is not a number"),
    # words PostgreSQL reads as values are not times or speeds here
    (b"EV1;now;50.66;14.03;10\n", 3, "'now' is not a time"),
    (b"EV1;2026-01-05T08:00:15Z;50.66;14.03;NaN\n", 3, "speed NaN km/h outside"),
])
def test_hostile_values_are_quarantined_with_their_line(db_url, conn, tmp_path, make_source, body, line, reason):
    f = tmp_path / "export.csv"
    f.write_bytes(b"vehicle_id;timestamp;lat;lon;speed\n" + GOOD + body)
    _load(db_url, make_source, f)
    ((n, code, message),) = conn.execute("SELECT line_no, reason_code, message FROM lineage.rejected_record").fetchall()
    assert (n, code) == (line, "invalid_character" if "NUL" in reason else "invalid_value") and reason in message
    assert conn.execute("SELECT count(*) FROM staging.fleet_telemetry_record").fetchone()[0] >= 1


def test_repeated_vehicle_and_time_is_noted_and_the_first_record_used(db_url, conn, tmp_path, make_source):
    f = tmp_path / "export.csv"
    f.write_text("vehicle_id;timestamp;lat;lon;soc\nEV1;2026-01-05T08:00:00Z;50.66;14.03;80\n"
                 "EV1;2026-01-05T08:00:00Z;50.66;14.03;79\nEV2;2026-01-05T08:00:00Z;50.66;14.03;60\n", encoding="utf-8")
    res = _load(db_url, make_source, f)
    assert res.rows_loaded == 3
    assert conn.execute("SELECT message FROM lineage.notice WHERE code = 'duplicate_key'").fetchall() == [
        ("1 records repeat a vehicle and time: the first one is used",)]
    fv = conn.execute("SELECT max(id) FROM lineage.feed_version").fetchone()[0]
    assert conn.execute("SELECT coverage_from, coverage_to FROM lineage.feed_version WHERE id = %s", (fv,)
                        ).fetchone() == (dt.date(2026, 1, 5), dt.date(2026, 1, 5))
