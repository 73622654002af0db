"""The source catalog: one YAML entry per source; adding a feed is adding an entry, no code."""

from __future__ import annotations

import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from transport_etl.errors import ConfigError

FAMILIES = ("regional", "road", "rail", "municipal", "fleet")
DEFAULT_CATALOG = Path("sources.yaml")
CATALOG_ENV = "TRANSPORT_ETL_CATALOG"
# Region of a source: NUTS 3 code (a Czech kraj, e.g. CZ042 Ústecký kraj); lineage.region names them.
DEFAULT_REGION = "CZ042"
_NUTS3 = re.compile(r"^[A-Z]{2}[0-9A-Z]{3}$")


@dataclass(frozen=True)
class Source:
    """One catalog entry."""

    id: str
    family: str
    format: str
    location: str | None = None
    crs: str | None = None
    encoding: str | None = None
    owner: str | None = None
    schedule: str | None = None
    description: str | None = None
    options: dict[str, Any] = field(default_factory=dict)
    region: str = DEFAULT_REGION

    @property
    def namespace(self) -> str:
        """Namespace of the persistent identifiers of this source's objects."""
        return str(self.options.get("namespace") or f"cz.ustecky.{self.id}")

    def is_url(self) -> bool:
        return bool(self.location) and self.location.startswith(("http://", "https://"))


def _check(entry: dict[str, Any], where: str) -> Source:
    from transport_etl.formats import registry

    missing = [k for k in ("id", "family", "format") if not entry.get(k)]
    if missing:
        raise ConfigError(f"{where}: missing {', '.join(missing)}")
    if entry["family"] not in FAMILIES:
        raise ConfigError(f"{where}: family {entry['family']!r} is not one of {', '.join(FAMILIES)}")
    if entry["format"] not in registry.formats():
        raise ConfigError(f"{where}: unknown format {entry['format']!r}; known: {', '.join(registry.names())}")
    if entry.get("region") is not None and not _NUTS3.match(str(entry["region"])):
        raise ConfigError(f"{where}: region {entry['region']!r} is not a NUTS 3 code such as CZ042")
    known = {"id", "family", "format", "location", "crs", "encoding", "owner", "schedule", "description", "options",
             "region"}
    extra = set(entry) - known
    if extra:
        raise ConfigError(f"{where}: unknown keys {', '.join(sorted(extra))}")
    return Source(**{k: entry[k] for k in known if k in entry and entry[k] is not None})


def catalog_path(path: str | Path | None = None) -> Path:
    chosen = path or os.environ.get(CATALOG_ENV)
    if chosen:
        return Path(chosen)
    if not DEFAULT_CATALOG.exists():  # run from another folder: the project's own catalog
        from transport_etl.project import project_root

        return project_root() / DEFAULT_CATALOG
    return DEFAULT_CATALOG


def load_catalog(path: str | Path | None = None) -> list[Source]:
    """Read and check the catalog. Relative file locations resolve against the catalog's folder."""
    p = catalog_path(path)
    if not p.exists():
        raise ConfigError(f"Source catalog {p} not found (set {CATALOG_ENV} or run from the project folder).")
    doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    entries = doc.get("sources") or []
    sources: list[Source] = []
    seen: set[str] = set()
    for i, entry in enumerate(entries):
        src = _check(entry, f"{p}: sources[{i}]")
        if src.id in seen:
            raise ConfigError(f"{p}: duplicate source id {src.id!r}")
        seen.add(src.id)
        if src.location and not src.is_url() and not Path(src.location).is_absolute():
            src = Source(**{**src.__dict__, "location": str((p.parent / src.location).resolve())})
        sources.append(src)
    return sources


def harmonise_settings(path: str | Path | None = None) -> dict[str, Any]:
    """The catalog's optional top-level ``harmonise:`` mapping: overrides of the stop-matching settings
    (thresholds, source priorities for names and positions), so operators tune them without code."""
    p = catalog_path(path)
    if not p.exists():
        return {}
    doc = yaml.safe_load(p.read_text(encoding="utf-8")) or {}
    settings = doc.get("harmonise") or {}
    if not isinstance(settings, dict):
        raise ConfigError(f"{p}: harmonise must be a mapping of setting: value")
    return settings


def find_source(source_id: str, path: str | Path | None = None) -> Source | None:
    for s in load_catalog(path):
        if s.id == source_id:
            return s
    return None
