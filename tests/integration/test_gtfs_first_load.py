"""The GTFS first-load fast paths (issue 11) keep the model exact: calls written from the ordered stop-time
pass, calendars sharing a weekday pattern computed once, time zones checked in one pass, bulk staging tables
unlogged."""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from transport_etl.ingest.run import ingest

CALENDAR = ("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
            "WK1,1,1,1,1,1,0,0,20270301,20270331\n"
            "WK2,1,1,1,1,1,0,0,20270301,20270331\n"  # same pattern as WK1, other exceptions
            "TUSA,0,1,0,0,0,1,0,20270301,20270331\n"
            "DAILY,1,1,1,1,1,1,1,20270310,20270315\n")
CALENDAR_DATES = ("service_id,date,exception_type\n"
                  "WK1,20270303,2\n"   # a Wednesday removed from WK1 only
                  "WK2,20270306,1\n"   # a Saturday added to WK2 only
                  "ONLY,20270320,1\n")
# Trips listed out of trip_id order, one trip's stop times split in two blocks of the file, sequences unordered.
TRIPS = "route_id,service_id,trip_id\nR,WK1,t9\nR,WK2,T10\nR,TUSA,a1\nR,DAILY,t2\nR,ONLY,B5\n"
STOP_TIMES = ("trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type,timepoint\n"
              "t9,08:00:00,08:00:00,S1,1,0,0,1\n"
              "t9,08:10:00,08:10:00,S2,2,,1,0\n"
              "T10,09:00:00,09:00:00,S2,1,0,0,1\n"
              "a1,10:00:00,10:00:00,S1,5,0,0,1\n"
              "a1,10:05:00,10:05:00,S2,7,0,0,1\n"
              "t2,11:00:00,11:00:00,S1,1,0,0,1\n"
              "T10,09:10:00,09:12:00,S1,2,1,0,1\n"
              "B5,12:10:00,12:10:00,S2,2,0,0,1\n"
              "B5,12:00:00,12:00:00,S1,1,0,0,1\n")


def _feed(path: Path) -> Path:
    files = {"agency.txt": "agency_name,agency_url,agency_timezone\nA,https://a.example,Europe/Prague\n",
             "stops.txt": ("stop_id,stop_name,stop_lat,stop_lon,stop_timezone\n"
                           "S1,One,50.66,14.04,Europe/Prague\nS2,Two,50.67,14.05,Mars/Olympus\n"),
             "routes.txt": "route_id,route_short_name,route_type\nR,1,3\n",
             "trips.txt": TRIPS, "stop_times.txt": STOP_TIMES, "calendar.txt": CALENDAR,
             "calendar_dates.txt": CALENDAR_DATES}
    with zipfile.ZipFile(path, "w") as zf:
        for name, body in files.items():
            zf.writestr(name, body)
    return path


def _days(first: dt.date, last: dt.date, weekdays: set[int]) -> set[dt.date]:
    return {first + dt.timedelta(i) for i in range((last - first).days + 1)
            if (first + dt.timedelta(i)).weekday() in weekdays}


def test_first_load_calls_calendars_and_staging(db_url, conn, make_source, tmp_path):
    res = ingest(make_source("gtfs", id="first-load"), _feed(tmp_path / "feed.zip"), database_url=db_url,
                 log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    fv = res.feed_version_id

    # Every stop time became one call of its own trip, with its own times, stop and flags.
    calls = conn.execute(
        """SELECT j.local_id, c.sequence, c.arrival_s, c.departure_s, p.local_id, c.pickup_type, c.drop_off_type,
                  c.timepoint, c.source_line, c.local_id
           FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
           JOIN unified.stop_point p ON p.id = c.stop_point_id WHERE c.feed_version_id = %s""", (fv,)).fetchall()
    expected = set()
    for line_no, rec in enumerate(STOP_TIMES.splitlines()[1:], start=2):
        trip, arr, dep, stop, seq, pick, drop, tp = rec.split(",")
        secs = [sum(int(x) * m for x, m in zip(t.split(":"), (3600, 60, 1), strict=True)) for t in (arr, dep)]
        expected.add((trip, int(seq), *secs, stop, int(pick) if pick else None, int(drop), int(tp), line_no,
                      f"{trip}:{seq}"))
    assert set(calls) == expected and len(calls) == len(expected)

    # Journey ids follow trip_id byte order and calls are written journey by journey, sequence by sequence:
    # the order that lets the call key (journey_id, sequence) grow at its right edge.
    trips = [r[0] for r in conn.execute("SELECT local_id FROM unified.journey WHERE feed_version_id = %s "
                                        "ORDER BY id", (fv,)).fetchall()]
    assert trips == sorted(trips, key=str.encode) == ["B5", "T10", "a1", "t2", "t9"]
    order = conn.execute("SELECT journey_id, sequence FROM unified.call WHERE feed_version_id = %s ORDER BY id",
                         (fv,)).fetchall()
    assert order == sorted(order)

    # Calendars sharing weekdays and range (WK1, WK2) keep their own exceptions.
    runs = {sid: set() for sid in ("WK1", "WK2", "TUSA", "DAILY", "ONLY")}
    for sid, day in conn.execute(
            """SELECT c.local_id, d.service_date FROM unified.service_date d
               JOIN unified.service_calendar c ON c.id = d.service_calendar_id WHERE d.feed_version_id = %s""",
            (fv,)).fetchall():
        runs[sid].add(day)
    march = (dt.date(2027, 3, 1), dt.date(2027, 3, 31))
    assert runs["WK1"] == _days(*march, {0, 1, 2, 3, 4}) - {dt.date(2027, 3, 3)}
    assert runs["WK2"] == _days(*march, {0, 1, 2, 3, 4}) | {dt.date(2027, 3, 6)}
    assert runs["TUSA"] == _days(*march, {1, 5})
    assert runs["DAILY"] == _days(dt.date(2027, 3, 10), dt.date(2027, 3, 15), set(range(7)))
    assert runs["ONLY"] == {dt.date(2027, 3, 20)}

    # Unknown time zones are named where they are used, known ones are not.
    assert conn.execute("SELECT file_name, line_no, entity_key FROM lineage.notice WHERE feed_version_id = %s "
                        "AND code = 'invalid_timezone'", (fv,)).fetchall() == [("stops.txt", 3, "Mars/Olympus")]

    # The bulk staging tables are unlogged (read only by the load that writes them); the rest stay logged.
    persistence = dict(conn.execute(
        "SELECT relname, relpersistence FROM pg_class WHERE relnamespace = 'staging'::regnamespace "
        "AND relkind = 'r' AND relname IN ('gtfs_stop_times', 'gtfs_shapes', 'gtfs_trips', 'gtfs_stops')").fetchall())
    assert persistence == {"gtfs_stop_times": "u", "gtfs_shapes": "u", "gtfs_trips": "p", "gtfs_stops": "p"}
