"""Canonical stop places over synthetic multi-source stops: quality on noisy input, persistent ids
across reloads, staff decisions that stick, lineage of every decision, intermodal connections."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from tests import synthetic
from transport_etl.harmonise.evaluate import evaluate_matching
from transport_etl.harmonise.run import unify
from transport_etl.harmonise.stops import open_review_count

pytestmark = pytest.mark.integration


def _quiet(_msg: str) -> None:
    pass


def _membership(conn) -> dict[tuple[str, str], str]:
    return {(r[0], r[1]): r[2] for r in conn.execute(
        "SELECT m.source_id, m.member_local_id, c.local_id FROM unified.canonical_stop_member m "
        "JOIN unified.canonical_stop_place c ON c.id = m.canonical_stop_place_id WHERE m.recorded_to IS NULL")}


def _write_truth(path: Path, stops) -> Path:
    with open(path, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "local_id", "place_key"])
        w.writerows(synthetic.truth_rows(stops))
    return path


@pytest.mark.parametrize("seed", [3, 17])
def test_noisy_positions_and_abbreviated_names_meet_the_quality_target(db_url, conn, tmp_path, seed):
    stops = synthetic.noisy_stops(seed=seed, jitter_m=30.0, abbreviated=True)
    # Only half the JDF stops carry a CRZ, the city GTFS none: most pairs need position + name evidence.
    synthetic.insert_stops(conn, stops)
    summary = unify(db_url, log=_quiet)
    result = evaluate_matching(db_url, _write_truth(tmp_path / "truth.csv", stops), log=_quiet)
    assert result["stops_evaluated"] == len(stops)
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, result
    assert summary["members_by_method"].get("distance_name", 0) > 20


@pytest.mark.parametrize("seed", [3, 17])
def test_noisy_input_with_city_platform_pairs_meets_the_quality_target(db_url, conn, tmp_path, seed):
    stops = synthetic.noisy_stops(seed=seed, jitter_m=30.0, abbreviated=True, platforms=True)
    assert sum(s.source_id == "syn-gtfs" for s in stops) >= 20
    synthetic.insert_stops(conn, stops)
    summary = unify(db_url, log=_quiet)
    result = evaluate_matching(db_url, _write_truth(tmp_path / "truth.csv", stops), log=_quiet)
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, result
    assert summary["members_by_method"].get("platform_pair", 0) >= 5


def _platform_stops() -> list[synthetic.SynStop]:
    S = synthetic.SynStop
    return [
        # One city stop, two directions 24 m apart, plus the register's stop between them.
        S("syn-gtfs", "U103Z1", "Divadlo", "bus", -768000.0, -975000.0),
        S("syn-gtfs", "U103Z2", "Divadlo", "bus", -768024.0, -975000.0),
        S("syn-register", "30103", "Ústí nad Labem,,Divadlo", "bus", -768010.0, -975005.0, "Ústí nad Labem",
          None, "30103"),
        # Two different stops of the city feed 30 m apart: different names.
        S("syn-gtfs", "U104Z1", "Muzeum", "bus", -769000.0, -975000.0),
        S("syn-gtfs", "U105Z1", "Stará pošta", "bus", -769030.0, -975000.0),
        # Two places with the same name 2 km apart (a "Nádraží" in two towns' lists of one feed).
        S("syn-gtfs", "U201Z1", "Nádraží", "bus", -770000.0, -975000.0),
        S("syn-gtfs", "U202Z1", "Nádraží", "bus", -772000.0, -975000.0),
    ]


def test_platform_pairs_merge_and_are_recorded_in_lineage(db_url, conn):
    synthetic.insert_stops(conn, _platform_stops())
    summary = unify(db_url, log=_quiet)
    members = _membership(conn)
    assert members[("syn-gtfs", "U103Z1")] == members[("syn-gtfs", "U103Z2")] == members[("syn-register", "30103")]
    assert members[("syn-gtfs", "U104Z1")] != members[("syn-gtfs", "U105Z1")]
    assert members[("syn-gtfs", "U201Z1")] != members[("syn-gtfs", "U202Z1")]
    assert summary["open_reviews"] == 0
    rows = conn.execute(
        """SELECT e.source_key, e.distance_m, e.name_similarity, e.score FROM lineage.entity_source e
           WHERE e.unified_table = 'unified.canonical_stop_place' AND e.match_method = 'platform_pair'""").fetchall()
    assert [r[0] for r in rows] == ["syn-gtfs:U103Z2"] or [r[0] for r in rows] == ["syn-gtfs:U103Z1"], rows
    assert rows[0][1] == pytest.approx(24.0) and rows[0][2] == 1.0 and 0 < rows[0][3] <= 1
    method = conn.execute("SELECT match_method FROM unified.canonical_stop_member WHERE source_id = 'syn-gtfs' "
                          "AND member_local_id = %s", (rows[0][0].split(":")[1],)).fetchone()[0]
    assert method == "platform_pair"


def test_platform_pair_settings_come_from_the_config(db_url, conn):
    synthetic.insert_stops(conn, _platform_stops())
    unify(db_url, log=_quiet, config={"platform_max_distance_m": 10})
    members = _membership(conn)
    assert members[("syn-gtfs", "U103Z1")] != members[("syn-gtfs", "U103Z2")]


def test_every_decision_is_in_lineage_with_its_evidence(db_url, conn):
    stops = synthetic.noisy_stops(seed=5)
    synthetic.insert_stops(conn, stops)
    unify(db_url, log=_quiet)
    rows = conn.execute(
        """SELECT e.match_method, e.distance_m, e.name_similarity, e.score, e.source_key, e.source_file, e.source_line
           FROM lineage.entity_source e WHERE e.unified_table = 'unified.canonical_stop_place'""").fetchall()
    assert len(rows) == len(stops)
    methods = {r[0] for r in rows}
    assert {"register_id", "distance_name"} <= methods
    dn = [r for r in rows if r[0] == "distance_name"]
    assert all(r[1] is not None and r[1] <= 300 and 0 < r[2] <= 1 and 0 < r[3] <= 1 for r in dn)
    assert all(r[5] == "stops.txt" and r[6] >= 2 for r in rows)  # chained to the member's own source record
    # Survivorship is explained for every canonical stop.
    missing = conn.execute("SELECT count(*) FROM unified.canonical_stop_place WHERE name_reason IS NULL "
                           "OR position_reason IS NULL OR name_source IS NULL").fetchone()[0]
    assert missing == 0


def test_canonical_ids_survive_a_reload_with_new_row_ids(db_url, conn):
    stops = synthetic.noisy_stops(seed=11)
    first_ids = synthetic.insert_stops(conn, stops)
    unify(db_url, log=_quiet)
    before = _membership(conn)
    # New feed versions of every source: same source identities, new unified.stop_place rows.
    second_ids = synthetic.insert_stops(conn, stops)
    assert set(first_ids.values()).isdisjoint(second_ids.values())
    summary = unify(db_url, log=_quiet)
    assert _membership(conn) == before
    assert summary["retired_canonical"] == 0
    current = conn.execute("SELECT count(*) FROM unified.canonical_stop_member WHERE stop_place_id = ANY(%s)",
                           (list(second_ids.values()),)).fetchone()[0]
    assert current == len(stops)
    # Nothing changed, so no canonical stop got a new version.
    assert conn.execute("SELECT max(version) FROM unified.canonical_stop_place").fetchone()[0] == 1


def test_a_stop_that_disappears_and_returns_gets_its_canonical_id_back(db_url, conn):
    stops = synthetic.noisy_stops(seed=2)
    synthetic.insert_stops(conn, stops)
    unify(db_url, log=_quiet)
    before = _membership(conn)
    gtfs_gone = [s for s in stops if s.source_id != "syn-gtfs"]
    synthetic.insert_stops(conn, gtfs_gone)
    conn.execute("UPDATE unified.stop_place SET recorded_to = now() WHERE source_id = 'syn-gtfs'")
    unify(db_url, log=_quiet)
    assert all(k[0] != "syn-gtfs" for k in _membership(conn))
    synthetic.insert_stops(conn, stops)
    unify(db_url, log=_quiet)
    assert _membership(conn) == before


def test_manual_different_on_a_matched_pair_survives_later_runs(db_url, conn):
    stops = synthetic.noisy_stops(seed=3)
    synthetic.insert_stops(conn, stops)
    unify(db_url, log=_quiet)
    gtfs, reg = ("syn-gtfs", "U101"), ("syn-register", "30101")  # Hlavní nádraží in both
    before = _membership(conn)
    assert before[gtfs] == before[reg]
    # Staff enter the pair the "wrong" way round in SQL; the trigger orders it and stamps the decision.
    conn.execute("""INSERT INTO unified.stop_match_review (a_source_id, a_local_id, b_source_id, b_local_id, status,
                    note) VALUES ('syn-register', '30101', 'syn-gtfs', 'U101', 'different', 'city stop is the
                    bus terminal across the river')""")
    row = conn.execute("SELECT a_source_id, decided_by, decided_at FROM unified.stop_match_review").fetchone()
    assert row[0] == "syn-gtfs" and row[1] and row[2]
    for _ in range(2):
        unify(db_url, log=_quiet)
        after = _membership(conn)
        assert after[gtfs] != after[reg]
        assert after[reg] == before[reg]  # the larger part keeps the persistent id
    assert conn.execute("SELECT status FROM unified.stop_match_review").fetchone()[0] == "different"
    matched_with = conn.execute("SELECT matched_with FROM unified.canonical_stop_member WHERE source_id = 'syn-gtfs' "
                                "AND member_local_id = 'U101'").fetchone()[0]
    assert matched_with is None or not matched_with.startswith("syn-register")


def test_low_confidence_pairs_wait_for_review_and_a_same_decision_merges_them(db_url, conn):
    stops = [
        synthetic.SynStop("syn-register", "31202", "Teplice,,Benešovo nám.", "bus", -780000.0, -980000.0,
                          "Teplice", "TP", "31202", "tp_benesovo"),
        # The city calls it differently and puts it 150 m away: neither sure nor impossible.
        synthetic.SynStop("syn-gtfs", "T9", "Benešovo náměstí – kašna", "bus", -780150.0, -980000.0,
                          place_key="tp_benesovo"),
    ]
    synthetic.insert_stops(conn, stops)
    unify(db_url, log=_quiet)
    assert open_review_count(conn) == 1
    assert len(set(_membership(conn).values())) == 2
    conn.execute("UPDATE unified.stop_match_review SET status = 'same'")
    summary = unify(db_url, log=_quiet)
    assert open_review_count(conn) == 0 and summary["manual_decisions"] == 1
    assert len(set(_membership(conn).values())) == 1
    assert conn.execute("SELECT count(*) FROM unified.canonical_stop_member WHERE match_method = 'manual'"
                        ).fetchone()[0] == 2


def test_bus_stops_near_a_station_get_an_intermodal_connection(db_url, conn):
    stops = synthetic.noisy_stops(seed=4)
    synthetic.insert_stops(conn, stops)
    unify(db_url, log=_quiet)
    rows = conn.execute(
        """SELECT sc.from_source_id, sc.from_local_id, sc.to_canonical_id, sc.distance_m, sc.connection_type
           FROM unified.stop_connection sc
           JOIN unified.stop_place r ON r.id = sc.to_stop_place_id WHERE r.kind = 'rail'""").fetchall()
    at_main_station = [r for r in rows if r[1] in ("30101", "U101")]
    assert {r[0] for r in at_main_station} >= {"syn-register", "syn-gtfs"}
    assert all(r[3] <= 300 and r[4] == "intermodal" for r in rows)
    # Far from any station (Mírové náměstí, 0.8 km): no connection.
    assert not [r for r in rows if r[1] == "30102"]
    # The main station's canonical stop has members from rail, register, JDF and city GTFS.
    sources = conn.execute("SELECT sources FROM unified.canonical_stop_place WHERE 'crz:30101' = ANY(register_ids)"
                           ).fetchone()[0]
    assert set(sources) >= {"syn-sr70", "syn-register", "syn-jdf", "syn-gtfs"}
