"""Fetch a source's bytes (local file, folder or http(s) URL) and fingerprint them."""

from __future__ import annotations

import hashlib
import os
import re
import tempfile
import time
import urllib.error
import urllib.request
from dataclasses import dataclass
from pathlib import Path

from transport_etl.boundaries import Limits, check_input_path, excerpt, folder_files
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
    for p in folder_files(path):  # regular files only; a symlink leaving the folder refuses the input
        rel = p.relative_to(path).as_posix()
        digest, n = _hash_file(p)
        h.update(f"{rel}\0{digest}\n".encode())
        total += n
    return h.hexdigest(), total


def fingerprint(path: Path) -> tuple[str, int]:
    """sha256 and size of a file, or of a folder's files."""
    return _hash_dir(path) if path.is_dir() else _hash_file(path)


def fetch(location: str, timeout: float = 60.0, retries: int = 3, backoff: float = 1.0,
          limits: Limits | None = None) -> Fetched:
    """Make the input available locally. URLs are downloaded to a temporary file with a per-read
    timeout, an overall deadline (``limits.http_deadline_s``, all attempts together), a size cap and
    retries (server errors and network faults only: a 404 will not fix itself). Local inputs must be a
    regular file or a folder whose symlinks stay inside it."""
    limits = limits or Limits()
    if location.startswith(("http://", "https://")):
        return _download(location, timeout, retries, backoff, limits)
    if re.match(r"[A-Za-z][A-Za-z0-9+.-]*://", location) and not Path(location).exists():
        raise InputRejected(f"unsupported location scheme: {excerpt(location)} (http(s) URL or local path)",
                            code="missing_input")
    path = Path(location).resolve()
    if not path.exists():
        raise InputRejected(f"input not found: {location}", code="missing_input")
    st = check_input_path(path, location)
    if path.is_file() and st.st_size > limits.max_input_bytes:
        raise InputRejected(f"{path.name}: {st.st_size:,} bytes, above the input limit {limits.max_input_bytes:,}",
                            code="input_too_large")
    digest, size = fingerprint(path)
    if size > limits.max_input_bytes:
        raise InputRejected(f"{path.name}: {size:,} bytes, above the input limit {limits.max_input_bytes:,}",
                            code="input_too_large")
    return Fetched(path=path, sha256=digest, size_bytes=size, location=str(path))


class _Deadline(Exception):
    pass


def read_url(url: str, out, timeout: float, deadline: float, max_bytes: int,
             accept: str | None = None) -> int:
    """Copy the body at ``url`` to ``out``: each read waits at most ``timeout`` and the whole transfer
    ends by the monotonic ``deadline`` (a server trickling bytes cannot hold us longer). Returns bytes."""
    headers = {"User-Agent": "transport_etl/0.1", **({"Accept": accept} if accept else {})}
    req = urllib.request.Request(url, headers=headers)
    left = deadline - time.monotonic()
    if left <= 0:
        raise _Deadline()
    n = 0
    with urllib.request.urlopen(req, timeout=min(timeout, left)) as resp:
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                raise _Deadline()
            sock = getattr(getattr(getattr(resp, "fp", None), "raw", None), "_sock", None)
            if sock is not None:
                sock.settimeout(min(timeout, left))
            chunk = resp.read1(1 << 16) if hasattr(resp, "read1") else resp.read(1 << 16)
            if not chunk:
                return n
            n += len(chunk)
            if n > max_bytes:
                raise InputRejected(f"{url}: more than {max_bytes:,} bytes: refused", code="input_too_large")
            out.write(chunk)


def fetch_bytes(url: str, timeout: float, deadline_s: float, max_bytes: int, accept: str | None = None) -> bytes:
    """One bounded GET (per-read timeout, overall deadline, size cap); InputRejected on any failure."""
    import io

    buf = io.BytesIO()
    deadline = time.monotonic() + deadline_s
    try:
        read_url(url, buf, timeout, deadline, max_bytes, accept)
    except urllib.error.HTTPError as exc:
        raise InputRejected(f"HTTP {exc.code} fetching {url}", code="fetch_failed") from exc
    except _Deadline as exc:
        raise InputRejected(f"fetching {url} did not finish within {deadline_s:g} s: refused",
                            code="fetch_failed") from exc
    except (urllib.error.URLError, TimeoutError, OSError, ValueError) as exc:
        if time.monotonic() >= deadline - 0.01:
            raise InputRejected(f"fetching {url} did not finish within {deadline_s:g} s: refused",
                                code="fetch_failed") from exc
        raise InputRejected(f"fetching {url} failed: {getattr(exc, 'reason', exc)}", code="fetch_failed") from exc
    return buf.getvalue()


def _download(url: str, timeout: float, retries: int, backoff: float, limits: Limits) -> Fetched:
    last: Exception | None = None
    suffix = Path(url.split("?")[0]).suffix[:12] or ".bin"
    deadline = time.monotonic() + limits.http_deadline_s
    for attempt in range(1, retries + 1):
        fd, tmp = tempfile.mkstemp(prefix="transport_etl_dl_", suffix=suffix)
        os.close(fd)
        try:
            with open(tmp, "wb") as out:
                read_url(url, out, timeout, deadline, limits.max_input_bytes)
            digest, size = _hash_file(Path(tmp))
            return Fetched(path=Path(tmp), sha256=digest, size_bytes=size, location=url)
        except urllib.error.HTTPError as exc:
            os.unlink(tmp)
            if exc.code < 500:
                raise InputRejected(f"HTTP {exc.code} fetching {url}", code="fetch_failed") from exc
            last = exc
        except _Deadline as exc:
            os.unlink(tmp)
            raise InputRejected(f"fetching {url} did not finish within {limits.http_deadline_s:g} s "
                                f"(attempt {attempt}): refused", code="fetch_failed") from exc
        except InputRejected:
            os.unlink(tmp)
            raise
        except (urllib.error.URLError, TimeoutError, OSError) as exc:
            if os.path.exists(tmp):
                os.unlink(tmp)
            if time.monotonic() >= deadline - 0.01:  # the read timed out because the deadline came
                raise InputRejected(f"fetching {url} did not finish within {limits.http_deadline_s:g} s "
                                    f"(attempt {attempt}): refused", code="fetch_failed") from exc
            last = exc
        if attempt < retries:
            if time.monotonic() + backoff * attempt >= deadline:
                break
            time.sleep(backoff * attempt)
    raise InputRejected(f"fetching {url} failed after {attempt} attempt(s): {last}", code="fetch_failed")


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


def read_document(location: str, timeout: float = DOCUMENT_TIMEOUT_S, max_bytes: int = 50 << 20,
                  accept: str | None = None) -> bytes:
    """The bytes of one small document (a live feed, a GBFS JSON): a URL through the one bounded GET
    (per-read timeout, overall deadline, size cap), a local regular file read with the same cap.
    InputRejected on any failure."""
    if is_url(location):
        return fetch_bytes(location, timeout, max(timeout * 3, 30.0), max_bytes, accept)
    path = Path(location)
    if not path.is_file():
        raise InputRejected(f"input not found or not a regular file: {excerpt(location)}", code="missing_input")
    if path.stat().st_size > max_bytes:
        raise InputRejected(f"{excerpt(location)} is larger than {max_bytes >> 20} MB", code="too_large")
    return path.read_bytes()
