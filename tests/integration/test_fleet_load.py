"""The fleet demo through ingest: trips segmented in SQL match the generator's truth (times, distance,
energy), follow the road network (pgRouting), charging sessions find their charging points, raw tracks
stay private, bad input is quarantined or refused in one line."""

from __future__ import annotations

import datetime as dt
from dataclasses import replace

import psycopg
import pytest

from tests import fleet_demo
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory):
    out = tmp_path_factory.mktemp("fleet")
    return out, fleet_demo.generate(out)


@pytest.fixture
def loaded(db_url, conn, demo_dir):
    out, sources = demo_dir
    fleet_demo.load(sources, db_url)
    return conn, out, sources


def _trips(conn):
    return conn.execute(
        "SELECT vehicle_id, started_at, ended_at, distance_km, energy_kwh, match_status, matched_km "
        "FROM unified.fleet_trip WHERE recorded_to IS NULL ORDER BY vehicle_id, started_at").fetchall()


def test_trips_match_the_truth(loaded):
    conn, out, _ = loaded
    truth = sorted(fleet_demo.truth_trips(out), key=lambda t: (t["vehicle_id"], t["started_at"]))
    trips = _trips(conn)
    assert len(truth) > 30 and len(trips) == len(truth)
    for t, (vid, start, end, km, kwh, status, matched_km) in zip(truth, trips, strict=True):
        assert vid == t["vehicle_id"]
        assert start == dt.datetime.fromisoformat(t["started_at"]) and end == dt.datetime.fromisoformat(t["ended_at"])
        # odometer (metres) where the vendor exports one; GPX: the GPS track, which cuts curves a little
        assert km == pytest.approx(float(t["distance_km"]), abs=0.002 if t["energy_kwh"] else 0.05 * km), vid
        if t["energy_kwh"]:
            # state of charge is exported with one decimal: ±0.05 % of the battery at each end
            assert kwh == pytest.approx(float(t["energy_kwh"]), abs=0.1)
        else:
            assert kwh is None and vid == "KUUK-21"
        assert status == "matched" and 0.85 * km < matched_km <= km * 1.02


def test_short_stops_do_not_split_trips_and_the_threshold_is_configurable(db_url, conn, demo_dir):
    out, sources = demo_dir
    fleet_demo.load(sources, db_url, **{"fleet-kuuk-telemetry": {"trip_stop_min": 1}})
    n = conn.execute("SELECT count(*) FROM unified.fleet_trip WHERE recorded_to IS NULL").fetchone()[0]
    assert n > len(fleet_demo.truth_trips(out))  # the 2-6 min stops on the way now end trips


def test_sessions_are_matched_to_their_charging_points(loaded):
    conn, out, _ = loaded
    truth = {s["session_id"]: s["point_id"] for s in fleet_demo.truth_sessions(out)}
    got = dict(conn.execute(
        "SELECT s.local_id, p.local_id FROM unified.fleet_charging_session s "
        "LEFT JOIN unified.fleet_charging_point p ON p.id = s.charging_point_id WHERE s.recorded_to IS NULL"))
    assert truth and got == truth
    methods = {r[0] for r in conn.execute("SELECT DISTINCT match_method FROM unified.fleet_charging_session")}
    assert "charger_id" in methods


def test_the_unmatched_sessions_notice_counts_only_the_new_versions_sessions(loaded, db_url):
    """A reload of the sessions (with force) once said "-279 of 279 sessions match no charging point": the
    previous version's rows, still current while the new one publishes, were counted as matches."""
    conn, out, sources = loaded
    (src,) = [s for s in sources if s.format == "charging-sessions"]
    again = ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None, force=True)
    assert again.outcome == "loaded"
    truth = fleet_demo.truth_sessions(out)
    unmatched = sum(1 for s in truth if not s["point_id"])
    messages = [r[0] for r in conn.execute("SELECT message FROM lineage.notice WHERE feed_version_id = %s AND code = "
                                           "'unmatched_charging_point'", (again.feed_version_id,))]
    assert messages == ([f"{unmatched} of {len(truth)} sessions match no charging point (yet)"] if unmatched else [])


def test_gis_staff_see_trimmed_trips_and_no_raw_records(loaded):
    conn, *_ = loaded
    full, trimmed = conn.execute(
        "SELECT ST_Length(t.geom), ST_Length(g.geom) FROM unified.fleet_trip t JOIN gis.fleet_trip_5514 g USING (id) "
        "WHERE ST_Length(t.geom) > 2000 LIMIT 1").fetchone()
    assert trimmed == pytest.approx(full - 500, abs=1)
    conn.execute("SET ROLE gis_reader")
    try:
        assert conn.execute("SELECT count(*) FROM gis.fleet_trip").fetchone()[0] > 0
        for statement in ("SELECT count(*) FROM unified.fleet_trip", "SELECT count(*) FROM staging.fleet_telemetry_record"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    finally:
        conn.execute("RESET ROLE")
    conn.execute("SET ROLE fleet_analyst")
    try:
        assert conn.execute("SELECT count(*) FROM staging.fleet_telemetry_record").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM unified.fleet_trip").fetchone()[0] > 0
    finally:
        conn.execute("RESET ROLE")


def test_raw_records_past_retention_are_deleted_and_trips_stay(db_url, conn, demo_dir):
    _out, sources = demo_dir
    # The demo months lie in 2026: a 30-day retention (counted from now) leaves no raw record behind.
    fleet_demo.load(sources, db_url, **{"fleet-kuuk-telemetry": {"retention_days": 30}})
    assert conn.execute("SELECT count(*) FROM staging.fleet_telemetry_record WHERE recorded_at < now() - interval "
                        "'30 days'").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM unified.fleet_trip WHERE recorded_to IS NULL").fetchone()[0] > 30


HOSTILE = ("vehicle_id,timestamp,lat,lon,speed,odometer,soc,charging,driver\n"
           "EV9,2026-01-05T08:00:00+01:00,50.6617,14.0352,0,1000,80,0,Jan Novák\n"
           "EV9,2026-01-05T08:00:15+01:00,NaN,NaN,40,1000.1,80,0,Jan Novák\n"
           "EV9,2026-01-05T08:00:30+01:00,0,0,40,1000.3,80,0,Jan Novák\n"
           "EV9,2026-01-05T08:00:45+01:00,14.0310,50.6610,40,1000.5,79.9,0,Jan Novák\n"
           "EV9,not a time,50.66,14.03,40,1000.6,79.9,0,Jan Novák\n"
           "EV9,2026-01-05T08:01:00+01:00,50.6600,14.0300,40,1000.7,79.9,maybe,Jan Novák\n"
           "EV9,2026-01-05T08:01:15+01:00,50.6590,14.0280,40,1000.8,79.8,0,'; DROP TABLE unified.fleet_trip; --\n"
           "EV9,2026-01-05T18:00:00+01:00,47.4979,19.0402,40,1290.0,40.0,0,Jan Novák\n")


def test_bad_records_are_quarantined_with_file_and_line_and_positions_checked(db_url, conn, tmp_path, make_source):
    f = tmp_path / "export.csv"
    f.write_text(HOSTILE, encoding="utf-8")
    src = replace(make_source("fleet-telemetry", id="ev-vendor", family="fleet", max_reject_ratio=0.5),
                  location=str(f))
    res = ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    assert conn.execute("SELECT file_name, line_no, reason_code FROM lineage.rejected_record ORDER BY line_no"
                        ).fetchall() == [("export.csv", 6, "invalid_value"), ("export.csv", 7, "invalid_value")]
    assert [r[0] for r in conn.execute("SELECT message FROM lineage.rejected_record ORDER BY line_no")] == [
        "vehicle EV9: 'not a time' is not a time", "vehicle EV9: 'maybe' is not yes/no (charging)"]
    # the one position rule (transport_etl/positions.py, unified.position_note): NaN, 0,0 and swapped
    # coordinates are not placed; Budapest is outside the expected extent, placed and flagged
    notes = conn.execute("SELECT line_no, location_note, x IS NOT NULL FROM staging.fleet_telemetry_record "
                         "WHERE location_note IS NOT NULL ORDER BY line_no").fetchall()
    assert notes == [(3, "non_finite_position", False), (4, "point_near_origin", False),
                     (5, "lat_lon_swapped", False), (9, "outside_expected_extent", True)]
    assert conn.execute("SELECT count(*) FROM lineage.notice WHERE code IN ('non_finite_position', "
                        "'point_near_origin', 'lat_lon_swapped', 'outside_expected_extent') AND file_name = 'export.csv' "
                        "AND line_no IS NOT NULL").fetchone()[0] == 4
    # no driver column exists anywhere in the model
    assert conn.execute("SELECT count(*) FROM information_schema.columns WHERE column_name ILIKE '%%driver%%' "
                        "AND table_schema IN ('staging', 'unified', 'gis')").fetchone()[0] == 0
    assert conn.execute("SELECT to_regclass('unified.fleet_trip') IS NOT NULL").fetchone()[0]


@pytest.mark.parametrize(("content", "reason"), [
    # a UTF-16 byte-order mark: read as UTF-16 (the shared encoding rule), and nothing in it is a record
    (b"\xff\xfe\x00garbage\x00\x81", "no usable telemetry record"),
    (b"", "is empty"),
    (b"vehicle_id,timestamp\n,\n", "no usable telemetry record"),
])
def test_unusable_files_are_refused_in_one_line(db_url, conn, tmp_path, make_source, content, reason):
    f = tmp_path / "export.csv"
    f.write_bytes(content)
    src = replace(make_source("fleet-telemetry", id="ev-vendor", family="fleet"), location=str(f))
    res = ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "rejected" and reason in res.reason and "\n" not in res.reason
    assert conn.execute("SELECT count(*) FROM unified.fleet_trip").fetchone()[0] == 0


def test_a_field_of_megabytes_across_lines_is_refused_in_one_line(db_url, conn, tmp_path, make_source):
    f = tmp_path / "export.csv"
    f.write_bytes(b'vehicle_id,timestamp\nEV1,"' + b"9" * 200_000 + b'\nx"\n')
    src = replace(make_source("fleet-telemetry", id="ev-vendor", family="fleet"), location=str(f))
    res = ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None)
    # the csv module's field limit is process-wide (another reader may have raised it): either way one line
    assert res.outcome == "rejected" and "\n" not in res.reason
    assert "field larger than field limit" in res.reason or "no usable telemetry record" in res.reason
