"""Czech stop-name normalisation and similarity, shared by the JDF stop positioning and the
cross-source harmonisation.

The same stop is written ``Ústí nad Labem,,hl.nádr.`` (JDF/register), ``Ústí n.L., hlavní nádraží``
(timetable print) or ``Hlavní nádraží`` (city GTFS). :func:`normalise_stop_name` folds case,
diacritics, punctuation and the usual abbreviations into one token string so that equal strings
mean the same name; :func:`name_similarity` scores partial agreement (e.g. a city name without the
town) for ranking candidates that are also close in space.

The abbreviations are data, not code: ``abbreviations.csv`` beside this module (Czech, Slovak,
German and Polish transport words, each form folding to one canonical token, so abbreviation and
expansion meet in either direction). Country evidence comes from ``countries.csv``.
"""

from __future__ import annotations

import csv
import re
import unicodedata
from dataclasses import dataclass
from difflib import SequenceMatcher
from functools import cache, lru_cache
from importlib import resources

_DISTRICT_SUFFIX = re.compile(r"\[[A-Za-z]{2}\]")
# A country tag ends a name: "Zittau (DE)", "Lubawka (PL)". One letter ("(A)", "(D)") may be a platform.
_COUNTRY_TAG = re.compile(r"\(([^()]{2,20})\)\s*$")
_NON_WORD = re.compile(r"[^a-z0-9,]+")
_DIGIT_ALPHA = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")
# Letters NFD does not decompose into a base letter + accent.
_TRANSLIT = {"ł": "l", "Ł": "l", "ß": "ss", "đ": "d", "Đ": "d", "ø": "o", "Ø": "o", "æ": "ae", "Æ": "ae",
             "œ": "oe", "Œ": "oe"}
_TRANSLIT_RE = re.compile("[" + "".join(_TRANSLIT) + "]")
ROLES = ("word", "generic", "filler")


_COMBINING = re.compile("[\u0300-\u036f]")


def _strip_diacritics(text: str) -> str:
    return _COMBINING.sub("", unicodedata.normalize("NFD", text))


def fold_tokens(text: str) -> list[str]:
    """Lower-case ASCII word tokens of ``text`` (diacritics, punctuation and case folded, digits split
    from letters), before any abbreviation is applied."""
    return [t for f in _fold_fields(text) for t in f]


def _fold_fields(text: str) -> list[list[str]]:
    # One pass over the whole name, commas kept as field separators.
    if not text.isascii():
        text = _strip_diacritics(_TRANSLIT_RE.sub(lambda m: _TRANSLIT[m.group(0)], text))
    text = text.lower()
    text = _DIGIT_ALPHA.sub(" ", _NON_WORD.sub(" ", text))
    return [f.split() for f in text.split(",")]


@dataclass(frozen=True)
class Abbreviation:
    """One row of abbreviations.csv: forms (folded to token tuples) → canonical tokens."""

    canonical: tuple[str, ...]
    role: str
    lang: str
    where: str
    forms: tuple[str, ...]


def _csv_rows(text: str) -> list[dict[str, str]]:
    return list(csv.DictReader(line for line in text.splitlines() if line.strip() and not line.startswith("#")))


def _data_rows(name: str) -> list[dict[str, str]]:
    return _csv_rows(resources.files(__package__).joinpath(name).read_text(encoding="utf-8"))


@cache
def abbreviation_table() -> tuple[Abbreviation, ...]:
    """The rows of abbreviations.csv (loaded once)."""
    return parse_abbreviations(resources.files(__package__).joinpath("abbreviations.csv").read_text(encoding="utf-8"))


def parse_abbreviations(text: str) -> tuple[Abbreviation, ...]:
    """Rows of an abbreviation table (CSV, ``#`` comments). A bad role or position, or a form that
    folds to two different canonical forms, is a data error and fails loudly."""
    rows: list[Abbreviation] = []
    seen: dict[tuple[tuple[str, ...], str], tuple[str, ...]] = {}
    for r in _csv_rows(text):
        canonical = tuple(r["canonical"].split())
        if r["role"] not in ROLES or r["where"] not in ("any", "before_word") or not canonical:
            raise ValueError(f"abbreviations.csv: bad row {r}")
        forms = tuple(f.strip() for f in r["forms"].split("|") if f.strip())
        for f in forms:
            key = (tuple(fold_tokens(f)), r["where"])
            if not key[0] or seen.setdefault(key, canonical) != canonical:
                raise ValueError(f"abbreviations.csv: form {f!r} folds to two canonical forms")
        rows.append(Abbreviation(canonical, r["role"], r["lang"], r["where"], forms))
    return tuple(rows)


@cache
def _phrases() -> tuple[dict[tuple[str, ...], tuple[str, ...]], dict[tuple[str, ...], tuple[str, ...]], int,
                        frozenset[str]]:
    anywhere: dict[tuple[str, ...], tuple[str, ...]] = {}
    before_word: dict[tuple[str, ...], tuple[str, ...]] = {}
    for row in abbreviation_table():
        target = anywhere if row.where == "any" else before_word
        for f in row.forms:
            target[tuple(fold_tokens(f))] = row.canonical
    longest = max(len(k) for k in (*anywhere, *before_word))
    starts = frozenset(k[0] for k in (*anywhere, *before_word))
    return anywhere, before_word, longest, starts


@cache
def token_roles() -> dict[str, str]:
    """Canonical token → role (word | generic | filler) from the single-token rows of the table;
    tokens not in the table are words."""
    return {row.canonical[0]: row.role for row in abbreviation_table() if len(row.canonical) == 1}


def token_role(token: str) -> str:
    return token_roles().get(token, "word")


def canonical_tokens(tokens: list[str]) -> list[str]:
    """Replace every table form in ``tokens`` (longest form first, left to right) by its canonical
    tokens and collapse immediate repeats ("nádr. žst." → nadr)."""
    anywhere, before_word, longest, starts = _phrases()
    out: list[str] = []
    i, n = 0, len(tokens)
    while i < n:
        if tokens[i] not in starts:  # most words start no table form
            out.append(tokens[i])
            i += 1
            continue
        for size in range(min(longest, n - i), 0, -1):
            span = tuple(tokens[i:i + size])
            canon = anywhere.get(span)
            if canon is None and span in before_word:
                nxt = tokens[i + size] if i + size < n else ""
                canon = before_word[span] if len(nxt) >= 3 and nxt.isalpha() else None
            if canon is not None:
                out.extend(canon)
                i += size
                break
        else:
            out.append(tokens[i])
            i += 1
    return [t for j, t in enumerate(out) if j == 0 or out[j - 1] != t]


def _strip_tags(name: str) -> str:
    text = _DISTRICT_SUFFIX.sub(" ", name)
    m = _COUNTRY_TAG.search(text)
    if m and country_code(m.group(1)):
        text = text[: m.start()]
    return text


@lru_cache(maxsize=500_000)
def normalise_stop_name(name: str) -> str:
    """Canonical key of a stop name: lower case ASCII tokens separated by single spaces,
    abbreviations unified from the table (nám./náměstí → nam, hl.n./hlavní nádraží → hl nadr,
    žel.st./ŽST → nadr), JDF commas, embedded district suffixes (``Praha [AB]``) and country tags
    (``Zittau (DE)``) removed.

    >>> normalise_stop_name("Ústí n.L.,,hl.n.") == normalise_stop_name("Ústí nad Labem, hlavní nádraží")
    True
    """
    if not name:
        return ""
    return " ".join(canonical_tokens([t for f in _raw_fields(name) for t in f]))


@lru_cache(maxsize=500_000)
def _raw_fields(name: str) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(f) for f in _fold_fields(_strip_tags(name)))


@lru_cache(maxsize=500_000)
def name_fields(name: str) -> tuple[tuple[str, ...], ...]:
    """Canonical tokens per comma field of a name (``town,part,place`` in JDF; ``town, place`` in
    timetables); empty fields dropped."""
    fields = (tuple(canonical_tokens(list(f))) for f in _raw_fields(name or "") if f)
    return tuple(f for f in fields if f)


def clear_caches() -> None:
    """Drop the per-name caches (one harmonisation run fills them; the next starts afresh)."""
    normalise_stop_name.cache_clear()
    _raw_fields.cache_clear()
    name_fields.cache_clear()


@cache
def _countries() -> tuple[dict[str, str], dict[str, str]]:
    aliases: dict[str, str] = {}
    letters: dict[str, str] = {}
    for r in _data_rows("countries.csv"):
        target = aliases if r["kind"] == "alias" else letters
        for m in (r["marker"].split("|") if r["kind"] == "alias" else r["marker"]):
            target[m.casefold() if r["kind"] == "alias" else m] = r["country"]
    return aliases, letters


def country_code(text: str | None) -> str | None:
    """ISO 3166 alpha-2 code for a way of writing a country (``D``, ``Polsko``, ``SK``), else None."""
    return _countries()[0].get(text.strip().casefold()) if text and text.strip() else None


def name_country(name: str | None) -> str | None:
    """Country a stop name itself tells: a tag (``Zittau (DE)``, two letters or more), else letters Czech never uses."""
    if not name:
        return None
    m = _COUNTRY_TAG.search(name)
    if m and (code := country_code(m.group(1))):
        return code
    letters, pattern = _countries()[1], _letters_pattern()
    found = pattern.search(name)
    return letters[found.group(0)] if found else None


@cache
def _letters_pattern() -> re.Pattern[str]:
    return re.compile("[" + re.escape("".join(_countries()[1])) + "]")


def name_similarity(a: str, b: str) -> float:
    """Similarity 0..1 of two stop names after normalisation.

    1.0 for equal normalised names. Otherwise the larger of the character-level ratio and a token
    score that rewards one name being contained in the other (a city GTFS name without the town,
    ``Hlavní nádraží``, against the register's ``Ústí nad Labem,,hl.nádr.``) but less than equality.
    """
    na, nb = normalise_stop_name(a), normalise_stop_name(b)
    if not na or not nb:
        return 0.0
    if na == nb:
        return 1.0
    ta, tb = set(na.split()), set(nb.split())
    overlap = len(ta & tb)
    containment = overlap / min(len(ta), len(tb))
    jaccard = overlap / len(ta | tb)
    token_score = 0.5 * containment + 0.5 * jaccard
    seq = SequenceMatcher(None, na, nb).ratio()
    # Equality is reserved for 1.0: partial matches stay below it.
    return round(min(0.99, max(seq, token_score)), 4)
