"""Group source stop places into canonical ones from the evidence: manual decisions first, then
shared register ids, then distance + name pairs by falling score. Pure Python, no database.

Constraints while grouping: a manual "different" pair never ends up together, and two stop places
of the same source only do when they share a register id, staff said "same", or they are a platform
pair (one stop per direction under the same name a few metres apart, as city GTFS feeds publish
them: see :func:`platform_pair`). A source rarely lists one place twice otherwise, and the rule
stops chains of near neighbours collapsing into one stop."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from transport_etl.harmonise.guard import DISTINGUISHING, OTHER_COUNTRY, guard
from transport_etl.harmonise.scoring import (
    RAIL_KINDS,
    MatchConfig,
    classify,
    is_station_pair,
    name_similarity,
    register_key,
    same_municipality,
    score,
)
from transport_etl.names import normalise_stop_name

Key = tuple[str, str]  # (source_id, local_id): a stop place's identity across feed versions
# A candidate pair: (key a, key b, distance m) or with a fourth item, the evidence class the
# set-based blocking gave it (stops_near_pairs.sql): "same_name" | "platform_same" | "score".
Pair = tuple[Key, Key, float] | tuple[Key, Key, float, str]


@dataclass(slots=True)
class Stop:
    id: int
    source_id: str
    local_id: str
    name: str
    kind: str = "bus"
    municipality: str | None = None
    district_code: str | None = None
    register_id: str | None = None
    x: float | None = None
    y: float | None = None
    family: str = ""
    format: str = ""
    namespace: str = ""
    feed_version_id: int = 0
    country: str | None = None  # ISO alpha-2 when known (guard.stop_country)
    # Derived once (10^5 stops are compared many times): identity across feed versions, register key.
    key: Key = field(init=False)
    register_key: str | None = field(init=False)

    def __post_init__(self) -> None:
        self.key = (self.source_id, self.local_id)
        self.register_key = register_key(self.kind, self.register_id)

    @property
    def rail(self) -> bool:
        return self.kind in RAIL_KINDS


@dataclass(slots=True)
class Evidence:
    a: Key
    b: Key
    method: str          # register_id | platform_pair | distance_name | manual
    distance_m: float | None
    similarity: float | None
    score: float
    reason: str = ""


@dataclass
class Matching:
    clusters: list[list[Key]]
    evidence: dict[Key, Evidence | None]     # strongest evidence that placed each member (None: singleton)
    review: list[Evidence] = field(default_factory=list)
    accepted: int = 0


def pair_key(a: Key, b: Key) -> tuple[Key, Key]:
    return (a, b) if a <= b else (b, a)


def _distance(a: Stop, b: Stop) -> float | None:
    if a.x is None or b.x is None:
        return None
    return ((a.x - b.x) ** 2 + (a.y - b.y) ** 2) ** 0.5


def score_pair(a: Stop, b: Stop, distance_m: float, cfg: MatchConfig, same_name: bool = False) -> tuple[str, Evidence]:
    """Classify one distance + name candidate pair (already within max_distance_m). ``same_name``: the
    caller found the local name keys equal and the municipalities compatible (stops_near_pairs.sql),
    so the similarity is 1 without computing it."""
    if not same_name and (not same_municipality(a.municipality, b.municipality) or (
        a.district_code and b.district_code and a.district_code != b.district_code
    )):
        return "reject", Evidence(a.key, b.key, "distance_name", distance_m, 0.0, 0.0, "other_municipality")
    sim = 1.0 if same_name else name_similarity(a.name, b.name, a.municipality, b.municipality, a.rail, b.rail)
    station = a.rail != b.rail and is_station_pair(*((b.name, b.municipality) if a.rail else (a.name, a.municipality)),
                                                     sim, cfg)
    verdict, s = classify(distance_m, sim, cfg, station)
    ev = Evidence(a.key, b.key, "distance_name", round(distance_m, 1), sim, s, "low_confidence")
    # Names with the same words (similarity 1.0) cannot differ in a part: only the border is checked.
    if verdict != "reject" and (why := stop_guard(a, b, same_words=sim == 1.0)):
        # Proximity and a similar name against a distinguishing part or a border: a person decides.
        ev.reason = why
        return "review", ev
    return verdict, ev


def stop_guard(a: Stop, b: Stop, same_words: bool = False) -> str | None:
    """Why ``a`` and ``b`` must not merge on proximity and name alone (see guard.guard), or None."""
    return guard(a.name, b.name, a.municipality, b.municipality, a.country, b.country, same_words)


def platform_pair(a: Stop, b: Stop, distance_m: float, cfg: MatchConfig, same_name: bool = False) -> Evidence | None:
    """Evidence that two stop places of the same source are platforms of one place (one per direction,
    same name, a few metres apart), or None. Every condition must hold: same source and kind, within
    platform_max_distance_m, municipality and district not known to differ, no two different register
    ids, and names equal after normalisation or at least platform_min_similarity alike. ``same_name``:
    the caller checked all but the guard in SQL (stops_near_pairs.sql: class platform_same)."""
    if same_name:
        if stop_guard(a, b):
            return None
        return Evidence(a.key, b.key, "platform_pair", round(distance_m, 1), 1.0,
                        score(distance_m, 1.0, cfg, cfg.platform_max_distance_m), "platform_pair")
    if a.source_id != b.source_id or a.key == b.key or a.rail != b.rail:
        return None
    if distance_m > cfg.platform_max_distance_m:
        return None
    if not same_municipality(a.municipality, b.municipality) or (
        a.district_code and b.district_code and a.district_code != b.district_code
    ):
        return None
    if a.register_key and b.register_key and a.register_key != b.register_key:
        return None  # the register says these are two stops
    na, nb = normalise_stop_name(a.name), normalise_stop_name(b.name)
    if not na or not nb:
        return None
    sim = 1.0 if na == nb else name_similarity(a.name, b.name, a.municipality, b.municipality, a.rail, b.rail)
    if sim < cfg.platform_min_similarity or stop_guard(a, b):
        return None
    return Evidence(a.key, b.key, "platform_pair", round(distance_m, 1), sim,
                    score(distance_m, sim, cfg, cfg.platform_max_distance_m), "platform_pair")


class _Groups:
    """Union-find that refuses merges breaking the constraints."""

    def __init__(self, stops: dict[Key, Stop], different: set[tuple[Key, Key]], bonded: set[tuple[Key, Key]],
                 guarded: set[tuple[Key, Key]] | None = None):
        self.stops = stops
        self.guarded = guarded or set()  # pairs the name/country guard keeps apart unless a register or staff join them
        self.parent = {k: k for k in stops}
        self.members = {k: [k] for k in stops}
        self.different = different
        self.bonded = bonded  # same-source pairs allowed together (shared register id, manual same)

    def find(self, k: Key) -> Key:
        while self.parent[k] != k:
            self.parent[k] = self.parent[self.parent[k]]
            k = self.parent[k]
        return k

    def conflict(self, a: Key, b: Key, method: str = "") -> str | None:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return None
        for x in self.members[ra]:
            for y in self.members[rb]:
                pk = pair_key(x, y)
                if pk in self.different:
                    return "manual_different"
                if pk in self.guarded and method not in ("register_id", "manual") and pk not in self.bonded:
                    return "guarded"
                if x[0] == y[0] and pk not in self.bonded:
                    return "source_conflict"
        return None

    def union(self, a: Key, b: Key) -> bool:
        ra, rb = self.find(a), self.find(b)
        if ra == rb:
            return False
        if len(self.members[ra]) < len(self.members[rb]):
            ra, rb = rb, ra
        self.parent[rb] = ra
        self.members[ra].extend(self.members.pop(rb))
        return True


def match(
    stops: list[Stop],
    near_pairs: list[Pair],
    decisions: dict[tuple[Key, Key], str],
    cfg: MatchConfig,
) -> Matching:
    """Resolve ``stops`` into clusters.

    ``near_pairs``: (key a, key b, distance m[, evidence class]) of stops of different sources within
    max_distance_m (station pairs: station_max_distance_m), and of the same source within
    platform_max_distance_m (see :data:`Pair`; without a class every pair is scored in full);
    ``decisions``: ordered pair → 'same' | 'different' from the review table (they win).
    """
    by_key = {s.key: s for s in stops}
    different = {p for p, d in decisions.items() if d == "different"}
    same = [p for p, d in decisions.items() if d == "same" and p[0] in by_key and p[1] in by_key]
    evidence: dict[Key, Evidence | None] = {k: None for k in by_key}
    review: list[Evidence] = []

    # Register evidence: every stop with the same register key, chained to the first (by key).
    by_register: dict[str, list[Stop]] = defaultdict(list)
    for s in stops:
        if s.register_key:
            by_register[s.register_key].append(s)
    register_edges: list[Evidence] = []
    bonded: set[tuple[Key, Key]] = {pair_key(*p) for p in same}
    for group in by_register.values():
        group.sort(key=lambda s: s.key)
        for i, a in enumerate(group):
            for b in group[i + 1:]:
                d = _distance(a, b)
                sim = name_similarity(a.name, b.name, a.municipality, b.municipality, a.rail, b.rail)
                ev = Evidence(a.key, b.key, "register_id", None if d is None else round(d, 1), sim, 1.0)
                if d is not None and d > cfg.register_max_distance_m:
                    ev.reason, ev.score = "register_far", 0.5
                    review.append(ev)
                    continue
                bonded.add(pair_key(a.key, b.key))
                register_edges.append(ev)

    scored: list[Evidence] = []
    platforms: list[Evidence] = []
    guarded: set[tuple[Key, Key]] = set()
    for ka, kb, dist, *blocked in near_pairs:
        if ka not in by_key or kb not in by_key:
            continue
        a, b = by_key[ka], by_key[kb]
        if a.register_key and a.register_key == b.register_key:
            continue  # already register evidence
        same_name = bool(blocked) and blocked[0] in ("same_name", "platform_same")
        if a.source_id == b.source_id:
            ev = platform_pair(a, b, dist, cfg, same_name)
            if ev is not None:
                bonded.add(pair_key(a.key, b.key))
                platforms.append(ev)
            continue  # same-source pairs only ever join as platforms (else: the source_conflict guard)
        verdict, ev = score_pair(a, b, dist, cfg, same_name)
        if ev.reason.startswith((OTHER_COUNTRY, DISTINGUISHING)):
            guarded.add(pair_key(a.key, b.key))
        if verdict == "accept":
            scored.append(ev)
        elif verdict == "review":
            review.append(ev)
    scored.sort(key=lambda e: (-e.score, e.a, e.b))
    platforms.sort(key=lambda e: (-e.score, e.a, e.b))

    groups = _Groups(by_key, different, bonded, guarded)
    manual = [Evidence(a, b, "manual", _distance(by_key[a], by_key[b]), None, 1.0) for a, b in same]
    accepted = 0
    for ev in [*manual, *register_edges, *platforms, *scored]:
        problem = None if ev.method == "manual" else groups.conflict(ev.a, ev.b, ev.method)
        if problem == "manual_different":
            continue  # staff said no: obey silently (the decision is on record)
        if problem in ("source_conflict", "guarded"):
            ev.reason = problem
            review.append(ev)
            continue
        if groups.union(ev.a, ev.b):
            accepted += 1
            for k in (ev.a, ev.b):
                if evidence[k] is None or _rank(ev) < _rank(evidence[k]):
                    evidence[k] = ev

    clusters = [sorted(m) for m in groups.members.values()]
    clusters.sort()
    decided = set(decisions)
    # A doubtful pair that other evidence put together anyway needs no review.
    review = [e for e in review if pair_key(e.a, e.b) not in decided and groups.find(e.a) != groups.find(e.b)]
    return Matching(clusters=clusters, evidence=evidence, review=_dedupe(review), accepted=accepted)


# A member's recorded evidence prefers cross-source evidence; platform_pair shows where only the
# sibling platform placed it.
_METHOD_RANK = {"manual": 0, "register_id": 1, "distance_name": 2, "platform_pair": 3}


def _rank(ev: Evidence) -> tuple[int, float]:
    return (_METHOD_RANK[ev.method], -ev.score)


def _dedupe(review: list[Evidence]) -> list[Evidence]:
    seen: dict[tuple[Key, Key], Evidence] = {}
    for ev in review:
        pk = pair_key(ev.a, ev.b)
        if pk not in seen or ev.score > seen[pk].score:
            seen[pk] = ev
    return [seen[k] for k in sorted(seen)]
