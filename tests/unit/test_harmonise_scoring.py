"""Stop matching evidence: register keys, Czech name similarity, scores, grouping, ids, survivorship."""

from __future__ import annotations

import pytest

from transport_etl.harmonise.cluster import Stop, match
from transport_etl.harmonise.evaluate import score_pairs
from transport_etl.harmonise.identity import assign, base_local_id
from transport_etl.harmonise.scoring import MatchConfig, classify, name_similarity, register_key
from transport_etl.harmonise.survivorship import choose

CFG = MatchConfig()


def test_register_keys_join_sr70_with_and_without_check_digit():
    assert register_key("rail", "531798") == register_key("rail", "53179") == "sr70:53179"
    assert register_key("bus", "030101") == "crz:30101"
    assert register_key("bus", "A12") is None
    assert register_key("rail", None) is None


@pytest.mark.parametrize(
    ("a", "muni_a", "b", "muni_b"),
    [
        ("Hlavní nádraží", None, "Ústí nad Labem,,hl.nádr.", "Ústí nad Labem"),
        ("Klíše, poliklinika", None, "Ústí nad Labem,Klíše,Poliklinika", "Ústí nad Labem"),
        ("poliklinika Klíše", None, "Ústí nad Labem,Klíše,Poliklinika", "Ústí nad Labem"),  # word order
        ("MÍROVÉ NÁM.", None, "Ústí nad Labem,,Mírové nám.", "Ústí nad Labem"),  # case, abbreviation
        ("Krás. Březno", None, "Ústí nad Labem,Krásné Březno,nám.", "Ústí nad Labem"),
    ],
)
def test_same_stop_written_differently_is_similar(a, muni_a, b, muni_b):
    assert name_similarity(a, b, muni_a, muni_b) >= 0.85


def test_bus_stop_named_station_matches_rail_station_of_the_town():
    assert name_similarity("Teplice v Čechách", "Teplice,,žel.st.", None, "Teplice", rail_a=True) >= 0.9
    assert name_similarity("Louny", "Louny,,žel.st.", "Louny", "Louny", rail_a=True) >= 0.9
    assert name_similarity("Ústí nad Labem západ", "Ústí nad Labem,,záp.nádr.", None, "Ústí nad Labem",
                           rail_a=True) >= 0.85


def test_different_stops_of_one_town_are_not_similar():
    assert name_similarity("Divadlo", "Ústí nad Labem,,Muzeum", None, "Ústí nad Labem") < 0.4
    assert name_similarity("Hlavní nádraží", "Západní nádraží") < 0.5


def test_classify_uses_distance_and_name_together():
    assert classify(20, 1.0, CFG)[0] == "accept"
    assert classify(280, 1.0, CFG)[0] == "review"      # same name, far: a person decides
    assert classify(15, 0.1, CFG)[0] == "reject"       # close, unrelated names
    assert classify(350, 1.0, CFG)[0] == "reject"      # beyond max distance
    strict = MatchConfig.from_mapping({"accept_score": 0.99})
    assert classify(20, 1.0, strict)[0] == "review"
    with pytest.raises(ValueError, match="unknown"):
        MatchConfig.from_mapping({"acept_score": 1})


def _stop(source, local, name, x, y=0.0, kind="bus", muni=None, reg=None, family="regional", fmt="jdf"):
    return Stop(id=hash((source, local)) % 10_000, source_id=source, local_id=local, name=name, kind=kind,
                municipality=muni, register_id=reg, x=x, y=y, family=family, format=fmt)


def test_match_groups_by_register_then_distance_and_name():
    stops = [
        _stop("reg", "30101", "Ústí nad Labem,,hl.nádr.", 0, muni="Ústí nad Labem", reg="30101"),
        _stop("jdf", "7", "Ústí n.L.,,hl.n.", 900, muni="Ústí nad Labem", reg="30101"),  # far but same CRZ
        _stop("gtfs", "U1", "Hlavní nádraží", 20, family="municipal", fmt="gtfs"),
        _stop("gtfs", "U2", "Muzeum", 60, family="municipal", fmt="gtfs"),
    ]
    near = [(("gtfs", "U1"), ("reg", "30101"), 20.0), (("gtfs", "U2"), ("reg", "30101"), 60.0)]
    m = match(stops, near, {}, CFG)
    assert [("gtfs", "U1"), ("jdf", "7"), ("reg", "30101")] in m.clusters
    assert [("gtfs", "U2")] in m.clusters
    assert m.evidence[("jdf", "7")].method == "register_id"
    assert m.evidence[("gtfs", "U1")].method == "distance_name"
    assert m.evidence[("gtfs", "U2")] is None


def test_one_source_never_contributes_two_stops_without_register_staff_or_platform_evidence():
    # Same name, but 180 m apart: farther than platform_max_distance_m, so not one stop's two platforms.
    stops = [
        _stop("reg", "1", "Trmice,,nám.", 0, muni="Trmice"),
        _stop("gtfs", "A", "Trmice nám.", 10, family="municipal"),
        _stop("gtfs", "B", "Trmice náměstí", -170, family="municipal"),
    ]
    near = [(("gtfs", "A"), ("reg", "1"), 10.0), (("gtfs", "B"), ("reg", "1"), 170.0),
            (("gtfs", "A"), ("gtfs", "B"), 180.0)]
    m = match(stops, near, {}, CFG)
    assert [("gtfs", "A"), ("reg", "1")] in m.clusters
    assert [("gtfs", "B")] in m.clusters
    assert any(e.reason == "source_conflict" for e in m.review)


def test_staff_decisions_win():
    stops = [_stop("reg", "1", "Chlumec,,nám.", 0, muni="Chlumec"), _stop("gtfs", "A", "Chlumec nám.", 5)]
    near = [(("gtfs", "A"), ("reg", "1"), 5.0)]
    assert len(match(stops, near, {}, CFG).clusters) == 1
    apart = match(stops, near, {(("gtfs", "A"), ("reg", "1")): "different"}, CFG)
    assert len(apart.clusters) == 2 and not apart.review
    far = [_stop("reg", "1", "Chlumec,,nám.", 0), _stop("gtfs", "A", "Kostel", 5000)]
    together = match(far, [], {(("gtfs", "A"), ("reg", "1")): "same"}, CFG)
    assert len(together.clusters) == 1 and together.evidence[("gtfs", "A")].method == "manual"


def test_ids_follow_the_majority_of_former_members_and_are_never_reused():
    a, b, c = ("reg", "1"), ("gtfs", "A"), ("jdf", "9")
    assert assign([[a, b, c]], [["crz:1"]], {}, {}) == ["CRZ1"]
    # A split: the part with more former members keeps the id, the other gets a new one.
    ids = assign([[a, c], [b]], [["crz:1"], []], {a: "CRZ1", b: "CRZ1", c: "CRZ1"}, {"CRZ1": False})
    assert ids[0] == "CRZ1" and ids[1].startswith("H") and ids[1] == base_local_id([b], [])
    # A brand-new cluster whose register-derived id is taken by another, live place gets a suffix.
    assert assign([[("x", "1")]], [["crz:1"]], {}, {"CRZ1": False}) == ["CRZ1-2"]
    # A retired register-derived id comes back for the same register id.
    assert assign([[("x", "1")]], [["crz:1"]], {}, {"CRZ1": True}) == ["CRZ1"]
    # An even split: the id stays with the part holding the register stop it was derived from.
    z1, z2 = ("gtfs", "Z1"), ("gtfs", "Z2")
    ids = assign([[z1, z2], [c, a]], [[], ["crz:1"]], {a: "CRZ1", c: "CRZ1", z1: "CRZ1", z2: "CRZ1"},
                 {"CRZ1": False})
    assert ids[1] == "CRZ1" and ids[0] == base_local_id([z1, z2], [])


def test_survivorship_follows_priority_and_says_why():
    rail = _stop("sr70", "531798", "Ústí nad Labem hl.n.", None, kind="rail", family="rail", fmt="sr70")
    reg = _stop("reg", "30101", "Ústí nad Labem,,hl.nádr.", 5.0, family="regional", fmt="stop-register")
    name_from, why = choose([reg, rail], ("sr70", "regional"), "name")
    assert name_from is rail and "sr70" in why
    pos_from, why = choose([reg, rail], ("rail", "regional"), "position")
    assert pos_from is reg and "only member with one" in why  # the station has no position


def test_pairwise_precision_and_recall():
    truth = {("a", "1"): "p", ("b", "1"): "p", ("c", "1"): "p", ("a", "2"): "q"}
    predicted = {("a", "1"): "X", ("b", "1"): "X", ("c", "1"): "Y", ("a", "2"): "X"}
    r = score_pairs(truth, predicted, review={(("b", "1"), ("c", "1"))})
    assert r["true_pairs"] == 3 and r["predicted_pairs"] == 3 and r["correct_pairs"] == 1
    assert r["precision"] == pytest.approx(1 / 3, abs=1e-3) and r["recall"] == pytest.approx(1 / 3, abs=1e-3)
    assert r["missed_in_review"] == 1


def test_routing_follows_the_network_and_drops_absurd_detours():
    from transport_etl.harmonise.routes import DEFAULTS, build_graph, route_patterns, shortest_path

    # 1 —a— 2 —b— 3, and a long way round 1 —c— 4 —d— 3.
    graph = build_graph([(10, 1, 2, 1000), (11, 2, 3, 1000), (12, 1, 4, 5000), (13, 4, 3, 5000)])
    assert shortest_path(graph, 1, 3, 10_000) == (2000.0, [(10, True), (11, True)])
    assert shortest_path(graph, 3, 1, 10_000) == (2000.0, [(11, False), (10, False)])
    assert shortest_path(graph, 1, 3, 500) is None
    coords = {(7, 1): (0.0, 0.0), (7, 2): (2000.0, 0.0), (7, 3): (2000.0, 9000.0)}
    # Stop 3 is too far from any node to be routed: the pattern is only partly covered.
    snapped = [(7, 1, 1, 10.0), (7, 2, 3, 10.0), (7, 3, 3, 9000.0)]
    rows = route_patterns(snapped, coords, graph, DEFAULTS)
    assert [(r[2], r[3]) for r in rows] == [(10, True), (11, True)]
    assert rows[0][4] == pytest.approx(2000 / 11000, abs=1e-3)


def _platforms(name_a="Divadlo", name_b="Divadlo", gap=25.0, **kw):
    return [_stop("gtfs", "U103Z1", name_a, 0, family="municipal", fmt="gtfs", **kw),
            _stop("gtfs", "U103Z2", name_b, gap, family="municipal", fmt="gtfs", **kw)]


def test_platforms_of_one_city_stop_become_one_place_with_the_register_stop():
    stops = [*_platforms(), _stop("reg", "30103", "Ústí nad Labem,,Divadlo", 10, muni="Ústí nad Labem",
                                  reg="30103")]
    near = [(("gtfs", "U103Z1"), ("gtfs", "U103Z2"), 25.0), (("gtfs", "U103Z1"), ("reg", "30103"), 10.0),
            (("gtfs", "U103Z2"), ("reg", "30103"), 15.0)]
    m = match(stops, near, {}, CFG)
    assert m.clusters == [[("gtfs", "U103Z1"), ("gtfs", "U103Z2"), ("reg", "30103")]]
    assert not m.review
    methods = {k: e.method for k, e in m.evidence.items()}
    assert "platform_pair" in methods.values() and methods[("reg", "30103")] == "distance_name"
    pp = next(e for e in m.evidence.values() if e.method == "platform_pair")
    assert pp.distance_m == 25.0 and pp.similarity == 1.0 and 0 < pp.score <= 1


def test_platform_pair_alone_and_with_the_name_written_differently():
    m = match(_platforms("Mírové náměstí", "Mírové nám."), [(("gtfs", "U103Z1"), ("gtfs", "U103Z2"), 25.0)],
              {}, CFG)
    assert len(m.clusters) == 1
    assert {e.method for e in m.evidence.values()} == {"platform_pair"}


@pytest.mark.parametrize(("stops", "why"), [
    (_platforms("Divadlo", "Muzeum"), "different names"),
    (_platforms("Krásné Březno", "Krásné Březno, nám."), "similar names below platform_min_similarity"),
    (_platforms(gap=400.0), "same name farther than platform_max_distance_m"),
    ([_stop("gtfs", "U103Z1", "Nádraží", 0, muni="Trmice"), _stop("gtfs", "U103Z2", "Nádraží", 60, muni="Chlumec")],
     "same name in two municipalities"),
    ([_stop("reg", "1", "Trmice,,nám.", 0, reg="30120"), _stop("reg", "2", "Trmice,,nám.", 40, reg="30121")],
     "two register ids"),
    ([_stop("sr70", "1", "Trmice", 0, kind="rail"), _stop("sr70", "2", "Trmice", 40)], "rail and bus"),
])
def test_two_stops_of_one_source_stay_apart_without_platform_evidence(stops, why):
    a, b = stops
    near = [(a.key, b.key, abs(b.x - a.x))]
    m = match(stops, near, {}, CFG)
    assert len(m.clusters) == 2, why
    assert not m.review, why


def test_platform_thresholds_are_configurable_and_staff_decisions_still_win():
    near = [(("gtfs", "U103Z1"), ("gtfs", "U103Z2"), 120.0)]
    assert len(match(_platforms(gap=120.0), near, {}, CFG).clusters) == 1
    strict = MatchConfig.from_mapping({"platform_max_distance_m": 50})
    assert len(match(_platforms(gap=120.0), near, {}, strict).clusters) == 2
    similar = _platforms("Krásné Březno", "Krásné Březno, nám.")
    loose = MatchConfig.from_mapping({"platform_min_similarity": 0.85})
    assert len(match(similar, [(("gtfs", "U103Z1"), ("gtfs", "U103Z2"), 25.0)], {}, loose).clusters) == 1
    apart = match(_platforms(gap=120.0), near, {(("gtfs", "U103Z1"), ("gtfs", "U103Z2")): "different"}, CFG)
    assert len(apart.clusters) == 2
