"""Input boundaries, encodings, the one position rule and the one XML path, without a database."""

from __future__ import annotations

import io
import math
import os
import resource
import stat
import zipfile

import pytest

from transport_etl import positions, xmlsafe
from transport_etl.boundaries import Limits, LineCapped, check_zip, excerpt, folder_files, remote_reference
from transport_etl.encodings import recognise, to_utf8
from transport_etl.errors import InputRejected
from transport_etl.fetch import fetch


def _capped(data: bytes, limit: int = 10, utf8: bool = False) -> tuple[bytes, list]:
    issues: list = []
    out = LineCapped(io.BytesIO(data), limit, lambda *a: issues.append(a), utf8=utf8).read()
    return out, issues


@pytest.mark.parametrize("data", [b"ab\ncd\n", b"ab\ncd", b"", b"\n\n", b"a" * 10 + b"\n"])
def test_short_lines_pass_unchanged(data):
    assert _capped(data) == (data, [])


def test_long_line_becomes_an_empty_line_and_is_reported_with_its_size():
    out, issues = _capped(b"h\n" + b"x" * 50 + b"\nok\n")
    assert out == b"h\n\nok\n"
    assert issues == [("too_long", 2, 50, b"x" * 50)]


def test_long_line_across_read_blocks_without_final_newline():
    big = b"h\n" + b"y" * (3 << 20)
    out, issues = _capped(big, limit=1000)
    assert out == b"h\n" and issues[0][:3] == ("too_long", 2, 3 << 20)


def test_many_long_lines_in_one_block():
    data = b"".join((b"z" * 30 if i % 2 else b"s") + b"\n" for i in range(10))
    out, issues = _capped(data)
    assert out.count(b"\n") == 10 and [i[1] for i in issues] == [2, 4, 6, 8, 10]


def test_line_cap_memory_is_bounded():
    """A 200 MB line streamed through costs no more than a few MB of extra RSS."""
    class Endless(io.RawIOBase):
        left = 200 << 20

        def readable(self):
            return True

        def readinto(self, b):
            n = min(len(b), self.left)
            b[:n] = b"q" * n
            self.left -= n
            return n

    before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    issues: list = []
    stream = LineCapped(Endless(), 65536, lambda *a: issues.append(a))
    while stream.read(1 << 20):
        pass
    assert issues[0][2] == 200 << 20
    assert resource.getrusage(resource.RUSAGE_SELF).ru_maxrss - before < 50_000  # KiB


def test_undecodable_line_is_blanked_and_replacement_char_reported():
    out, issues = _capped(b"a\n\xff\xfe\nb \xef\xbf\xbd\n", limit=100, utf8=True)
    assert out == b"a\n\nb \xef\xbf\xbd\n"
    assert [(k, n) for k, n, *_ in issues] == [("undecodable", 2), ("replacement_char", 3)]


def test_a_line_with_a_nul_byte_is_blanked_and_reported_whatever_the_encoding_check():
    for utf8 in (True, False):
        out, issues = _capped(b"a\nb\x00c\nd\n", limit=100, utf8=utf8)
        assert out == b"a\n\nd\n"
        assert [(k, n) for k, n, *_ in issues] == [("nul_byte", 2)]


def test_a_line_the_line_check_blanks_is_counted_in_the_files_rows_in(tmp_path):
    """The reader never sees a blanked line, so the rejecter counts it as input too: per file rows_in ==
    rows_loaded + rows_rejected, and a file of nothing but such lines is 100 % rejected, not 0 of 0."""
    from pathlib import Path

    from transport_etl.boundaries import open_text
    from transport_etl.catalog import Source
    from transport_etl.ingest.context import LoadContext

    f = tmp_path / "data.csv"
    f.write_bytes(b"a;b\n1;2\n3;\x004\n" + b"7" * 70_000 + b"\n8;9\n")
    ctx = LoadContext(conn=None, source=Source("s", "road", "traffic-census"), feed_version_id=1, load_run_id=1,
                      path=Path(f))
    with open_text(f, ctx, fmt="x") as t:
        records = [ln for ln in t.read().splitlines()[1:] if ln]
    stats = ctx.file("data.csv")
    assert records == ["1;2", "8;9"]
    assert (stats.rows_in, stats.rows_rejected) == (2, 2)  # the reader adds its 2 records: 4 == 2 + 2
    with open_text(f, ctx, fmt="x") as t:  # read again (a fallback path): each line counted once
        t.read()
    assert (stats.rows_in, stats.rows_rejected) == (2, 2)


@pytest.mark.parametrize("raw,declared,expected", [
    (b"\xef\xbb\xbfid\n", None, "utf-8-sig"), (b"\xff\xfei\x00", "UTF-8", "utf-16"),
    ("Ústí".encode("cp1250"), "UTF-8", "cp1250"), ("Ústí".encode(), None, "utf-8"),
    (b"plain", "CP1250", "cp1250"),
])
def test_encodings_recognised(raw, declared, expected):
    assert recognise(raw, declared) == expected


def test_iso_8859_2_is_told_from_cp1250_by_where_czech_letters_sit():
    text = "Šluknov, Žatec, Teplice-Šanov, Děčín, Ústí nad Labem\n" * 5
    assert recognise(text.encode("cp1250")) == "cp1250"
    assert recognise(text.encode("iso8859-2")) == "iso8859-2"
    assert recognise("Děčín".encode("iso8859-2")) == "cp1250"  # the same bytes in both: the office default


def test_utf8_with_one_bad_byte_stays_utf8_so_only_its_line_is_quarantined():
    text = "Hlavní nádraží, Děčín, Ústí nad Labem\n".encode() * 10
    assert recognise(text[:50] + b"\xff" + text[50:]) == "utf-8"
    assert recognise(b"plain ascii \xff only\n") == "cp1250"


def test_utf16_is_transcoded_to_utf8():
    stream, enc = to_utf8(io.BytesIO("a,Ústí\n".encode("utf-16")), "UTF-8", "x.txt")
    assert enc == "utf-16" and stream.read() == "a,Ústí\n".encode()


def test_excerpt_is_short_and_printable():
    assert excerpt(b"\x00\x1bsecret\nline" + b"x" * 500, 20) == "secret linexxxxxxxx…"


def test_folder_refuses_symlink_leaving_it_and_special_files(tmp_path):
    (tmp_path / "in").mkdir()
    (tmp_path / "in" / "a.txt").write_text("a")
    (tmp_path / "in" / "inside.txt").symlink_to(tmp_path / "in" / "a.txt")
    assert [p.name for p in folder_files(tmp_path / "in")] == ["a.txt", "inside.txt"]
    (tmp_path / "in" / "out.txt").symlink_to("/etc/hostname")
    with pytest.raises(InputRejected, match="out.txt: symbolic link leads outside"):
        folder_files(tmp_path / "in")
    (tmp_path / "in" / "out.txt").unlink()
    os.mkfifo(tmp_path / "in" / "pipe")
    with pytest.raises(InputRejected, match="pipe: not a regular file"):
        folder_files(tmp_path / "in")


@pytest.mark.parametrize("path", ["/dev/zero", "/dev/null"])
def test_devices_are_refused(path):
    with pytest.raises(InputRejected, match="not a regular file"):
        fetch(path)


def _zip(members: list[tuple]) -> zipfile.ZipFile:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        import warnings

        warnings.simplefilter("ignore")
        for info, data in members:
            z.writestr(info, data)
    return zipfile.ZipFile(buf)


def _link(name: str) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name)
    info.create_system, info.external_attr = 3, (stat.S_IFLNK | 0o777) << 16
    return info


@pytest.mark.parametrize("members,match", [
    ([("a.txt", b"1"), ("a.txt", b"2")], "duplicate member"),
    ([("../a.txt", b"1")], "points outside"),
    ([("/etc/a.txt", b"1")], "points outside"),
    ([(_link("a.txt"), b"/etc/passwd")], "symbolic link"),
    ([("bomb.txt", b"0" * (5 << 20))], "zip bomb"),
    ([(f"{i}.txt", b"") for i in range(30)], "members, above the limit"),
])
def test_archive_limits(members, match):
    with pytest.raises(InputRejected, match=match):
        check_zip(_zip(members), "x.zip", Limits(max_members=20))


def test_unreadable_members_are_refused_up_front():
    z = _zip([("a.txt", b"abc")])
    z.infolist()[0].compress_type = 99
    with pytest.raises(InputRejected, match="compression method 99"):
        check_zip(z, "x.zip")
    z.infolist()[0].compress_type, z.infolist()[0].flag_bits = zipfile.ZIP_DEFLATED, 0x1
    with pytest.raises(InputRejected, match="encrypted"):
        check_zip(z, "x.zip")


def test_references_must_be_http_or_beside_the_document(tmp_path):
    base = str(tmp_path / "gbfs.json")
    assert remote_reference(base, "https://x/y.json") == "https://x/y.json"
    assert remote_reference(base, str(tmp_path / "a.json")) == str(tmp_path / "a.json")
    for ref in ("/etc/passwd", "file:///etc/passwd", str(tmp_path.parent / "x.json")):
        with pytest.raises(InputRejected, match="not an http"):
            remote_reference(base, ref)
    with pytest.raises(InputRejected):
        remote_reference("https://x/gbfs.json", "file:///etc/passwd")


@pytest.mark.parametrize("lat,lon,note,placed", [
    (50.66, 14.03, None, True),
    ("NaN", 14, "non_finite_position", False), (math.inf, 14, "non_finite_position", False),
    (None, 14, "missing_position", False), ("abc", 14, "non_finite_position", False),
    (0, 0, "point_near_origin", False), (0.3, -0.2, "point_near_origin", False),
    (14.03, 50.66, "lat_lon_swapped", False),
    (-976288.0, -760528.0, "sjtsk_in_wgs84", False),
    (95, 14, "out_of_range", False),
    (52.52, 13.40, "outside_expected_extent", True),
    (-33.86, 151.2, "outside_expected_extent", False),
])
def test_position_rule_wgs84(lat, lon, note, placed):
    p = positions.place_wgs84(lat, lon)
    assert (p.note, p.placed) == (note, placed)
    if p.placed:
        assert positions.SAFE_5514[0] <= p.x <= positions.SAFE_5514[2]


@pytest.mark.parametrize("x,y,note,placed", [
    (-760528.1, -976288.2, None, True), (760528.1, 976288.2, "sjtsk_sign_corrected", True),
    (-976288.2, -760528.1, "sjtsk_axes_swapped", True), (0, 0, "point_near_origin", False),
    (50.66, 14.03, "wgs84_in_sjtsk", False), ("nan", -976288, "non_finite_position", False),
    (-5e7, -9e7, "outside_expected_extent", False),
])
def test_position_rule_sjtsk(x, y, note, placed):
    p = positions.place_5514(x, y)
    assert (p.note, p.placed) == (note, placed)


def test_expected_extent_is_a_catalog_option():
    assert positions.place_wgs84(52.52, 13.40, {"expected_extent": [12, 50, 15, 53]}).note is None


_BODY = b"<d><a>1</a></d>"


@pytest.mark.parametrize("doc", [
    b'<?xml version="1.0"?><!-- <a> --><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]>' + _BODY,
    b'<?xml version="1.0"?><?pi <a>?><!DOCTYPE d [<!ENTITY x "y">]>' + _BODY,
    b'<!DOCTYPE d SYSTEM "http://example.invalid/d.dtd">' + _BODY,
    '<?xml version="1.0" encoding="UTF-16"?><!-- <a> --><!DOCTYPE d []><d/>'.encode("utf-16"),
    b'<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">'
    b'<!ENTITY c "&b;&b;&b;&b;&b;&b;&b;&b;&b;&b;"><!ENTITY e "&c;&c;&c;&c;&c;&c;&c;&c;&c;&c;">'
    b'<!ENTITY f "&e;&e;&e;&e;&e;&e;&e;&e;&e;&e;"><!ENTITY g "&f;&f;&f;&f;&f;&f;&f;&f;&f;&f;">]><d>&g;</d>',
])
def test_xml_with_dtd_is_refused_by_the_parser_in_memory_and_on_disk(doc, tmp_path):
    with pytest.raises(xmlsafe.HostileXml):
        xmlsafe.parse(doc, "x.xml")
    (tmp_path / "x.xml").write_bytes(doc)
    with pytest.raises(xmlsafe.HostileXml):
        xmlsafe.check(tmp_path / "x.xml")


def test_plain_xml_with_comment_passes(tmp_path):
    doc = b'<?xml version="1.0"?><!-- <!DOCTYPE in a comment is text> -->' + _BODY
    assert xmlsafe.parse(doc, "x.xml").tag == "d"
    (tmp_path / "x.xml").write_bytes(doc)
    xmlsafe.check(tmp_path / "x.xml")


def test_a_declared_czech_code_page_is_only_the_default_the_bytes_decide():
    text = "Šluknov, Žatec, Teplice-Šanov, Děčín, Ústí nad Labem\n" * 5
    assert recognise(text.encode("iso8859-2"), "CP1250") == "iso8859-2"
    assert recognise(text.encode(), "CP1250") == "utf-8"
    assert recognise(text.encode("cp1250"), "ISO-8859-2") == "cp1250"
    assert recognise(b"plain ascii\n", "ISO-8859-2") == "iso8859-2"  # nothing to tell: as declared
    assert recognise(text.encode("cp852"), "cp852") == "cp852"  # other declarations win as before
