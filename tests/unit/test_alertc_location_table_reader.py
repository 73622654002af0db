"""ISO 14819-3 exchange files: discovery in folders and zips, coordinates, offsets, names, roads."""

from __future__ import annotations

import zipfile

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.alertc_location_table.reader import Location, Problem, coordinate, read_table

POINTS_HEAD = "CID;TABCD;LCD;CLASS;TCD;STCD;JUNCTIONNUMBER;RNID;N1ID;N2ID;POL_LCD;OTHER_LCD;SEG_LCD;ROA_LCD;XCOORD;YCOORD"


def _write(folder, files: dict[str, str], encoding: str = "cp1250"):
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (folder / name).write_bytes(text.replace("\n", "\r\n").encode(encoding))
    return folder


def test_coordinates_in_exchange_format():
    assert coordinate("+01404523") == pytest.approx(14.04523)
    assert coordinate("-00012345") == pytest.approx(-0.12345)
    assert coordinate("50,66015") == pytest.approx(50.66015)
    assert coordinate("") is None


def test_points_with_offsets_names_and_road_numbers(tmp_path):
    folder = _write(tmp_path / "lt", {
        "points.dat": POINTS_HEAD + "\n"
                      "25;25;100;P;1;3;80;1;2;;9;;50;10;+01405600;+05060800\n"
                      "25;25;101;P;1;3;;1;3;;9;;50;10;+01410000;+05061000\n"
                      "25;25;102;P;1;3\n",                                  # trailing fields missing: read empty
        "POFFSETS.DAT": "CID;TABCD;LCD;NEG_OFF_LCD;POS_OFF_LCD\n25;25;100;;101\n25;25;101;100;\n",
        "ROADS.DAT": "CID;TABCD;LCD;CLASS;TCD;STCD;ROADNUMBER;RNID;N1ID;N2ID;POL_LCD;PES_LEV\n25;25;10;L;1;2;13;1;;;9;\n",
        "SEGMENTS.DAT": "CID;TABCD;LCD;CLASS;TCD;STCD;ROADNUMBER;RNID;N1ID;N2ID;ROA_LCD;SEG_LCD;POL_LCD\n"
                        "25;25;50;L;3;0;;1;;;10;;9\n",
        "NAMES.DAT": "CID;LID;NID;NAME;NCOMMENT;OFFICIAL\n25;1;1;I/13;;1\n25;1;2;Řehlovice;;1\n25;1;3;Žďár;;1\n",
        "TYPES.DAT": "CLASS;TCD;TNAME\n",
    })
    unused, items = read_table(folder, None, lambda *a: None)
    got = list(items)
    assert unused == ["TYPES.DAT"]
    pts = {x.lcd: x for x in got if isinstance(x, Location) and x.source_file.lower() == "points.dat"}
    assert pts[100].name == "Řehlovice" and pts[101].name == "Žďár"               # CP1250 decoded
    assert (pts[100].neg_off_lcd, pts[100].pos_off_lcd, pts[101].neg_off_lcd) == (None, 101, 100)
    assert pts[100].road_number == "I/13" and pts[100].junction_number == "80" and pts[100].type_code == "P1.3"
    assert -770_000 < pts[100].point[0] < -750_000 and pts[102].point is None
    roads = [x for x in got if isinstance(x, Location) and x.source_file == "ROADS.DAT"]
    assert roads[0].road_number == "I/13" and roads[0].cls == "L"


def test_offsets_in_points_file_and_zip_in_subfolder(tmp_path):
    folder = _write(tmp_path / "src" / "LT_v11", {
        "POINTS.DAT": POINTS_HEAD + ";NEG_OFF_LCD;POS_OFF_LCD\n25;25;7;P;1;3;;;;;;;;;14.1;50.6;;8\n"
                      "25;25;8;P;1;3;;;;;;;;;14.2;50.7;7;\n25;25;x9;P;1;3\n"}, "utf-8")
    z = tmp_path / "lt.zip"
    with zipfile.ZipFile(z, "w") as f:
        f.write(folder / "POINTS.DAT", "LT_v11/POINTS.DAT")
    _unused, items = read_table(z, None, lambda *a: None)
    got = list(items)
    locs = [x for x in got if isinstance(x, Location)]
    assert [(x.lcd, x.neg_off_lcd, x.pos_off_lcd) for x in locs] == [(7, None, 8), (8, 7, None)]
    (bad,) = [x for x in got if isinstance(x, Problem)]
    assert bad.line_no == 4 and bad.code == "invalid_row"


def test_without_points_the_table_is_refused_naming_what_is_there(tmp_path):
    folder = _write(tmp_path / "lt", {"ROADS.DAT": "CID;TABCD;LCD\n", "NAMES.DAT": "CID;LID;NID;NAME\n"})
    with pytest.raises(InputRejected, match=r"no POINTS.DAT among the exchange files \(NAMES.DAT, ROADS.DAT\)"):
        read_table(folder, None, lambda *a: None)
