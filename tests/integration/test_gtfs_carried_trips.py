"""A next GTFS version carries its unchanged trips (issue 11: 1 % of the trips changed costs a fraction of a
first load): their stop_times lines are not staged again, their notices and quarantined records are copied
with the lines moved, and their journeys and calls are kept. What a version ends up with must be exactly
what loading it whole gives: the same notices, quarantined records and unified rows."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gtfs_files import write_feed
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

STOPS = [(f"S{i}", 50.60 + i * 0.002, 14.00 + i * 0.003) for i in range(10)] + [("FAR", 50.90, 14.60)]


def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def _trip_lines(t: int, shift: int = 0, quirk: str | None = None) -> list[str]:
    start = 6 * 3600 + t * 300 + shift
    rows = []
    for seq in range(5):
        a = start + seq * 240
        stop = STOPS[(t + seq) % 10][0]
        if quirk == "backwards" and seq == 3:
            a -= 600  # arrives before the previous departure
        if quirk == "fast" and seq == 4:
            stop = "FAR"  # ~30 km in 4 minutes
        if quirk == "late" and seq == 4:
            a += 48 * 3600
        rows.append(f"T{t},{_hms(a)},{_hms(a + 30)},{stop},{seq + 1}")
    if quirk == "unknown_stop":
        rows.append(f"T{t},{_hms(start + 2000)},{_hms(start + 2000)},NOWHERE,9")
    if quirk == "duplicate":
        rows.append(rows[-1])
    return rows


QUIRKS = {3: "backwards", 8: "fast", 13: "late", 17: "unknown_stop", 21: "duplicate"}


def feed(path: Path, *, shifted: set[int] = frozenset(), dropped: set[int] = frozenset(), added: int = 0,
         first_route: str = "R1", quoted: bool = False, tram_trip: bool = False,
         end_date: str = "20261231") -> Path:
    """40 trips of 5 stops on two routes in blocks of four (trips 0-3 of block B0 overlap), with quirks that
    give notices and quarantined records (QUIRKS); trip 30's lines are split in two runs; ``shifted`` trips a
    minute later, ``dropped`` left out, ``added`` new trips first in stop_times.txt (moving every later line),
    ``quoted`` quotes one field, ``tram_trip`` puts a new trip on the tram route R3."""
    trip_ids = [t for t in range(40) if t not in dropped] + list(range(100, 100 + added))
    trips = ["route_id,service_id,trip_id,block_id,shape_id"]
    times = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
    tail = []
    for t in sorted(trip_ids, key=lambda t: (t < 100, t)):
        route = "R3" if (tram_trip and t == 100) else (first_route if t % 2 == 0 else "R2")
        trips.append(f"{route},WD,T{t},B{t // 4},{'SH1' if t % 3 == 0 else ''}")
        lines = _trip_lines(t, 60 if t in shifted else 0, QUIRKS.get(t))
        if t == 30:  # split: its last two lines come at the end of the file
            lines, more = lines[:3], lines[3:]
            tail += more
        times += lines
    times += tail
    if quoted:  # one stop_id quoted (legal CSV): its block goes record by record
        fields = times[5].split(",")
        fields[3] = f'"{fields[3]}"'
        times[5] = ",".join(fields)
    files = {
        "agency.txt": ["agency_id,agency_name,agency_url,agency_timezone",
                       "A,Carried Bus,https://example.org,Europe/Prague"],
        "stops.txt": ["stop_id,stop_name,stop_lat,stop_lon"] + [f"{s},Stop {s},{la:.5f},{lo:.5f}" for s, la, lo in STOPS],
        "routes.txt": ["route_id,agency_id,route_short_name,route_type", "R1,A,1,3", "R2,A,2,3", "R3,A,3,0"],
        "trips.txt": trips, "stop_times.txt": times,
        "shapes.txt": ["shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence",
                       "SH1,50.6000,14.0000,1", "SH1,50.6100,14.0150,2", "SH1,50.6200,14.0300,3",
                       # used by no trip, and a point at 0,0 (left out of the line)
                       "SH2,0,0,1", "SH2,50.6000,14.0000,2", "SH2,50.6100,14.0150,3"],
        "calendar.txt": ["service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date",
                         f"WD,1,1,1,1,1,0,0,20260105,{end_date}"],
    }
    return write_feed(path, files)


def snapshot(conn, source_id: str, fv: int) -> dict:
    """What a version holds, by local keys: its notices, quarantined records and current unified rows."""
    notices = conn.execute(
        "SELECT code, severity, file_name, line_no, field_name, entity_key, message FROM lineage.notice "
        "WHERE feed_version_id = %s ORDER BY 1, 2, 3, 4, 5, 6, 7", (fv,)).fetchall()
    rejects = conn.execute(
        "SELECT file_name, line_no, reason_code, message, raw_text FROM lineage.rejected_record "
        "WHERE feed_version_id = %s ORDER BY 1, 2, 3", (fv,)).fetchall()
    journeys = conn.execute(
        "SELECT j.local_id, l.local_id, c.local_id, g.local_id, j.block_id, j.valid_from, j.valid_to "
        "FROM unified.journey j LEFT JOIN unified.line l ON l.id = j.line_id "
        "LEFT JOIN unified.service_calendar c ON c.id = j.service_calendar_id "
        "LEFT JOIN unified.route_geometry g ON g.id = j.route_geometry_id "
        "WHERE j.source_id = %s AND j.recorded_to IS NULL ORDER BY 1", (source_id,)).fetchall()
    calls = conn.execute(
        "SELECT j.local_id, c.sequence, p.local_id, p.recorded_to IS NULL, c.arrival_s, c.departure_s "
        "FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id "
        "LEFT JOIN unified.stop_point p ON p.id = c.stop_point_id "
        "WHERE c.source_id = %s AND c.recorded_to IS NULL ORDER BY 1, 2", (source_id,)).fetchall()
    places = conn.execute("SELECT local_id, kind FROM unified.stop_place WHERE source_id = %s "
                          "AND recorded_to IS NULL ORDER BY 1", (source_id,)).fetchall()
    return {"notices": notices, "rejects": rejects, "journeys": journeys, "calls": calls, "places": places}


def _load(src, path: Path, db_url: str) -> tuple:
    log: list[str] = []
    res = ingest(src, path, database_url=db_url, log=log.append)
    assert res.outcome == "loaded", res.reason
    return res, "\n".join(log)


def _whole(make_source, path: Path, db_url: str, conn, name: str) -> dict:
    res, log = _load(make_source("gtfs", id=name), path, db_url)
    assert "unchanged since" not in log
    return snapshot(conn, name, res.feed_version_id)


def test_a_version_carrying_its_unchanged_trips_holds_what_a_whole_load_holds(db_url, conn, make_source, tmp_path):
    src = make_source("gtfs", id="carry")
    _, first = _load(src, feed(tmp_path / "v1.zip"), db_url)
    assert "unchanged since" not in first
    v1_journeys = dict(conn.execute("SELECT local_id, id FROM unified.journey WHERE source_id = 'carry'").fetchall())
    # v2: two trips later (one with a quirk), one gone, two new ones first in the file (every later line moves)
    v2 = feed(tmp_path / "v2.zip", shifted={5, 8}, dropped={12}, added=2)
    res, log = _load(src, v2, db_url)
    assert "stop_times.txt: 36 of 41 trips unchanged since feed version" in log
    assert "shapes.txt: the same file as in feed version" in log
    got = snapshot(conn, "carry", res.feed_version_id)
    assert got == _whole(make_source, v2, db_url, conn, "carry_whole")
    # the quirks of carried trips were carried, at their new lines
    codes = {n[0] for n in got["notices"]}
    assert {"stop_time_with_arrival_before_previous_departure_time", "time_at_or_past_48h",
            "foreign_key_violation", "block_trips_with_overlapping_stop_times", "point_near_origin",
            "unused_shape"} <= codes
    assert {r[2] for r in got["rejects"]} == {"foreign_key_violation", "duplicate_key"}
    # carried journeys kept their identity; the changed, dropped and split ones did not stay
    now = dict(conn.execute("SELECT local_id, id FROM unified.journey WHERE source_id = 'carry' "
                            "AND recorded_to IS NULL").fetchall())
    assert now["T1"] == v1_journeys["T1"] and now["T30"] == v1_journeys["T30"]
    assert now["T5"] != v1_journeys["T5"] and "T12" not in now
    carried = conn.execute("SELECT count(*) FROM staging.gtfs_stop_times WHERE feed_version_id = %s",
                           (res.feed_version_id,)).fetchone()[0]
    assert carried < 40  # only the changed and new trips' lines (and the split trip's) were staged


def test_carried_trips_at_a_stop_whose_modes_change_are_staged_after_all(db_url, conn, make_source, tmp_path):
    src = make_source("gtfs", id="kinds")
    _load(src, feed(tmp_path / "v1.zip"), db_url)
    v2 = feed(tmp_path / "v2.zip", added=1, tram_trip=True)  # a tram now calls where only buses did
    res, log = _load(src, v2, db_url)
    assert "staging their lines after all" in log
    got = snapshot(conn, "kinds", res.feed_version_id)
    assert "mixed" in {k for _, k in got["places"]}
    assert got == _whole(make_source, v2, db_url, conn, "kinds_whole")


def test_an_irregular_file_is_staged_whole_and_changed_trip_records_are_not_carried(db_url, conn, make_source,
                                                                                       tmp_path):
    src = make_source("gtfs", id="whole")
    _load(src, feed(tmp_path / "v1.zip"), db_url)
    # a quoted field: that block is read record by record, so trips cannot be told apart there
    res, log = _load(src, feed(tmp_path / "v2.zip", shifted={5}, quoted=True), db_url)
    assert "staging every trip" in log
    assert snapshot(conn, "whole", res.feed_version_id) == _whole(
        make_source, tmp_path / "v2.zip", db_url, conn, "whole_quoted")
    # every even trip on another route: their trips.txt records changed, so none of them is carried
    src = make_source("gtfs", id="rerouted")
    _load(src, feed(tmp_path / "v1.zip"), db_url)
    res, log = _load(src, feed(tmp_path / "v3.zip", first_route="R3"), db_url)
    assert "20 of 40 trips unchanged since" in log  # the odd ones (trip 30, split, is even anyway)
    assert snapshot(conn, "rerouted", res.feed_version_id) == _whole(
        make_source, tmp_path / "v3.zip", db_url, conn, "rerouted_whole")


def test_trips_of_a_service_whose_calendar_changed_are_not_carried_and_unchanged_files_are_not_compared(
        db_url, conn, make_source, tmp_path):
    src = make_source("gtfs", id="recal")
    _load(src, feed(tmp_path / "v1.zip"), db_url)
    # only stop_times.txt differs: trips.txt and calendar.txt are the same bytes, so their records are not
    # compared; every trip but the shifted one and the split one (trip 30) is carried
    res, log = _load(src, feed(tmp_path / "v2.zip", shifted={5}), db_url)
    assert "38 of 40 trips unchanged since" in log
    # the one service ends earlier: its journeys are not those of the version before, none is carried
    res, log = _load(src, feed(tmp_path / "v3.zip", shifted={5}, end_date="20261130"), db_url)
    assert "trips unchanged since" not in log
    got = snapshot(conn, "recal", res.feed_version_id)
    assert {j[6] for j in got["journeys"]} == {__import__("datetime").date(2026, 11, 30)}
    whole = _whole(make_source, tmp_path / "v3.zip", db_url, conn, "recal_whole")
    assert got == whole


def test_shapes_unchanged_twice_are_checked_against_the_version_that_staged_them(db_url, conn, make_source,
                                                                                   tmp_path):
    """v2 takes v1's shapes.txt, v3 takes them again: v3's foreign keys to shapes and unused_shape are checked
    against v1's staged shapes (v2 staged none), not against nothing."""
    src = make_source("gtfs", id="shapes3")
    res1, _ = _load(src, feed(tmp_path / "v1.zip"), db_url)
    _, log2 = _load(src, feed(tmp_path / "v2.zip", shifted={5}), db_url)
    res3, log3 = _load(src, v3 := feed(tmp_path / "v3.zip", shifted={5, 9}), db_url)
    assert f"shapes.txt: the same file as in feed version {res1.feed_version_id}" in log2
    got = snapshot(conn, "shapes3", res3.feed_version_id)
    assert not [n for n in got["notices"] if n[0] == "foreign_key_violation" and n[4] == "shape_id"]
    assert "unused_shape" in {n[0] for n in got["notices"]}
    assert got == _whole(make_source, v3, db_url, conn, "shapes3_whole")
    assert f"shapes.txt: the same file as in feed version {res1.feed_version_id}" in log3
