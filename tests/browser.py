"""Headless Chromium for the browser tests: Debian's package, installed by `make browser` when missing."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def require_chromium() -> str:
    """The Chromium executable; installs it with `make browser` once if missing, else skips the test."""
    if shutil.which("chromium") is None and shutil.which("make"):
        subprocess.run(["make", "-s", "browser"], cwd=ROOT, capture_output=True, timeout=600)
    found = shutil.which("chromium")
    if found is None:
        pytest.skip("chromium is not installed and `make browser` could not install it")
    return found
