"""SR70 CSV reading: CP1250, quoted fields holding ';', decimal commas, WGS84 strings, zero positions."""

from __future__ import annotations

from pathlib import Path

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.sr70 import reader

HEADER = ("Evidenční číslo;Název;Kvalifikátor;Kvalifikátor - popis;Stav;Stav - popis;Km poloha;"
          "X [S-JTSK (-Y)];Y [S-JTSK (-X)];GPS N (DEG);GPS E (DEG);VÚSC;Dálkové řízení")


def _write(tmp_path: Path, lines: list[str], encoding: str = "cp1250") -> Path:
    p = tmp_path / "sr70.csv"
    p.write_bytes(("\n".join([HEADER, *lines]) + "\n").encode(encoding))
    return p


def test_quoted_semicolons_cp1250_names_and_positions(tmp_path):
    p = _write(tmp_path, [
        '531798;Ústí nad Labem hlavní nádraží;01;Železniční stanice;1;Aktivní;"1,214; 1,214";'
        '-760553,123;-976317,209;N50,659150°;E14,044078°;0420;-',
        "558981;Velké Žernoseky zastávka;61;Zastávka;2;Evidován;414,600;0,000;0,000;N0,000000°;E0,000000°;0420;-",
        "005041;Česká Kamenice-KŽC;01;Železniční stanice;4;Zrušen;24,959;-732575,487;-964885,958;N50,795835°;"
        "E14,414013°;0420;-",
    ])
    rows = list(reader.read(p))
    assert [type(r) for r in rows] == [reader.Sr70Row] * 3
    usti, zernoseky, kamenice = rows
    assert usti.line_no == 2 and usti.values["name"] == "Ústí nad Labem hlavní nádraží"
    assert usti.values["km"] == "1,214; 1,214"
    assert (usti.x, usti.y) == (-760553.123, -976317.209)
    assert (usti.lat, usti.lon) == (50.65915, 14.044078)
    assert usti.is_passenger and usti.sr70_5 == "53179" and usti.check_ok is True
    assert usti.extra == {"Dálkové řízení": "-"}
    assert (zernoseky.x, zernoseky.y, zernoseky.lat) == (None, None, None)
    assert zernoseky.location_note == "no_coordinates_in_source" and zernoseky.is_passenger
    assert not kamenice.is_passenger  # abolished


def test_line_numbers_count_physical_lines_of_multiline_records(tmp_path):
    p = _write(tmp_path, [
        '531798;Ústí;01;Železniční stanice;1;Aktivní;"1,214;\n1,214";-760553,123;-976317,209;N50,6°;E14,0°;0420;-',
        "532895;Teplice v Čechách;01;Železniční stanice;1;Aktivní;18,118;-775783,279;-975539,263;N50,6°;E13,8°;0420;-",
    ])
    assert [r.line_no for r in reader.read(p)] == [2, 4]


def test_bad_records_are_returned_for_quarantine(tmp_path):
    p = _write(tmp_path, [
        "53179;Short code;01;x;1;x;0;-760553,123;-976317,209;N50,6°;E14,0°;0420;-",
        "531798;Too few fields;01",
        "532895;Bad number;01;x;1;x;0;-77x;-975539,263;N50,6°;E13,8°;0420;-",
    ])
    codes = [r[1] for r in reader.read(p)]
    assert codes == ["invalid_sr70_code", "wrong_field_count", "invalid_number"]


ROW = "531798;Ústí nad Labem hl.n.;01;x;1;x;0;-760553,123;-976317,209;N50,6°;E14,0°;0420;-"
ROW2 = "532895;Teplice v Čechách;01;x;1;x;0;-775783,279;-975539,263;N50,6°;E13,8°;0420;-"


@pytest.mark.parametrize("encoding", ["utf-8", "iso8859-2", "cp1250"])
def test_the_bytes_say_the_encoding_whatever_the_catalog_declares(tmp_path, encoding):
    """UTF-8 and ISO-8859-2 registers are read as what they are (shared recognition), not as CP1250."""
    p = _write(tmp_path, [ROW, ROW2.replace("Teplice v Čechách", "Šluknov, Žatec")], encoding=encoding)
    names = [r.values["name"] for r in reader.read(p, "CP1250")]
    assert names == ["Ústí nad Labem hl.n.", "Šluknov, Žatec"]


def test_kvalifikator_without_its_leading_zero_is_still_a_station(tmp_path):
    assert reader.is_passenger_point("1", "1") and reader.is_passenger_point(" 01 ", "1")
    assert not reader.is_passenger_point("", "1") and not reader.is_passenger_point("13", "1")
    p = _write(tmp_path, [ROW.replace(";01;", ";1;", 1)])
    assert [r.is_passenger for r in reader.read(p)] == [True]


def test_without_a_ctx_a_line_not_valid_in_the_encoding_refuses_the_file(tmp_path):
    p = _write(tmp_path, [ROW, ROW2])
    p.write_bytes(p.read_bytes().replace(b"Teplice", b"Tep\x98lice"))
    with pytest.raises(InputRejected, match="line 3"):
        list(reader.read(p))


def test_a_quote_left_open_past_the_field_limit_is_one_bad_record_and_reading_goes_on(tmp_path):
    import csv

    old = csv.field_size_limit(131_072)  # csv's default (the GTFS reader raises it for the whole process)
    try:
        _runaway_quote(tmp_path)
    finally:
        csv.field_size_limit(old)


def _runaway_quote(tmp_path):
    runaway = '531798;"Ústí' + "\n" + "\n".join(["a" * 60_000] * 3)
    p = _write(tmp_path, [runaway, ROW2])
    items = list(reader.read(p))
    assert items[0][:2] == (2, "invalid_csv")
    assert all(isinstance(i, tuple) for i in items[:-1]) and items[-1].values["name"] == "Teplice v Čechách"


@pytest.mark.parametrize(("text", "value"), [("N50,659150°", 50.65915), ("E14,044078°", 14.044078),
                                             ("S1,5°", -1.5), ("", None), (None, None)])
def test_wgs_degree_strings(text, value):
    assert reader.wgs_degrees(text) == value


def test_positions_outside_czechia_are_not_used():
    assert reader.position(-1042640.109, -741893.982) == (None, None, "coordinates_outside_czechia")
    assert reader.position(0.0, 0.0) == (None, None, "no_coordinates_in_source")
