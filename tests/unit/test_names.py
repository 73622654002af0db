"""Czech stop-name normaliser: abbreviations, diacritics and JDF commas fold to one key."""

import pytest

from transport_etl.names import name_similarity, normalise_stop_name


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ústí nad Labem,,hl.nádr.", "Ústí n.L., hlavní nádraží"),
        ("Ústí nad Labem,,hl.nádr.", "Usti nad Labem,,hl.n."),
        ("Teplice,,žel.st.", "Teplice, železniční stanice"),
        ("Benešov nad Ploučnicí,,nám.", "Benešov n.Pl.,,náměstí"),
        ("Most,,1.nám.", "MOST, 1. NÁMĚSTÍ"),
        ("Praha [AB],,Florenc", "Praha,,Florenc"),
        ("Ústí nad Labem,,záp.nádr.", "Ústí nad Labem, Západní nádraží"),
    ],
)
def test_variants_normalise_equal(a, b):
    assert normalise_stop_name(a) == normalise_stop_name(b)
    assert name_similarity(a, b) == 1.0


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("Ústí nad Labem,,Divadlo", "Ústí nad Labem,,Muzeum"),
        ("Teplice,,žel.st.", "Děčín,,žel.st."),
        ("Louny,,Mírové nám.", "Litoměřice,,Mírové nám."),
    ],
)
def test_different_stops_stay_different(a, b):
    assert normalise_stop_name(a) != normalise_stop_name(b)
    assert name_similarity(a, b) < 1.0


def test_key_is_ascii_lowercase_tokens():
    key = normalise_stop_name("Ústí nad Labem,Klíše,Poliklinika")
    assert key == "usti nad labem klise polikl"


def test_city_name_without_town_scores_above_unrelated_name():
    register = "Ústí nad Labem,Klíše,Poliklinika"
    assert name_similarity("Klíše, poliklinika", register) > name_similarity("Severní Terasa", register)
    assert 0.0 <= name_similarity("Klíše, poliklinika", register) < 1.0


def test_empty_names():
    assert normalise_stop_name("") == ""
    assert name_similarity("", "Most") == 0.0
