"""Writing small generated GTFS feeds for tests: one zip from file name → content."""

from __future__ import annotations

import zipfile
from pathlib import Path


def write_feed(path: Path, files: dict[str, list[str] | str | bytes]) -> Path:
    """A zip at ``path`` with one member per file: a list of lines (joined, newline-terminated), or text or
    bytes as they are."""
    with zipfile.ZipFile(path, "w") as z:
        for name, body in files.items():
            z.writestr(name, "\n".join(body) + "\n" if isinstance(body, list) else body)
    return path
