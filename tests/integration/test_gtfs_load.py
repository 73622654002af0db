"""GTFS loader end to end on generated feeds: staging, validation, unified mapping, departures."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

import holidays

from demo import municipal
from transport_etl.ingest.run import ingest


def _zip(path: Path, files: dict[str, str | bytes]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return path


def _current_fv(conn, source_id: str) -> int:
    return conn.execute("SELECT id FROM lineage.feed_version WHERE source_id = %s AND is_current",
                        (source_id,)).fetchone()[0]


def test_demo_feed_maps_stations_stops_calendars_and_lineage(db_url, conn, make_source, tmp_path):
    municipal.generate(tmp_path)
    src = make_source("gtfs", id="dpmul")
    res = ingest(src, tmp_path / municipal.FILE_NAME, database_url=db_url, log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    assert res.rows_rejected == 0
    feed = municipal.build_feed()
    fv = res.feed_version_id
    assert res.files["stop_times.txt"]["rows_loaded"] == len(feed["stop_times"]) - 1

    # The station is a stop place; its poles are stop points of it; other poles have their own place.
    place_of = dict(conn.execute(
        """SELECT pt.local_id, pl.local_id FROM unified.stop_point pt JOIN unified.stop_place pl ON pl.id = pt.stop_place_id
           WHERE pt.feed_version_id = %s""", (fv,)).fetchall())
    assert place_of["U101Z1"] == "U101S" and place_of["U101Z2"] == "U101S"
    assert place_of["U102Z1"] == "U102Z1"
    kinds = dict(conn.execute("SELECT local_id, kind FROM unified.stop_place WHERE feed_version_id = %s",
                              (fv,)).fetchall())
    assert kinds["U101S"] == "mixed"  # buses and trolleybuses call at the main station
    assert kinds["U111Z1"] == "trolleybus"
    # Positions in S-JTSK (Ústí nad Labem lies around x −760 km, y −975 km).
    xs = conn.execute("SELECT min(ST_X(geom)), max(ST_X(geom)), min(ST_Y(geom)), max(ST_Y(geom)) "
                      "FROM unified.stop_point WHERE feed_version_id = %s", (fv,)).fetchone()
    assert -775_000 < xs[0] < xs[1] < -750_000 and -985_000 < xs[2] < xs[3] < -960_000

    # The days a calendar runs (run_dates, listed by unified.service_date) = calendar weekdays in range,
    # minus removed, plus added (counted here independently). No per-date rows are stored for GTFS.
    cz = holidays.country_holidays("CZ", years=[2026, 2027])
    days = [municipal.START + dt.timedelta(d) for d in range((municipal.END - municipal.START).days + 1)]
    expect_pd = sum(1 for d in days if d.weekday() < 5 and d not in cz)
    expect_ne = sum(1 for d in days if d.weekday() == 6 or d in cz)
    got = dict(conn.execute(
        """SELECT c.local_id, count(*) FROM unified.service_date d JOIN unified.service_calendar c
           ON c.id = d.service_calendar_id WHERE d.feed_version_id = %s GROUP BY 1""", (fv,)).fetchall())
    assert got["PD"] == expect_pd and got["NE"] == expect_ne
    # unified.service_day is a view over the same run_dates (no stored per-date rows, 855): the same days.
    assert conn.execute("SELECT count(*) FROM unified.service_day WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0] == sum(got.values())
    assert conn.execute("SELECT relkind FROM pg_class WHERE oid = 'unified.service_day'::regclass").fetchone() == ("v",)
    workday = next(d for d in days if d.weekday() < 5 and d not in cz)
    sunday = next(d for d in days if d.weekday() == 6)
    assert conn.execute("SELECT run_dates @> %s::date, run_dates @> %s::date FROM unified.service_calendar "
                        "WHERE feed_version_id = %s AND local_id = 'PD'", (workday, sunday, fv)).fetchone() == (
        True, False)

    # Every unified row of the version has lineage naming its file and line.
    for table in ("operator", "stop_place", "stop_point", "line", "service_calendar", "route_geometry", "journey",
                  "call"):
        missing = conn.execute(
            f"""SELECT count(*) FROM unified.{table} u WHERE u.feed_version_id = %s AND NOT EXISTS (
                  SELECT 1 FROM lineage.row_source e WHERE e.unified_table = 'unified.{table}'
                  AND e.unified_id = u.id AND e.source_file IS NOT NULL AND e.source_line > 1)""", (fv,)).fetchone()[0]
        assert missing == 0, table
    assert conn.execute("SELECT count(*) FROM unified.route_geometry WHERE feed_version_id = %s "
                        "AND derived_from = 'shape'", (fv,)).fetchone()[0] == 8

    # Loading the same bytes again adds nothing.
    before = conn.execute("SELECT count(*) FROM unified.call").fetchone()[0]
    again = ingest(src, tmp_path / municipal.FILE_NAME, database_url=db_url, log=lambda _m: None)
    assert again.outcome == "skipped"
    assert conn.execute("SELECT count(*) FROM unified.call").fetchone()[0] == before
    assert conn.execute("SELECT count(*) FROM lineage.feed_version").fetchone()[0] == 1


QUIRKY = {
    "feed/agency.txt": "\ufeffagency_name,agency_url,agency_timezone\r\nDPmÚL,https://www.dpmul.cz,Europe/Prague\r\n",
    "feed/stops.txt": (
        "stop_id,stop_name,stop_lat,stop_lon,location_type,parent_station,platform_code,pole_colour\r\n"
        'A,"Hlavní nádraží, ""A""",50.65938,14.04446,0,,1,red\r\n'
        "B,Mírové náměstí,50.66095,14.03310,,,,\r\n"
        "Z,Nowhere,0,0,,,,\r\n"),
    "feed/routes.txt": "route_id,route_short_name,route_long_name,route_type\r\nR,31,,3\r\nN,,,3\r\n",
    "feed/trips.txt": "route_id,service_id,trip_id\r\nR,S,T1\r\nR,S,T2\r\n",
    "feed/stop_times.txt": (
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence\r\n"
        "T1,01:30:00,01:30:00,A,1\r\nT1,01:35:00,01:35:00,B,2\r\n"
        "T2,04:00:00,04:00:00,A,1\r\nT2,4:07:00,04:07:00,B,2\r\nT2,4:09:00,4:09:00,Z,3\r\n"
        "T2,25:61:00,25:61:00,B,4\r\n"),
    "feed/calendar.txt": ("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\r\n"
                          "S,0,0,0,0,0,0,1,20270321,20270404\r\n"),
    "feed/calendar_dates.txt": "service_id,date,exception_type\r\nS,20270404,2\r\nS,20270405,1\r\n\r\n",
    "feed/frequencies.txt": "trip_id,start_time,end_time,headway_secs\r\nT2,04:00:00,05:00:00,1200\r\n",
    "feed/readme.pdf": b"%PDF-1.4",
    "__MACOSX/feed/._stops.txt": b"\x00\x05",
}


def test_quirky_feed_keeps_extras_quarantines_bad_rows_and_never_places_origin(db_url, conn, make_source, tmp_path):
    src = make_source("gtfs", id="quirky", max_reject_ratio=0.5)
    res = ingest(src, _zip(tmp_path / "q.zip", QUIRKY), database_url=db_url, log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    fv = res.feed_version_id
    # The record with 25:61:00 is quarantined with its line, the rest loaded.
    rej = conn.execute("SELECT file_name, line_no, reason_code FROM lineage.rejected_record "
                       "WHERE feed_version_id = %s", (fv,)).fetchall()
    assert rej == [("stop_times.txt", 7, "invalid_time")]
    assert conn.execute("SELECT count(*) FROM staging.gtfs_stop_times WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0] == 5
    # Unknown columns kept; quoted names decoded; BOM stripped from the first header.
    row = conn.execute("SELECT stop_name, extra->>'pole_colour' FROM staging.gtfs_stops WHERE feed_version_id = %s "
                       "AND stop_id = 'A'", (fv,)).fetchone()
    assert row == ('Hlavní nádraží, "A"', "red")
    assert conn.execute("SELECT agency_name FROM staging.gtfs_agency WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0] == "DPmÚL"
    notices = {r[0] for r in conn.execute("SELECT code FROM lineage.notice WHERE feed_version_id = %s", (fv,))}
    assert {"unknown_file", "unknown_column", "point_near_origin", "empty_row",
            "route_both_short_and_long_name_missing"} <= notices
    files = dict(conn.execute("SELECT file_name, kind FROM staging.gtfs_file WHERE feed_version_id = %s", (fv,)))
    assert files["feed/readme.pdf"] == "unknown" and files["__MACOSX/feed/._stops.txt"] == "system"
    # Stop at 0,0: NULL geometry with a note, both as place and point; nothing in unified sits at the origin.
    z = conn.execute("SELECT geom IS NULL, location_note FROM unified.stop_place WHERE feed_version_id = %s "
                     "AND local_id = 'Z'", (fv,)).fetchone()
    assert z == (True, "point_near_origin")
    assert conn.execute("SELECT count(*) FROM unified.stop_point WHERE geom IS NOT NULL "
                        "AND ST_DWithin(ST_Transform(geom, 4326), 'SRID=4326;POINT(0 0)', 1)").fetchone()[0] == 0
    # No shapes: the path is the straight line through the placed stops, flagged as such.
    assert {r[0] for r in conn.execute("SELECT derived_from FROM unified.route_geometry WHERE feed_version_id = %s",
                                       (fv,))} == {"stop_sequence"}
    # The agency without agency_id is the operator of the routes without agency_id.
    assert conn.execute("SELECT count(*) FROM unified.line WHERE feed_version_id = %s AND operator_id IS NULL",
                        (fv,)).fetchone()[0] == 0


def test_departures_follow_the_noon_minus_12h_rule_across_dst_and_expand_frequencies(
        db_url, conn, make_source, tmp_path):
    src = make_source("gtfs", id="dst", max_reject_ratio=0.5)
    assert ingest(src, _zip(tmp_path / "q.zip", QUIRKY), database_url=db_url, log=lambda _m: None).outcome == "loaded"
    conn.execute("SET TIME ZONE 'UTC'")
    # 2027-03-28: clocks go 02:00 CET → 03:00 CEST. Noon is 10:00 UTC, so "00:00" is 22:00 UTC the day before.
    rows = conn.execute(
        """SELECT j.local_id, d.departure, d.frequency_based FROM unified.departures('2027-03-28', 'dst') d
           JOIN unified.journey j ON j.id = d.journey_id JOIN unified.stop_point p ON p.id = d.stop_point_id
           WHERE p.local_id = 'A' ORDER BY d.departure""").fetchall()
    utc = dt.UTC
    assert rows == [
        ("T1", dt.datetime(2027, 3, 27, 23, 30, tzinfo=utc), False),
        ("T2", dt.datetime(2027, 3, 28, 2, 0, tzinfo=utc), True),    # 04:00 CEST
        ("T2", dt.datetime(2027, 3, 28, 2, 20, tzinfo=utc), True),
        ("T2", dt.datetime(2027, 3, 28, 2, 40, tzinfo=utc), True),
    ]
    # A normal Sunday: 01:30 local is 00:30 UTC in winter time.
    first = conn.execute("SELECT min(departure) FROM unified.departures('2027-03-21', 'dst')").fetchone()[0]
    assert first == dt.datetime(2027, 3, 21, 0, 30, tzinfo=utc)
    # calendar_dates: 2027-04-04 removed, Monday 2027-04-05 added.
    assert conn.execute("SELECT count(*) FROM unified.departures('2027-04-04', 'dst')").fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM unified.departures('2027-04-05', 'dst')").fetchone()[0] > 0


def test_too_many_bad_rows_reject_the_version_and_keep_the_previous_one(db_url, conn, make_source, tmp_path):
    src = make_source("gtfs", id="thresh")
    municipal.generate(tmp_path)
    assert ingest(src, tmp_path / municipal.FILE_NAME, database_url=db_url, log=lambda _m: None).outcome == "loaded"
    good_fv = _current_fv(conn, "thresh")
    bad = dict(QUIRKY)
    bad["feed/stop_times.txt"] = ("trip_id,arrival_time,departure_time,stop_id,stop_sequence\r\n"
                                  "T1,xx,xx,A,1\r\nT1,yy,yy,B,2\r\nT2,04:00:00,04:00:00,A,1\r\n")
    res = ingest(src, _zip(tmp_path / "bad.zip", bad), database_url=db_url, log=lambda _m: None)
    assert res.outcome == "rejected" and res.reason_code == "error_threshold"
    assert _current_fv(conn, "thresh") == good_fv
    rejected_fv = res.feed_version_id
    assert conn.execute("SELECT count(*) FROM staging.gtfs_stops WHERE feed_version_id = %s",
                        (rejected_fv,)).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM lineage.rejected_record WHERE feed_version_id = %s "
                        "AND reason_code = 'invalid_time'", (rejected_fv,)).fetchone()[0] == 2


def test_missing_required_file_is_refused_with_the_file_named(db_url, conn, make_source, tmp_path):
    files = {k: v for k, v in QUIRKY.items() if not k.endswith("stop_times.txt")}
    res = ingest(make_source("gtfs", id="nost"), _zip(tmp_path / "m.zip", files), database_url=db_url,
                 log=lambda _m: None)
    assert res.outcome == "rejected" and res.reason_code == "missing_required_file"
    assert "stop_times.txt" in res.reason
    assert conn.execute("SELECT count(*) FROM unified.stop_place").fetchone()[0] == 0


BLOCKS_AND_HOPS = {
    "agency.txt": "agency_name,agency_url,agency_timezone\nDPmÚL,https://www.dpmul.cz,Europe/Prague\n",
    # Ústí hl.n. → Střekov (~1 km) → Děčín (~20 km away)
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nA,Ústí nad Labem hl.n.,50.6594,14.0447\n"
                 "B,Střekov,50.6560,14.0560\nC,Děčín hl.n.,50.7733,14.1975\n",
    "routes.txt": "route_id,route_short_name,route_type\n1,1,3\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                    "PD,1,1,1,1,1,0,0,20260101,20261231\n",
    # T1 and T2 overlap in block K; T3 follows T2; T4 overlaps T1 but in another block; T5 and T6 are
    # back to back (one ends as the other starts: no overlap).
    "trips.txt": "route_id,service_id,trip_id,block_id\n1,PD,T1,K\n1,PD,T2,K\n1,PD,T3,K\n1,PD,T4,L\n"
                 "1,PD,T5,M\n1,PD,T6,M\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n"
                      "T1,08:00:00,08:00:00,A,1\nT1,08:03:00,08:03:00,B,2\nT1,08:30:00,08:30:00,C,3\n"
                      "T2,08:20:00,08:20:00,A,1\nT2,08:50:00,08:50:00,C,2\n"
                      "T3,09:00:00,09:00:00,A,1\nT3,09:30:00,09:30:00,C,2\n"
                      "T4,08:10:00,08:10:00,A,1\nT4,08:40:00,08:40:00,C,2\n"
                      # B → C, ~19 km in 2 minutes: far over a bus's 150 km/h
                      "T5,10:00:00,10:00:00,B,1\nT5,10:02:00,10:02:00,C,2\n"
                      "T6,10:02:00,10:02:00,A,1\nT6,10:30:00,10:30:00,C,2\n",
}


def test_overlapping_block_trips_and_too_fast_hops_are_flagged(db_url, conn, make_source, tmp_path):
    src = make_source("gtfs", id="blocks")
    res = ingest(src, _zip(tmp_path / "b.zip", BLOCKS_AND_HOPS), database_url=db_url, log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    fv = res.feed_version_id
    blocks = conn.execute("SELECT entity_key, message FROM lineage.notice WHERE feed_version_id = %s "
                          "AND code = 'block_trips_with_overlapping_stop_times'", (fv,)).fetchall()
    assert blocks == [("T2", "trips T1 and T2 of block K overlap in time")]
    fast = conn.execute("SELECT line_no, entity_key FROM lineage.notice WHERE feed_version_id = %s "
                        "AND code = 'fast_travel_between_consecutive_stops'", (fv,)).fetchall()
    assert fast == [(12, "T5")]  # header is line 1; T1 A→B (1 km in 3 min) and the 30-min hops are fine


def test_a_block_of_simultaneous_trips_gives_one_notice_per_overlapping_trip(db_url, conn, make_source, tmp_path):
    # 200 trips of one block at the same time overlap in 19,900 pairs; each trip after the first is reported
    # once, with the earlier trip that ends last, so the notices grow with the trips, not with their pairs.
    n = 200
    files = dict(BLOCKS_AND_HOPS)
    files["trips.txt"] = "route_id,service_id,trip_id,block_id\n" + "".join(f"1,PD,T{i:03d},Z\n" for i in range(n))
    files["stop_times.txt"] = "trip_id,arrival_time,departure_time,stop_id,stop_sequence\n" + "".join(
        f"T{i:03d},08:00:00,08:00:00,A,1\nT{i:03d},08:30:00,08:30:00,C,2\n" for i in range(n))
    res = ingest(make_source("gtfs", id="crowd"), _zip(tmp_path / "z.zip", files), database_url=db_url,
                 log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    got = conn.execute("SELECT entity_key, message FROM lineage.notice WHERE feed_version_id = %s "
                       "AND code = 'block_trips_with_overlapping_stop_times' ORDER BY entity_key",
                       (res.feed_version_id,)).fetchall()
    assert got == [(f"T{i:03d}", f"trips T{i - 1:03d} and T{i:03d} of block Z overlap in time") for i in range(1, n)]
