"""JDF reader: record splitting, version dispatch, file discovery and refusals of bad batches."""

import io
import zipfile

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.jdf.reader import (
    BadRecord,
    Record,
    _check_encoding,
    check_batch,
    iter_batches,
    read_file,
    split_records,
)
from transport_etl.formats.jdf.writer import batch_bytes, write_folder, write_zip, zip_bytes


def small_batch(version: str = "1.11") -> dict[str, list[list[str]]]:
    """One line, two stops, one trip, in the field layout of ``version``."""
    if version == "1.9":
        return {
            "verzejdf": [["1.9"]],
            "zastavky": [["1", "Krupka", "", "nám.", "TP", "CZ", "", "", "", "", "", ""],
                         ["2", "Teplice", "", "žel.st.", "TP", "CZ", "", "", "", "", "", ""]],
            "dopravci": [["49099451", "", "ARRIVA TEPLICE s.r.o.", "1", "", "Teplice", "", "", "", "", "", ""]],
            "linky": [["551402", "Krupka-Teplice", "49099451", "V", "", "", "", "", "14122025", "12122026"]],
            "zaslinky": [["551402", "1", "", "1", "", "", ""], ["551402", "2", "", "2", "", "", ""]],
            "spoje": [["551402", "1", "1", "", "", "", "", "", "", "", "", ""]],
            "zasspoje": [["551402", "1", "1", "1", "", "", "", "0", "", "0600"],
                         ["551402", "1", "2", "2", "", "", "", "8", "0615", ""]],
            "pevnykod": [["1", "X", ""]],
            "caskody": [],
        }
    return {
        "verzejdf": [[version, "", "", "", "01122025", "test"]],
        "zastavky": [["1", "Krupka", "", "nám.", "TP", "CZ", "", "", "", "", "", ""],
                     ["2", "Teplice", "", "žel.st.", "TP", "CZ", "", "", "", "", "", ""]],
        "dopravci": [["49099451", "", "ARRIVA TEPLICE s.r.o.", "1", "", "Teplice", "", "", "", "", "", "", "1"]],
        "linky": [["551402", "Krupka-Teplice", "49099451", "V", "A", "0", "0", "0", "0", "", "", "", "",
                   "14122025", "12122026", "1", "1"]],
        "zaslinky": [["551402", "1", "", "1", "", "", "", "", "1"], ["551402", "2", "", "2", "", "", "", "", "1"]],
        "spoje": [["551402", "1", "1", "", "", "", "", "", "", "", "", "", "", "1"]],
        "zasspoje": [["551402", "1", "1", "1", "", "", "", "", "", "0", "", "0600", "", "", "1"],
                     ["551402", "1", "2", "2", "", "", "", "", "", "8", "0615", "", "", "", "1"]],
        "pevnykod": [["1", "X", ""]],
        "caskody": [],
    }


def one_batch(tmp_path, files: dict[str, bytes], folder: bool = False):
    target = tmp_path / "batch"
    if folder:
        write_folder(target, files)
    else:
        target = tmp_path / "batch.zip"
        write_zip(target, files)
    batches = list(iter_batches(target))
    assert len(batches) == 1
    return batches[0]


def test_cp1250_names_decode_with_diacritics(tmp_path):
    b = one_batch(tmp_path, batch_bytes(small_batch()))
    assert check_batch(b) == "1.11"
    recs = list(read_file(b, "zastavky"))
    assert [r.values["place"] for r in recs] == ["nám.", "žel.st."]
    assert recs[0].line_no == 1 and recs[1].line_no == 2


def test_lf_folder_reads_like_crlf_zip(tmp_path):
    crlf = one_batch(tmp_path, batch_bytes(small_batch()))
    lf = one_batch(tmp_path, batch_bytes(small_batch(), newline="\n"), folder=True)
    check_batch(crlf), check_batch(lf)
    for stem in ("zastavky", "zasspoje", "linky"):
        assert [r.values for r in read_file(crlf, stem)] == [r.values for r in read_file(lf, stem)]


def test_file_names_are_case_insensitive(tmp_path):
    files = {name.lower(): data for name, data in batch_bytes(small_batch()).items()}
    b = one_batch(tmp_path, files)
    assert check_batch(b) == "1.11"
    assert len(list(read_file(b, "spoje"))) == 1


def test_inner_quotes_are_not_escaped(tmp_path):
    recs = small_batch()
    recs["dopravci"][0][2] = 'Autobusy "U Lípy" s.r.o.'
    b = one_batch(tmp_path, batch_bytes(recs))
    check_batch(b)
    (rec,) = read_file(b, "dopravci")
    assert rec.values["name"] == 'Autobusy "U Lípy" s.r.o.'


@pytest.mark.parametrize("version", ["1.9", "1.10", "1.11"])
def test_version_dispatch_names_the_same_columns(tmp_path, version):
    recs = small_batch(version)
    if version == "1.10":  # 1.10: Linky without the one-way flag, Zasspoje without code3/min/max
        recs["linky"][0] = recs["linky"][0][:8] + recs["linky"][0][9:]
        recs["zasspoje"] = [r[:8] + r[9:12] + r[14:] for r in recs["zasspoje"]]
    b = one_batch(tmp_path, batch_bytes(recs))
    assert check_batch(b) == version
    (line,) = read_file(b, "linky")
    assert line.values["valid_from"] == "14122025" and line.values["valid_to"] == "12122026"
    assert line.values["line_distinction"] == "1"
    st = list(read_file(b, "zasspoje"))
    assert [(r.values["km"], r.values["arrival"], r.values["departure"]) for r in st] == [
        ("0", None, "0600"), ("8", "0615", None)]


def test_truncated_record_is_a_bad_record_with_line_number(tmp_path):
    files = batch_bytes(small_batch())
    files["Zasspoje.txt"] += b'"551402","1","3","2","","",'  # cut off mid-record
    b = one_batch(tmp_path, files)
    check_batch(b)
    items = list(read_file(b, "zasspoje"))
    bad = [i for i in items if isinstance(i, BadRecord)]
    assert len([i for i in items if isinstance(i, Record)]) == 2
    assert [(x.line_no, x.code) for x in bad] == [(3, "truncated_record")]


def test_wrong_field_count_is_a_bad_record(tmp_path):
    recs = small_batch()
    recs["spoje"].append(["551402", "3", "1"])
    b = one_batch(tmp_path, batch_bytes(recs))
    check_batch(b)
    bad = [i for i in read_file(b, "spoje") if isinstance(i, BadRecord)]
    assert [(x.line_no, x.code) for x in bad] == [(2, "wrong_field_count")]


def test_utf8_file_in_cp1250_batch_is_refused(tmp_path):
    files = batch_bytes(small_batch())
    files["Zastavky.txt"] = files["Zastavky.txt"].decode("cp1250").encode("utf-8")
    b = one_batch(tmp_path, files)
    with pytest.raises(InputRejected, match="Zastavky.txt is UTF-8") as exc:
        check_batch(b)
    assert exc.value.code == "wrong_encoding"


def test_missing_required_file_is_refused(tmp_path):
    files = batch_bytes(small_batch())
    del files["Zasspoje.txt"]
    b = one_batch(tmp_path, files)
    with pytest.raises(InputRejected, match="Zasspoje.txt") as exc:
        check_batch(b)
    assert exc.value.code == "missing_required_file"


def test_unknown_version_is_refused(tmp_path):
    recs = small_batch()
    recs["verzejdf"] = [["1.12", "", "", "", "01122025", "test"]]
    b = one_batch(tmp_path, batch_bytes(recs))
    with pytest.raises(InputRejected, match="unsupported JDF version '1.12'") as exc:
        check_batch(b)
    assert exc.value.code == "unsupported_version"


def test_zip_of_batch_zips_yields_each_batch(tmp_path):
    good = zip_bytes(batch_bytes(small_batch()))
    bad_files = batch_bytes(small_batch())
    del bad_files["Spoje.txt"]
    outer = tmp_path / "JDF.zip"
    write_zip(outer, {"a.zip": good, "b.zip": zip_bytes(bad_files), "c.zip": good})
    batches = list(iter_batches(outer))
    assert [b.name for b in batches] == ["a.zip", "b.zip", "c.zip"]
    assert check_batch(batches[0]) == "1.11"
    with pytest.raises(InputRejected, match="b.zip: required file"):
        check_batch(batches[1])
    assert batches[2].path_of("spoje") == "c.zip/Spoje.txt"


def test_not_a_zip_is_refused(tmp_path):
    p = tmp_path / "x.zip"
    p.write_bytes(b"not a zip at all")
    with pytest.raises(InputRejected):
        list(iter_batches(p))


def test_zip_without_jdf_files_is_refused(tmp_path):
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("readme.md", "hello")
    p = tmp_path / "x.zip"
    p.write_bytes(buf.getvalue())
    with pytest.raises(InputRejected, match="no VerzeJDF.txt"):
        list(iter_batches(p))


# --- hostile bytes: line ends, NUL, code pages -------------------------------------------------------------

def test_cr_only_line_ends_read_like_crlf(tmp_path):
    crlf = one_batch(tmp_path, batch_bytes(small_batch()))
    cr = one_batch(tmp_path, batch_bytes(small_batch(), newline="\r"), folder=True)
    assert check_batch(crlf) == check_batch(cr) == "1.11"
    for stem in ("zastavky", "zasspoje", "linky"):
        got = list(read_file(cr, stem))
        assert [r.values for r in got] == [r.values for r in read_file(crlf, stem)]
        assert [r.line_no for r in got] == list(range(1, len(got) + 1))


def test_split_records_accepts_cr_lf_and_crlf_mixed():
    data = b'"a";\r\n"b";\r"c";\n"d";\r\n\x1a'
    assert list(split_records(data)) == [(1, '"a";'), (2, '"b";'), (3, '"c";'), (4, '"d";'), (5, "")]


def test_nul_byte_quarantines_only_its_record(tmp_path):
    files = batch_bytes(small_batch())
    files["Zastavky.txt"] = files["Zastavky.txt"].replace(b'"2","Teplice"', b'"2\x00","Teplice"')
    b = one_batch(tmp_path, files)
    check_batch(b)
    items = list(read_file(b, "zastavky"))
    assert isinstance(items[0], Record)
    assert (items[1].line_no, items[1].code) == (2, "invalid_character")
    assert "NUL" in items[1].message and "\0" not in items[1].raw


def test_iso_8859_2_file_is_recognised_and_read_right(tmp_path):
    recs = small_batch()
    recs["zastavky"][0][3] = "Benešov, žel.st."   # š ž: bytes where CP1250 has ą ľ
    files = batch_bytes(recs)
    files["Zastavky.txt"] = files["Zastavky.txt"].decode("cp1250").encode("iso-8859-2")
    b = one_batch(tmp_path, files)
    check_batch(b)
    assert b.encodings == {"zastavky": "iso8859-2"}  # the other files stay CP1250 (nothing to tell)
    assert [r.values["place"] for r in read_file(b, "zastavky")] == ["Benešov, žel.st.", "žel.st."]


def test_cp1250_file_with_s_and_z_stays_cp1250(tmp_path):
    recs = small_batch()
    recs["zastavky"][0][3] = "Benešov, žel.st."
    b = one_batch(tmp_path, batch_bytes(recs))
    check_batch(b)
    assert b.encodings == {}
    assert next(read_file(b, "zastavky")).values["place"] == "Benešov, žel.st."


def test_utf8_after_an_ascii_head_is_still_refused():
    # the distinguishing bytes lie past the first 64 KiB; one stray byte does not make UTF-8 a code page
    head, line = b'"1","x";\r\n' * 8000, '"2","Ústí n.L., žel.st. č.1";\r\n'
    with pytest.raises(InputRejected, match="is UTF-8 encoded") as exc:
        _check_encoding("Zastavky.txt", head + line.encode() + b"\x9a\r\n", "cp1250")
    assert exc.value.code == "wrong_encoding"
    assert _check_encoding("Zastavky.txt", head + line.encode("cp1250"), "cp1250") == "cp1250"
    assert _check_encoding("Zastavky.txt", head + line.encode("iso-8859-2"), "cp1250") == "iso8859-2"


def test_records_without_their_semicolon_are_named_as_such(tmp_path):
    """A batch written without the closing ';' of every record: refused, saying what a JDF record is (it used
    to say "unsupported JDF version ''")."""
    files = {name: data.replace(b'";\r\n', b'"\r\n') for name, data in batch_bytes(small_batch()).items()}
    with pytest.raises(InputRejected, match=r'VerzeJDF.txt: its record "1.11".* is not a JDF record') as exc:
        check_batch(one_batch(tmp_path, files))
    assert exc.value.code == "unsupported_version"
