"""Text encodings, recognised per file: UTF-8 with or without BOM, UTF-16 with BOM, CP1250, ISO-8859-2.

Every text reader gets UTF-8 bytes (:func:`to_utf8`). A file whose bytes are not valid UTF-8 and has no
BOM is read as CP1250 (the Czech office default), or as ISO-8859-2 when its bytes say so
(:func:`single_byte`), with a notice naming the file. Bytes that are not valid
in the recognised encoding are passed through unchanged (surrogateescape), so the line-level check in
:class:`transport_etl.boundaries.LineCapped` quarantines exactly the records that carry them.
"""

from __future__ import annotations

import codecs
import io
import re
from typing import Any, BinaryIO

SNIFF_BYTES = 64 * 1024
_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_CZECH_CODE_PAGES = ("cp1250", "iso8859-2")
_UTF8 = {"utf8", "utf-8", "utf-8-sig", "utf8sig", "utf_8", "ascii", "us-ascii"}


def normalise(name: str | None) -> str | None:
    """A codec name as Python knows it, or None."""
    if not name:
        return None
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def recognise(head: bytes, declared: str | None = None) -> str:
    """The encoding of a file from its first bytes: a BOM wins; then a declared non-UTF-8 encoding, except
    that a declared Czech code page (CP1250, ISO-8859-2) is only the default of ASCII-only bytes: a file
    declared CP1250 may be published as ISO-8859-2 or UTF-8, and its bytes say which; then UTF-8 when the
    bytes decode as UTF-8, or nearly (valid multi-byte characters at least four times as many as bad bytes);
    else CP1250 or ISO-8859-2 (:func:`single_byte`)."""
    for bom, name in _BOMS:
        if head.startswith(bom):
            return name
    decl = normalise(declared)
    if decl in _CZECH_CODE_PAGES and head.isascii():
        return decl
    if decl and decl not in _CZECH_CODE_PAGES and decl not in ("utf-8", "ascii", "utf-16", "utf-16-le", "utf-16-be"):
        return decl
    if head.isascii():
        return "utf-8"
    text = codecs.getincrementaldecoder("utf-8")("surrogateescape").decode(head, final=False)
    if not _BAD_BYTE.search(text):  # C-level scans: the per-character counts below only for suspect files
        return "utf-8"
    bad = len(_BAD_BYTE.findall(text))
    # UTF-8 with a few bad bytes is UTF-8 (the line check quarantines the lines that carry them), not a file
    # to read whole as a code page: single-byte text rarely forms valid multi-byte sequences by chance.
    good = len(_NON_ASCII.findall(text)) - bad
    return "utf-8" if good >= 4 * bad else single_byte(head)


_BAD_BYTE = re.compile("[\udc80-\udcff]")  # a byte surrogateescape could not decode
_NON_ASCII = re.compile("[^\x00-\x7f]")


# Š Ť Ž š ť ž: where ISO-8859-2 has them (in CP1250 these bytes are © « ® ą » ľ, rare in Czech text), and the
# C1 range 0x80-0x9F, which is control characters in ISO-8859-2 but letters (Š Ť Ž š ť ž among them) in CP1250.
_ISO_8859_2_ONLY = frozenset(b"\xa9\xab\xae\xb9\xbb\xbe")


def single_byte(head: bytes) -> str:
    """CP1250 or ISO-8859-2 for Czech text that is not UTF-8: ISO-8859-2 when no byte is in 0x80-0x9F (its
    control characters; CP1250's š ž Š Ž Ť ť) and some byte is one of ISO-8859-2's Š Ť Ž š ť ž; else CP1250,
    the Czech office default. (Both code pages agree on the other Czech letters: á č ď é ě í ň ó ř ú ů ý.)"""
    if any(0x80 <= b <= 0x9F for b in head):
        return "cp1250"
    return "iso8859-2" if any(b in _ISO_8859_2_ONLY for b in head) else "cp1250"


class FilteredStream(io.RawIOBase):
    """A readable byte stream made from ``self.raw`` by a filter: a subclass's ``_fill(want)`` appends at
    least ``want`` bytes to ``self._out`` (fewer at the end); reading serves them, closing closes ``raw``."""

    raw: BinaryIO

    def __init__(self) -> None:
        self._out = bytearray()
        self._eof = False

    def _fill(self, want: int) -> None:
        raise NotImplementedError

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # noqa: ANN001 - buffer protocol
        self._fill(len(b))
        n = min(len(b), len(self._out))
        b[:n] = self._out[:n]
        del self._out[:n]
        return n

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


class _Transcoded(FilteredStream):
    """``raw`` decoded incrementally from ``encoding`` and re-encoded as UTF-8 (surrogateescape both ways,
    so undecodable bytes survive as invalid UTF-8 for the line check to find)."""

    def __init__(self, raw: BinaryIO, head: bytes, encoding: str):
        super().__init__()
        self.raw, self._pending = raw, head
        self._dec = codecs.getincrementaldecoder(encoding)("surrogateescape")

    def _fill(self, want: int) -> None:
        while len(self._out) < want and not self._eof:
            data = self._pending or self.raw.read(1 << 20)
            self._pending = b""
            if not data:
                self._eof = True
            text = self._dec.decode(data, final=self._eof)
            self._out += text.encode("utf-8", "surrogateescape")


class _Prefixed(io.RawIOBase):
    """``head`` (already read) followed by the rest of ``raw``, without copying the rest."""

    def __init__(self, raw: BinaryIO, head: bytes):
        self.raw, self._head = raw, head

    def readable(self) -> bool:
        return True

    def readinto(self, b) -> int:  # noqa: ANN001 - buffer protocol
        if self._head:
            n = min(len(b), len(self._head))
            b[:n] = self._head[:n]
            self._head = self._head[n:]
            return n
        data = self.raw.read(len(b))
        b[:len(data)] = data
        return len(data)

    def close(self) -> None:
        if not self.closed:
            self.raw.close()
        super().close()


def to_utf8(raw: BinaryIO, declared: str | None, file_name: str, ctx: Any = None) -> tuple[BinaryIO, str]:
    """``raw`` as UTF-8 bytes (BOM removed) and the encoding recognised. With a ``ctx``, a file read in
    another encoding than the source declares gets an ``encoding_recognised`` notice naming it."""
    head = raw.read(SNIFF_BYTES)
    enc = recognise(head, declared)
    decl = normalise(declared)
    if ctx is not None and enc != "utf-8-sig" and normalise(enc) != (decl or "utf-8"):
        ctx.notice("encoding_recognised", "WARNING", f"{file_name} is not {declared or 'UTF-8'}: read as {enc}",
                   file_name=file_name)
    if enc == "utf-8":
        return _Prefixed(raw, head), enc
    if enc == "utf-8-sig":
        return _Prefixed(raw, head[len(codecs.BOM_UTF8):]), enc
    return _Transcoded(raw, head, enc), enc


def decode_text(data: bytes, declared: str | None, name: str, ctx: Any = None) -> tuple[str, str]:
    """A whole small file as text in its recognised encoding, and that encoding (readers that hold a file
    in memory, such as JSON). Recognised on the whole file, so CP1250 letters after the first 64 KiB are
    found; a file read in another encoding than declared gets the same notice as :func:`to_utf8`. Bytes
    that are not valid in it refuse the file in one line naming the line (never re-read as a code page)."""
    from transport_etl.errors import InputRejected

    enc = recognise(data[:SNIFF_BYTES], declared)
    if enc == "utf-8":
        enc = recognise(data, declared)
    decl = normalise(declared)
    if ctx is not None and enc != "utf-8-sig" and normalise(enc) != (decl or "utf-8"):
        ctx.notice("encoding_recognised", "WARNING", f"{name} is not {declared or 'UTF-8'}: read as {enc}",
                   file_name=name)
    try:
        return data.decode(enc), enc
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputRejected(f"{name} line {line}: bytes that are not valid {enc}", code="invalid_encoding") from exc
