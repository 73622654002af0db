"""The set-based blocking of stop matching (stops_near_pairs.sql) decides nothing the Python scorer
would decide otherwise: on noisy multi-source stops plus adversarial ones (city names that start with
the town, districts or municipalities that differ, a source listing a rail and a bus stop side by side, unnamed stops,
a Polish-spelled neighbour), matching with the SQL evidence classes gives exactly the clusters,
evidence and review queue of scoring every pair within the widest radius in Python."""

from __future__ import annotations

import random

import pytest

from tests import synthetic
from transport_etl.harmonise import stops as harmonise_stops
from transport_etl.harmonise.cluster import match
from transport_etl.harmonise.scoring import MatchConfig

pytestmark = pytest.mark.integration


def _adversarial(base: list[synthetic.SynStop], seed: int) -> list[synthetic.SynStop]:
    rng = random.Random(seed)
    out = []
    for i, s in enumerate(s for s in base if s.source_id == "syn-register"):
        if s.x is None:
            continue
        x, y, town = s.x + rng.uniform(-40, 40), s.y + rng.uniform(-40, 40), s.municipality or "Obec"
        local = s.name.split(",")[-1]
        # A city feed that writes the town first, without a municipality attribute.
        out.append(synthetic.SynStop("syn-city2", f"C{i}", f"{town}, {local}", "bus", x, y))
        if i % 3 == 0:  # same name, other district; same local name, other municipality
            out.append(synthetic.SynStop("syn-other", f"D{i}", s.name, "bus", x + 5, y, s.municipality, "ZZ"))
            out.append(synthetic.SynStop("syn-city3", f"M{i}", f"Jiná Obec,,{local}", "bus", x + 8, y, "Jiná Obec"))
        if i % 4 == 0:  # one source, a rail and a bus stop of one name side by side; an unnamed stop
            out.append(synthetic.SynStop("syn-other", f"R{i}", local, "rail", x + 20, y, s.municipality))
            out.append(synthetic.SynStop("syn-other", f"B{i}", local, "bus", x + 30, y, s.municipality))
            out.append(synthetic.SynStop("syn-other", f"E{i}", "", "bus", x + 35, y, s.municipality))
        if i % 5 == 0:  # a Polish-spelled neighbour of the same name
            out.append(synthetic.SynStop("syn-pl", f"P{i}", f"{s.name} (PL)", "bus", x - 10, y, s.municipality))
    return out


@pytest.mark.parametrize("seed", [5, 23])
def test_blocking_in_sql_gives_the_python_result(conn, seed):
    stops = synthetic.noisy_stops(seed=seed, jitter_m=40.0, abbreviated=True, platforms=True)
    synthetic.insert_stops(conn, stops + _adversarial(stops, seed))
    cfg = MatchConfig()
    with conn.transaction():
        loaded = harmonise_stops._load_stops(conn)
        blocked = harmonise_stops._near_pairs(conn, loaded, cfg)
        # The reference: every pair of stops within the station radius, each scored in full by Python.
        every = [((r[0], r[1]), (r[2], r[3]), float(r[4])) for r in conn.execute(
            """SELECT a.source_id, a.local_id, b.source_id, b.local_id, ST_Distance(a.geom, b.geom)
               FROM _current_stop a JOIN _current_stop b ON ST_DWithin(a.geom, b.geom, %s)
                AND (a.source_id, a.local_id) < (b.source_id, b.local_id)""", (cfg.station_max_distance_m,))]
    classes = {p[3] for p in blocked}
    assert {"same_name", "platform_same", "score"} <= classes
    assert len(blocked) < len(every)
    fast, full = match(loaded, blocked, {}, cfg), match(loaded, every, {}, cfg)
    assert fast.clusters == full.clusters
    assert fast.evidence == full.evidence
    assert fast.review == full.review
    assert any(len(c) > 2 for c in fast.clusters) and fast.review
