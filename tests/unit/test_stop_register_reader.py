"""Stop register reader: header aliases, S-JTSK and WGS84, bad positions never at 0,0."""

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.stop_register.reader import BadRow, RegisterRow, read_register
from transport_etl.ids.crz import pole_register_id


def write(tmp_path, text, name="register.csv", encoding="utf-8"):
    p = tmp_path / name
    p.write_bytes(text.encode(encoding))
    return p


def test_sjtsk_csv_with_czech_header_in_cp1250(tmp_path):
    p = write(tmp_path, "Číslo zastávky;Označník;Název;Obec;Okres;X;Y\r\n"
                        "30101;1;Ústí nad Labem,,hl.nádr.;Ústí nad Labem;UL;-760528,10;-976288,24\r\n",
              encoding="cp1250")
    (row,) = list(read_register(p))
    assert isinstance(row, RegisterRow)
    assert (row.crz, row.post, row.name, row.district) == ("30101", "1", "Ústí nad Labem,,hl.nádr.", "UL")
    assert (row.x, row.y, row.source_crs, row.line_no) == (-760528.10, -976288.24, "EPSG:5514", 2)


def test_wgs84_columns_are_converted_to_5514(tmp_path):
    p = write(tmp_path, "crz,oznacnik,nazev,okres,lat,lon\n33101,1,\"Most,,žel.st.\",MO,50.5086,13.6445\n")
    (row,) = list(read_register(p))
    assert row.source_crs == "EPSG:4326" and row.name == "Most,,žel.st."
    assert -800_000 < row.x < -780_000 and -1_000_000 < row.y < -980_000


@pytest.mark.parametrize(
    ("x", "y", "note", "kept"),
    [("", "", "missing_position", False), ("0", "0", "point_near_origin", False),
     ("-100", "-200", "out_of_bounds", False), ("760528.1", "976288.2", "sjtsk_sign_corrected", True)],
)
def test_bad_positions_are_null_with_a_note(tmp_path, x, y, note, kept):
    p = write(tmp_path, f"CRZ;OZNACNIK;NAZEV;OKRES;X;Y\n1;1;A,,b;UL;{x};{y}\n")
    (row,) = list(read_register(p))
    assert row.note == note
    assert (row.x is not None) == kept
    if kept:
        assert row.x < 0 and row.y < 0


def test_rows_without_number_or_name_are_bad_rows(tmp_path):
    p = write(tmp_path, "CRZ;NAZEV;X;Y\nabc;A;-760000;-976000\n5;;-760000;-976000\n6;B;-760000;-976000\n")
    items = list(read_register(p))
    assert [(i.line_no, i.code) for i in items if isinstance(i, BadRow)] == [
        (2, "invalid_register_id"), (3, "missing_required_field")]
    assert [i.crz for i in items if isinstance(i, RegisterRow)] == ["6"]


def test_header_without_coordinates_is_refused(tmp_path):
    p = write(tmp_path, "CRZ;NAZEV\n1;A\n")
    with pytest.raises(InputRejected, match="no coordinate columns"):
        list(read_register(p))


def test_xlsx_is_read(tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    ws = wb.active
    ws.append(["CRZ", "OZNACNIK", "NAZEV", "OKRES", "X", "Y"])
    ws.append([32101, 1, "Děčín,,hl.nádr.", "DC", -742000.5, -965000.25])
    p = tmp_path / "register.xlsx"
    wb.save(p)
    (row,) = list(read_register(p))
    assert (row.crz, row.post, row.name, row.x) == ("32101", "1", "Děčín,,hl.nádr.", -742000.5)


def test_pole_register_id():
    assert pole_register_id(58578, "1") == "5857801"
    assert pole_register_id("30101", None) is None


def test_short_and_long_records_are_bad_rows_with_their_line(tmp_path):
    p = write(tmp_path, "CRZ;OZNACNIK;NAZEV;OBEC;OKRES;X;Y\n1;1;A;Ústí;UL;-760000;-976000\n2;1;B\n"
                        "3;1;C;Ústí;UL;-760000;-976000;extra\n4;1;D;Ústí;UL;-760000;-976000\n")
    items = list(read_register(p))
    assert [(i.line_no, i.code) for i in items if isinstance(i, BadRow)] == [
        (3, "wrong_field_count"), (4, "wrong_field_count")]
    assert [i.crz for i in items if isinstance(i, RegisterRow)] == ["1", "4"]


def test_utf8_register_with_one_cp1250_line_keeps_its_utf8_names(tmp_path):
    """Only the line that is not UTF-8 is bad (without a ctx: it refuses the file naming the line); the
    file is never re-read whole as CP1250."""
    good = "".join(f"{i};1;Ústí nad Labem {i};Ústí;UL;-760000;-976000\n" for i in range(1, 8))
    p = tmp_path / "register.csv"
    p.write_bytes(b"CRZ;OZNACNIK;NAZEV;OBEC;OKRES;X;Y\n" + good.encode() + "9;1;Děčín;Děčín;DC;-760000;-976000\n"
                  .encode("cp1250"))
    with pytest.raises(InputRejected, match="line 9"):
        list(read_register(p))
    p.write_bytes(b"CRZ;OZNACNIK;NAZEV;OBEC;OKRES;X;Y\n" + good.encode())
    assert [i.name for i in read_register(p)][0] == "Ústí nad Labem 1"
