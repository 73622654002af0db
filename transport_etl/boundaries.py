"""Input boundaries shared by every format: what may be read, how much, and how it is quoted back.

- Only regular files are read; a symbolic link may point only inside the input folder or archive.
  Devices, FIFOs and sockets are refused (``/dev/zero`` would never end).
- Archives: bounded member count, total unpacked size and compression ratio; duplicate or escaping
  member names and symlink members are refused.
- Every read has a size cap; a physical line longer than the format's limit (default 64 KiB) is a
  rejected record whose bytes are counted but never held in memory whole (:class:`LineCapped`).
- Errors quote at most a short, sanitised excerpt of a record (:func:`excerpt`).
"""

from __future__ import annotations

import io
import os
import stat
import zipfile
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import Any, BinaryIO

from transport_etl.encodings import FilteredStream
from transport_etl.errors import InputRejected

MiB = 1 << 20
DEFAULT_MAX_LINE_BYTES = 64 * 1024
_READ = MiB


@dataclass(frozen=True)
class Limits:
    """Per-source input limits (catalog ``options`` override each by name)."""

    max_line_bytes: int = DEFAULT_MAX_LINE_BYTES
    max_input_bytes: int = 8 << 30
    max_members: int = 20_000
    max_unpacked_bytes: int = 8 << 30
    max_ratio: float = 250.0
    http_deadline_s: float = 300.0

    @classmethod
    def of(cls, options: Mapping[str, Any] | None) -> Limits:
        opts = options or {}
        return cls(**{k: type(getattr(cls, k))(opts[k]) for k in cls.__dataclass_fields__ if k in opts})


def excerpt(raw: bytes | str | None, limit: int = 60) -> str:
    """A short, printable excerpt of a record for a message: never more than ``limit`` characters."""
    if raw is None:
        return ""
    text = raw.decode("utf-8", "replace") if isinstance(raw, bytes | bytearray) else str(raw)
    text = "".join(ch if ch.isprintable() else " " for ch in text[: limit * 4])
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def _refuse(msg: str, code: str) -> InputRejected:
    return InputRejected(msg, code=code)


def check_input_path(path: Path, shown: str | None = None) -> os.stat_result:
    """The top-level input must be a regular file or a folder (no device, FIFO or socket)."""
    shown = shown or path.name
    try:
        st = os.stat(path)
    except OSError as exc:
        raise _refuse(f"{shown}: cannot be read ({exc.strerror})", "missing_input") from exc
    if not (stat.S_ISREG(st.st_mode) or stat.S_ISDIR(st.st_mode)):
        raise _refuse(f"{shown}: not a regular file (device, FIFO or socket): refused", "not_a_regular_file")
    return st


def folder_files(root: Path) -> list[Path]:
    """The regular files below ``root`` (sorted). A symlink that leads outside ``root`` or to anything but a
    regular file, and any special file, refuses the whole input, naming the entry."""
    root = Path(root)
    real_root = root.resolve()
    out: list[Path] = []
    for folder, dirs, files in os.walk(root, followlinks=False):
        for name in sorted(dirs + files):
            p = Path(folder) / name
            rel = p.relative_to(root).as_posix()
            st = os.lstat(p)
            if stat.S_ISLNK(st.st_mode):
                target = p.resolve()
                if target != real_root and real_root not in target.parents:
                    raise _refuse(f"{rel}: symbolic link leads outside the input folder: refused",
                                  "symlink_outside_input")
                try:
                    st = os.stat(p)
                except OSError as exc:
                    raise _refuse(f"{rel}: broken symbolic link: refused", "symlink_outside_input") from exc
                if stat.S_ISDIR(st.st_mode):
                    continue  # its files are listed where they really are
            if stat.S_ISDIR(st.st_mode):
                continue
            if not stat.S_ISREG(st.st_mode):
                raise _refuse(f"{rel}: not a regular file (device, FIFO or socket): refused", "not_a_regular_file")
            out.append(p)
    return sorted(out)


_ZIP_METHODS = (zipfile.ZIP_STORED, zipfile.ZIP_DEFLATED, zipfile.ZIP_BZIP2, zipfile.ZIP_LZMA)


def _is_symlink_member(info: zipfile.ZipInfo) -> bool:
    return info.create_system == 3 and stat.S_ISLNK(info.external_attr >> 16)


def check_zip(zf: zipfile.ZipFile, name: str, limits: Limits = Limits()) -> list[zipfile.ZipInfo]:
    """The file members of an archive, after the archive-wide limits; InputRejected naming the member."""
    infos = zf.infolist()
    if len(infos) > limits.max_members:
        raise _refuse(f"{name}: {len(infos):,} members, above the limit {limits.max_members:,}", "archive_limits")
    seen: set[str] = set()
    total = 0
    out = []
    for info in infos:
        member = info.filename
        parts = PurePosixPath(member.replace("\\", "/")).parts
        if member.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
            raise _refuse(f"{name}: member {excerpt(member)} points outside the archive: refused", "archive_path")
        if _is_symlink_member(info):
            raise _refuse(f"{name}: member {excerpt(member)} is a symbolic link: refused", "symlink_outside_input")
        key = member.rstrip("/")
        if key in seen:
            raise _refuse(f"{name}: duplicate member {excerpt(member)}: refused (which copy is meant?)",
                          "duplicate_member")
        seen.add(key)
        if info.is_dir():
            continue
        if info.flag_bits & 0x1:
            raise _refuse(f"{name}: member {excerpt(member)} is encrypted: refused", "archive_unreadable")
        if info.compress_type not in _ZIP_METHODS:
            raise _refuse(f"{name}: member {excerpt(member)} uses compression method {info.compress_type}, which "
                          "cannot be read: refused", "archive_unreadable")
        total += info.file_size
        if total > limits.max_unpacked_bytes:
            raise _refuse(f"{name}: unpacks to more than {limits.max_unpacked_bytes:,} bytes: refused",
                          "archive_limits")
        if info.file_size > MiB and info.file_size > limits.max_ratio * max(info.compress_size, 1):
            raise _refuse(f"{name}: member {excerpt(member)} expands {info.file_size / max(info.compress_size, 1):,.0f}"
                          f" times (limit {limits.max_ratio:,.0f}): refused as a possible zip bomb", "archive_limits")
        out.append(info)
    return out


def open_zip(path: Path | BinaryIO, name: str, limits: Limits = Limits()) -> tuple[zipfile.ZipFile, list]:
    """Open an archive and check it (:func:`check_zip`); InputRejected if it is not a readable zip."""
    try:
        zf = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise _refuse(f"{name} is not a readable zip archive ({excerpt(str(exc))})", "invalid_zip") from exc
    return zf, check_zip(zf, name, limits)


def read_capped(stream: BinaryIO, limit: int, name: str) -> bytes:
    """All of ``stream``, refusing more than ``limit`` bytes (reads at most limit + 1)."""
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise _refuse(f"{name}: more than {limit:,} bytes: refused", "input_too_large")
    return data


LineIssue = Callable[[str, int, int, bytes], None]  # (kind, line_no, nbytes, head)
# A NUL byte is never text (PostgreSQL cannot store it in text): its line is quarantined with this code and
# reason, by LineCapped + line_rejecter for streamed readers and by readers that hold a file whole (JDF).
NUL_CODE, NUL_REASON = "invalid_character", "a NUL byte (not text)"
_REPLACEMENT = "\ufffd".encode()


class LineCapped(FilteredStream):
    """A byte stream in which every physical line longer than ``max_line`` is replaced by an empty line
    (line numbers stay right) and reported to ``on_issue("too_long", line_no, nbytes, head)``. Memory stays
    bounded by one read block plus ``max_line``, whatever the line's length; ``max_bytes`` caps the total.
    Lines carrying a NUL byte are blanked and reported as ``nul_byte``. With ``utf8``, lines that are not
    valid UTF-8 are blanked and reported as ``undecodable``, and lines carrying U+FFFD are reported as
    ``replacement_char`` (kept)."""

    def __init__(self, raw: BinaryIO, max_line: int, on_issue: LineIssue, max_bytes: int | None = None,
                 name: str = "input", utf8: bool = False):
        super().__init__()
        self.raw, self.max_line, self.on_issue = raw, max(int(max_line), 2), on_issue
        self.max_bytes, self.name, self.utf8 = max_bytes, name, utf8
        self.line_no = 1
        self.consumed = 0
        self._carry = b""
        self._skip: tuple[int, bytes] | None = None  # (bytes so far, head) of the long line being skipped

    def _emit(self, data: bytes) -> None:
        if b"\0" in data:  # one C-level scan; a NUL is never text (PostgreSQL cannot store it in text)
            data = self._without_nul(data)
        if self.utf8 and data != b"\n":
            data = self._checked_utf8(data)
        self._out += data
        self.line_no += data.count(b"\n")

    def _without_nul(self, data: bytes) -> bytes:
        # Whole lines only reach here: each line carrying a NUL byte is blanked and reported.
        lines = data.split(b"\n")
        for k, line in enumerate(lines):
            if b"\0" in line:
                self.on_issue("nul_byte", self.line_no + k, len(line), line[:200])
                lines[k] = b""
        return b"\n".join(lines)

    def _checked_utf8(self, data: bytes) -> bytes:
        # Whole lines only reach here, so a multi-byte character is never split. The common case (valid,
        # no U+FFFD) costs one C-level decode; otherwise the offending lines are found one by one.
        try:
            data.decode("utf-8")
            clean = True
        except UnicodeDecodeError:
            clean = False
        if clean and _REPLACEMENT not in data:
            return data
        lines = data.split(b"\n")
        for k, line in enumerate(lines):
            try:
                line.decode("utf-8")
            except UnicodeDecodeError:
                self.on_issue("undecodable", self.line_no + k, len(line), line[:200])
                lines[k] = b""
                continue
            if _REPLACEMENT in line:
                self.on_issue("replacement_char", self.line_no + k, len(line), line[:200])
        return b"\n".join(lines)

    def _long(self, nbytes: int, head: bytes) -> None:
        self.on_issue("too_long", self.line_no, nbytes, head[:200])

    def _emit_checked(self, chunk: bytes) -> None:
        # A line longer than max_line contains a whole aligned window of max_line/2 bytes without a
        # newline: only such windows (C-speed find) need an exact look.
        half = self.max_line // 2
        cursor = i = 0
        n = len(chunk)
        while i < n:
            if chunk.find(b"\n", i, i + half) >= 0:
                i += half
                continue
            start = chunk.rfind(b"\n", 0, i) + 1
            end = chunk.find(b"\n", i)
            if end - start > self.max_line:
                self._emit(chunk[cursor:start])
                self._long(end - start, chunk[start:min(end, start + 200)])
                self._emit(b"\n")
                cursor = end + 1
            i = end + 1
        self._emit(chunk[cursor:])

    def _feed(self, data: bytes) -> None:
        if self._skip is not None:
            nl = data.find(b"\n")
            if nl < 0:
                self._skip = (self._skip[0] + len(data), self._skip[1])
                return
            self._long(self._skip[0] + nl, self._skip[1])
            self._skip = None
            self._emit(b"\n")
            data = data[nl + 1:]
        buf = self._carry + data
        cut = buf.rfind(b"\n") + 1
        if cut:
            self._emit_checked(buf[:cut])
        rest = buf[cut:]
        if len(rest) > self.max_line:
            self._skip, self._carry = (len(rest), rest[:200]), b""
        else:
            self._carry = rest

    def _fill(self, want: int) -> None:
        while len(self._out) < want and not self._eof:
            data = self.raw.read(_READ)
            if not data:
                self._eof = True
                if self._skip is not None:
                    self._long(*self._skip)
                    self._skip = None
                elif self._carry:
                    self._emit(self._carry)
                    self._carry = b""
                break
            self.consumed += len(data)
            if self.max_bytes is not None and self.consumed > self.max_bytes:
                raise _refuse(f"{self.name}: more than {self.max_bytes:,} bytes: refused", "input_too_large")
            self._feed(data)

def line_rejecter(ctx: Any, file_name: str, fmt: str | None = None) -> LineIssue:
    """An ``on_issue`` callback that quarantines an over-long or undecodable line once per (file, line) in
    the load, counting its bytes in ``ctx.rejected_bytes`` once (a 100 MB line weighs 100 MB, not one record),
    and records a notice for a line carrying U+FFFD (never published silently). The line it blanks never
    reaches the format's reader, so it is counted here as one record in the file's ``rows_in`` as well
    (rows_in == rows_loaded + rows_rejected per file, and a file of nothing but such lines is 100 % rejected)."""
    limit = Limits.of(ctx.source.options).max_line_bytes
    seen = ctx.__dict__.setdefault("_line_issues_seen", set())

    def report(kind: str, line_no: int, nbytes: int, head: bytes) -> None:
        if (file_name, line_no, kind) in seen:
            return
        seen.add((file_name, line_no, kind))
        if kind == "replacement_char":
            ctx.notice("replacement_character", "WARNING", f"{file_name} line {line_no} contains U+FFFD (a "
                       "character lost before publication)", file_name=file_name, line_no=line_no)
            return
        # the line's bytes weigh in once (the reject's size), and the reader never sees them: they are input
        # bytes no file size counts (ingest/guard.py adds them to the input's total)
        ctx.unread_bytes = getattr(ctx, "unread_bytes", 0) + nbytes
        ctx.file(file_name).rows_in += 1
        if kind == "too_long":
            msg = (f"line of {nbytes:,} bytes exceeds the {limit:,}-byte line limit"
                   + (f" for {fmt}" if fmt else "") + " (not read)")
            ctx.reject(file_name, line_no, "line_too_long", msg, excerpt(head), size_bytes=nbytes)
        elif kind == "nul_byte":
            ctx.reject(file_name, line_no, NUL_CODE, f"line {line_no}: {NUL_REASON}", excerpt(head), size_bytes=nbytes)
        else:
            ctx.reject(file_name, line_no, "invalid_character", f"line {line_no}: bytes that are not valid in "
                       "the file's encoding", excerpt(head), size_bytes=nbytes)

    return report


def lines_refused(ctx: Any, file_name: str) -> set[int]:
    """The lines of ``file_name`` that the line checks (:func:`line_rejecter`) quarantined in this load: they
    reach the reader blank, but are records read (and rejected), not blank lines."""
    seen = ctx.__dict__.get("_line_issues_seen", ())
    return {line_no for f, line_no, kind in seen if f == file_name and kind != "replacement_char"}


def capped_opener(ctx: Any, file_name: str, opener: Callable[[], BinaryIO], fmt: str | None = None,
                  encoding: str | None = None) -> Callable[[], BinaryIO]:
    """Wrap a member opener so every stream read from it is size-capped, line-capped and, for text,
    recognised and transcoded to UTF-8 with bad lines quarantined (see transport_etl.encodings)."""
    from transport_etl.encodings import to_utf8

    limits = Limits.of(ctx.source.options)
    report = line_rejecter(ctx, file_name, fmt)

    def open_capped() -> BinaryIO:
        stream, used = to_utf8(opener(), encoding, file_name, ctx)
        return LineCapped(stream, limits.max_line_bytes, report, limits.max_unpacked_bytes, file_name, utf8=True)

    return open_capped


def remote_reference(base: str, ref: str) -> str:
    """Where a published document (gbfs.json, a discovery file) may point: an http(s) URL, or, when the
    document itself is a local file, a file inside its own folder. Anything else refuses the input."""
    if ref.startswith(("http://", "https://")):
        return ref
    if not base.startswith(("http://", "https://")) and "://" not in ref:
        folder = Path(base).resolve().parent
        target = Path(ref).resolve()
        if folder in target.parents:
            return str(target)
    raise _refuse(f"{Path(base).name}: points to {excerpt(ref)}, which is not an http(s) URL: refused",
                  "reference_not_http")


def open_text(path: Path, ctx: Any, file_name: str | None = None, encoding: str | None = None,
              fmt: str | None = None) -> io.TextIOWrapper:
    """The one way to read a text file of an input: encoding recognised (transport_etl.encodings), lines
    capped, undecodable lines quarantined through ``ctx`` (or, without a ctx, refused as a whole)."""
    name = file_name or path.name
    opener = (lambda: path.open("rb"))  # noqa: E731
    if ctx is None:
        from transport_etl.encodings import to_utf8

        def refuse(kind: str, line_no: int, nbytes: int, head: bytes) -> None:
            if kind != "replacement_char":
                raise _refuse(f"{name} line {line_no}: {kind.replace('_', ' ')} ({nbytes:,} bytes)",
                              "invalid_character" if kind == "undecodable" else "line_too_long")

        stream = LineCapped(to_utf8(opener(), encoding, name)[0], DEFAULT_MAX_LINE_BYTES, refuse, None, name,
                            utf8=True)
    else:
        stream = capped_opener(ctx, name, opener, fmt, encoding)()
    return io.TextIOWrapper(io.BufferedReader(stream, 1 << 16), encoding="utf-8", newline="")
