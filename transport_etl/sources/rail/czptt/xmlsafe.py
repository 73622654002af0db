"""Parse untrusted XML safely: no DTDs, no entity expansion, no network, bounded size.

A document that declares a DTD or entities (the shape of an XML bomb or of an external-entity
attack) is refused as hostile before libxml2 sees it; the parser itself is configured so that it
would not expand or fetch anything even if a declaration slipped past that check.
"""

from __future__ import annotations

import re

from lxml import etree

from transport_etl.errors import InputRejected

_DECLARATION = re.compile(rb"<!\s*(DOCTYPE|ENTITY)", re.IGNORECASE)


class HostileXml(InputRejected):
    """The document tries DTD or entity tricks: the whole input is refused."""

    def __init__(self, message: str):
        super().__init__(message, code="xml_hostile")


class BadXml(ValueError):
    """Not well-formed XML (or not XML at all): one message is unreadable."""


def _parser() -> etree.XMLParser:
    return etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, load_dtd=False,
                           dtd_validation=False, remove_comments=True, remove_pis=True)


def _text_for_scan(data: bytes) -> bytes:
    # UTF-16 documents would hide "<!DOCTYPE" from a byte scan: look at them decoded.
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", errors="replace").encode("utf-8", errors="replace")
    return data


def parse(data: bytes, name: str) -> etree._Element:
    """The root element of ``data``; HostileXml for DTD/entity declarations, BadXml if not well-formed."""
    if _DECLARATION.search(_text_for_scan(data)):
        raise HostileXml(f"{name} declares a DTD or entities (possible XML bomb or external entity): refused")
    try:
        root = etree.fromstring(data, _parser())
    except etree.XMLSyntaxError as exc:
        raise BadXml(f"{name} is not well-formed XML: {exc}") from exc
    docinfo = root.getroottree().docinfo
    if docinfo.internalDTD is not None or docinfo.doctype:
        raise HostileXml(f"{name} declares a DTD: refused")
    return root
