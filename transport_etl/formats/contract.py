"""The format contract: what one format package declares about itself, once.

Each package ``transport_etl/formats/<format>/`` exposes ``FORMAT = Format.declare(__name__, ...)`` in its
``__init__``: the package is the module, the summary its docstring.
The catalog, the CLI, the ingest runner, the live-feed poller and the Dagster assets read these
declarations through :mod:`transport_etl.formats.registry`; adding a format touches one folder.
Steps are named as ``"module:function"`` inside the package and imported on first use, so a
format's heavy dependencies (lxml, pyogrio, protobuf) load only when it runs.
"""

from __future__ import annotations

import importlib
import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

UPDATE_MODES = ("snapshot", "cumulative")


@dataclass(frozen=True)
class Format:
    """One source format (the catalog's ``format:`` value) and the steps that load it."""

    name: str
    family: str  # default family when a source does not say (the catalog may assign another)
    package: str  # the format's package, e.g. transport_etl.formats.gtfs
    summary: str
    staging_tables: tuple[str, ...] = ()  # LIKE patterns in schema staging, e.g. "gtfs\\_%"
    update_mode: str = "snapshot"  # how a new file relates to the current state (catalog may override)
    load_step: str = "loader:load"  # parse → staging, inside the version's transaction
    publish_step: str = "loader:publish"  # staging → unified, same transaction
    poll_step: str | None = None  # live part: poll(database_url, source) -> PollResult
    poll_feed: str | None = None  # lineage.poll_run.feed of the live part
    poll_needs_url: bool = True  # a file location is loaded once through ingest, a URL is polled
    export_step: str | None = None  # unified → this format (e.g. GTFS)
    cumulative: bool = False  # the loader can apply an input on top of the current state
    # the files of a folder tree in publication order (base first, then updates), for cumulative sources
    order_step: str | None = None
    # Unified tables the publish step writes incrementally (unified.keep_unchanged, schemas/840): it keeps the
    # current rows whose content did not change and closes the others itself, so the runner does not close
    # the previous version's rows in these tables, and "this version's rows" there are the source's current ones.
    incremental_tables: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        if self.update_mode not in UPDATE_MODES:
            raise ValueError(f"format {self.name}: update_mode must be one of {UPDATE_MODES}")
        if (self.poll_step is None) != (self.poll_feed is None):
            raise ValueError(f"format {self.name}: poll_step and poll_feed go together")
        if self.update_mode == "cumulative" and not self.cumulative:
            raise ValueError(f"format {self.name}: update_mode cumulative needs a loader that applies on top")

    @classmethod
    def declare(cls, package: str, **fields: Any) -> Format:
        """The declaration of the format package ``package`` (pass ``__name__``), summarised by its docstring."""
        doc = sys.modules[package].__doc__
        if not doc:
            raise ValueError(f"format package {package} has no docstring to summarise it")
        return cls(package=package, summary=doc.strip(), **fields)

    def step(self, ref: str) -> Callable[..., Any]:
        """Import ``module:function``: relative to this format's package, or absolute (transport_etl.…)."""
        module, _, func = ref.partition(":")
        path = module if module.startswith("transport_etl.") else f"{self.package}.{module}"
        return getattr(importlib.import_module(path), func)

    def load(self, ctx: Any) -> None:
        self.step(self.load_step)(ctx)

    def publish(self, ctx: Any) -> None:
        self.step(self.publish_step)(ctx)

    @property
    def folder(self) -> Path:
        """The package's folder: its .py and .sql files are the format's loader (see loader_digest)."""
        spec = importlib.util.find_spec(self.package)
        locations = list(spec.submodule_search_locations or []) if spec else []
        if not locations:
            raise ValueError(f"format {self.name}: package {self.package} not found")
        return Path(locations[0])

    def publication_order(self, folder: Path) -> list[Path]:
        """Files of a cumulative source's folder tree in publication order ([] = the folder is one input)."""
        return self.step(self.order_step)(folder) if self.order_step else []

    @property
    def live(self) -> bool:
        return self.poll_step is not None

    def poll(self, database_url: str | None, source: Any) -> Any:
        if self.poll_step is None:
            raise ValueError(f"format {self.name} has nothing to poll")
        return self.step(self.poll_step)(database_url, source)
