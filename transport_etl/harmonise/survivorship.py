"""Attribute survivorship: which member supplies a canonical stop's name and position, and why."""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache

from transport_etl.harmonise.cluster import Stop


def rank(stop: Stop, priority: Sequence[str]) -> int:
    """Position of the stop's source id, format or family in ``priority`` (unlisted: last)."""
    return _rank(stop.source_id, stop.format, stop.family, tuple(priority))


@lru_cache(maxsize=4096)  # a handful of sources: computed once per source, not once per stop
def _rank(source_id: str, fmt: str, family: str, priority: tuple[str, ...]) -> int:
    for i, entry in enumerate(priority):
        if entry in (source_id, fmt, family):
            return i
    return len(priority)


def choose(members: Sequence[Stop], priority: Sequence[str], attribute: str) -> tuple[Stop | None, str]:
    """The member whose ``attribute`` (name | position) survives, with a one-line reason."""
    pool = [m for m in members if (m.x is not None if attribute == "position" else bool(m.name))]
    if not pool:
        return None, f"no member has a {attribute}"
    best = min(pool, key=lambda m: (rank(m, priority), m.key))
    rule = " > ".join(priority)
    r = rank(best, priority)
    if len(pool) == 1:
        why = "only member with one" if len(members) > 1 else "only member"
    elif r < len(priority):
        why = f"source priority {rule}: matched '{priority[r]}'"
    else:
        why = f"no member listed in source priority {rule}: first by source id"
    return best, f"{attribute} from {best.source_id}:{best.local_id} ({why})"
