"""The demo catalog: written by `python -m demo` into the demo data folder (demo_data/sources.yaml),
next to the files it lists, from the generators' own catalog entries. It is the catalog of `make demo`,
`make dev` (TRANSPORT_ETL_CATALOG points at it) and the demo tests; the repository's sources.yaml is the
production catalog of the region's real publishers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml

CATALOG_NAME = "sources.yaml"

HEADER = """\
# Demo source catalog, written by `python -m demo` (make demo) from the demo generators: every entry is a
# generated file in this folder (relative locations resolve from here). Not for production: the
# project's sources.yaml lists the region's real sources. Same keys as there (see docs/formats.md).
# Use it with the CLI as `transport-etl --catalog demo_data/sources.yaml …` or TRANSPORT_ETL_CATALOG;
# `make dev` sets that variable to this file.
"""


def catalog_entries(generated: list[dict[str, Any]], out: Path) -> list[dict[str, Any]]:
    """The generators' entries with locations relative to ``out`` (where the catalog is written)."""
    base = out.resolve()
    return [{k: v for k, v in {**e, "location": str(Path(e["location"]).resolve().relative_to(base))}.items()
             if v is not None} for e in generated]


def write_catalog(generated: list[dict[str, Any]], out: Path) -> Path:
    """Write ``out/sources.yaml`` for the generated sources (the same bytes for the same data); returns it."""
    path = out / CATALOG_NAME
    text = HEADER + yaml.safe_dump({"sources": catalog_entries(generated, out)}, allow_unicode=True,
                                   sort_keys=False, width=110)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")
    return path
