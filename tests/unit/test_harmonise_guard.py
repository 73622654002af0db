"""The guard for different names: nearby stops whose names differ in a distinguishing part, or that
lie in different countries, are not merged on proximity alone; they wait for review instead."""

from __future__ import annotations

import pytest

from transport_etl.harmonise.cluster import Stop, match
from transport_etl.harmonise.guard import distinguishing_parts, guard, stop_country
from transport_etl.harmonise.scoring import MatchConfig

CFG = MatchConfig()


def _two(name_reg: str, name_gtfs: str, distance: float, muni: str | None = None, country_reg: str | None = None,
         country_gtfs: str | None = None, reg_ids: tuple[str | None, str | None] = (None, None)):
    stops = [Stop(id=1, source_id="register", local_id="1", name=name_reg, municipality=muni, x=0.0, y=0.0,
                  country=country_reg, register_id=reg_ids[0]),
             Stop(id=2, source_id="gtfs", local_id="A", name=name_gtfs, x=distance, y=0.0, family="municipal",
                  format="gtfs", country=country_gtfs, register_id=reg_ids[1])]
    return match(stops, [(("gtfs", "A"), ("register", "1"), distance)], {}, CFG)


def test_station_abbreviations_match():
    m = _two("Semily,,žel.st.", "Semily, ŽST", 22.0, muni="Semily")
    assert len(m.clusters) == 1 and not m.review
    m = _two("Semily,,aut.st.", "Semily, autobusové nádraží", 40.0, muni="Semily")
    assert len(m.clusters) == 1


@pytest.mark.parametrize(("name_reg", "name_gtfs", "distance", "muni", "part"), [
    ("Blatce,Tubož,rybník", "Blatce, Tubož", 68.0, "Blatce", "rybnik"),
    ("Blatce,Tubož,rybník", "Blatce, Tubož", 68.0, None, "rybnik"),  # no municipality attribute either
    ("Česká Lípa,,Mariánská", "Česká Lípa, Okružní - Mariánská", 86.0, "Česká Lípa", "okruzni"),
    ("Blatce,Tubož,host.", "Blatce, Tubož", 40.0, "Blatce", "host"),
    ("Most,,2.nám.", "Most, 2. nám. Jih", 40.0, "Most", "jiz"),
])
def test_a_distinguishing_part_sends_the_pair_to_review_instead_of_merging(name_reg, name_gtfs, distance, muni, part):
    assert guard(name_reg, name_gtfs, muni, None, None, None) == f"distinguishing_part:{part}"
    m = _two(name_reg, name_gtfs, distance, muni=muni)
    assert len(m.clusters) == 2
    assert [e.reason for e in m.review] == [f"distinguishing_part:{part}"]
    # Control: written alike, the same two stops at the same distance are one place.
    assert len(_two(name_reg, name_reg.replace(",,", ", "), distance, muni=muni).clusters) == 1


@pytest.mark.parametrize(("a", "b", "muni"), [
    ("Děčín,Podmokly,žel.st.", "Děčín,,žel.st.", "Děčín"),  # a town part is often left out
    ("Ústí nad Labem,Vaňov,Labská", "Vaňov", "Ústí nad Labem"),  # a city feed's bare local name
    ("Ústí nad Labem,,hl.nádr.", "Hlavní nádraží", "Ústí nad Labem"),
    ("Ústí nad Labem,Krásné Březno,nám.", "Krás. Březno", "Ústí nad Labem"),  # generic words never distinguish
    ("Most,,Dopravní podnik", "Most, Dopr. podnik", "Most"),  # abbreviation by prefix
])
def test_names_without_a_distinguishing_part_still_match(a, b, muni):
    assert distinguishing_parts(a, b, muni, None) == []
    assert len(_two(a, b, 30.0, muni=muni).clusters) == 1


def test_a_stop_across_the_border_is_another_stop_unless_a_register_says_otherwise():
    czech, polish = "Srbská,,státní hranice", "Srbská, hranice"
    assert len(_two(czech, polish, 11.0, muni="Srbská").clusters) == 1  # control: no country known
    m = _two(czech, polish, 11.0, muni="Srbská", country_reg="CZ", country_gtfs="PL")
    assert len(m.clusters) == 2 and [e.reason for e in m.review] == ["other_country:PL/CZ"]
    same_register = _two(czech, polish, 11.0, muni="Srbská", country_reg="CZ", country_gtfs="PL",
                         reg_ids=("40001", "40001"))
    assert len(same_register.clusters) == 1


def test_a_guarded_pair_is_not_joined_through_a_third_stop():
    # The GTFS stop is close to both register stops; the two register stops are apart by name.
    stops = [Stop(id=1, source_id="register", local_id="1", name="Blatce,Tubož,rybník", municipality="Blatce",
                  x=0.0, y=0.0),
             Stop(id=2, source_id="jdf", local_id="2", name="Blatce,Tubož", municipality="Blatce", x=68.0, y=0.0),
             Stop(id=3, source_id="gtfs", local_id="A", name="Tubož", x=34.0, y=0.0)]
    near = [(("jdf", "2"), ("register", "1"), 68.0), (("gtfs", "A"), ("register", "1"), 34.0),
            (("gtfs", "A"), ("jdf", "2"), 34.0)]
    m = match(stops, near, {}, CFG)
    together = next(c for c in m.clusters if ("gtfs", "A") in c)
    assert not {("register", "1"), ("jdf", "2")} <= set(together)
    assert any(e.reason in ("guarded", "distinguishing_part:rybnik") for e in m.review)


@pytest.mark.parametrize(("name", "local_id", "option", "country"), [
    ("Zittau,,Bahnhof", "Zittau,,Bahnhof|DE|D", None, "DE"),   # JDF place key: name|district|country
    ("Kunratice,,hranice", "Kunratice,,hranice|LB|", "CZ", "CZ"),  # blank JDF country: the source's option
    ("Zittau (DE)", "U1", "CZ", "DE"),                          # a tag in the name beats the option
    ("Náchod,,aut.st. (A)", "U4", "CZ", "CZ"),                  # one letter: a platform, not Austria
    ("Głuszyca, dworzec", "U2", None, "PL"),                      # letters Czech never uses
    ("Großschönau", "U3", None, "DE"),
    ("Semily,,žel.st.", "42", "CZ", "CZ"),
    ("Semily,,žel.st.", "42", None, None),
])
def test_country_of_a_stop(name, local_id, option, country):
    assert stop_country(name, local_id, option) == country


def test_guard_reasons():
    assert guard("Semily, ŽST", "Semily,,žel.st.", None, "Semily", None, "CZ") is None
    assert guard("Semily, ŽST", "Semily,,žel.st.", None, "Semily", "PL", "CZ") == "other_country:PL/CZ"
    assert guard("Lipová", "Lipová,,host.", None, "Lipová", None, None) == "distinguishing_part:host"
    assert guard("Most, 1. nám.", "Most,,2.nám.", None, "Most", None, None) == "distinguishing_part:1 2"
    assert guard("Most, nám.", "Most,,2.nám.", None, "Most", None, None) is None  # a number left out
