"""Parking column mapping, Czech number/time formats, and record problems, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.parking import reader


def _map(**columns):
    return reader.ColumnMap.from_options({"columns": columns})


def test_csv_semicolon_decimal_comma_local_time():
    m = _map(id="ID", free="VOLNO", capacity="KAP", timestamp="CAS", lat="LAT", lon="LON")
    text = "ID;KAP;VOLNO;CAS;LAT;LON\nP1;120;35;2.3.2026 8:00;50,66;14,03\n"
    (r,) = list(reader.read_csv(text, m))
    assert (r["facility_id"], r["capacity"], r["free_places"], r["line_no"]) == ("P1", 120, 35, 2)
    assert (r["x"], r["y"], r["srid"]) == (14.03, 50.66, 4326)
    assert r["observed_at"] == dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)  # CET = UTC+1


def test_xy_in_krovak_and_occupied_instead_of_free():
    m = reader.ColumnMap.from_options({"columns": {"x": "X", "y": "Y", "occupied": "OBS", "crs": "EPSG:5514"}})
    (r,) = list(reader.read_csv("id,capacity,OBS,X,Y\nA,10,4,-744000,-972000\n", m))
    assert (r["free_places"], r["srid"], r["x"]) == (6, 5514, -744000.0)


def test_bad_values_become_problems_with_their_line():
    m = _map()
    recs = list(reader.read_csv("id,capacity,free,lat,lon\nA,10,-1,50,14\n,5,1,50,14\nC,1.5,,50,14\n", m))
    assert [(p.line_no, p.code) for p in recs] == [(2, "invalid_value"), (3, "missing_required_field"),
                                                   (4, "invalid_value")]


def test_mapping_and_file_errors_refuse_the_input():
    with pytest.raises(InputRejected, match="unknown fields"):
        reader.ColumnMap.from_options({"columns": {"identifier": "x"}})
    with pytest.raises(InputRejected, match="no position columns"):
        list(reader.read_csv("id,name\nA,B\n", _map()))
    with pytest.raises(InputRejected, match="not a FeatureCollection"):
        list(reader.read_geojson({"type": "Feature"}, _map()))


def test_geojson_point_and_epoch_time():
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 7, "free": 3, "timestamp": "1772442000"},
         "geometry": {"type": "Point", "coordinates": [14.03, 50.66]}}]}
    (r,) = list(reader.read_geojson(doc, _map()))
    assert (r["facility_id"], r["srid"], r["observed_at"].hour) == ("7", 4326, 9)


HEAD = "id;name;capacity;free;timestamp;lat;lon\n"


def _row(i: int, name: str = "P") -> str:
    return f"P{i};{name};10;5;2026-03-02 07:00;50,66;14,03\n"


def test_unterminated_quote_loses_only_its_first_line():
    text = HEAD + _row(1) + _row(2, '"Broken') + "".join(_row(i) for i in range(3, 21))
    recs = list(reader.read_csv(text, _map()))
    bad = [r for r in recs if not isinstance(r, dict)]
    assert [(p.code, p.line_no) for p in bad] == [("unterminated_quote", 3)]
    good = [r for r in recs if isinstance(r, dict)]
    assert [r["line_no"] for r in good] == [2, *range(4, 22)] and all(r["name"] == "P" for r in good)


def test_quoted_newline_keeps_the_record_and_its_first_line():
    text = HEAD + _row(1) + 'P2;"two\nlines";10;5;2026-03-02 07:00;50,66;14,03\n' + _row(3)
    recs = list(reader.read_csv(text, _map()))
    assert [(r["facility_id"], r["line_no"]) for r in recs] == [("P1", 2), ("P2", 3), ("P3", 5)]
    assert recs[1]["name"] == "two\nlines"


def test_wrong_field_count_is_quarantined_trailing_empty_fields_are_not():
    text = HEAD + "P1;P;10\n" + _row(2).rstrip("\n") + ";extra;x\n" + _row(3).rstrip("\n") + ";;\n"
    recs = list(reader.read_csv(text, _map()))
    assert [(p.code, p.line_no, p.message) for p in recs[:2]] == [
        ("invalid_row_length", 2, "3 fields where the header has 7"),
        ("invalid_row_length", 3, "9 fields where the header has 7")]
    assert recs[2]["facility_id"] == "P3"


def test_dst_gap_is_refused_and_fold_is_noted():
    text = HEAD + "A;P;10;5;2026-03-29 02:30;50,66;14,03\nB;P;10;5;2026-10-25 02:30;50,66;14,03\n"
    gap, (fold, note) = list(reader.read_csv(text, _map()))
    assert gap.code == "invalid_value" and "does not exist" in gap.message and gap.line_no == 2
    assert fold["observed_at"].utcoffset() == dt.timedelta(hours=2)
    assert (note.code, note.severity, note.line_no) == ("ambiguous_local_time", "WARNING", 3)


class _Ctx:
    def __init__(self):
        from types import SimpleNamespace

        self.source = SimpleNamespace(options={}, format="parking")
        self.rejects: list[tuple] = []
        self.notices: list[str] = []

    def reject(self, file_name, line_no, code, message, raw=None, size_bytes=None):
        self.rejects.append((line_no, code))

    def file(self, name):  # per-file counts (the shared line rejecter counts the lines it blanks)
        from transport_etl.ingest.context import FileStats

        return self.__dict__.setdefault("_files", {}).setdefault(name, FileStats())

    def notice(self, code, severity, message, **kw):
        self.notices.append(code)


def test_csv_is_read_through_the_shared_line_path(tmp_path):
    # a 200 KB line, a NUL and a bad UTF-8 byte: each its own line quarantined, the file stays UTF-8
    lines = [HEAD, _row(1), _row(2, "x" * 200_000), _row(3, "N\x00L"), _row(4, "Ústí"), _row(5)]
    p = tmp_path / "p.csv"
    p.write_bytes("".join(lines).encode("utf-8").replace("Ústí".encode(), b"\xdasti"))
    ctx = _Ctx()
    kind, recs = reader.read(p, _map(), ctx=ctx)
    good = [r for r in recs if isinstance(r, dict)]
    assert kind == "csv" and [r["line_no"] for r in good] == [2, 6]
    assert sorted(ctx.rejects) == [(3, "line_too_long"), (4, "invalid_character"), (5, "invalid_character")]
    assert "encoding_recognised" not in ctx.notices
    with pytest.raises(InputRejected, match="line 3"):   # without a ctx (a poll) such a line refuses the file
        list(reader.read(p, _map())[1])
