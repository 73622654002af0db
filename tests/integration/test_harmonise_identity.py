"""Stop identity on a real PostGIS: station abbreviations meet, differently named neighbours and
stops across a border wait for review instead of merging, and the apply step leaves statistics."""

from __future__ import annotations

from tests import synthetic
from transport_etl.harmonise.run import unify

S = synthetic.SynStop
X, Y = -700_000.0, -1_000_000.0


def _quiet(_msg: str) -> None:
    pass


def _stops() -> list[synthetic.SynStop]:
    return [
        # The same station: the register writes žel.st., the city feed ŽST, 22 m apart.
        S("syn-register", "61001", "Semily,,žel.st.", "bus", X, Y, "Semily", "SM", "61001"),
        S("syn-gtfs", "U1", "Semily, ŽST", "bus", X + 22, Y),
        # Hard negatives: a register stop and a differently named neighbour of the city feed.
        S("syn-register", "62001", "Blatce,Tubož,rybník", "bus", X + 5000, Y, "Blatce", "CL", "62001"),
        S("syn-gtfs", "U2", "Blatce, Tubož", "bus", X + 5068, Y),
        S("syn-register", "63001", "Česká Lípa,,Mariánská", "bus", X + 10_000, Y, "Česká Lípa", "CL", "63001"),
        S("syn-gtfs", "U3", "Česká Lípa, Okružní - Mariánská", "bus", X + 10_086, Y),
        # A border crossing: the Czech register stop, and the JDF batch's stop on the Polish side 11 m away.
        S("syn-register", "64001", "Srbská,,státní hranice", "bus", X + 15_000, Y, "Srbská", "LB", "64001"),
        S("syn-jdf", "Srbská,,hranice|LB|PL", "Srbská,,hranice", "bus", X + 15_011, Y, "Srbská", "LB"),
    ]


def test_abbreviations_meet_and_different_names_and_countries_wait_for_review(db_url, conn):
    synthetic.insert_stops(conn, _stops())
    conn.execute("""UPDATE lineage.source SET options = '{"country": "CZ"}' WHERE id = 'syn-register'""")
    summary = unify(db_url, log=_quiet, routes=False)
    members = dict(conn.execute(
        """SELECT m.source_id || ':' || m.member_local_id, c.local_id FROM unified.canonical_stop_member m
           JOIN unified.canonical_stop_place c ON c.id = m.canonical_stop_place_id""").fetchall())
    assert members["syn-gtfs:U1"] == members["syn-register:61001"] == "CRZ61001"
    assert members["syn-gtfs:U2"] != members["syn-register:62001"]
    assert members["syn-gtfs:U3"] != members["syn-register:63001"]
    assert members["syn-jdf:Srbská,,hranice|LB|PL"] != members["syn-register:64001"]
    reasons = dict(conn.execute(
        "SELECT b_local_id, reason FROM unified.stop_match_review WHERE status = 'open'").fetchall())
    assert reasons == {"62001": "distinguishing_part:rybnik", "63001": "distinguishing_part:okruzni",
                       "64001": "other_country:PL/CZ"}
    assert summary["open_reviews"] == 3
    assert set(summary["step_seconds"]) >= {"candidates", "match", "apply", "lineage"}


def test_a_shared_register_id_joins_stops_across_the_border(db_url, conn):
    stops = _stops()[-2:]
    stops[1].register_id = "64001"
    synthetic.insert_stops(conn, stops)
    conn.execute("""UPDATE lineage.source SET options = '{"country": "CZ"}' WHERE id = 'syn-register'""")
    unify(db_url, log=_quiet, routes=False)
    assert conn.execute("SELECT count(*) FROM unified.canonical_stop_place").fetchone()[0] == 1


def test_the_apply_step_analyses_what_it_reads_after_filling_it(db_url, conn):
    synthetic.insert_stops(conn, _stops())
    unify(db_url, log=_quiet, routes=False)
    analysed = dict(conn.execute(
        """SELECT relname, last_analyze IS NOT NULL FROM pg_stat_user_tables
           WHERE schemaname = 'unified' AND relname IN ('canonical_stop_place', 'canonical_stop_member')""").fetchall())
    assert analysed == {"canonical_stop_place": True, "canonical_stop_member": True}
