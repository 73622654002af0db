"""The guard for different names: evidence that two nearby stop places are NOT the same place,
whatever their distance says. Pure functions, no database.

- **A distinguishing part**: the place part of one name (the last comma field of ``town,part,place``,
  or the whole name when it has no commas, the municipality aside) holds a word the other name does
  not have at all: ``Blatce,Tubož,rybník`` vs ``Blatce, Tubož``; ``Česká Lípa, Okružní - Mariánská``
  vs ``Česká Lípa,,Mariánská``; ``Lipová,,host.`` vs ``Lipová``. Generic words (nádraží, náměstí,
  zastávka) and fillers (u, k, ulice) never distinguish (their roles come from abbreviations.csv),
  and neither does a town part (``Děčín,Podmokly,žel.st.`` vs ``Děčín,,žel.st.``): sources drop it.
- **Another country**: both stops' countries are known and differ (a stop on the Polish side of a
  border crossing 11 m from the Czech one). Only a shared register id joins them.

The country of a stop, in this order of trust: the source record's own country attribute (JDF
``Stát``, carried in its place key ``name|district|country``), a country tag in the name
(``Zittau (DE)``), letters Czech never uses in the name (``ł``, ``ß``: countries.csv), and the
source's ``country`` option in sources.yaml. There is no national boundary polygon in the project,
so no point-in-polygon test: a stop without any of these has an unknown country and is not guarded.
"""

from __future__ import annotations

from difflib import SequenceMatcher
from functools import lru_cache

from transport_etl.names import (
    country_code,
    name_country,
    name_fields,
    normalise_stop_name,
    token_role,
)

OTHER_COUNTRY = "other_country"
DISTINGUISHING = "distinguishing_part"


@lru_cache(maxsize=1_000_000)
def token_match(a: str, b: str) -> float:
    """1 for equal tokens, 0.9 for an abbreviation (prefix of ≥ 3 letters), else fuzzy ≥ 0.8."""
    if a == b:
        return 1.0
    short, long_ = (a, b) if len(a) <= len(b) else (b, a)
    if len(short) >= 3 and long_.startswith(short):
        return 0.9
    if min(len(a), len(b)) >= 4:
        ratio = SequenceMatcher(None, a, b).ratio()
        if ratio >= 0.8:
            return ratio * 0.95
    return 0.0


def _place_tokens(fields: tuple[tuple[str, ...], ...], municipalities: list[tuple[str, ...]]) -> tuple[str, ...]:
    if not fields:
        return ()
    if len(fields) > 1:
        last = fields[-1]
        return () if last in municipalities else last
    tokens = fields[0]
    for muni in municipalities:
        if muni and tokens[: len(muni)] == muni:
            return tokens[len(muni):]
    return tokens


def _has_town(fields: tuple[tuple[str, ...], ...], other: tuple[tuple[str, ...], ...],
              municipalities: list[tuple[str, ...]]) -> bool:
    """Does the name start with its town (a full ``town,part,place`` name)? A city feed's bare
    ``Vaňov`` or ``Hlavní nádraží`` leaves the town and often the street out, so a full name's
    extra words are not held against it."""
    if not fields:
        return False
    first = fields[0]
    if any(m and first[: len(m)] == m for m in municipalities):
        return True
    return len(fields) > 1 and bool(other) and len(other) > 1 and first == other[0]


def _distinguishing(place: tuple[str, ...], other: list[str]) -> list[str]:
    other_has_digit = any(o.isdigit() for o in other)
    out = []
    for t in place:
        if t.isdigit():
            # A stop or platform number distinguishes only against another number.
            if other_has_digit and t not in other:
                out.append(t)
            continue
        if t in other or token_role(t) != "word":
            continue
        if not any(token_match(t, o) for o in other):
            out.append(t)
    return out


def distinguishing_parts(name_a: str, name_b: str, muni_a: str | None = None, muni_b: str | None = None) -> list[str]:
    """Words of either name's place part that the other name lacks (empty: no distinguishing part).
    A full name's place words count against the other name only when that one is a full name too."""
    munis = [tuple(normalise_stop_name(m).split()) for m in (muni_a, muni_b) if m]
    fa, fb = name_fields(name_a), name_fields(name_b)
    all_a = [t for f in fa for t in f]
    all_b = [t for f in fb for t in f]
    out = []
    if _has_town(fb, fa, munis):
        out += _distinguishing(_place_tokens(fa, munis), all_b)
    if _has_town(fa, fb, munis):
        out += _distinguishing(_place_tokens(fb, munis), all_a)
    return out


def stop_country(name: str | None, local_id: str | None = None, source_country: str | None = None) -> str | None:
    """Country of a source stop place from the evidence at hand (see the module docstring), or None."""
    if local_id and local_id.count("|") == 2:  # JDF place key: name|district|country
        code = country_code(local_id.rsplit("|", 1)[1])
        if code:
            return code
    return name_country(name) or country_code(source_country)


def different_countries(a: str | None, b: str | None) -> bool:
    return bool(a and b and a != b)


def guard(name_a: str, name_b: str, muni_a: str | None, muni_b: str | None,
          country_a: str | None, country_b: str | None, same_words: bool = False) -> str | None:
    """Why two nearby stops must not merge on proximity and name alone, or None:
    ``other_country`` or ``distinguishing_part:<words>``. ``same_words``: the caller already knows
    the names have the same words (no part can differ)."""
    if different_countries(country_a, country_b):
        return f"{OTHER_COUNTRY}:{country_a}/{country_b}"
    if same_words:
        return None
    parts = distinguishing_parts(name_a, name_b, muni_a, muni_b)
    if parts:
        return f"{DISTINGUISHING}:{' '.join(parts)}"
    return None

