"""Positions outside a source's expected extent are kept, marked in location_note (shown in gis) and
listed as notices naming file and line; the extent is a catalog option (null = no check)."""

from __future__ import annotations

import pytest

from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration
CSV = ("id;nazev;kapacita;volno;lat;lon\n"
       "UL1;Ústí;100;10;50.6615;14.0342\n"
       "FR1;Paris;50;5;48.8566;2.3522\n"
       "NO1;Oslo;40;4;59.9139;10.7522\n"
       "DD1;Dresden;60;6;51.0504;13.7373\n")
COLUMNS = {"id": "id", "name": "nazev", "capacity": "kapacita", "free": "volno", "lat": "lat", "lon": "lon"}


def test_positions_outside_czechia_are_flagged_with_file_and_line(tmp_path, db_url, conn, make_source):
    p = tmp_path / "parking.csv"
    p.write_text(CSV, encoding="utf-8")
    res = ingest(make_source("parking", id="pk", columns=COLUMNS), p, database_url=db_url, run_kind="test",
                 log=lambda _m: None)
    assert res.outcome == "loaded" and res.rows_loaded == 4
    assert res.notices["outside_expected_extent (WARNING)"] == 2 and res.notices["missing_timestamp (INFO)"] == 1
    flagged = conn.execute("""SELECT entity_key, file_name, line_no FROM lineage.notice
                              WHERE code = 'outside_expected_extent' ORDER BY line_no""").fetchall()
    assert flagged == [("FR1", "parking.csv", 3), ("NO1", "parking.csv", 4)]
    notes = dict(conn.execute("SELECT local_id, location_note FROM unified.parking_facility").fetchall())
    assert notes == {"UL1": None, "FR1": "outside_expected_extent", "NO1": "outside_expected_extent", "DD1": None}
    # The next version (other counts): flagged facilities keep their rows and are listed again.
    ids = dict(conn.execute("SELECT local_id, id FROM unified.parking_facility").fetchall())
    p.write_text(CSV.replace(";10;", ";11;"), encoding="utf-8")
    res = ingest(make_source("parking", id="pk", columns=COLUMNS), p, database_url=db_url, run_kind="test",
                 log=lambda _m: None)
    assert res.outcome == "loaded" and res.notices["outside_expected_extent (WARNING)"] == 2
    assert dict(conn.execute("SELECT local_id, id FROM unified.parking_facility WHERE recorded_to IS NULL"
                             ).fetchall()) == ids
    p.write_text(CSV, encoding="utf-8")

    # A source that expects Western Europe flags Oslo (and Paris, which EPSG:5514 cannot hold: the one
    # position rule does not place it either); null switches the extent check off.
    res = ingest(make_source("parking", id="pk2", columns=COLUMNS, expected_extent=[-5, 42, 20, 56]), p,
                 database_url=db_url, run_kind="test", log=lambda _m: None)
    flagged = {r[0] for r in conn.execute("SELECT n.entity_key FROM lineage.notice n JOIN lineage.feed_version v "
                                          "ON v.id = n.feed_version_id WHERE v.source_id = 'pk2' "
                                          "AND n.code = 'outside_expected_extent'")}
    assert "NO1" in flagged and not flagged & {"UL1", "DD1"}
    res = ingest(make_source("parking", id="pk3", columns=COLUMNS, expected_extent=None), p,
                 database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded"  # (what EPSG:5514 cannot hold is still named: Paris, Oslo)
