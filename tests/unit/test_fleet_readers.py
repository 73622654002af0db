"""Fleet telemetry readers: the catalog's column mapping, the text each reader streams to staging (typing
and checks are SQL: tests/integration/test_fleet_staging.py), line numbers of the CSV fast path, GPX tracks
and hostile XML."""

from __future__ import annotations

import io

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.fleet_telemetry import fastcopy, reader
from transport_etl.mapped_records import ColumnMap
from transport_etl.problems import Problem


def test_unknown_mapping_field_or_unit_refuses_the_source():
    with pytest.raises(InputRejected, match="unknown fields driver"):
        ColumnMap.from_options({"columns": {"driver": "ridic"}}, reader.FIELDS)
    with pytest.raises(InputRejected, match="speed='furlongs'"):
        ColumnMap.from_options({"units": {"speed": "furlongs"}}, reader.FIELDS)


def test_json_lines_stream_their_mapped_fields_and_a_broken_line_is_a_problem(tmp_path):
    f = tmp_path / "export.jsonl"
    f.write_text('{"vehicle_id": "EV2", "timestamp": 1767600000, "lat": 50.64, "lon": 13.83, "charging": true}\n'
                 '{"vehicle_id": "EV2", "timestamp": 1767600015\n'
                 '[1, 2]\n', encoding="utf-8")
    m = ColumnMap.from_options({}, reader.FIELDS, reader.DEFAULTS)
    first, *rest = reader.read_tabular(f, m.columns)
    line_no, _raw, fields = first
    assert line_no == 1 and dict(zip(reader.FIELDS, fields, strict=True)) == {
        "vehicle": "EV2", "time": "1767600000", "lat": "50.64", "lon": "13.83", "x": None, "y": None, "speed": None,
        "odometer": None, "soc": None, "charging": "1"}
    assert [(p.line_no, p.code) for p in rest if isinstance(p, Problem)] == [(2, "invalid_record"), (3, "invalid_record")]


def _numbered(text: bytes, ncols: int) -> list[bytes]:
    return b"".join(fastcopy._numbered(io.BytesIO(text), b";", ncols)).splitlines()


def test_fast_path_numbers_physical_lines_skips_blank_ones_and_fits_records_to_the_header():
    body = b"a;1;x\r\nb;2;y\r\n\r\n  \r\nc;3\r\nd;4;z;extra\r\n\"e;5\";6;w\r\nf;6;v"
    assert _numbered(body, 3) == [b"2;a;1;x", b"3;b;2;y", b"6;c;3;", b"7;d;4;z", b'8;"e;5";6;w', b"9;f;6;v"]
    plain = b"".join(b"v;%d;t\n" % i for i in range(1000))
    assert _numbered(plain, 3)[-1] == b"1001;v;999;t"


@pytest.mark.parametrize("body", [b'a;"two\nlines";x\n', b"a;1\rb;2\n"])
def test_fast_path_gives_way_to_the_record_by_record_reader(body):
    with pytest.raises(fastcopy.Fallback):
        _numbered(body, 3)


GPX = """<?xml version="1.0" encoding="UTF-8"?>
<gpx version="1.1" creator="phone" xmlns="http://www.topografix.com/GPX/1/1"><trk><trkseg>
<trkpt lat="50.6617" lon="14.0352"><time>2026-01-05T07:00:00Z</time></trkpt>
<trkpt lat="50.6610" lon="14.0336"><time>2026-01-05T07:00:15Z</time><speed>8.3</speed></trkpt>
</trkseg></trk></gpx>
"""


def test_gpx_track_points_with_vehicle_from_the_file_name(tmp_path):
    f = tmp_path / "KUUK-21_2026-01.gpx"
    f.write_text(GPX, encoding="utf-8")
    assert reader.gpx_vehicle(f, None) == "KUUK-21"
    rows = list(reader.read_gpx(f))
    assert [(n, fields[1:4], fields[6]) for n, _raw, fields in rows] == [
        (3, ("2026-01-05T07:00:00Z", "50.6617", "14.0352"), None),
        (4, ("2026-01-05T07:00:15Z", "50.6610", "14.0336"), "8.3")]


def test_gpx_with_a_doctype_is_refused(tmp_path):
    f = tmp_path / "bomb.gpx"
    f.write_text('<?xml version="1.0"?><!DOCTYPE gpx [<!ENTITY a "aaaa">]><gpx>&a;</gpx>', encoding="utf-8")
    with pytest.raises(InputRejected, match="DTD"):
        list(reader.read_gpx(f))


def test_utf16_csv_is_recognised_and_a_multiline_quoted_header_keeps_physical_line_numbers(tmp_path):
    f = tmp_path / "export.csv"
    f.write_bytes('vehicle_id;"time\nstamp";lat\nEV1;2026-01-05 08:00:00;50,64\n'.encode("utf-16"))
    m = ColumnMap.from_options({"columns": {"time": "time\nstamp"}}, reader.FIELDS, reader.DEFAULTS)
    ((line_no, _raw, fields),) = list(reader.read_tabular(f, m.columns))
    assert line_no == 3 and fields[:3] == ("EV1", "2026-01-05 08:00:00", "50,64")


def test_an_over_long_line_is_never_read_whole(tmp_path):
    f = tmp_path / "export.csv"
    f.write_bytes(b"vehicle_id;timestamp\nEV1;2026-01-05 08:00:00\n" + b"9" * 100_000 + b"\n")
    # without a load to quarantine it in, the shared line rule refuses the file, naming the line
    with pytest.raises(InputRejected, match="line 3: too long"):
        list(reader.read_tabular(f, ColumnMap.from_options({}, reader.FIELDS, reader.DEFAULTS).columns))
    # the COPY fast path reads through the same cap: without a quarantine callback it hands the file to
    # the record path before anything reaches the server
    with pytest.raises(fastcopy.Fallback, match="line 3: too_long"):
        fastcopy.stage_csv(None, f, {}, None, "UTF-8")
