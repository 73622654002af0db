"""Which encoding to decode a vector layer's text in: the catalog's, the file's own declaration (a
Shapefile's .cpg), and the bytes themselves, weighed once here for every GDAL reader.

A declaration is honoured only when the bytes agree with it. UTF-8 can be checked (invalid sequences
show), single-byte code pages cannot be told apart this way except by bytes they leave undefined, so:
- catalog and .cpg agree, or no .cpg: the catalog's encoding;
- the .cpg says UTF-8 and the text is UTF-8 with non-ASCII characters: UTF-8 (``encoding_from_cpg``);
  the .cpg says UTF-8 over text that is not UTF-8: the catalog's (``encoding_mismatch``);
- the two name different code pages: the catalog's when the text decodes in it
  (``encoding_overridden``), else the .cpg's when it decodes in that (``encoding_from_cpg``).
Without a catalog encoding the text is checked the same way (CP1250 for non-UTF-8 text without a
single-byte declaration: Czech exports are Windows-1250, told from ISO-8859-2 by encodings.single_byte). Every disagreement is a notice.
"""

from __future__ import annotations

import codecs
import re
import zipfile
from collections.abc import Callable
from pathlib import Path

from transport_etl.boundaries import excerpt
from transport_etl.encodings import single_byte
from transport_etl.roads.ogr import SHAPEFILE_DRIVERS, LayerInfo, sidecar

SAMPLE_BYTES = 4 << 20
Warn = Callable[[str, str], None]  # (notice code, message)


def text_sample(info: LayerInfo) -> tuple[bytes, str | None]:
    """(bytes holding the layer's text values, the encoding its .cpg declares) for the encoding check."""
    if info.driver in SHAPEFILE_DRIVERS:
        dbf = sidecar(info.dataset, info.source, info.stem, ".dbf")
        cpg = sidecar(info.dataset, info.source, info.stem, ".cpg")
        return _dbf_records(_head(info, dbf, SAMPLE_BYTES)), (_head(info, cpg, 200).decode("ascii", "replace")
                                                              .strip() or None) if cpg else None
    if info.driver in ("CSV", "GeoJSON") and not info.dataset.startswith("/vsi"):
        with open(info.dataset, "rb") as f:
            return f.read(SAMPLE_BYTES), None
    return b"", None       # binary containers (GeoPackage, XLSX) store UTF-8 by definition


def _head(info: LayerInfo, member: str | Path | None, limit: int) -> bytes:
    if member is None:
        return b""
    if isinstance(member, Path):
        with member.open("rb") as f:
            return f.read(limit)
    with zipfile.ZipFile(info.source) as z, z.open(member) as f:  # type: ignore[arg-type]
        return f.read(limit)


def _dbf_records(data: bytes) -> bytes:
    # Skip the DBF header (its length is at bytes 8–9): field names are ASCII, values are the text.
    if len(data) < 32:
        return b""
    return data[int.from_bytes(data[8:10], "little"):]


def codec(name: str | None) -> str | None:
    """Python's name for an encoding as .cpg files and catalogs spell it ("UTF-8", "1250", "ANSI 1250",
    "CP1250", "ISO-8859-2", "88592"), or None when unknown."""
    if not name:
        return None
    text = name.strip().upper().replace("ANSI", "").strip()
    if re.fullmatch(r"125\d|874|93[2-6]|950", text):
        text = "CP" + text
    elif re.fullmatch(r"8859(\d{1,2})", text):
        text = "ISO-8859-" + text[4:]
    try:
        return codecs.lookup(text).name
    except LookupError:
        return None


def decodes(data: bytes, encoding: str) -> bool:
    try:
        data.decode(encoding)
        return True
    except UnicodeDecodeError as exc:
        # a multi-byte character cut by the sample's end is not a fault of the text
        return encoding == "utf-8" and exc.start > len(data) - 4
    except LookupError:
        return False


def choose_encoding(info: LayerInfo, catalog: str | None, warn: Warn) -> str | None:
    """The encoding to read the layer's text in (None: GDAL's own decoding); ``warn(code, message)``
    for every disagreement between the catalog, the .cpg and the bytes."""
    sample, cpg = text_sample(info)
    declared = codec(cpg)
    shown = excerpt(cpg, 30) if cpg else None
    if catalog:
        return _with_catalog(sample, catalog, codec(catalog) or catalog, shown, declared, warn)
    if not sample or decodes(sample, "utf-8"):
        return "UTF-8" if declared == "utf-8" else None
    guess = single_byte(sample).upper()  # the shared rule: CP1250, or ISO-8859-2 when the bytes say so
    if declared == "utf-8":
        warn("encoding_mismatch", f"the layer declares {shown} (.cpg) but its text is not UTF-8; read as "
             f"{guess} (set the catalog encoding to override)")
        return guess
    if declared and decodes(sample, declared):
        return declared
    return guess


def _with_catalog(sample: bytes, catalog: str, cat: str, shown: str | None, declared: str | None,
                  warn: Warn) -> str:
    if shown is None or declared == cat:
        return catalog
    if declared == "utf-8":
        if not decodes(sample, "utf-8"):
            warn("encoding_mismatch", f"the layer declares {shown} (.cpg) but its text is not UTF-8; read as "
                 f"{catalog} (catalog encoding)")
            return catalog
        if not sample.isascii():
            warn("encoding_from_cpg", f"the layer declares {shown} (.cpg) and its text is UTF-8; read as UTF-8, "
                 f"not the catalog's {catalog}")
            return "UTF-8"
    elif declared and not decodes(sample, cat) and decodes(sample, declared):
        warn("encoding_from_cpg", f"the layer's text is not {catalog} but reads as {shown}, which its .cpg "
             "declares; read as that")
        return declared
    warn("encoding_overridden", f"layer declares {shown}; decoded as {catalog} (catalog encoding)")
    return catalog
