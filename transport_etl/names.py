"""Czech stop-name normalisation and similarity, shared by the JDF stop positioning and the
cross-source harmonisation.

The same stop is written ``Ústí nad Labem,,hl.nádr.`` (JDF/register), ``Ústí n.L., hlavní nádraží``
(timetable print) or ``Hlavní nádraží`` (city GTFS). :func:`normalise_stop_name` folds case,
diacritics, punctuation and the usual abbreviations into one token string so that equal strings
mean the same name; :func:`name_similarity` scores partial agreement (e.g. a city name without the
town) for ranking candidates that are also close in space.
"""

from __future__ import annotations

import re
import unicodedata
from difflib import SequenceMatcher

# Token (after diacritics and dots are gone) → canonical token. Long forms and abbreviations of the
# same word map to one short form; keep the list to abbreviations Czech timetables really use.
_TOKEN_CANON: dict[str, str] = {
    "namesti": "nam", "nam": "nam",
    "nadrazi": "nadr", "nadr": "nadr", "nadraz": "nadr",
    "hlavni": "hl", "hl": "hl",
    "zapadni": "zap", "zap": "zap",
    "vychodni": "vych", "vych": "vych",
    "severni": "sev", "sev": "sev",
    "jizni": "jiz", "jiz": "jiz",
    "dolni": "dol", "dol": "dol",
    "horni": "hor", "hor": "hor",
    "stredni": "str",
    "rozcesti": "rozc", "rozc": "rozc",
    "krizovatka": "kriz", "kriz": "kriz", "krizovat": "kriz",
    "nemocnice": "nem", "nem": "nem",
    "poliklinika": "polikl", "polikl": "polikl",
    "sidliste": "sidl", "sidl": "sidl",
    "zastavka": "zast", "zast": "zast",
    "kostel": "kost", "kost": "kost",
    "skola": "sk", "sk": "sk",
    "ulice": "ul",
    "obchodni": "obch", "obch": "obch",
    "pod": "pod", "nad": "nad",
    "svateho": "sv", "svate": "sv", "svaty": "sv", "svata": "sv", "sv": "sv",
    "namesticko": "nam",
}

# Multi-word forms, applied on the dot-spaced, diacritics-free text before tokenising.
_PHRASES: tuple[tuple[re.Pattern[str], str], ...] = tuple(
    (re.compile(p), r)
    for p, r in (
        (r"\bzeleznicni stanice\b", " nadr "),
        (r"\bzel\s*st\b", " nadr "),
        (r"\bzel\s*zast\b", " nadr "),
        (r"\bautobusove nadrazi\b", " an "),
        (r"\baut\s*nadr\b", " an "),
        (r"\bobecni urad\b", " ou "),
        (r"\bobec\s*urad\b", " ou "),
        (r"\bmestsky urad\b", " meu "),
        (r"\bhl\s*n\b(?!\s*(?:l|pl|o|m|s|j)\b)", " hl nadr "),  # hl.n. = hlavní nádraží, not "hl. n. L."
        (r"\bn\s*l\b", " nad labem "),
        (r"\bn\s*pl\b", " nad ploucnici "),
        (r"\bn\s*o\b", " nad ohri "),
        (r"\bn\s+(?=[a-z]{3,})", " nad "),  # "n. Ploučnicí", "Brandýs n. Orlicí"
    )
)

_DISTRICT_SUFFIX = re.compile(r"\[[A-Za-z]{2}\]")
_NON_WORD = re.compile(r"[^a-z0-9]+")
_DIGIT_ALPHA = re.compile(r"(?<=\d)(?=[a-z])|(?<=[a-z])(?=\d)")


def _strip_diacritics(text: str) -> str:
    return "".join(c for c in unicodedata.normalize("NFD", text) if not unicodedata.combining(c))


def normalise_stop_name(name: str) -> str:
    """Canonical key of a Czech stop name: lower case ASCII tokens separated by single spaces,
    abbreviations unified (nám./náměstí → nam, hl.n./hlavní nádraží → hl nadr, žel.st. → nadr),
    JDF commas and embedded district suffixes (``Praha [AB]``) removed.

    >>> normalise_stop_name("Ústí n.L.,,hl.n.") == normalise_stop_name("Ústí nad Labem, hlavní nádraží")
    True
    """
    if not name:
        return ""
    text = _DISTRICT_SUFFIX.sub(" ", name)
    text = _strip_diacritics(text).lower()
    text = text.replace("ß", "ss")
    text = _NON_WORD.sub(" ", text)
    text = _DIGIT_ALPHA.sub(" ", text)
    text = f" {text} "
    for pattern, repl in _PHRASES:
        text = pattern.sub(repl, text)
    tokens = [_TOKEN_CANON.get(t, t) for t in text.split()]
    # "hl nadr" is often written "hl." alone after a town: keep as is; collapse repeats from joins.
    out: list[str] = []
    for t in tokens:
        if not out or out[-1] != t:
            out.append(t)
    return " ".join(out)


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
