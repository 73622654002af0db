"""Demo zip archives whose bytes depend on their members only (fixed member times): the same data gives
the same file on every run."""

from __future__ import annotations

import zipfile
from collections.abc import Iterable
from pathlib import Path

DEMO_TIME = (2025, 1, 1, 0, 0, 0)


def zip_members(target: Path, members: Iterable[tuple[str, bytes]],
                date_time: tuple[int, int, int, int, int, int] = DEMO_TIME) -> None:
    """Write ``members`` (name, bytes), in the given order, as a deflated zip at ``target``."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members:
            info = zipfile.ZipInfo(name, date_time=date_time)
            info.compress_type = zipfile.ZIP_DEFLATED
            z.writestr(info, data)


def zip_folder(folder: Path, target: Path) -> None:
    """Zip the files a writer left in the scratch ``folder`` (by name) into ``target``; remove the folder."""
    files = sorted(folder.iterdir())
    zip_members(target, ((f.name, f.read_bytes()) for f in files))
    for f in files:
        f.unlink()
    folder.rmdir()
