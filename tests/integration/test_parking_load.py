"""Parking CSV and GeoJSON through ingest: facilities in EPSG:5514 with lineage, occupancy
deduplicated by facility + time, bad rows quarantined, the column mapping honoured."""

from __future__ import annotations

import json
from dataclasses import replace

import pytest

from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

# Ústí nad Labem car parks, Czech-style CSV: ';' separated, decimal commas, local times.
CSV_UL = """ID_PARKOVISTE;NAZEV;KAPACITA;VOLNA_MISTA;CAS;SIRKA;DELKA
P01;Parkoviště Mírové náměstí;120;35;2026-03-02 08:00;50,66095;14,03310
P02;P+R Hlavní nádraží;200;150;2026-03-02 08:00;50,65938;14,04446
P01;Parkoviště Mírové náměstí;120;20;2026-03-02 09:00;50,66095;14,03310
P03;OC Forum;;x;2026-03-02 08:00;50,6598;14,0372
P04;Bez polohy;50;10;2026-03-02 08:00;0;0
"""
COLUMNS = {"id": "ID_PARKOVISTE", "name": "NAZEV", "capacity": "KAPACITA", "free": "VOLNA_MISTA",
           "timestamp": "CAS", "lat": "SIRKA", "lon": "DELKA"}


def _src(make_source, path, **options):
    return replace(make_source("parking", id="ul-parking", **options), location=str(path))


def test_csv_with_mapping(db_url, conn, tmp_path, make_source):
    f = tmp_path / "parkoviste.csv"
    f.write_text(CSV_UL, encoding="utf-8")
    res = ingest(_src(make_source, f, columns=COLUMNS, max_reject_ratio=0.5), database_url=db_url,
                 run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    assert res.rows_in == 5 and res.rows_rejected == 1  # P03: free places "x"
    rej = conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record").fetchall()
    assert rej == [(5, "invalid_value")]
    fac = dict(conn.execute("SELECT local_id, capacity FROM unified.parking_facility WHERE recorded_to IS NULL")
               .fetchall())
    assert fac == {"P01": 120, "P02": 200, "P04": 50}
    # P01 lies at Mírové náměstí: within 5 m of the WGS84 point transformed independently
    d = conn.execute("SELECT ST_Distance(geom, ST_Transform(ST_SetSRID(ST_MakePoint(14.03310, 50.66095), 4326), 5514))"
                     " FROM unified.parking_facility WHERE local_id = 'P01'").fetchone()[0]
    assert d < 5
    assert conn.execute("SELECT geom IS NULL, location_note FROM unified.parking_facility WHERE local_id = 'P04'"
                        ).fetchone() == (True, "point_near_origin")
    occ = conn.execute("SELECT facility_id, to_char(observed_at AT TIME ZONE 'Europe/Prague', 'HH24:MI'), free_places "
                       "FROM unified.parking_occupancy ORDER BY 1, 2").fetchall()
    assert occ == [("P01", "08:00", 35), ("P01", "09:00", 20), ("P02", "08:00", 150), ("P04", "08:00", 10)]
    lines = dict(conn.execute("SELECT source_key, source_line FROM lineage.entity_source "
                              "WHERE unified_table = 'unified.parking_facility'").fetchall())
    assert lines["P01"] == 4  # the newest P01 record (09:00) is on line 4

    # The next snapshot repeats 09:00 and adds 10:00: only the new reading is appended, P01 keeps its row.
    f.write_text(CSV_UL.splitlines()[0] + "\n"
                 "P01;Parkoviště Mírové náměstí;120;20;2026-03-02 09:00;50,66095;14,03310\n"
                 "P01;Parkoviště Mírové náměstí;120;12;2026-03-02 10:00;50,66095;14,03310\n", encoding="utf-8")
    p01 = conn.execute("SELECT id FROM unified.parking_facility WHERE local_id = 'P01'").fetchone()[0]
    res2 = ingest(_src(make_source, f, columns=COLUMNS), database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res2.outcome == "loaded", res2.reason
    assert conn.execute("SELECT count(*) FROM unified.parking_occupancy WHERE facility_id = 'P01'").fetchone()[0] == 3
    assert conn.execute("SELECT id FROM unified.parking_facility WHERE local_id = 'P01' AND recorded_to IS NULL"
                        ).fetchone()[0] == p01
    assert conn.execute("SELECT count(*) FROM unified.parking_facility WHERE recorded_to IS NULL").fetchone()[0] == 1


def test_geojson_in_5514_with_polygon(db_url, conn, tmp_path, make_source):
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"kod": "G1", "nazev": "Garáže Forum", "mist": 600, "volno": 412,
                                           "aktualizace": "2026-03-02T08:00:00+01:00"},
         "geometry": {"type": "Point", "coordinates": [-744250.0, -972900.0]}},
        {"type": "Feature", "properties": {"kod": "G2", "nazev": "Parkoviště Střekov", "mist": 40},
         "geometry": {"type": "Polygon", "coordinates": [[[-743000, -974000], [-742900, -974000],
                                                          [-742900, -973900], [-743000, -973900],
                                                          [-743000, -974000]]]}},
        {"type": "Feature", "properties": {"nazev": "bez kódu"}, "geometry": None},
    ]}
    f = tmp_path / "parkoviste.geojson"
    f.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    cols = {"id": "kod", "name": "nazev", "capacity": "mist", "free": "volno", "timestamp": "aktualizace",
            "crs": "EPSG:5514"}
    res = ingest(_src(make_source, f, columns=cols, max_reject_ratio=0.5), database_url=db_url, run_kind="test",
                 log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    assert res.rows_rejected == 1
    g = dict(conn.execute("SELECT local_id, ST_AsText(geom) FROM unified.parking_facility").fetchall())
    assert g["G1"] == "POINT(-744250 -972900)"
    assert conn.execute("SELECT ST_Within(geom, ST_MakeEnvelope(-743000, -974000, -742900, -973900, 5514)) "
                        "FROM unified.parking_facility WHERE local_id = 'G2'").fetchone()[0]
    assert conn.execute("SELECT count(*) FROM unified.parking_occupancy").fetchone()[0] == 1


def test_csv_without_id_column_is_rejected(db_url, tmp_path, make_source):
    f = tmp_path / "p.csv"
    f.write_text("name,lat,lon\nA,50.66,14.03\n", encoding="utf-8")
    res = ingest(_src(make_source, f), database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "rejected" and "no id column 'id'" in res.reason


def test_broken_records_quarantined_on_their_first_line(db_url, conn, tmp_path, make_source):
    """An unterminated quote, a short row, a time in the DST gap and a long line are each one quarantined
    record on its first line; a time in the autumn fold loads with a notice; the rest of the file loads."""
    head, *rows = CSV_UL.splitlines()
    good = [f"Q{i:02d};Parkoviště {i};100;{i};2026-03-02 08:00;50,66;14,03" for i in range(20)]
    lines = [head, *good[:3],
             'X1;"Neuzavřená uvozovka;10;5;2026-03-02 08:00;50,66;14,03',   # line 5: a quote that never closes
             *good[3:6],
             "X2;Krátký;10",                                                  # line 9: 3 of 7 fields
             "X3;Mezera;10;5;2026-03-29 02:30;50,66;14,03",                   # line 10: no such local time
             "X4;Dvakrát;10;5;2026-10-25 02:30;50,66;14,03",                  # line 11: happened twice
             "X5;" + "d" * 70_000 + ";10;5;2026-03-02 08:00;50,66;14,03",     # line 12: above the line limit
             'X6;"Dva\nřádky";10;5;2026-03-02 08:00;50,66;14,03',             # lines 13-14: a quoted newline
             *good[6:]]
    f = tmp_path / "parkoviste.csv"
    f.write_text("\n".join(lines) + "\n", encoding="utf-8")
    res = ingest(_src(make_source, f, columns=COLUMNS, max_reject_ratio=0.5, max_rejected_bytes_ratio=1.0),
                 database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    rej = conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record ORDER BY line_no").fetchall()
    assert rej == [(5, "unterminated_quote"), (9, "invalid_row_length"), (10, "invalid_value"),
                   (12, "line_too_long")]
    stats = conn.execute("SELECT file_stats->'parkoviste.csv' FROM lineage.feed_version ORDER BY id DESC LIMIT 1"
                         ).fetchone()[0]
    assert (stats["rows_in"], stats["rows_loaded"], stats["rows_rejected"]) == (26, 22, 4)
    assert conn.execute("SELECT code, line_no FROM lineage.notice WHERE code = 'ambiguous_local_time'"
                        ).fetchall() == [("ambiguous_local_time", 11)]
    names = dict(conn.execute("SELECT local_id, name FROM unified.parking_facility").fetchall())
    assert names["X6"] == "Dva\nřádky" and names["Q03"] == "Parkoviště 3" and "X1" not in names
    lines_of = dict(conn.execute("SELECT source_key, source_line FROM lineage.entity_source "
                                 "WHERE unified_table = 'unified.parking_facility'").fetchall())
    assert lines_of["X6"] == 13 and lines_of["Q03"] == 6


def test_readings_without_position_keep_each_facility_its_own_published_position(db_url, conn, tmp_path,
                                                                                 make_source):
    """The previous positions are joined set-based by facility id (publish.sql): a facility read without
    coordinates keeps its own current position, not another facility's; a moved one takes its new one."""
    f = tmp_path / "p.csv"
    f.write_text("ID_PARKOVISTE;NAZEV;KAPACITA;VOLNA_MISTA;CAS;SIRKA;DELKA\n"
                 "P01;A;120;35;2026-03-02 08:00;50,66095;14,03310\nP02;B;200;150;2026-03-02 08:00;50,65938;14,04446\n"
                 "P03;C;50;5;2026-03-02 08:00;50,6598;14,0372\n", encoding="utf-8")
    src = _src(make_source, f, columns=COLUMNS)
    assert ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None).outcome == "loaded"
    f.write_text("ID_PARKOVISTE;NAZEV;KAPACITA;VOLNA_MISTA;CAS;SIRKA;DELKA\n"
                 "P01;A;120;30;2026-03-02 09:00;;\nP02;B;200;140;2026-03-02 09:00;50,6600;14,0400\n"
                 "P03;C;50;4;2026-03-02 09:00;;\n", encoding="utf-8")
    assert ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None).outcome == "loaded"
    rows = conn.execute("SELECT local_id, round(ST_Y(ST_Transform(geom, 4326))::numeric, 4), "
                        "round(ST_X(ST_Transform(geom, 4326))::numeric, 4) FROM unified.parking_facility "
                        "WHERE recorded_to IS NULL ORDER BY local_id").fetchall()
    assert [(r[0], float(r[1]), float(r[2])) for r in rows] == [
        ("P01", 50.661, 14.0331), ("P02", 50.66, 14.04), ("P03", 50.6598, 14.0372)]
