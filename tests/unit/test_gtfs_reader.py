"""GTFS reader: times, dates, CSV quirks (BOM, CRLF, quoted multi-line fields), input layouts."""

import io
import re
import zipfile
from pathlib import Path

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.gtfs.reader import open_feed, parse_date, parse_time, records
from transport_etl.formats.gtfs.spec import SPECS

ROOT = Path(__file__).resolve().parents[2]


@pytest.mark.parametrize("text,seconds", [("0:00:00", 0), ("6:05:09", 21909), ("06:05:09", 21909),
                                          ("25:10:00", 90600), ("100:00:00", 360000)])
def test_parse_time_accepts_hours_past_midnight(text, seconds):
    assert parse_time(text) == seconds


@pytest.mark.parametrize("text", ["6:5:00", "06:60:00", "06:00:60", "06:00", "abc", "-1:00:00", "06:00:00:00"])
def test_parse_time_refuses_malformed(text):
    with pytest.raises(ValueError):
        parse_time(text)


def test_parse_date_checks_the_calendar():
    assert parse_date("20261224") == "2026-12-24"
    for bad in ("20260230", "2026-12-24", "2026122", "20261324"):
        with pytest.raises(ValueError):
            parse_date(bad)


def test_records_handle_bom_crlf_and_quoted_newlines():
    raw = '\ufeffstop_id,stop_name\r\nU1,"Hlavní ""nádraží"""\r\nU2,"two\r\nlines"\r\nU3,x\r\n'.encode()
    rows = list(records(io.BytesIO(raw)))
    assert rows[0] == (1, ["stop_id", "stop_name"])
    assert rows[1] == (2, ["U1", 'Hlavní "nádraží"'])
    assert rows[2] == (3, ["U2", "two\r\nlines"])
    assert rows[3] == (5, ["U3", "x"])  # the record after a two-line field starts on physical line 5


def _zip(path: Path, names: dict[str, str]) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for n, body in names.items():
            zf.writestr(n, body)
    return path


def test_open_feed_finds_the_feed_in_a_nested_folder_and_classifies_the_rest(tmp_path):
    z = _zip(tmp_path / "f.zip", {"feed/inner/stops.txt": "stop_id\n", "feed/inner/trips.txt": "trip_id\n",
                                  "feed/inner/notes/ok.txt": "x", "feed/inner/LICENSE.txt": "x",
                                  "__MACOSX/feed/inner/._stops.txt": "x"})
    kinds = {e.name: (e.kind, e.gtfs_name) for e in open_feed(z)}
    assert kinds["feed/inner/stops.txt"] == ("gtfs", "stops.txt")
    assert kinds["feed/inner/notes/ok.txt"] == ("unknown", None)
    assert kinds["feed/inner/LICENSE.txt"] == ("unknown", None)
    assert kinds["__MACOSX/feed/inner/._stops.txt"] == ("system", None)


def test_open_feed_reads_a_folder(tmp_path):
    (tmp_path / "stops.txt").write_text("stop_id\n")
    (tmp_path / "desktop.ini").write_text("x")
    kinds = {e.name: e.kind for e in open_feed(tmp_path)}
    assert kinds == {"stops.txt": "gtfs", "desktop.ini": "system"}


def test_open_feed_refuses_a_file_that_is_not_a_zip(tmp_path):
    p = tmp_path / "feed.zip"
    p.write_bytes(b"not a zip file")
    with pytest.raises(InputRejected, match="not a readable zip"):
        open_feed(p)


def test_staging_ddl_has_every_spec_column():
    ddl = (ROOT / "schemas" / "100_gtfs_staging.sql").read_text()
    sqlt = {"text": "text", "int": "integer", "float": "double precision", "date": "date", "time": "text",
            "enum": "smallint"}
    for spec in SPECS:
        block = re.search(rf"CREATE TABLE IF NOT EXISTS {re.escape(spec.table)} \((.*?)\n\);", ddl, re.S)
        assert block, spec.table
        cols = dict(re.findall(r"^\s+(\w+) ([a-z ]+?)(?: NOT NULL)?,?$", block.group(1), re.M))
        for col, kind in spec.columns:
            assert cols.get(col) == sqlt[kind], (spec.table, col)
            if kind == "time":  # seconds beside the published text
                assert f"{col}_s integer GENERATED ALWAYS" in block.group(1), (spec.table, col)
        assert {"feed_version_id", "line_no", "extra"} <= set(cols)
