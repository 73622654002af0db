"""Untrusted XML (DATEX II, CZPTT, any later XML format): no DTD, no entities, no network, bounded size.

The one XML path of the project. A document that declares a DTD (the carrier of XML bombs and external
entities) is refused by what libxml2 itself reports (``docinfo``) once it has read the prolog: no regex
pre-check that a comment, a processing instruction or a UTF-16 encoding could fool. The parser never
resolves entities, loads a DTD or touches the network, so nothing is expanded or fetched even before the
refusal; ``huge_tree`` stays off (libxml2's own depth and text-size limits).
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

from lxml import etree

from transport_etl.boundaries import excerpt
from transport_etl.errors import InputRejected

DEFAULT_MAX_BYTES = 200 * 1024 * 1024
_CHUNK = 1 << 16
REFUSAL = "declares a DTD or entities (possible XML bomb or external entity): refused"
_PARSER_OPTIONS = dict(resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
                       huge_tree=False, remove_comments=True, remove_pis=True)


class HostileXml(InputRejected):
    """The document declares a DTD or entities: the whole input is refused."""

    def __init__(self, message: str):
        super().__init__(message, code="xml_doctype_refused")


class BadXml(ValueError):
    """Not well-formed XML (or not XML at all)."""


def _declares_dtd(tree: Any) -> bool:
    docinfo = tree.docinfo
    return bool(docinfo.doctype) or docinfo.internalDTD is not None or docinfo.externalDTD is not None \
        or bool(docinfo.system_url) or bool(docinfo.public_id)


def _syntax(exc: Exception) -> str:
    return excerpt(str(exc), 160)


def _refuse_entities(exc: Exception, name: str) -> None:
    # libxml2 stops entity amplification itself (XML bombs); say so as a refusal, not as bad syntax.
    text = str(exc).lower()
    if "entity" in text or "doctype" in text or "amplification" in text:
        raise HostileXml(f"{name}: {REFUSAL}") from exc


def check(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse, before streaming a file, anything too large, empty, not XML, or carrying a DOCTYPE: the
    parser reads up to the root element's start and reports what the prolog declared."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputRejected(f"{path.name}: {size:,} bytes exceeds the {max_bytes:,}-byte limit for XML input",
                            code="input_too_large")
    if size == 0:
        raise InputRejected(f"{path.name}: empty file, not XML", code="invalid_xml")
    parser = etree.XMLPullParser(events=("start",), **_PARSER_OPTIONS)
    root = None
    try:
        with path.open("rb") as f:
            while root is None and (chunk := f.read(_CHUNK)):
                parser.feed(chunk)
                for _event, elem in parser.read_events():
                    root = elem
                    break
    except etree.XMLSyntaxError as exc:
        _refuse_entities(exc, path.name)
        raise InputRejected(f"{path.name}: not well-formed XML: {_syntax(exc)}", code="invalid_xml") from exc
    if root is None:
        raise InputRejected(f"{path.name}: no XML element: not XML", code="invalid_xml")
    if _declares_dtd(root.getroottree()):
        raise HostileXml(f"{path.name}: {REFUSAL}")


def iterparse(path: Path, **kwargs: Any) -> Iterator[tuple[str, Any]]:
    """lxml iterparse with every resolver off; syntax errors become InputRejected. Call check() first."""
    try:
        yield from etree.iterparse(str(path), **_PARSER_OPTIONS, **kwargs)
    except etree.XMLSyntaxError as exc:
        _refuse_entities(exc, path.name)
        raise InputRejected(f"{path.name}: not well-formed XML: {_syntax(exc)}", code="invalid_xml") from exc


def parse(data: bytes, name: str) -> etree._Element:
    """The root element of an in-memory document; HostileXml for DTD/entity declarations, BadXml if
    not well-formed."""
    try:
        root = etree.fromstring(data, etree.XMLParser(**_PARSER_OPTIONS))
    except etree.XMLSyntaxError as exc:
        _refuse_entities(exc, name)
        raise BadXml(f"{name} is not well-formed XML: {_syntax(exc)}") from exc
    if _declares_dtd(root.getroottree()):
        raise HostileXml(f"{name}: {REFUSAL}")
    return root


def local(tag: Any) -> str:
    """Local name of a tag ('{ns}name' → 'name')."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]


XSI_TYPE = "{http://www.w3.org/2001/XMLSchema-instance}type"


def type_name(value: str | None) -> str:
    """An xsi:type value without its namespace prefix ('sit:Accident' → 'Accident')."""
    return (value or "").rpartition(":")[2]
