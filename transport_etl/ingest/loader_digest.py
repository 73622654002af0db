"""The digest of the code that turns a format's input into unified rows: every feed version records
it, and a source whose current version was produced by other code is republished on its next run."""

from __future__ import annotations

import hashlib
from pathlib import Path

from transport_etl.formats import registry

_CODE_SUFFIXES = (".py", ".sql")


def code_files(fmt: str) -> tuple[Path, list[Path]]:
    """The folder and files whose content defines the format's loader: every .py and .sql file of its
    package (``formats/<format>/``)."""
    folder = registry.get(fmt).folder
    return folder, sorted(p for p in folder.rglob("*") if p.suffix in _CODE_SUFFIXES and "__pycache__" not in p.parts)


def loader_digest(fmt: str) -> str:
    """sha256 over the relative names and contents of :func:`code_files` (not cached: a loader fix
    during a long-lived Dagster process must be seen by the next run)."""
    root, files = code_files(fmt)
    h = hashlib.sha256()
    for p in files:
        h.update(p.relative_to(root).as_posix().encode() + b"\0" + hashlib.sha256(p.read_bytes()).digest())
    return h.hexdigest()
