"""Read JDF batches: find the files (zip, folder, or the national zip of batch zips), decode CP1250 (or
ISO-8859-2 when a file's bytes say so, transport_etl.encodings), split the ``"f1",…,"fn";`` records on CR,
LF or CRLF and name their fields by the batch's version. Pure: no database.

Inner quotes are not escaped in JDF, so a CSV quote parser is wrong; records are split the way the
reference parsers do it: strip the leading ``"`` and trailing ``";``, then split on ``","``.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from transport_etl.boundaries import DEFAULT_MAX_LINE_BYTES, NUL_CODE, NUL_REASON, check_zip, excerpt
from transport_etl.encodings import SNIFF_BYTES, normalise, recognise
from transport_etl.errors import InputRejected
from transport_etl.formats.jdf.layouts import (
    COLUMNS,
    DEFAULT_DISTINCTION,
    DISTINCTION_COLUMNS,
    REQUIRED,
    VERSIONS,
    layout,
)

DEFAULT_ENCODING = "cp1250"
_NON_ASCII = re.compile(rb"[\x80-\xff]")


@dataclass
class Record:
    """One good record: ``values`` by column name ('' read as None), ``line_no`` physical (1-based)."""

    line_no: int
    values: dict[str, str | None]
    raw: str


@dataclass
class BadRecord:
    """A record that cannot be read: quarantined with its line number and reason."""

    line_no: int
    code: str
    message: str
    raw: str


@dataclass
class Batch:
    """One JDF batch (export dávka): its files by lower-case stem, and where it came from."""

    name: str                       # '' for a single batch; the inner zip's name in a bulk export
    files: dict[str, tuple[str, bytes]] = field(default_factory=dict)  # stem → (path as published, bytes)
    version: str | None = None
    error: BatchRejected | None = None  # set when an inner zip of a bulk export is unreadable
    encodings: dict[str, str] = field(default_factory=dict)  # stem → encoding recognised, when not the declared

    def path_of(self, stem: str) -> str:
        """File name as stored in lineage: the inner zip prefixed for bulk exports."""
        name = self.files[stem][0]
        return f"{self.name}/{name}" if self.name else name


class BatchRejected(InputRejected):
    """A batch is unusable as a whole (missing file, unknown version, wrong encoding)."""


def _stem(name: str) -> str | None:
    p = PurePosixPath(name.replace("\\", "/"))
    if p.suffix.lower() != ".txt" or p.name.startswith("."):
        return None
    return p.stem.lower()


def _from_mapping(name: str, entries: Iterator[tuple[str, bytes]]) -> Batch:
    batch = Batch(name=name)
    for entry_name, data in entries:
        stem = _stem(entry_name)
        if stem is None or "__macosx" in entry_name.lower():
            continue
        if stem in batch.files:
            raise BatchRejected(f"{name or 'batch'}: two files named {stem}.txt (file names are case-insensitive)",
                                code="duplicate_file")
        batch.files[stem] = (PurePosixPath(entry_name).name, data)
    return batch


MAX_MEMBER_BYTES = 256 << 20  # JDF files are read whole: a member larger than this is not a JDF file


def _zip_entries(zf: zipfile.ZipFile) -> Iterator[tuple[str, bytes]]:
    for info in zf.infolist():
        if not info.is_dir() and info.filename.lower().endswith(".txt"):
            if info.file_size > MAX_MEMBER_BYTES:
                raise BatchRejected(f"{info.filename}: {info.file_size:,} bytes unpacked, above the "
                                    f"{MAX_MEMBER_BYTES:,}-byte limit for a JDF file", code="input_too_large")
            yield info.filename, zf.read(info)


def iter_batches(path: Path) -> Iterator[Batch]:
    """The batches in ``path``: a folder of .txt files, a batch zip, or a zip of batch zips
    (the national CIS JŘ export ``JDF.zip``). Raises InputRejected for unreadable input."""
    path = Path(path)
    if path.is_dir():
        files = [p for p in sorted(path.iterdir()) if p.is_file()]
        if any(p.suffix.lower() == ".txt" for p in files):
            yield _from_mapping("", ((p.name, p.read_bytes()) for p in files if p.suffix.lower() == ".txt"))
            return
        zips = [p for p in files if p.suffix.lower() == ".zip"]
        if not zips:
            raise InputRejected(f"{path.name}: folder holds neither JDF .txt files nor batch zips", code="no_jdf_files")
        for z in zips:
            yield from _batches_of_zip(z.name, z.read_bytes(), inner=True)
        return
    if not zipfile.is_zipfile(path):
        raise InputRejected(f"{path.name}: not a zip archive or folder of JDF files", code="invalid_zip")
    yield from _batches_of_zip("", path.read_bytes(), inner=False)


def _batches_of_zip(name: str, data: bytes, inner: bool) -> Iterator[Batch]:
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile as exc:
        raise BatchRejected(f"{name}: not a valid zip ({exc})", code="invalid_zip") from exc
    with zf:
        try:
            names = [i.filename for i in check_zip(zf, name or "archive")]  # shared archive limits
        except InputRejected as exc:
            raise BatchRejected(str(exc), code=exc.code) from exc
        if any(_stem(n) == "verzejdf" for n in names):
            yield _from_mapping(name, _zip_entries(zf))
            return
        inner_zips = [n for n in names if n.lower().endswith(".zip") and "__macosx" not in n.lower()]
        if not inner_zips or inner:
            raise BatchRejected(f"{name or 'archive'}: no VerzeJDF.txt and no batch zips inside", code="missing_required_file")
        for n in sorted(inner_zips):
            # One bad inner batch must not stop the national export: the caller decides per batch.
            try:
                yield from _batches_of_zip(PurePosixPath(n).name, zf.read(n), inner=True)
            except BatchRejected as exc:
                yield _failed_batch(PurePosixPath(n).name, exc)


def _failed_batch(name: str, exc: BatchRejected) -> Batch:
    return Batch(name=name, error=exc)


def _check_encoding(file_name: str, data: bytes, encoding: str) -> str:
    """The encoding to read a file in. JDF is CP1250 by law: a file re-saved as UTF-8 or UTF-16 decodes into
    mojibake, so it is refused; one written in ISO-8859-2 (the other Czech code page, whose Š Ť Ž š ť ž
    CP1250 reads as © « ® ą » ľ) is recognised by its bytes (encodings.single_byte) and read as such."""
    if normalise(encoding) != "cp1250":
        return encoding  # the operator declared another encoding: trusted
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise BatchRejected(f"{file_name} is UTF-16 (byte order mark); JDF files must be CP1250", code="wrong_encoding")
    if data.startswith(b"\xef\xbb\xbf"):
        raise BatchRejected(f"{file_name} is UTF-8 (byte order mark); JDF files must be CP1250", code="wrong_encoding")
    first = _NON_ASCII.search(data)
    if first is None:
        return encoding
    # The bytes that tell encodings apart, even in a file whose first 64 KiB are plain ASCII.
    sample = data[first.start():first.start() + SNIFF_BYTES]
    try:
        data.decode("utf-8")
        utf8 = True
    except UnicodeDecodeError:
        utf8 = recognise(sample) == "utf-8"  # UTF-8 with a few bad bytes is still UTF-8 (the shared rule)
    if utf8:
        raise BatchRejected(f"{file_name} is UTF-8 encoded; JDF files must be CP1250 (Windows-1250)",
                            code="wrong_encoding")
    return recognise(sample)  # CP1250 or ISO-8859-2 (encodings.single_byte)


def check_batch(batch: Batch, encoding: str = DEFAULT_ENCODING) -> str:
    """Validate the batch as a whole and return its JDF version (also set on the batch)."""
    if batch.error is not None:
        raise batch.error
    where = f"{batch.name}: " if batch.name else ""
    missing = [s for s in REQUIRED if s not in batch.files]
    if "verzejdf" in missing:
        raise BatchRejected(f"{where}VerzeJDF.txt missing: not a JDF batch", code="missing_required_file")
    for stem, (name, data) in batch.files.items():
        enc = _check_encoding(f"{where}{name}", data, encoding)
        if normalise(enc) != normalise(encoding):
            batch.encodings[stem] = enc
    first = next((t for _n, t in split_records(batch.files["verzejdf"][1], batch.encodings.get("verzejdf", encoding))
                  if t and t.strip()), None)
    if first is None:
        raise BatchRejected(f"{where}VerzeJDF.txt is empty", code="unsupported_version")
    fields = _fields(first.strip())
    if fields is None:
        raise BatchRejected(f"{where}VerzeJDF.txt: its record {excerpt(first.strip())} is not a JDF record "
                            '("field","field",…; ending with a semicolon)', code="unsupported_version")
    version = fields[0].strip()
    if version not in VERSIONS:
        raise BatchRejected(f"{where}unsupported JDF version {version!r} in VerzeJDF.txt "
                            f"(supported: {', '.join(VERSIONS)})", code="unsupported_version")
    # Required per version: 1.9 has no Oznacniky etc., but every version needs the core files.
    missing = [s for s in REQUIRED if s not in batch.files]
    if missing:
        names = ", ".join(f"{s.capitalize()}.txt" for s in missing)
        raise BatchRejected(f"{where}required file(s) missing from JDF {version} batch: {names}",
                            code="missing_required_file")
    batch.version = version
    return version


def split_records(data: bytes, encoding: str = DEFAULT_ENCODING) -> Iterator[tuple[int, str | None]]:
    """(physical line number, decoded line or None if undecodable) for each line. A line ends at CRLF, LF or
    a lone CR (old Mac files), as in universal newlines: a JDF field cannot hold a line break of any kind."""
    for i, raw in enumerate(data.splitlines(), start=1):
        raw = raw.rstrip(b"\x1a")
        try:
            yield i, raw.decode(encoding)
        except UnicodeDecodeError:
            yield i, None


def _fields(text: str) -> list[str] | None:
    """Fields of one record, or None when the record is not closed with ``";`` (truncated)."""
    if not text.startswith('"'):
        return None
    if text.endswith('";'):
        body = text[1:-2]
    else:
        return None
    return body.split('","')


def read_file(batch: Batch, stem: str, encoding: str = DEFAULT_ENCODING) -> Iterator[Record | BadRecord]:
    """Records of one file of a checked batch, with fields named by the batch's version."""
    assert batch.version is not None, "check_batch first"
    cols = layout(batch.version, stem)
    if cols is None or stem not in batch.files:
        return
    name = batch.files[stem][0]
    encoding = batch.encodings.get(stem, encoding)
    for line_no, text in split_records(batch.files[stem][1], encoding):
        if text is None:
            yield BadRecord(line_no, "invalid_character", f"{name} line {line_no}: bytes not valid {encoding}", "")
            continue
        if "\0" in text:  # the shared rule (transport_etl.boundaries): a NUL byte quarantines its line
            yield BadRecord(line_no, NUL_CODE, f"{name} line {line_no}: {NUL_REASON}", excerpt(text))
            continue
        if len(text) > DEFAULT_MAX_LINE_BYTES:  # the shared line limit (transport_etl.boundaries)
            yield BadRecord(line_no, "line_too_long", f"{name} line {line_no}: {len(text):,} characters, above the "
                            f"{DEFAULT_MAX_LINE_BYTES:,} line limit", excerpt(text))
            continue
        stripped = text.strip()
        if not stripped:
            continue
        fields = _fields(stripped)
        if fields is None:
            yield BadRecord(line_no, "truncated_record",
                            f"{name} line {line_no}: record does not end with '\";' (truncated or broken quotes)",
                            text)
            continue
        if len(fields) != len(cols):
            yield BadRecord(line_no, "wrong_field_count",
                            f"{name} line {line_no}: {len(fields)} fields, JDF {batch.version} has {len(cols)}",
                            text)
            continue
        values: dict[str, str | None] = {}
        for col, val in zip(cols, fields, strict=True):
            if col is not None:
                val = val.strip()
                values[col] = val if val != "" else None
        for col in DISTINCTION_COLUMNS:
            if col not in values and col in COLUMNS[stem]:
                values[col] = DEFAULT_DISTINCTION
        yield Record(line_no, values, text)


def stop_name(town: str | None, part: str | None, place: str | None) -> str:
    """The printed JDF stop name ``town,part,place`` (empty parts kept, as the register writes it)."""
    return ",".join(x or "" for x in (town, part, place)).rstrip(",")
