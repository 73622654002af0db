"""GTFS rows that leave out trailing optional fields are read with them empty and reported as a warning,
never lost; a row with more fields than the header is still quarantined."""

from __future__ import annotations

import zipfile

import pytest

from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

FILES = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone,agency_lang,agency_phone\nA,Demo,https://x.invalid,"
                  "Europe/Prague\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon,zone_id,stop_url\nS1,One,50.66,14.03\nS2,Two,50.67,14.04,,\n"
                 "S3,\"Three, quoted\",50.68,14.05\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type,route_color\nR1,A,1,,3\n",
    "trips.txt": "route_id,service_id,trip_id,trip_headsign,direction_id,block_id\nR1,WD,T1\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence,pickup_type,drop_off_type\n"
                      "T1,08:00:00,08:00:00,S1,1\nT1,08:05:00,08:05:00,S2,2,0,0\nT1,08:09:00,08:09:00,S3,3\n"
                      "T1,08:10:00,08:10:00,S3,4,0,0,extra\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                    "WD,1,1,1,1,1,0,0,20260101,20261231\n",
}


def test_short_rows_are_kept_with_a_warning(tmp_path, db_url, conn, make_source):
    feed = tmp_path / "handmade.zip"
    with zipfile.ZipFile(feed, "w") as z:
        for name, text in FILES.items():
            z.writestr(name, text)
    res = ingest(make_source("gtfs", id="handmade", max_reject_ratio=1.0), feed, database_url=db_url,
                 run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    assert conn.execute("SELECT count(*) FROM staging.gtfs_stops").fetchone()[0] == 3
    assert conn.execute("SELECT count(*) FROM staging.gtfs_trips").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM staging.gtfs_stop_times").fetchone()[0] == 3
    warned = conn.execute("""SELECT file_name, line_no FROM lineage.notice WHERE code = 'invalid_row_length'
                             AND severity = 'WARNING' ORDER BY file_name, line_no""").fetchall()
    assert warned == [("agency.txt", 2), ("routes.txt", 2), ("stop_times.txt", 2), ("stop_times.txt", 4),
                      ("stops.txt", 2), ("stops.txt", 4), ("trips.txt", 2)]
    rejected = conn.execute("SELECT file_name, line_no, reason_code FROM lineage.rejected_record").fetchall()
    assert rejected == [("stop_times.txt", 5, "invalid_row_length")]
    assert conn.execute("SELECT stop_name FROM staging.gtfs_stops WHERE stop_id = 'S3'").fetchone() == ("Three, quoted",)
