"""Find CZPTT messages in what was fetched: a single XML file, the annual zip of XML files, the
monthly ``*.xml.zip`` files that are really gzip, or a folder holding any of these.

The container type is taken from the magic bytes, never from the name. Every read is bounded, so a
zip or gzip bomb cannot exhaust memory.
"""

from __future__ import annotations

import gzip
import io
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from transport_etl.boundaries import Limits, check_zip, folder_files
from transport_etl.errors import InputRejected

DEFAULT_MAX_MESSAGE_BYTES = 32 * 1024 * 1024  # a real path message is tens of kB
DEFAULT_MAX_MEMBERS = 250_000                 # the annual GVD zip holds some 20-30 thousand paths

ZIP_MAGIC = b"PK\x03\x04"
EMPTY_ZIP_MAGIC = b"PK\x05\x06"
GZIP_MAGIC = b"\x1f\x8b"


@dataclass(frozen=True)
class Blob:
    """One candidate message: its bytes and where it came from."""

    name: str        # file name, or archive/member
    container: str   # top-level input file the bytes came from (for per-file statistics)
    data: bytes
    kind: str        # xml | other (not XML: no '<' after BOM/whitespace)


def sniff(head: bytes) -> str:
    """zip | gzip | xml | other, from the first bytes."""
    if head.startswith((ZIP_MAGIC, EMPTY_ZIP_MAGIC)):
        return "zip"
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    stripped = head.lstrip(b"\xef\xbb\xbf").lstrip()
    if stripped.startswith(b"<") or head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "xml"
    return "other"


def _bounded_read(f, limit: int, what: str) -> bytes:
    data = f.read(limit + 1)
    if len(data) > limit:
        raise InputRejected(f"{what} is larger than {limit:,} bytes when unpacked: refused (possible archive bomb)",
                            code="input_too_large")
    return data


def _gunzip(data: bytes, limit: int, what: str) -> bytes:
    try:
        with gzip.GzipFile(fileobj=io.BytesIO(data)) as g:
            return _bounded_read(g, limit, what)
    except (OSError, EOFError) as exc:
        raise InputRejected(f"{what} looks like gzip but does not unpack: {exc}", code="invalid_archive") from exc


def _blob(name: str, container: str, data: bytes, limit: int, depth: int = 0) -> Iterator[Blob]:
    kind = sniff(data[:64])
    if kind == "gzip" and depth < 2:
        # The monthly *.xml.zip files: gzip despite the name.
        yield from _blob(name, container, _gunzip(data, limit, name), limit, depth + 1)
    elif kind == "zip" and depth < 2:
        yield from _zip_members(io.BytesIO(data), name, container, limit, depth + 1)
    else:
        yield Blob(name, container, data, "xml" if kind == "xml" else "other")


def _zip_members(fileobj, name: str, container: str, limit: int, depth: int,
                 max_members: int = DEFAULT_MAX_MEMBERS) -> Iterator[Blob]:
    try:
        zf = zipfile.ZipFile(fileobj)
    except zipfile.BadZipFile as exc:
        raise InputRejected(f"{name} looks like a zip but is not readable: {exc}", code="invalid_archive") from exc
    with zf:
        infos = check_zip(zf, name, Limits(max_members=max_members))  # shared archive limits
        if len(infos) > max_members:
            raise InputRejected(f"{name} holds {len(infos):,} files, above the limit {max_members:,}",
                                code="input_too_large")
        for info in sorted(infos, key=lambda i: i.filename):
            member = f"{name}/{info.filename}"
            if info.file_size > limit:
                raise InputRejected(f"{member} is {info.file_size:,} bytes unpacked, above the limit {limit:,}",
                                    code="input_too_large")
            try:
                with zf.open(info) as f:
                    data = _bounded_read(f, limit, member)
            except (zipfile.BadZipFile, OSError, EOFError) as exc:
                raise InputRejected(f"{member} cannot be unpacked: {exc}", code="invalid_archive") from exc
            yield from _blob(member, container, data, limit, depth)


def iter_blobs(path: Path, max_message_bytes: int = DEFAULT_MAX_MESSAGE_BYTES) -> Iterator[Blob]:
    """Every message candidate under ``path`` in a stable order (folders sorted by relative name)."""
    files = [path] if path.is_file() else folder_files(path)
    if not files:
        raise InputRejected(f"no files in {path}", code="missing_input")
    for p in files:
        name = p.name if p == path else p.relative_to(path).as_posix()
        with p.open("rb") as f:
            head = f.read(64)
        kind = sniff(head)
        if kind == "zip":
            with p.open("rb") as f:
                yield from _zip_members(f, name, name, max_message_bytes, 1)
        else:
            if p.stat().st_size > max_message_bytes:
                raise InputRejected(f"{name} is {p.stat().st_size:,} bytes, above the message limit "
                                    f"{max_message_bytes:,}", code="input_too_large")
            yield from _blob(name, name, p.read_bytes(), max_message_bytes)
