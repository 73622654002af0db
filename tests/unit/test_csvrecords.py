"""The one CSV record splitter (transport_etl.csvrecords) of parking and the fleet exports."""

from __future__ import annotations

import csv

from transport_etl.csvrecords import MAX_RECORD_LINES, BrokenRecord, csv_records


def _split(text: str, ncols: int | None = 3, **kw):
    return [(r.line_no, r.code) if isinstance(r, BrokenRecord) else r
            for r in csv_records(text.splitlines(keepends=True), ";", ncols, **kw)]


def test_records_keep_their_first_line_and_quoted_newlines():
    assert _split('a;b;c\n\n"x\ny";2;3\nd;e;f') == [(2, ["a", "b", "c"]), (4, ["x\ny", "2", "3"]), (6, ["d", "e", "f"])]


def test_an_unterminated_quote_takes_only_its_first_line():
    assert _split('a;b;c\n"open;2;3\nd;e;f\ng;h;i\n') == [(2, ["a", "b", "c"]), (3, "unterminated_quote"),
                                                        (4, ["d", "e", "f"]), (5, ["g", "h", "i"])]
    # at the end of the input too, and with the field count unchecked (the fleet exports)
    assert _split('a;b;c\nd;"e;f\n', None) == [(2, ["a", "b", "c"]), (3, "unterminated_quote")]


def test_a_quote_closing_far_below_is_not_one_record():
    lines = ['a;"open;c\n'] + [f"r{i};x;y\n" for i in range(MAX_RECORD_LINES + 5)] + ['z";1;2\n']
    out = _split("".join(lines), None)
    assert out[0] == (2, "unterminated_quote") and out[1] == (3, ["r0", "x", "y"])
    assert len(out) == MAX_RECORD_LINES + 7


def test_field_counts_and_csv_errors():
    assert _split("a;b\na;b;c;d\na;b;c;;\n") == [(2, "invalid_row_length"), (3, "invalid_row_length"),
                                                (4, ["a", "b", "c"])]
    old = csv.field_size_limit(1000)   # a process-wide setting (the GTFS reader raises it): lowered here
    try:
        assert _split("x;" + "y" * 2000 + ";z\nd;e;f\n") == [(2, "invalid_record"), (3, ["d", "e", "f"])]
    finally:
        csv.field_size_limit(old)
