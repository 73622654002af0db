"""Untrusted XML (DATEX II, CZPTT, …): no DTD, no entities, no network, bounded size.

A document that declares a DTD or entities (the shape of an XML bomb or an external-entity attack)
is refused before libxml2 sees it; the parser is configured so that it would not expand or fetch
anything even if a declaration slipped past that check.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from transport_etl.errors import InputRejected

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_PROLOG_SCAN = 1 << 20
_ELEMENT_START = re.compile(r"<[A-Za-z_]")
_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                       huge_tree=False, remove_comments=True, remove_pis=True)


class HostileXml(InputRejected):
    """The document declares a DTD or entities: the whole input is refused."""

    def __init__(self, message: str):
        super().__init__(message, code="xml_doctype_refused")


class BadXml(ValueError):
    """Not well-formed XML (or not XML at all)."""


def _decoded(head: bytes) -> str:
    # UTF-16 documents would hide "<!DOCTYPE" from a byte scan: look at them decoded.
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head.decode("utf-16", "replace")
    return head.decode("utf-8", "replace")


def _prolog(head: bytes) -> tuple[str, bool]:
    """The text before the first element (where a DTD must stand) and whether an element was seen."""
    text = _decoded(head)
    m = _ELEMENT_START.search(text)
    return (text[: m.start()] if m else text), m is not None


def _declares_dtd(prolog: str) -> bool:
    upper = prolog.upper()
    return "<!DOCTYPE" in upper or "<!ENTITY" in upper


def check(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse, before streaming a file, anything too large, empty, not XML, or carrying a DOCTYPE."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputRejected(f"{path.name}: {size:,} bytes exceeds the {max_bytes:,}-byte limit for XML input",
                            code="input_too_large")
    if size == 0:
        raise InputRejected(f"{path.name}: empty file, not XML", code="invalid_xml")
    with path.open("rb") as f:
        prolog, has_element = _prolog(f.read(_PROLOG_SCAN))
    if _declares_dtd(prolog):
        raise HostileXml(f"{path.name}: XML with a DOCTYPE/entity declarations is refused (entity expansion, "
                         "external references)")
    if not has_element:
        raise InputRejected(f"{path.name}: no XML element in the first {_PROLOG_SCAN:,} bytes: not XML",
                            code="invalid_xml")


def iterparse(path: Path, **kwargs: Any) -> Iterator[tuple[str, Any]]:
    """lxml iterparse with every resolver off; syntax errors become InputRejected. Call check() first."""
    try:
        yield from etree.iterparse(str(path), **_PARSER_OPTIONS, **kwargs)
    except etree.XMLSyntaxError as exc:
        raise InputRejected(f"{path.name}: not well-formed XML: {exc}", code="invalid_xml") from exc


def parse(data: bytes, name: str) -> etree._Element:
    """The root element of an in-memory document; HostileXml for DTD/entity declarations, BadXml if
    not well-formed."""
    prolog, _ = _prolog(data[:_PROLOG_SCAN])
    if _declares_dtd(prolog):
        raise HostileXml(f"{name} declares a DTD or entities (possible XML bomb or external entity): refused")
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        raise BadXml(f"{name} is not well-formed XML: {exc}") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise HostileXml(f"{name} declares a DTD: refused")
    return root


def local(tag: Any) -> str:
    """Local name of a tag ('{ns}name' → 'name')."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
