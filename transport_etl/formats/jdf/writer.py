"""Write JDF batches (demo data and test fixtures): ``"f1",…,"fn";`` records, CP1250, CRLF."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Mapping, Sequence
from pathlib import Path

# Canonical file names as CIS JŘ writes them (readers match case-insensitively).
FILE_NAMES = {
    "verzejdf": "VerzeJDF.txt", "zastavky": "Zastavky.txt", "oznacniky": "Oznacniky.txt",
    "dopravci": "Dopravci.txt", "linky": "Linky.txt", "linext": "LinExt.txt", "zaslinky": "Zaslinky.txt",
    "spoje": "Spoje.txt", "spojskup": "SpojSkup.txt", "zasspoje": "Zasspoje.txt", "udaje": "Udaje.txt",
    "pevnykod": "Pevnykod.txt", "caskody": "Caskody.txt", "navaznosti": "Navaznosti.txt", "altdop": "Altdop.txt",
    "altlinky": "Altlinky.txt", "mistenky": "Mistenky.txt",
}


def format_record(fields: Sequence[object]) -> str:
    """One record without its line end; None and '' are written as empty fields."""
    return '"' + '","'.join("" if f is None else str(f) for f in fields) + '";'


def encode_file(records: Sequence[Sequence[object]], encoding: str = "cp1250", newline: str = "\r\n") -> bytes:
    return "".join(format_record(r) + newline for r in records).encode(encoding)


def batch_bytes(files: Mapping[str, Sequence[Sequence[object]]], encoding: str = "cp1250",
                newline: str = "\r\n") -> dict[str, bytes]:
    """File name → bytes for a batch given as stem → records."""
    return {FILE_NAMES.get(stem, f"{stem}.txt"): encode_file(recs, encoding, newline) for stem, recs in files.items()}


def write_zip(target: Path | io.BytesIO, files: Mapping[str, bytes]) -> None:
    """Write named file contents into a zip (deterministic timestamps)."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zf:
        for name in sorted(files):
            info = zipfile.ZipInfo(name, date_time=(2025, 12, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            zf.writestr(info, files[name])


def zip_bytes(files: Mapping[str, bytes]) -> bytes:
    buf = io.BytesIO()
    write_zip(buf, files)
    return buf.getvalue()


def write_folder(target: Path, files: Mapping[str, bytes]) -> None:
    target.mkdir(parents=True, exist_ok=True)
    for name, data in files.items():
        (target / name).write_bytes(data)
