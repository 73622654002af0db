"""Persistent canonical identifiers: a cluster keeps the id most of its members had before (ids
live on the members' source identities, not on row ids), else gets a new one derived from its
register ids or its first member. Ids are never reused for another place. Pure Python."""

from __future__ import annotations

import hashlib
from collections import Counter
from collections.abc import Iterable

Key = tuple[str, str]


def base_local_id(members: Iterable[Key], register_keys: Iterable[str]) -> str:
    """The id a brand-new canonical stop gets: SR<SR70-5> for a station, CRZ<n> for a register bus
    stop, else H<10 hex of its smallest member identity> (deterministic, so a rebuilt database
    hands out the same ids for the same data)."""
    regs = sorted(set(register_keys))
    for prefix, label in (("sr70:", "SR"), ("crz:", "CRZ")):
        for r in regs:
            if r.startswith(prefix):
                return label + r[len(prefix):]
    first = min(members)
    return "H" + hashlib.sha1(f"{first[0]}:{first[1]}".encode()).hexdigest()[:10]


def assign(
    clusters: list[list[Key]],
    register_keys: list[list[str]],
    previous: dict[Key, str],
    existing: dict[str, bool],
) -> list[str]:
    """Canonical local id per cluster.

    ``previous``: member identity → canonical local id it had (current or not);
    ``existing``: every canonical local id ever issued → True if it is retired.
    The cluster with most former members of an id keeps it; a split-off part gets a new id. On a tie
    the part whose own register id the id was derived from keeps it (CRZ30102 stays with stop 30102).
    """
    votes = [Counter(previous[m] for m in c if m in previous) for c in clusters]
    bases = [base_local_id(c, r) for c, r in zip(clusters, register_keys, strict=True)]

    def top(i: int) -> int:
        return votes[i].most_common(1)[0][1] if votes[i] else 0

    order = sorted(range(len(clusters)),
                   key=lambda i: (-top(i), 0 if top(i) and votes[i][bases[i]] == top(i) else 1, clusters[i]))
    used: set[str] = set()
    out: list[str | None] = [None] * len(clusters)
    for i in order:
        for cid, _n in sorted(votes[i].items(), key=lambda kv: (-kv[1], kv[0] != bases[i], kv[0])):
            if cid not in used:
                out[i] = cid
                break
        if out[i] is None:
            base = bases[i]
            # A retired register-derived id comes back for the same register id.
            if base not in used and (base not in existing or (existing[base] and not base.startswith("H"))):
                out[i] = base
            else:
                n = 2
                while f"{base}-{n}" in used or f"{base}-{n}" in existing:
                    n += 1
                out[i] = f"{base}-{n}"
        used.add(out[i])
    return [c for c in out if c is not None]
