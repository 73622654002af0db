"""Road links keep their identity across network versions while their geometry changes little;
split, merged and rerouted links get new ids with evidence of their predecessors (issue 16).
Generated network v1 → v2: three links moved 2 m (and renumbered), one unchanged, one rerouted
300 m between the same ends, one split in two, two merged into one."""

from __future__ import annotations

import csv

import pytest

from tests import synthetic
from transport_etl.harmonise.evaluate import evaluate_identity
from transport_etl.harmonise.road_links import choose_keeps
from transport_etl.harmonise.run import unify

pytestmark = pytest.mark.integration
SOURCE = "syn-roads"
X0, Y0 = -760_000.0, -990_000.0


def _line(*pts: tuple[float, float]) -> str:
    return "SRID=5514;LINESTRING(" + ", ".join(f"{X0 + x} {Y0 + y}" for x, y in pts) + ")"


def _row(section: str, wkt: str, road: str = "I/13", cls: str = "I") -> tuple:
    return section, wkt, road, cls


V1 = [
    _row("L1", _line((0, 0), (1000, 0))),
    _row("L2", _line((0, 500), (1000, 500))),
    _row("L3", _line((0, 1000), (1000, 1000))),
    _row("L4", _line((2000, 0), (2500, 0), (3000, 0))),
    _row("L5", _line((2000, 1000), (3000, 1000))),
    _row("L6", _line((4000, 0), (5000, 0)), "II/261", "II"),
    _row("L7", _line((4000, 1000), (4600, 1000))),
    _row("L8", _line((4600, 1000), (5000, 1000))),
]
V2 = [
    _row("N1", _line((0, 2), (1000, 2))),          # moved 2 m and renumbered: same identity
    _row("N2", _line((0, 498), (1000, 498))),
    _row("L3", _line((0, 1002), (1000, 1002))),
    _row("L4", _line((2000, 0), (2500, 300), (3000, 0))),  # rerouted 300 m: new identity
    _row("L5a", _line((2000, 1000), (2600, 1000))),        # split
    _row("L5b", _line((2600, 1000), (3000, 1000))),
    V1[5],                                                 # unchanged row
    _row("L78", _line((4000, 1000), (5000, 1000))),       # merged
]
TRUTH = {("v1", "L1"): "A", ("v2", "N1"): "A", ("v1", "L2"): "B", ("v2", "N2"): "B", ("v1", "L3"): "C",
         ("v2", "L3"): "C", ("v1", "L4"): "D", ("v2", "L4"): "D2", ("v1", "L5"): "E", ("v2", "L5a"): "E1",
         ("v2", "L5b"): "E2", ("v1", "L6"): "F", ("v2", "L6"): "F", ("v1", "L7"): "G", ("v1", "L8"): "H",
         ("v2", "L78"): "GH"}


def _publish(conn, rows: list[tuple], label: str) -> int:
    """A network version as the road-network loader leaves it: an unchanged link keeps its row (moved
    to the new version), a changed one gets a new row, a missing one's row is closed."""
    synthetic.add_source(conn, SOURCE, "road", "road-network")
    fv = synthetic.add_feed_version(conn, SOURCE, label)
    current = {r[0]: (r[1], r[2]) for r in conn.execute(
        "SELECT local_id, id, ST_AsEWKT(geom) FROM unified.transport_link WHERE source_id = %s AND recorded_to IS NULL",
        (SOURCE,))}
    seen = set()
    for line, (section, wkt, road, cls) in enumerate(rows, start=2):
        same = conn.execute("SELECT ST_OrderingEquals(%s::geometry, %s::geometry)",
                            (wkt, current[section][1])).fetchone()[0] if section in current else False
        if same:
            conn.execute("UPDATE unified.transport_link SET feed_version_id = %s WHERE id = %s", (fv, current[section][0]))
            link_id = current[section][0]
        else:
            link_id = conn.execute(
                """INSERT INTO unified.transport_link (source_id, feed_version_id, namespace, local_id, network,
                       road_number, road_class, length_m, geom)
                   VALUES (%s, %s, 'cz.rsd.link', %s, 'road', %s, %s, ST_Length(%s::geometry), %s::geometry)
                   RETURNING id""", (SOURCE, fv, section, road, cls, wkt, wkt)).fetchone()[0]
            if section in current:
                conn.execute("UPDATE unified.transport_link SET recorded_to = now() WHERE id = %s", (current[section][0],))
        conn.execute("""INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file,
                            source_line, source_key) VALUES ('unified.transport_link', %s, %s, 'links.shp', %s, %s)""",
                     (link_id, fv, line, section))
        seen.add(section)
    for section in set(current) - seen:
        conn.execute("UPDATE unified.transport_link SET recorded_to = now() WHERE id = %s", (current[section][0],))
    return fv


def _canonical(conn) -> dict[tuple[str, str], str]:
    return {(r[0], r[1]): r[2] for r in conn.execute(
        """SELECT fv.feed_label, m.member_local_id, c.local_id FROM unified.canonical_road_link_member m
           JOIN unified.canonical_road_link c ON c.id = m.canonical_road_link_id
           JOIN lineage.feed_version fv ON fv.id = m.feed_version_id""")}


def test_links_keep_ids_when_moved_little_and_new_ids_name_their_predecessors(db_url, conn, tmp_path):
    _publish(conn, V1, "v1")
    first = unify(db_url, log=lambda _m: None, routes=False)
    assert first["road_links"]["new"] == len(V1)
    _publish(conn, V2, "v2")
    second = unify(db_url, log=lambda _m: None, routes=False)
    ids = _canonical(conn)
    for old, new in (("L1", "N1"), ("L2", "N2"), ("L3", "L3"), ("L6", "L6")):
        assert ids[("v1", old)] == ids[("v2", new)], old
    for old, news in (("L4", ["L4"]), ("L5", ["L5a", "L5b"]), ("L7", ["L78"]), ("L8", ["L78"])):
        assert all(ids[("v1", old)] != ids[("v2", n)] for n in news), old
    assert second["road_links"] == {"links": 8, "new": 4, "kept_moved": 3, "retired": 4, "predecessor_relations": 5}
    relations = sorted(conn.execute(
        """SELECT n.local_id, x.relation, o.local_id FROM unified.canonical_road_link_predecessor x
           JOIN unified.canonical_road_link n ON n.id = x.canonical_road_link_id
           JOIN unified.canonical_road_link o ON o.id = x.predecessor_id""").fetchall())
    expected = sorted([(ids[("v2", "L4")], "rerouted", ids[("v1", "L4")]),
                       (ids[("v2", "L5a")], "split", ids[("v1", "L5")]),
                       (ids[("v2", "L5b")], "split", ids[("v1", "L5")]),
                       (ids[("v2", "L78")], "merged", ids[("v1", "L7")]),
                       (ids[("v2", "L78")], "merged", ids[("v1", "L8")])])
    assert relations == expected
    # The GIS layer: the current links only, each with its section id now and the ids it continues.
    layer = {r[0]: r[1:] for r in conn.execute(
        """SELECT canonical_id, section_id, predecessor_ids, ST_SRID(geom), GeometryType(geom), id
           FROM gis.canonical_road_link""")}
    assert set(layer) == {ids[("v2", section)] for section, *_ in V2}
    assert layer[ids[("v2", "L78")]][1] == ", ".join(sorted(f"{ids[('v1', s)]} (merged)" for s in ("L7", "L8")))
    assert layer[ids[("v2", "N1")]][:4] == ("N1", None, 4326, "LINESTRING")
    assert "geometry" in {r[0] for r in conn.execute("SELECT match_method FROM gis.row_lineage('canonical_road_link', %s)",
                                                     (layer[ids[("v2", "N1")]][4],))}
    # Retired ids stay retired; the kept ones moved with a new version number.
    assert conn.execute("SELECT count(*) FROM unified.canonical_road_link WHERE recorded_to IS NOT NULL").fetchone()[0] == 4
    assert conn.execute("SELECT version FROM unified.canonical_road_link WHERE local_id = %s",
                        (ids[("v1", "L1")],)).fetchone()[0] == 2
    # Evidence in lineage: the moved links with their Hausdorff distance and the source record behind them.
    evidence = conn.execute(
        """SELECT source_key, match_method, distance_m, source_file, source_line FROM lineage.entity_source
           WHERE unified_table = 'unified.canonical_road_link' AND match_method = 'geometry' ORDER BY source_key""").fetchall()
    assert [(e[0], e[1], e[3]) for e in evidence] == [(f"{SOURCE}:L3", "geometry", "links.shp"),
                                                       (f"{SOURCE}:N1", "geometry", "links.shp"),
                                                       (f"{SOURCE}:N2", "geometry", "links.shp")]
    assert all(e[2] == pytest.approx(2.0) and e[4] for e in evidence)
    # An unchanged rerun decides nothing new.
    again = unify(db_url, log=lambda _m: None, routes=False)
    assert again["road_links"]["new"] == 0 and _canonical(conn) == ids
    assert conn.execute("""SELECT match_method, count(*) FROM lineage.entity_source
                           WHERE unified_table = 'unified.canonical_road_link' GROUP BY 1 ORDER BY 1""").fetchall() == [
        ("geometry", 3), ("new", len(V1) + 4), ("unchanged", 1)]
    truth = tmp_path / "truth.csv"
    with open(truth, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "local_id", "place_key"])
        w.writerows((SOURCE, f"{label}:{section}", key) for (label, section), key in TRUTH.items())
    result = evaluate_identity(db_url, "road-links", truth, log=lambda _m: None)
    assert (result["precision"], result["recall"], result["stops_evaluated"]) == (1.0, 1.0, len(TRUTH))


def test_one_link_per_identity_closest_first():
    # Two new links within the tolerance of one old link: the closer keeps it; the same row always wins.
    assert choose_keeps([(1, 10, False, 4.0), (1, 11, False, 2.0)]) == [(1, 11, False, 2.0)]
    assert choose_keeps([(1, 10, False, 0.5), (1, 11, True, 0.0), (2, 10, False, 3.0)]) == [
        (1, 11, True, 0.0), (2, 10, False, 3.0)]
