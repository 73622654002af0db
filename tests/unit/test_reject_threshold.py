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
    with pytest.raises(InputRejected, match=r"100 of 100 records rejected \(100.0%\)"):
        _check_threshold(_files(_ctx(), **{"csd.csv": (0, 0, 100)}))


def test_the_ratio_never_reads_above_100_percent():
    with pytest.raises(InputRejected, match=r"5 of 5 records rejected \(100.0%\)"):
        _check_threshold(_files(_ctx(), **{"pdf.csv": (4, 0, 5)}))


def test_a_file_of_which_every_record_was_rejected_is_refused_even_below_the_ratio():
    ctx = _files(_ctx(), **{"stops.txt": (200, 200, 0), "calendar.txt": (3, 0, 3)})
    with pytest.raises(InputRejected, match=r"calendar.txt: all 3 records rejected"):
        _check_threshold(ctx)


def test_within_the_ratio_and_a_ratio_of_one_pass():
    _check_threshold(_files(_ctx(), **{"a.csv": (100, 95, 5)}))
    _check_threshold(_files(_ctx(max_reject_ratio=1), **{"a.csv": (3, 0, 3)}))
    _check_threshold(_ctx())  # nothing at all: other checks (empty_feed) speak for it
