"""Damaged CSV in a GTFS feed: every physical record is counted (rows_in == loaded + rejected per file) and no
valid record vanishes. A quote left open is one quarantined record (its first line) and the lines after it are
read on; a stray CR or a repeated column in a header is read; a line with a NUL byte or a bad UTF-8 byte is
quarantined and the file's other names stay right."""

from __future__ import annotations

import pytest

from tests.gtfs_files import write_feed
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

STOPS = ["stop_id,stop_name,stop_lat,stop_lon", "S1,Ústí nad Labem,50.66,14.03", "S2,Děčín,50.67,14.04",
         "S3,Žatec,50.68,14.05", "S4,Šluknov,50.69,14.06"]
TRIPS = ["route_id,service_id,trip_id,shape_id"] + [f"R1,WD,T{t},SH1" for t in range(12)]
TIMES = ["trip_id,arrival_time,departure_time,stop_id,stop_sequence"] + [
    f"T{t},{8 + t:02d}:{s * 5:02d}:00,{8 + t:02d}:{s * 5:02d}:00,S{s + 1},{s + 1}" for t in range(12) for s in range(4)]
SHAPES = ["shape_id,shape_pt_lat,shape_pt_lon,shape_pt_sequence"] + [
    f"SH1,{50.66 + i * 0.0001:.4f},{14.03 + i * 0.0001:.4f},{i + 1}" for i in range(300)]


def _load(tmp_path, make_source, db_url, name: str, **edits) -> tuple:
    files: dict = {"agency.txt": ["agency_id,agency_name,agency_url,agency_timezone",
                                  "A,Demo,https://x.invalid,Europe/Prague"],
                   "stops.txt": STOPS, "routes.txt": ["route_id,agency_id,route_short_name,route_type", "R1,A,1,3"],
                   "trips.txt": TRIPS, "stop_times.txt": TIMES, "shapes.txt": SHAPES,
                   "calendar.txt": ["service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,"
                                    "start_date,end_date", "WD,1,1,1,1,1,0,0,20260101,20261231"]}
    files.update(edits)
    res = ingest(make_source("gtfs", id=name, max_reject_ratio=1.0), write_feed(tmp_path / f"{name}.zip", files),
                 database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    for f, st in res.files.items():
        assert st["rows_in"] == st["rows_loaded"] + st["rows_rejected"], (f, st)
    return res, res.files


def _rejects(conn, fv: int) -> list:
    return conn.execute("SELECT file_name, line_no, reason_code FROM lineage.rejected_record WHERE feed_version_id "
                        "= %s ORDER BY 1, 2", (fv,)).fetchall()


def test_a_quote_left_open_quarantines_its_first_line_and_the_rest_is_read(tmp_path, db_url, conn, make_source):
    times = list(TIMES)
    times[-5] = times[-5].replace(",", ',"', 1)  # open to the end of the file, CRLF
    shapes = list(SHAPES)
    shapes[20] = shapes[20].replace(",", ',"', 1)  # closed by another stray quote 200 lines later
    shapes[220] = shapes[220].replace(",", ',"', 1)
    res, files = _load(tmp_path, make_source, db_url, "open_quote", **{
        "stop_times.txt": "\r\n".join(times) + "\r\n", "shapes.txt": shapes})
    assert files["stop_times.txt"]["rows_in"] == len(TIMES) - 1
    assert files["shapes.txt"]["rows_in"] == len(SHAPES) - 1
    assert files["shapes.txt"]["rows_loaded"] == len(SHAPES) - 3
    assert _rejects(conn, res.feed_version_id) == [
        ("shapes.txt", 21, "csv_parsing_failed"), ("shapes.txt", 221, "csv_parsing_failed"),
        ("stop_times.txt", len(TIMES) - 4, "csv_parsing_failed")]
    staged = conn.execute("SELECT count(*) FROM staging.gtfs_stop_times WHERE feed_version_id = %s",
                          (res.feed_version_id,)).fetchone()[0]
    assert staged == len(TIMES) - 2
    # a stray quote inside a field, paired by a quote left open three lines later (the fast path's csv.Error)
    stops = [STOPS[0], STOPS[1].replace("Ústí", 'Ús"tí'), STOPS[2], STOPS[3].replace(",", ',"', 1), STOPS[4]]
    res, files = _load(tmp_path, make_source, db_url, "stray_quote", **{"stops.txt": stops})
    assert [r for r in _rejects(conn, res.feed_version_id) if r[0] == "stops.txt"] == [
        ("stops.txt", 2, "csv_parsing_failed"), ("stops.txt", 4, "csv_parsing_failed")]
    assert files["stops.txt"]["rows_in"] == 4 and files["stops.txt"]["rows_loaded"] == 2


def test_a_column_appended_to_a_crlf_file_by_an_lf_tool_is_read(tmp_path, db_url, conn, make_source):
    """The header and every row carry a stray CR before the new column, and the column repeats a name."""
    stops = "".join(f"{line}\r,{'stop_name' if i == 0 else 'other'}\n" for i, line in enumerate(STOPS))
    res, files = _load(tmp_path, make_source, db_url, "stray_cr", **{"stops.txt": stops})
    assert files["stops.txt"]["rows_loaded"] == 4
    names = conn.execute("SELECT stop_id, stop_name, stop_lon FROM staging.gtfs_stops WHERE feed_version_id = %s "
                         "ORDER BY 1", (res.feed_version_id,)).fetchall()
    assert names[0] == ("S1", "Ústí nad Labem", 14.03)
    notices = conn.execute("SELECT code, line_no, field_name FROM lineage.notice WHERE feed_version_id = %s "
                           "AND file_name = 'stops.txt'", (res.feed_version_id,)).fetchall()
    assert ("duplicated_column", 1, "stop_name") in notices
    # the same with CRLF throughout (the fast path's header check sends it to the record-by-record path)
    crlf = "\r\n".join(f"{line},{'stop_name' if i == 0 else 'other'}" for i, line in enumerate(STOPS)) + "\r\n"
    res, files = _load(tmp_path, make_source, db_url, "dup_crlf", **{"stops.txt": crlf})
    assert files["stops.txt"]["rows_loaded"] == 4


def test_a_nul_or_bad_utf8_byte_quarantines_its_line_only(tmp_path, db_url, conn, make_source):
    stops = ("\n".join(STOPS) + "\n").encode().replace("Děčín".encode(), b"D\xffe\xc4\x8d\xc3\xadn")
    times = list(TIMES)
    times[8] = times[8].replace("S4", "S\x004")
    res, files = _load(tmp_path, make_source, db_url, "bad_bytes", **{"stops.txt": stops, "stop_times.txt": times})
    assert ("stops.txt", 3, "invalid_character") in _rejects(conn, res.feed_version_id)
    assert ("stop_times.txt", 9, "invalid_character") in _rejects(conn, res.feed_version_id)
    assert files["stops.txt"]["rows_in"] == 4 and files["stop_times.txt"]["rows_in"] == len(TIMES) - 1
    names = [r[0] for r in conn.execute("SELECT stop_name FROM staging.gtfs_stops WHERE feed_version_id = %s "
                                        "ORDER BY line_no", (res.feed_version_id,)).fetchall()]
    assert names == ["Ústí nad Labem", "Žatec", "Šluknov"]  # still UTF-8, not the whole file read as CP1250
    codes = {r[0] for r in conn.execute("SELECT code FROM lineage.notice WHERE feed_version_id = %s",
                                        (res.feed_version_id,)).fetchall()}
    assert "empty_row" not in codes and "encoding_recognised" not in codes


def test_values_with_leading_or_trailing_whitespace_are_read_trimmed(tmp_path, db_url, conn, make_source):
    """Hand-made feeds pad values ("T1, 08:00:00, S1"): ids are read trimmed, as the MobilityData validator reads
    them, so every stop time keeps its trip and stop, with a leading_or_trailing_whitespaces notice per value."""
    trips = [TRIPS[0]] + [r.replace(f"T{t}", f"T{t} ") for t, r in enumerate(TRIPS[1:])]  # trailing, unquoted
    times = [TIMES[0]] + [", ".join(r.split(",")) for r in TIMES[1:]]  # a space after every comma
    stops = [STOPS[0], '" S1 ",Ústí nad Labem,50.66,14.03', *STOPS[2:]]  # quoted, both sides
    res, files = _load(tmp_path, make_source, db_url, "padded", **{
        "trips.txt": trips, "stop_times.txt": times, "stops.txt": stops})
    assert files["stop_times.txt"]["rows_loaded"] == len(TIMES) - 1
    assert _rejects(conn, res.feed_version_id) == []
    calls = conn.execute("SELECT count(*), count(c.stop_point_id) FROM unified.call c JOIN unified.journey j "
                         "ON j.id = c.journey_id WHERE j.local_id ~ '^T[0-9]+$'").fetchone()
    assert calls == (len(TIMES) - 1, len(TIMES) - 1)
    assert conn.execute("SELECT local_id FROM unified.stop_point ORDER BY 1 LIMIT 1").fetchone() == ("S1",)
    # 12 trip ids; 4 padded values per stop time (the first field has none); the quoted stop id
    assert res.notices["leading_or_trailing_whitespaces (WARNING)"] == 12 + 4 * (len(TIMES) - 1) + 1


def test_more_bad_records_than_the_evidence_buffer_are_all_quarantined(tmp_path, db_url, conn, make_source):
    """6,000 invalid times (the buffer writes at 5,000): the load used to hang, writing its evidence on the
    connection its COPY held. Every bad record is quarantined with its line, every good one staged."""
    times = TIMES + [f"T{t % 12},8h{s:02d},08:{s:02d}:00,S1,{100 + t}" for t in range(6000) for s in (5,)]
    res, files = _load(tmp_path, make_source, db_url, "many_bad", **{"stop_times.txt": times})
    assert files["stop_times.txt"]["rows_rejected"] == 6000
    assert files["stop_times.txt"]["rows_loaded"] == len(TIMES) - 1
    lines = conn.execute("SELECT min(line_no), max(line_no), count(DISTINCT line_no) FROM lineage.rejected_record "
                         "WHERE feed_version_id = %s AND reason_code = 'invalid_time'", (res.feed_version_id,)).fetchone()
    assert lines == (len(TIMES) + 1, len(TIMES) + 6000, 6000)
