"""The abbreviation table (transport_etl/harmonise/abbreviations.csv): every form of every entry,
written into a stop name, makes that stop match a stop written with the entry's first (full) form,
in both directions, and stay apart from a stop written with another entry."""

from __future__ import annotations

import pytest

from transport_etl.harmonise.cluster import Stop, match
from transport_etl.harmonise.scoring import MatchConfig
from transport_etl.names import (
    abbreviation_table,
    normalise_stop_name,
    parse_abbreviations,
    token_role,
)

CFG = MatchConfig()
TABLE = abbreviation_table()
CASES = [pytest.param(row, form, id=f"{row.lang}:{form}") for row in TABLE for form in row.forms]


def _name(form: str) -> str:
    # "Kaple" follows every form: "n." and "p." only expand before a word.
    return f"Lipová,,{form} Kaple"


def _pair(name_a: str, name_b: str) -> list[list[tuple[str, str]]]:
    stops = [Stop(id=1, source_id="register", local_id="1", name=name_a, municipality="Lipová", x=0.0, y=0.0),
             Stop(id=2, source_id="gtfs", local_id="A", name=name_b, x=20.0, y=0.0, family="municipal",
                  format="gtfs")]
    return match(stops, [(("gtfs", "A"), ("register", "1"), 20.0)], {}, CFG).clusters


@pytest.mark.parametrize(("row", "form"), CASES)
def test_every_form_matches_the_full_form_both_ways(row, form):
    full = row.forms[0]
    assert normalise_stop_name(_name(form)) == normalise_stop_name(_name(full))
    assert normalise_stop_name(_name(form)).split()[1:-1] == list(row.canonical)
    # A real matching outcome: the two stops 20 m apart become one canonical stop, whichever side
    # writes the abbreviation.
    assert len(_pair(_name(form), _name(full))) == 1
    assert len(_pair(_name(full), _name(form))) == 1


@pytest.mark.parametrize(("row", "form"), CASES)
def test_every_form_stays_apart_from_other_entries(row, form):
    others = [r for r in TABLE if r.canonical != row.canonical]
    key = normalise_stop_name(_name(form))
    assert all(key != normalise_stop_name(_name(o.forms[0])) for o in others)


@pytest.mark.parametrize("row", [r for r in TABLE if r.role == "word" and len(r.canonical) == 1],
                         ids=lambda r: r.canonical[0])
def test_a_distinguishing_word_keeps_two_nearby_stops_apart(row):
    # "Lipová,,host." is not "Lipová": the word tells another place 20 m away.
    assert len(_pair(f"Lipová,,{row.forms[-1]}", "Lipová")) == 2
    assert token_role(row.canonical[0]) == "word"


def test_the_station_forms_from_the_issue_meet():
    keys = {normalise_stop_name(n) for n in ("Semily, ŽST", "Semily,,žel.st.", "Semily, žst.",
                                             "Semily, železniční stanice", "Semily, nádraží")}
    assert keys == {"semily nadr"}
    buses = {normalise_stop_name(n) for n in ("Semily, AS", "Semily,,aut.st.", "Semily, autobusové stanoviště",
                                              "Semily, autobusové nádraží", "Semily, aut.nádr.")}
    assert buses == {"semily an"}


def test_single_letters_expand_only_before_a_word():
    assert normalise_stop_name("Brandýs n. Orlicí") == "brandys nad orlici"
    assert normalise_stop_name("Lipová p. Kopcem") == "lipova pod kopcem"
    assert normalise_stop_name("Lipová,,p.") == "lipova p"


@pytest.mark.parametrize(("text", "why"), [
    ("canonical,role,lang,where,forms\nnadr,generic,cs,any,žst.\nan,generic,cs,any,ŽST\n", "two canonical forms"),
    ("canonical,role,lang,where,forms\nnadr,important,cs,any,žst.\n", "bad row"),
    ("canonical,role,lang,where,forms\nnadr,generic,cs,after,žst.\n", "bad row"),
])
def test_a_contradictory_table_fails_loudly(text, why):
    with pytest.raises(ValueError, match=why):
        parse_abbreviations(text)
