"""The error threshold (ingest/run.py): never skipped because no reader counted a record."""

from __future__ import annotations

from pathlib import Path

import pytest

from transport_etl.catalog import Source
from transport_etl.errors import InputRejected
from transport_etl.ingest.context import LoadContext
from transport_etl.ingest.run import _check_threshold


def _ctx(**options) -> LoadContext:
    return LoadContext(conn=None, source=Source("s", "road", "traffic-census", options=options), feed_version_id=1,
                       load_run_id=1, path=Path("x.csv"))


def _files(ctx: LoadContext, **files: tuple[int, int, int]) -> LoadContext:
    for name, (rows_in, loaded, rejected) in files.items():
        st = ctx.file(name)
        st.rows_in, st.rows_loaded, st.rows_rejected = rows_in, loaded, rejected
        ctx.rejected_total += rejected
    return ctx


def test_rejects_with_nothing_counted_in_are_refused_not_skipped():
    # a binary file given as a census CSV: every line blanked by the line check, none read as a record
    with pytest.raises(InputRejected, match=r"every record rejected \(100 of 100\)"):
        _check_threshold(_files(_ctx(), **{"csd.csv": (0, 0, 100)}))


def test_a_reader_that_counted_fewer_records_than_it_rejected_never_reads_above_100_percent():
    # the PDF given as a census CSV once read "5 of 4 records rejected (125.0%)"
    with pytest.raises(InputRejected, match=r"every record rejected \(5 of 5\)"):
        _check_threshold(_files(_ctx(), **{"pdf.csv": (4, 0, 5)}))


def test_above_the_ratio():
    with pytest.raises(InputRejected, match=r"5 of 10 records rejected \(50.0%\), above the source's error threshold"):
        _check_threshold(_files(_ctx(), **{"a.csv": (10, 5, 5)}))


def test_an_input_of_which_every_record_was_rejected_is_refused_whatever_the_ratio_allows():
    with pytest.raises(InputRejected, match=r"every record rejected \(3 of 3\)"):
        _check_threshold(_files(_ctx(max_reject_ratio=1), **{"a.csv": (3, 0, 3)}))


def test_one_unreadable_file_among_many_is_weighed_by_the_ratio():
    # a garbage GTFS-RT message in a folder of good ones: its one record is quarantined, the rest published
    _check_threshold(_files(_ctx(), **{f"{i:02}.pb": (10, 10, 0) for i in range(20)} | {"bad.pb": (1, 0, 1)}))
    _check_threshold(_files(_ctx(), **{"a.csv": (100, 95, 5)}))
    _check_threshold(_ctx())  # nothing at all: other checks (empty_feed) speak for it
