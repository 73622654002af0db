"""The CLI's last line of defence (transport_etl/failures.py): stderr holds only our own lines."""

from __future__ import annotations

import warnings

import numpy as np
import pytest
import shapely

from transport_etl.failures import LOG_DIR_ENV, run_guarded


def _hostile_geometry() -> int:
    shapely.from_wkt("LINESTRING(nan nan, 1 1)")  # shapely: RuntimeWarning "invalid value encountered"
    np.float64(1) / np.float64(0)
    warnings.warn("a library's own remark", RuntimeWarning, stacklevel=1)
    return 0


def test_library_warnings_go_to_the_log_not_stderr(tmp_path, monkeypatch, capsys):
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path))
    assert run_guarded(_hostile_geometry, "src") == 0
    assert capsys.readouterr().err == ""
    (log,) = tmp_path.glob("transport-etl-warnings-*.log")
    text = log.read_text(encoding="utf-8")
    assert "invalid value encountered" in text and "a library's own remark" in text


def test_with_debug_warnings_are_left_as_they_are(tmp_path, monkeypatch):
    monkeypatch.setenv(LOG_DIR_ENV, str(tmp_path))
    with pytest.warns(RuntimeWarning, match="a library's own remark"):
        assert run_guarded(_hostile_geometry, "src", debug=True) == 0
    assert not list(tmp_path.glob("transport-etl-warnings-*.log"))
