"""The regional stop register into unified stop places (per CRZ) and stop points (per pole)."""

import pytest

from demo import places, regional
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration


def test_demo_register_loads_poles_and_places(db_url, conn, make_source, tmp_path):
    info = regional.generate(tmp_path)
    src = make_source("stop-register", id=regional.REGISTER_SOURCE, family="regional")
    res = ingest(src, tmp_path / "stop_register.csv", database_url=db_url)
    assert res.outcome == "loaded", res.reason
    n_places = sum(1 for p in places.PLACES if p.crz)
    assert res.tables["unified.stop_place"] == n_places + 2
    assert res.tables["unified.stop_point"] == 2 * n_places + 2
    assert res.notices == {"missing_position (WARNING)": 1}

    # Truth: each register stop lies within a few tens of metres of its place.
    for sid, crz, key in info["truth"]:
        if sid != regional.REGISTER_SOURCE:
            continue
        p = places.BY_KEY[key]
        x, y = places.to_5514(p.lat, p.lon)
        d = conn.execute("""SELECT ST_Distance(geom, ST_SetSRID(ST_MakePoint(%s, %s), 5514)) FROM unified.stop_place
                             WHERE source_id = %s AND local_id = %s""", (x, y, sid, crz)).fetchone()[0]
        assert 0 < d < 30, key
    # The stop surveyed without a position: NULL geometry with its reason, never 0,0.
    row = conn.execute("SELECT geom, location_note FROM unified.stop_place WHERE local_id = '39902'").fetchone()
    assert row == (None, "missing_position")
    pole = conn.execute("SELECT register_id, platform_code FROM unified.stop_point WHERE local_id = '3010102'").fetchone()
    assert pole == ("3010102", "2")
    orphans = conn.execute("""SELECT count(*) FROM unified.stop_point u WHERE NOT EXISTS (
                                SELECT 1 FROM lineage.entity_source e WHERE e.unified_table = 'unified.stop_point'
                                   AND e.unified_id = u.id AND e.source_line > 1)""").fetchone()[0]
    assert orphans == 0


def test_bad_rows_are_quarantined(db_url, conn, make_source, tmp_path):
    p = tmp_path / "reg.csv"
    p.write_text("CRZ;OZNACNIK;NAZEV;OKRES;X;Y\n1;1;A,,b;UL;-760000;-976000\nx;1;C,,d;UL;-760000;-976000\n"
                 "1;1;A,,b;UL;-760000;-976000\n", encoding="utf-8")
    res = ingest(make_source("stop-register", id="test-reg", family="regional", max_reject_ratio=0.9), p,
                 database_url=db_url)
    assert res.outcome == "loaded" and res.rows_rejected == 2
    assert conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record ORDER BY 1").fetchall() == [
        (3, "invalid_register_id"), (4, "duplicate_key")]

    # A file without the register's columns is refused as a whole; the loaded version stays current.
    q = tmp_path / "other.csv"
    q.write_text("ID;NAME\n1;A\n", encoding="utf-8")
    res2 = ingest(make_source("stop-register", id="test-reg", family="regional"), q, database_url=db_url)
    assert res2.outcome == "rejected" and res2.reason_code == "missing_required_column"
    assert conn.execute("SELECT count(*) FROM unified.stop_place WHERE recorded_to IS NULL").fetchone()[0] == 1


def test_each_bad_line_is_quarantined_by_itself_and_utf8_names_stay_utf8(db_url, conn, make_source, tmp_path):
    """One CP1250 line in a UTF-8 file, a NUL byte, a 200 kB line, a short row and a row with an extra field:
    each is quarantined with its file and line; every other row is loaded with its UTF-8 name intact."""
    rows = [f"{i};1;Ústí nad Labem {i};Ústí;UL;-760000;-976000\n".encode() for i in range(1, 61)]
    rows[3] = "4;1;Děčín;Děčín;DC;-760000;-976000\n".encode("cp1250")        # line 5
    rows[5] = b"6;1;Ne\x00jaka;Usti;UL;-760000;-976000\n"                      # line 7
    rows[9] = b"10;1;Kratky\n"                                                   # line 11
    rows[11] = b"12;1;Dlouhy;Usti;UL;-760000;-976000;navic\n"                    # line 13
    rows[39] = b"40;1;" + b"A" * 200_000 + b";Usti;UL;-760000;-976000\n"        # line 41
    p = tmp_path / "reg.csv"
    p.write_bytes(b"CRZ;OZNACNIK;NAZEV;OBEC;OKRES;X;Y\n" + b"".join(rows))
    res = ingest(make_source("stop-register", id="test-reg", family="regional", max_reject_ratio=0.5,
                             max_rejected_bytes_ratio=1.0), p, database_url=db_url)
    assert res.outcome == "loaded", res.reason
    assert conn.execute("SELECT file_name, line_no, reason_code FROM lineage.rejected_record ORDER BY 2").fetchall() == [
        ("reg.csv", 5, "invalid_character"), ("reg.csv", 7, "invalid_character"), ("reg.csv", 11, "wrong_field_count"),
        ("reg.csv", 13, "wrong_field_count"), ("reg.csv", 41, "line_too_long")]
    stats = res.files["reg.csv"]
    assert (stats["rows_in"], stats["rows_loaded"], stats["rows_rejected"]) == (60, 55, 5)
    names = [r[0] for r in conn.execute("SELECT name FROM staging.stop_register ORDER BY line_no")]
    assert names[0] == "Ústí nad Labem 1" and all(n.startswith("Ústí nad Labem ") for n in names)
