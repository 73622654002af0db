"""How a new input relates to what is current: ``snapshot`` — the input is the whole truth and
replaces the current version; ``cumulative`` — the input applies on top of the current state (each
input is still its own feed version; the current state is the ordered application of the versions
since the last base). Each format declares its default (``FORMAT.update_mode``); the catalog may
override it per source with ``options.update_mode``, but only to a mode the format implements.
"""

from __future__ import annotations

from transport_etl.catalog import Source
from transport_etl.errors import ConfigError
from transport_etl.formats import registry

SNAPSHOT = "snapshot"
CUMULATIVE = "cumulative"


def update_mode(source: Source) -> str:
    """The source's update mode: catalog option ``update_mode``, else the format's declaration."""
    fmt = registry.get(source.format)
    mode = str(source.options.get("update_mode") or fmt.update_mode)
    if mode not in (SNAPSHOT, CUMULATIVE):
        raise ConfigError(f"source {source.id}: update_mode {mode!r} is not snapshot or cumulative")
    if mode == CUMULATIVE and not fmt.cumulative:
        cumulative = sorted(f.name for f in registry.formats().values() if f.cumulative)
        raise ConfigError(f"source {source.id}: format {source.format} has no cumulative loader "
                          f"(cumulative: {', '.join(cumulative)})")
    return mode
