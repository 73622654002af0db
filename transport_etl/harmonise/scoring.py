"""Evidence that two source stop places are the same place: register keys, Czech name similarity
and a distance + name score, with configurable thresholds. Pure functions, no database."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields
from functools import lru_cache
from typing import Any

from transport_etl.harmonise.guard import token_match
from transport_etl.names import clear_caches as clear_name_caches
from transport_etl.names import normalise_stop_name, token_roles

# Roles come from abbreviations.csv: "generic" tokens say "a station / a square" rather than which
# one (they count half in similarity); "filler" tokens (prepositions, "ulice") carry little identity.
GENERIC_TOKENS = frozenset(t for t, r in token_roles().items() if r == "generic")
STOP_TOKENS = frozenset(t for t, r in token_roles().items() if r == "filler")
# A bus stop whose local name is only these sits at the railway station.
STATION_TOKENS = frozenset({"nadr", "hl", "zast"})
RAIL_KINDS = frozenset({"rail"})
_DIGITS = re.compile(r"^\d+$")


@dataclass(frozen=True)
class MatchConfig:
    """Thresholds and priorities of stop matching; every field can be overridden by name."""

    max_distance_m: float = 300.0        # candidates farther apart are never matched by distance + name
    register_max_distance_m: float = 2000.0  # same register id farther apart → review instead of merge
    name_weight: float = 0.6             # score = name_weight * similarity + (1 - name_weight) * closeness
    accept_score: float = 0.75
    accept_min_similarity: float = 0.6
    review_score: float = 0.5
    review_min_similarity: float = 0.4
    # A bus stop named after the station ("Louny,,žel.st.") and the station itself ("Louny") may lie
    # farther apart than ordinary candidates: with that strong name evidence the radius is wider.
    station_max_distance_m: float = 2500.0
    station_min_similarity: float = 0.9
    walking_distance_m: float = 300.0    # bus stop ↔ rail station intermodal connection
    # Platform pairs: a city feed publishes one stop per direction ("U102Z1", "U102Z2": same name, a few
    # metres apart, no parent station). Two stops of one source merge when they are this close, in the
    # same municipality/district, of the same kind, without conflicting register ids, and their names
    # normalise equal or are at least this similar.
    platform_max_distance_m: float = 150.0
    platform_min_similarity: float = 0.95
    # Survivorship: earlier entries win. An entry is a source id, a family (regional, rail,
    # municipal, road) or a format (jdf, gtfs, sr70, ...).
    name_priority: tuple[str, ...] = ("sr70", "rail", "stop-register", "regional", "municipal")
    position_priority: tuple[str, ...] = ("stop-register", "regional", "municipal", "rail")
    namespace: str = "cz.ustecky.stop"
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_mapping(cls, values: dict[str, Any] | None) -> MatchConfig:
        """Defaults overridden by ``values`` (e.g. from the CLI or a Dagster config); unknown keys fail."""
        values = dict(values or {})
        names = {f.name for f in fields(cls)}
        unknown = set(values) - names
        if unknown:
            raise ValueError(f"unknown stop matching settings: {', '.join(sorted(unknown))}")
        for key in ("name_priority", "position_priority"):
            if key in values:
                values[key] = tuple(values[key])
        return cls(**values)


def register_key(kind: str | None, register_id: str | None) -> str | None:
    """Register identity shared across sources: ``sr70:<5 digits>`` for rail (SR70 with or without its
    check digit, as CZPTT writes it), ``crz:<number>`` for road-mode stops (the CRZ stop number)."""
    if not register_id:
        return None
    rid = str(register_id).strip()
    if not _DIGITS.match(rid):
        return None
    if kind in RAIL_KINDS:
        return f"sr70:{rid[:5]}" if len(rid) in (5, 6) else None
    return f"crz:{int(rid)}"


def _tokens(text: str | None) -> list[str]:
    return normalise_stop_name(text or "").split()


def local_tokens(name: str, municipalities: list[str | None], rail: bool = False) -> list[str]:
    """Tokens of a stop name without the municipality (the city GTFS writes ``Hlavní nádraží`` where
    the register writes ``Ústí nad Labem,,hl.nádr.``). A rail station is implicitly a station."""
    return list(_local_tokens(name, tuple(municipalities), rail))


def clear_caches() -> None:
    """Drop the per-name caches of scoring and of names (see names.clear_caches)."""
    _local_tokens.cache_clear()
    token_match.cache_clear()
    clear_name_caches()


@lru_cache(maxsize=500_000)
def _local_tokens(name: str, municipalities: tuple[str | None, ...], rail: bool) -> tuple[str, ...]:
    tokens = _tokens(name)
    for muni in municipalities:
        mt = _tokens(muni)
        if mt and tokens[: len(mt)] == mt:
            tokens = tokens[len(mt):]
            break
    if rail and not (set(tokens) & STATION_TOKENS):
        tokens = [*tokens, "nadr"]
    return tuple(tokens or _tokens(name))


def _weight(token: str) -> float:
    if token in STOP_TOKENS:
        return 0.2
    if token in GENERIC_TOKENS:
        return 0.5
    return 1.0


def _matched(src: list[str], other: list[str]) -> float:
    return sum(_weight(t) * max((token_match(t, o) for o in other), default=0.0) for t in src)


def token_similarity(ta: list[str], tb: list[str]) -> float:
    """Weighted soft token similarity 0..1: Dice over matched weights, or slightly less than full
    when one name's tokens are all contained in the other's (``Vaňov`` ⊂ ``Vaňov, Labská``)."""
    if not ta or not tb:
        return 0.0
    if ta == tb:
        return 1.0
    wa, wb = sum(map(_weight, ta)), sum(map(_weight, tb))
    ma, mb = _matched(ta, tb), _matched(tb, ta)
    dice = (ma + mb) / (wa + wb)
    contained = max(ma / wa, mb / wb)
    smaller = ta if ma / wa >= mb / wb else tb
    # Containment of only generic words ("nám.") is weak evidence.
    factor = 0.9 if any(t not in GENERIC_TOKENS and t not in STOP_TOKENS for t in smaller) else 0.7
    return round(min(1.0, max(dice, factor * contained)), 4)


def name_similarity(
    name_a: str, name_b: str, muni_a: str | None = None, muni_b: str | None = None,
    rail_a: bool = False, rail_b: bool = False,
) -> float:
    """Similarity 0..1 of two stop names in Czech: diacritics, abbreviations (names.normalise_stop_name),
    word order (token sets) and the municipality prefix (stripped, either side's municipality)."""
    munis = [m for m in (muni_a, muni_b) if m]
    ta = local_tokens(name_a, munis, rail_a)
    tb = local_tokens(name_b, munis, rail_b)
    sim = token_similarity(ta, tb)
    if sorted(ta) == sorted(tb):
        sim = 1.0
    # A bus stop named "station" beside a rail station whose own name says nothing more is that station.
    if rail_a != rail_b:
        bus, rail = (tb, ta) if rail_a else (ta, tb)
        if bus and set(bus) <= STATION_TOKENS and set(rail) - STOP_TOKENS <= STATION_TOKENS:
            sim = max(sim, 0.9)
    return sim


def is_station_pair(name_bus: str, muni_bus: str | None, similarity: float, cfg: MatchConfig) -> bool:
    """A road-mode stop whose name says "station" and a rail station with (nearly) the same name."""
    return similarity >= cfg.station_min_similarity and "nadr" in local_tokens(name_bus, [muni_bus])


def same_municipality(a: str | None, b: str | None) -> bool:
    """False only when both are known and differ after normalisation."""
    if not a or not b:
        return True
    return normalise_stop_name(a) == normalise_stop_name(b)


def score(distance_m: float, similarity: float, cfg: MatchConfig, limit_m: float | None = None) -> float:
    """Combined evidence 0..1: name similarity and closeness (1 at 0 m, 0 at ``limit_m``, by default
    max_distance_m)."""
    closeness = max(0.0, 1.0 - distance_m / (limit_m or cfg.max_distance_m))
    return round(cfg.name_weight * similarity + (1.0 - cfg.name_weight) * closeness, 4)


def classify(distance_m: float, similarity: float, cfg: MatchConfig, station: bool = False) -> tuple[str, float]:
    """('accept' | 'review' | 'reject', score) for a distance + name candidate pair; ``station`` pairs
    (see :func:`is_station_pair`) are scaled to station_max_distance_m."""
    limit = cfg.station_max_distance_m if station else cfg.max_distance_m
    s = score(distance_m, similarity, cfg, limit)
    if distance_m > limit:
        return "reject", s
    if s >= cfg.accept_score and similarity >= cfg.accept_min_similarity:
        return "accept", s
    if s >= cfg.review_score and similarity >= cfg.review_min_similarity:
        return "review", s
    return "reject", s
