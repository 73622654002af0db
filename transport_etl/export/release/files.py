"""Bytes that depend on content only: canonical JSON, LF text, sha256 sums of a release folder."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path
from typing import Any

SUMS = "SHA256SUMS"


def sha256_file(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def write_text(path: Path, text: str) -> None:
    """UTF-8, LF line ends, one final newline, whatever the platform."""
    path.write_bytes((text.rstrip("\n") + "\n").encode("utf-8"))


def write_json(path: Path, data: Any) -> None:
    """Sorted keys, fixed indentation, no ASCII escaping: the same data is the same bytes."""
    write_text(path, json.dumps(data, ensure_ascii=False, sort_keys=True, indent=2, default=str))


def file_facts(folder: Path, names: list[str]) -> dict[str, dict[str, Any]]:
    """name → {sha256, bytes} of files in ``folder``."""
    return {n: {"sha256": sha256_file(folder / n), "bytes": (folder / n).stat().st_size} for n in sorted(names)}


def write_sums(folder: Path) -> str:
    """SHA256SUMS of every other file in ``folder`` (``sha256sum -c`` format, sorted by name); returns the
    sha256 of SHA256SUMS itself: the release's checksum."""
    names = sorted(p.name for p in folder.iterdir() if p.is_file() and p.name != SUMS)
    lines = [f"{sha256_file(folder / n)}  {n}" for n in names]
    write_text(folder / SUMS, "\n".join(lines))
    return sha256_file(folder / SUMS)


def code_digest(paths: list[Path]) -> str:
    """sha256 over the given source files (name and bytes), like a feed version's loader digest."""
    h = hashlib.sha256()
    for p in sorted(paths):
        h.update(p.name.encode())
        h.update(b"\0")
        h.update(p.read_bytes())
    return h.hexdigest()
