"""How a new input of a format relates to what is current (one place, to be folded into the format
registry): ``snapshot`` — the input is the whole truth and replaces the current version;
``cumulative`` — the input applies on top of the current state (each input is still its own feed
version; the current state is the ordered application of the versions since the last base).

The catalog may override a format's default per source with ``options.update_mode``, but only to a
mode the format's loader implements.
"""

from __future__ import annotations

from transport_etl.catalog import Source
from transport_etl.errors import ConfigError

SNAPSHOT = "snapshot"
CUMULATIVE = "cumulative"

# Format → default update mode; formats not listed are snapshots.
DEFAULT_UPDATE_MODES: dict[str, str] = {
    "czptt": CUMULATIVE,  # yearly base GVDyyyy.zip + monthly single-message files and cancellations
}
# Formats whose loader can apply an input on top of the current state.
# (DATEX II: snapshot by default; a feed that publishes updates sets update_mode: cumulative.)
CUMULATIVE_FORMATS = frozenset({"czptt", "datex2"})


def update_mode(source: Source) -> str:
    """The source's update mode: catalog option ``update_mode``, else the format's default."""
    mode = str(source.options.get("update_mode") or DEFAULT_UPDATE_MODES.get(source.format, SNAPSHOT))
    if mode not in (SNAPSHOT, CUMULATIVE):
        raise ConfigError(f"source {source.id}: update_mode {mode!r} is not snapshot or cumulative")
    if mode == CUMULATIVE and source.format not in CUMULATIVE_FORMATS:
        raise ConfigError(f"source {source.id}: format {source.format} has no cumulative loader "
                          f"(cumulative: {', '.join(sorted(CUMULATIVE_FORMATS))})")
    return mode
