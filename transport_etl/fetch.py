"""Fetch a source's bytes (local file, folder or http(s) URL) and fingerprint them."""

from __future__ import annotations

import hashlib
import os
import shutil
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from transport_etl.errors import InputRejected

CHUNK = 1 << 20
# Live feeds and discovery documents: short, so a slow server cannot hold a poll for long.
DOCUMENT_TIMEOUT_S = 10.0


@dataclass(frozen=True)
class Fetched:
    """A local copy of the input: ``path`` is a file or a folder; ``sha256`` covers its bytes."""

    path: Path
    sha256: str
    size_bytes: int
    location: str


def _hash_file(path: Path) -> tuple[str, int]:
    h = hashlib.sha256()
    n = 0
    with path.open("rb") as f:
        while chunk := f.read(CHUNK):
            h.update(chunk)
            n += len(chunk)
    return h.hexdigest(), n


def _hash_dir(path: Path) -> tuple[str, int]:
    # A folder's fingerprint: relative names and contents in sorted order, so moving the same
    # files to another folder or touching their mtimes does not make a new version.
    h = hashlib.sha256()
    total = 0
    for p in sorted(q for q in path.rglob("*") if q.is_file()):
        rel = p.relative_to(path).as_posix()
        digest, n = _hash_file(p)
        h.update(f"{rel}\0{digest}\n".encode())
        total += n
    return h.hexdigest(), total


def fingerprint(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, or of a folder's files."""
    return _hash_dir(path) if path.is_dir() else _hash_file(path)


def fetch(location: str, timeout: float = 60.0, retries: int = 3, backoff: float = 1.0) -> Fetched:
    """Make the input available locally. URLs are downloaded to a temporary file with a timeout
    and retries (server errors and network faults only: a 404 will not fix itself)."""
    if location.startswith(("http://", "https://")):
        return _download(location, timeout, retries, backoff)
    path = Path(location).resolve()
    if not path.exists():
        raise InputRejected(f"input not found: {location}", code="missing_input")
    digest, size = fingerprint(path)
    return Fetched(path=path, sha256=digest, size_bytes=size, location=str(path))


def _download(url: str, timeout: float, retries: int, backoff: float) -> Fetched:
    last: Exception | None = None
    suffix = Path(url.split("?")[0]).suffix or ".bin"
    for attempt in range(1, retries + 1):
        fd, tmp = tempfile.mkstemp(prefix="transport_etl_dl_", suffix=suffix)
        os.close(fd)
        try:
            req = urllib.request.Request(url, headers={"User-Agent": "transport_etl/0.1"})
            with urllib.request.urlopen(req, timeout=timeout) as resp, open(tmp, "wb") as out:
                shutil.copyfileobj(resp, out, CHUNK)
            digest, size = _hash_file(Path(tmp))
            return Fetched(path=Path(tmp), sha256=digest, size_bytes=size, location=url)
        except urllib.error.HTTPError as exc:
            os.unlink(tmp)
            if exc.code < 500:
                raise InputRejected(f"HTTP {exc.code} fetching {url}", code="fetch_failed") from exc
            last = exc
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            last = exc
        if attempt < retries:
            time.sleep(backoff * attempt)
    raise InputRejected(f"fetching {url} failed after {retries} attempts: {last}", code="fetch_failed")


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def read_document(location: str, timeout: float = DOCUMENT_TIMEOUT_S, max_bytes: int = 50 << 20, retries: int = 1) -> bytes:
    """The bytes of one small document (a live feed, a GBFS JSON): a URL is downloaded with the same
    rules as every fetch, a local file read; both capped at ``max_bytes``. InputRejected on failure."""
    if is_url(location):
        got = _download(location, timeout, retries, 0.0)
        path = got.path
        try:
            if got.size_bytes > max_bytes:
                raise InputRejected(f"{location} is larger than {max_bytes >> 20} MB", code="too_large")
            return path.read_bytes()
        finally:
            path.unlink(missing_ok=True)
    path = Path(location)
    if not path.is_file():
        raise InputRejected(f"input not found or not a regular file: {location}", code="missing_input")
    if path.stat().st_size > max_bytes:
        raise InputRejected(f"{location} is larger than {max_bytes >> 20} MB", code="too_large")
    return path.read_bytes()
