"""CSV records by physical line (transport_etl.csv_records): a quote left open never swallows valid records."""

import io

from transport_etl.csv_records import Unreadable, fields, records


def _rows(raw: bytes, **kw) -> list:
    return list(records(io.BytesIO(raw), **kw))


def test_a_quote_open_to_the_end_of_the_file_is_one_unreadable_record_and_the_rest_are_read():
    raw = b'id,name\r\n1,a\r\n2,"b\r\n3,c\r\n4,d\r\n'
    rows = _rows(raw)
    assert [n for n, _ in rows] == [1, 2, 3, 4, 5]
    assert isinstance(rows[2][1], Unreadable) and rows[2][1].raw == b'2,"b\r\n'
    assert "end of the file" in rows[2][1].reason
    assert rows[3] == (4, ["3", "c"]) and rows[4] == (5, ["4", "d"])


def test_a_quoted_field_past_the_line_or_byte_limit_is_unreadable_and_reading_goes_on():
    body = b"".join(b"%d,x\n" % i for i in range(2, 20))
    raw = b'id,name\n1,"open\n' + body + b'99,"closed late"\n'
    rows = _rows(raw, max_lines=5)
    assert isinstance(rows[1][1], Unreadable) and rows[1][0] == 2
    assert [r for _, r in rows[2:5]] == [["2", "x"], ["3", "x"], ["4", "x"]]
    assert rows[-1] == (21, ["99", "closed late"])
    assert sum(1 for _ in rows) == 21  # one record per physical line here: nothing vanished
    rows = _rows(raw, max_bytes=20)
    assert isinstance(rows[1][1], Unreadable) and len(rows) == 21


def test_a_quoted_field_spanning_lines_within_the_limit_is_one_record():
    rows = _rows(b'id,desc\n1,"two\nlines"\n2,x\n')
    assert rows == [(1, ["id", "desc"]), (2, ["1", "two\nlines"]), (4, ["2", "x"])]


def test_a_stray_cr_before_a_comma_is_dropped_and_a_bom_only_on_line_one():
    assert _rows(b"\xef\xbb\xbfa,b\r,c\r\n1,2\r,3\r\n") == [(1, ["a", "b", "c"]), (2, ["1", "2", "3"])]
    assert fields(b'1,"x"\r,3\r\n') == ["1", "x", "3"]
    assert fields(b'1,"x",3\r\r\n') == ["1", "x", "3"]
    assert fields(b"1,Hlavn\xc3\xad\rn\xc3\xa1dra\xc5\xbe\xc3\xad\n") == ["1", "Hlavní\rnádraží"]


def test_quotes_that_pair_across_lines_but_not_as_csv_quarantine_the_first_line_only():
    rows = _rows(b'id,a,b\nx,1"2,3\ny,"4\n",5\nz,6,7\n')
    assert isinstance(rows[1][1], Unreadable) and rows[1][1].raw == b'x,1"2,3\n'
    assert [n for n, _ in rows] == [1, 2, 3, 5]
    assert rows[2] == (3, ["y", "4\n", "5"]) and rows[3] == (5, ["z", "6", "7"])
