"""Harmonisation over the full bundled demo: every source of the demo catalog loaded from a freshly
generated demo folder, then `unify`: the acceptance criteria of the harmonisation issue."""

from __future__ import annotations

from pathlib import Path

import pytest

from demo.generate import generate_all
from demo.places import PLACES
from transport_etl.catalog import Source, load_catalog
from transport_etl.harmonise.evaluate import evaluate_matching
from transport_etl.harmonise.run import unify
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

DEMO_LINE = "551401"  # the regional bus line that runs on I/13 Chlumec – Krupka


def _quiet(_msg: str) -> None:
    pass


@pytest.fixture(scope="module")
def demo_dir(tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("harmonise_demo") / "demo_data"
    generate_all(out, log=_quiet)
    return out


def _catalog(demo_dir: Path) -> list[Source]:
    """The demo catalog's file sources in order (written with the data into ``demo_dir``)."""
    return [s for s in load_catalog(demo_dir / "sources.yaml") if s.location and not s.is_url()]


def _ingest_all(sources: list[Source], db_url: str) -> dict[str, str]:
    return {s.id: ingest(s, database_url=db_url, log=_quiet).outcome for s in sources}


def _membership(conn) -> dict[tuple[str, str], str]:
    return {(r[0], r[1]): r[2] for r in conn.execute(
        "SELECT m.source_id, m.member_local_id, c.local_id FROM unified.canonical_stop_member m "
        "JOIN unified.canonical_stop_place c ON c.id = m.canonical_stop_place_id WHERE m.recorded_to IS NULL")}


@pytest.fixture
def demo(db_url, conn, demo_dir):
    sources = _catalog(demo_dir)
    assert {s.family for s in sources} >= {"regional", "rail", "municipal", "road"}
    outcomes = _ingest_all(sources, db_url)
    assert set(outcomes.values()) == {"loaded"}, outcomes
    summary = unify(db_url, log=_quiet)
    return sources, summary


def test_demo_stops_unify_into_stable_canonical_stops_with_measured_quality(db_url, conn, demo_dir, demo):
    sources, summary = demo
    # (a) Ústí nad Labem hl.n.: one canonical stop with rail, regional and city members, and a connection.
    hl = next(p for p in PLACES if p.key == "ul_hlavni_nadrazi")
    near = conn.execute(
        """SELECT c.local_id, c.sources FROM unified.canonical_stop_place c
           WHERE c.recorded_to IS NULL AND c.kind = 'mixed'
             AND ST_DWithin(c.geom, ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), 5514), 300)
           ORDER BY cardinality(c.sources) DESC LIMIT 1""", (hl.lon, hl.lat)).fetchone()
    assert near is not None, "no mixed canonical stop near Ústí nad Labem hl.n."
    cid, members = near
    assert {"sz-sr70", "sz-czptt"} & set(members), members
    assert {"regional-stop-register", "regional-jdf-duk"} & set(members), members
    assert "municipal-dpmul-gtfs" in members, members
    assert conn.execute("SELECT count(*) FROM unified.stop_connection WHERE connection_type = 'intermodal' "
                        "AND %s IN (from_canonical_id, to_canonical_id)", (cid,)).fetchone()[0] > 0

    # (c) Quality against the generators' truth, without counting the review queue.
    result = evaluate_matching(db_url, demo_dir / "truth_stops.csv", log=_quiet)
    assert result["precision"] >= 0.95 and result["recall"] >= 0.95, result
    assert result["stops_evaluated"] >= 90 and result["truth_stops_missing"] == 0, result
    assert summary["members_by_method"].get("platform_pair", 0) >= 10  # the city feed's direction pairs

    # (b) Rerun: unchanged sources are skipped, and every canonical id stays with its members.
    before = _membership(conn)
    assert set(_ingest_all(sources, db_url).values()) == {"skipped"}
    unify(db_url, log=_quiet)
    assert _membership(conn) == before


def test_demo_closure_and_staff_decisions(db_url, conn, demo):
    # (e) The I/13 closure (NDIC DATEX II) hits the regional bus line that uses I/13, on a day it runs.
    event_id = conn.execute(
        "SELECT id FROM unified.road_event WHERE source_id = 'road-ndic-datex2' AND road_number = 'I/13' "
        "AND recorded_to IS NULL").fetchone()[0]
    days = [r[0] for r in conn.execute(
        """SELECT DISTINCT d.service_date FROM unified.service_day d
           JOIN unified.journey j ON j.service_calendar_id = d.service_calendar_id AND j.recorded_to IS NULL
           JOIN unified.line l ON l.id = j.line_id
           JOIN unified.road_event e ON e.id = %s
           WHERE l.public_code = %s AND d.recorded_to IS NULL
             AND d.service_date BETWEEN e.starts_at::date AND coalesce(e.ends_at::date, 'infinity')
           ORDER BY 1 LIMIT 3""", (event_id, DEMO_LINE))]
    assert days, f"line {DEMO_LINE} never runs while the closure is on"
    affected = conn.execute("SELECT line_code, journey_id, affected_stops FROM gis.affected_services(%s, %s)",
                            (event_id, days[0])).fetchall()
    assert affected and DEMO_LINE in {r[0] for r in affected}, affected

    # (d) Staff say a matched pair is different: the next runs keep it apart.
    before = _membership(conn)
    gtfs, register = ("municipal-dpmul-gtfs", "U102Z2"), ("regional-stop-register", "30102")  # Mírové náměstí
    assert before[gtfs] == before[register]
    conn.execute("""INSERT INTO unified.stop_match_review (a_source_id, a_local_id, b_source_id, b_local_id, status)
                    VALUES (%s, %s, %s, %s, 'different')""", (*register, *gtfs))
    for _ in range(2):
        unify(db_url, log=_quiet)
        after = _membership(conn)
        assert after[gtfs] != after[register]
        assert after[register] == before[register]
    assert conn.execute("SELECT status FROM unified.stop_match_review WHERE status <> 'open'").fetchone()[0] \
        == "different"


def test_every_unified_table_and_format_traces_back_to_its_source_record(db_url, conn, demo, capsys):
    """`transport-etl lineage` on one row per (unified table, source) prints the source, file and the record
    read back from the input as published: nested JDF zips, CZPTT messages, zipped Shapefiles, GBFS JSON;
    the gis provenance view gives the read-only GIS role the same source and file."""
    from transport_etl.cli import main
    from transport_etl.db.model import UNIFIED_TABLES

    seen_formats = set()
    for table in UNIFIED_TABLES:
        rows = conn.execute(f"SELECT t.source_id, s.format, min(t.id) FROM unified.{table} t "
                            "JOIN lineage.source s ON s.id = t.source_id GROUP BY 1, 2").fetchall()
        for source_id, fmt, row_id in rows:
            assert main(["lineage", f"unified.{table}", str(row_id)]) == 0
            out = capsys.readouterr().out
            assert f"source        {source_id} " in out, (table, source_id, out)
            record = [ln for ln in out.splitlines() if ln.startswith("  record ")]
            assert record and len(record[0]) > 20, (table, source_id, out)
            # GIS staff reach the same file and feed version through gis.lineage as the read-only role
            conn.execute("SET ROLE gis_reader")
            try:
                gis = conn.execute("SELECT DISTINCT source_id, source_file FROM gis.lineage "
                                   "WHERE unified_table = %s AND unified_id = %s", (f"unified.{table}", row_id)).fetchall()
            finally:
                conn.execute("RESET ROLE")
            # (a CZPTT station also cites the SR70 row that positioned it)
            assert gis and source_id in {g[0] for g in gis}, (table, source_id, gis)
            assert all(f"  file, line    {g[1]}" in out for g in gis if g[1]), (table, gis, out)
            seen_formats.add(fmt)
    # every format of the demo that publishes unified rows was checked
    assert seen_formats >= {"gtfs", "jdf", "stop-register", "czptt", "sr70", "road-network", "datex2",
                            "road-closures", "traffic-census", "gbfs", "parking"}
