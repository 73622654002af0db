"""Rail points keep one canonical id across SR70 register versions and CZPTT locations (issue 16):
the same 5-digit code (with or without the check digit), a renumbered point (new code, same name,
same place) keeps its id, a point that leaves the register is retired, a new one gets SR<code>."""

from __future__ import annotations

import csv

import pytest

from tests import synthetic
from transport_etl.harmonise.evaluate import evaluate_identity
from transport_etl.harmonise.rail_points import renumbered
from transport_etl.harmonise.run import unify

pytestmark = pytest.mark.integration
X0, Y0 = -760_000.0, -990_000.0

# Codes: 5 digits + a check digit (not checked here). v2: Střekov renumbered (54399, 20 m away, its
# name abbreviated), the Žandov junction gone, a new halt; Děčín's name written out.
V1 = [("543900", "Ústí nad Labem hl.n.", 0, 0), ("543910", "Ústí nad Labem-Střekov", 2000, 0),
      ("543920", "Děčín hl.n.", 0, 20000), ("543930", "Odbočka Žandov", 5000, 5000)]
V2 = [("543900", "Ústí nad Labem hl.n.", 0, 0), ("543990", "Ústí n.L.-Střekov", 2020, 0),
      ("543920", "Děčín hlavní nádraží", 0, 20000), ("543940", "Nová zastávka", 9000, 0)]
# CZPTT writes the code with or without its check digit.
TRUTH = {("sz-sr70", "v1:543900"): "UL", ("sz-sr70", "v2:543900"): "UL", ("sz-czptt", "t1:54390"): "UL",
         ("sz-sr70", "v1:543910"): "ST", ("sz-sr70", "v2:543990"): "ST", ("sz-czptt", "t1:543910"): "ST",
         ("sz-sr70", "v1:543920"): "DC", ("sz-sr70", "v2:543920"): "DC", ("sz-sr70", "v1:543930"): "ZA",
         ("sz-sr70", "v2:543940"): "NZ"}


def _register(conn, rows, label: str) -> None:
    synthetic.add_source(conn, "sz-sr70", "rail", "sr70")
    fv = synthetic.add_feed_version(conn, "sz-sr70", label)
    for line, (code, name, x, y) in enumerate(rows, start=2):
        conn.execute("""INSERT INTO staging.sr70 (feed_version_id, line_no, source_file, sr70, sr70_5, name, kind_text,
                            geom) VALUES (%s, %s, 'sr70.csv', %s, %s, %s, 'stanice', ST_SetSRID(ST_MakePoint(%s, %s), 5514))""",
                     (fv, line, code, code[:5], name, X0 + x, Y0 + y))


def _timetable(conn, codes: list[str], label: str) -> None:
    synthetic.add_source(conn, "sz-czptt", "rail", "czptt")
    fv = synthetic.add_feed_version(conn, "sz-czptt", label)
    for seq, code in enumerate(codes, start=1):
        conn.execute("""INSERT INTO staging.czptt_location (feed_version_id, msg_no, seq, source_file, xml_path, sr70, name,
                                                            is_public)
                        VALUES (%s, 1, %s, 'path.xml', '/CZPTTCISMessage', %s, 'stanice', true)""", (fv, seq, code))


def _ids(conn) -> dict[tuple[str, str], str]:
    return {(r[0], r[1]): r[2] for r in conn.execute(
        """SELECT m.source_id, fv.feed_label || ':' || m.member_local_id, c.local_id
           FROM unified.canonical_rail_point_member m
           JOIN unified.canonical_rail_point c ON c.id = m.canonical_rail_point_id
           JOIN lineage.feed_version fv ON fv.id = m.feed_version_id""")}


def test_rail_points_keep_their_id_across_register_versions_and_timetables(db_url, conn, tmp_path):
    _register(conn, V1, "v1")
    _timetable(conn, ["54390", "543910"], "t1")
    first = unify(db_url, log=lambda _m: None, routes=False)
    assert first["rail_points"] == {"members": 6, "points": 4, "renumbered": 0, "retired": 0}
    _register(conn, V2, "v2")
    second = unify(db_url, log=lambda _m: None, routes=False)
    assert second["rail_points"] == {"members": 6, "points": 4, "renumbered": 1, "retired": 1}
    ids = _ids(conn)
    assert ids[("sz-sr70", "v1:543910")] == ids[("sz-czptt", "t1:543910")] == ids[("sz-sr70", "v2:543990")] == "SR54391"
    assert ids[("sz-czptt", "t1:54390")] == ids[("sz-sr70", "v1:543900")] == ids[("sz-sr70", "v2:543900")] == "SR54390"
    assert ids[("sz-sr70", "v2:543940")] == "SR54394"
    point = conn.execute("""SELECT name, sr70_codes, recorded_to IS NULL FROM unified.canonical_rail_point
                            WHERE local_id = 'SR54391'""").fetchone()
    assert point == ("Ústí n.L.-Střekov", ["54391", "54399"], True)
    retired = conn.execute("SELECT local_id FROM unified.canonical_rail_point WHERE recorded_to IS NOT NULL").fetchall()
    assert retired == [("SR54393",)]
    # The GIS layer: current points only, with the codes and sources of their current members.
    layer = {r[0]: r[1:] for r in conn.execute(
        "SELECT canonical_id, sr70_codes, sources, ST_SRID(geom), GeometryType(geom), id FROM gis.canonical_rail_point")}
    assert set(layer) == {r[0] for r in conn.execute(
        "SELECT local_id FROM unified.canonical_rail_point WHERE recorded_to IS NULL")} and "SR54393" not in layer
    assert layer["SR54391"][:4] == ("54391, 54399", "sz-czptt, sz-sr70", 4326, "POINT")
    assert "renumbered" in {r[0] for r in conn.execute(
        "SELECT match_method FROM gis.row_lineage('canonical_rail_point', %s)", (layer["SR54391"][4],))}
    evidence = conn.execute(
        """SELECT source_key, match_method, distance_m, source_file, source_line FROM lineage.entity_source
           WHERE unified_table = 'unified.canonical_rail_point' AND match_method = 'renumbered'""").fetchall()
    assert evidence == [("sz-sr70:543990", "renumbered", 20.0, "sr70.csv", 3)]
    # A rerun over the same versions keeps every id and the evidence on record.
    again = unify(db_url, log=lambda _m: None, routes=False)
    assert again["rail_points"]["renumbered"] == 0 and _ids(conn) == ids
    assert conn.execute("""SELECT source_key FROM lineage.entity_source WHERE unified_table = 'unified.canonical_rail_point'
                           AND match_method = 'renumbered'""").fetchall() == [("sz-sr70:543990",)]
    truth = tmp_path / "truth.csv"
    with open(truth, "w", newline="") as f:
        w = csv.writer(f)
        w.writerow(["source_id", "local_id", "place_key"])
        w.writerows((s, local, key) for (s, local), key in TRUTH.items())
    result = evaluate_identity(db_url, "rail-points", truth, log=lambda _m: None)
    assert (result["precision"], result["recall"], result["stops_evaluated"]) == (1.0, 1.0, len(TRUTH))


def test_renumbering_needs_the_same_normalised_name_and_takes_the_nearest():
    candidates = [("54391", "Ústí n.L.-Střekov", 7, "Ústí nad Labem-Střekov", "54390", 20.0),
                  ("54392", "Ústí nad Labem-Střekov", 7, "Ústí nad Labem-Střekov", "54390", 60.0),
                  ("54393", "Ústí nad Labem-Vaňov", 8, "Ústí nad Labem-Střekov", "54399", 5.0)]
    assert renumbered(candidates) == [("54391", 7, "54390", 20.0)]
