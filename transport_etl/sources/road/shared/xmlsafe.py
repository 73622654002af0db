"""Safe XML input: no DTD, no entities, no network, bounded size (billion laughs, XXE → refused)."""

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


def check(path: Path, max_bytes: int = DEFAULT_MAX_BYTES) -> None:
    """Refuse, before parsing, anything too large or carrying a DOCTYPE (the only place entities,
    external references and entity-expansion bombs can be declared)."""
    size = path.stat().st_size
    if size > max_bytes:
        raise InputRejected(f"{path.name}: {size:,} bytes exceeds the {max_bytes:,}-byte limit for XML input",
                            code="input_too_large")
    if size == 0:
        raise InputRejected(f"{path.name}: empty file, not XML", code="invalid_xml")
    with path.open("rb") as f:
        head = f.read(_PROLOG_SCAN)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        text = head.decode("utf-16", "replace")
    else:
        text = head.decode("utf-8", "replace")
    m = _ELEMENT_START.search(text)
    prolog = text[: m.start()] if m else text
    if "<!DOCTYPE" in prolog.upper() or "<!ENTITY" in prolog.upper():
        raise InputRejected(f"{path.name}: XML with a DOCTYPE/entity declarations is refused (entity expansion, "
                            "external references)", code="xml_doctype_refused")
    if m is None:
        raise InputRejected(f"{path.name}: no XML element in the first {_PROLOG_SCAN:,} bytes: not XML",
                            code="invalid_xml")


def iterparse(path: Path, **kwargs: Any) -> Iterator[tuple[str, Any]]:
    """lxml iterparse with every resolver off; syntax errors become InputRejected."""
    try:
        yield from etree.iterparse(
            str(path), resolve_entities=False, no_network=True, load_dtd=False, dtd_validation=False,
            huge_tree=False, remove_comments=True, remove_pis=True, **kwargs,
        )
    except etree.XMLSyntaxError as exc:
        raise InputRejected(f"{path.name}: not well-formed XML: {exc}", code="invalid_xml") from exc


def local(tag: Any) -> str:
    """Local name of a tag ('{ns}name' → 'name')."""
    if not isinstance(tag, str):
        return ""
    return tag.rpartition("}")[2]
