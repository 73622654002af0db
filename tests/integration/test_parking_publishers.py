"""Parking inputs as cities publish them load with correct counts and dates (PostGIS)."""

from __future__ import annotations

import json

from tests.unit.test_parking_publishers import GOLEMIO, datex_parking, golemio_geojson
from transport_etl.ingest.run import ingest


def _quiet(_m):
    return None


def test_geojson_with_epoch_milliseconds_loads_every_row_dated_right(tmp_path, db_url, conn, make_source):
    p = tmp_path / "golemio.geojson"
    p.write_text(json.dumps(golemio_geojson(24, "ms")), encoding="utf-8")
    res = ingest(make_source("parking", id="golemio", columns=GOLEMIO), p, database_url=db_url, run_kind="test",
                 log=_quiet)
    assert res.outcome == "loaded", res.reason
    assert (res.rows_loaded, res.rows_rejected) == (24, 0)
    years = conn.execute("SELECT min(observed_at), max(observed_at), count(*) FROM unified.parking_occupancy"
                         ).fetchone()
    assert years[0].isoformat() == "2026-03-02T09:00:00+00:00" and years[1].isoformat() == "2026-03-02T09:23:00+00:00"
    assert years[2] == 24


def test_datex_v3_table_and_status_then_status_alone(tmp_path, db_url, conn, make_source):
    folder = tmp_path / "nap"
    folder.mkdir()
    (folder / "status.xml").write_text(datex_parking(3, False), encoding="utf-8")   # sorted before the table
    (folder / "table.xml").write_text(datex_parking(3, True), encoding="utf-8")
    (folder / "README.md").write_text("Parking data of Ústí", encoding="utf-8")
    src = make_source("parking", id="nap-parking")
    res = ingest(src, folder, database_url=db_url, run_kind="test", log=_quiet)
    assert res.outcome == "loaded", res.reason
    assert res.notices == {"unused_file (INFO)": 1}
    rows = conn.execute("""SELECT local_id, name, capacity, round(ST_X(ST_Transform(geom, 4326))::numeric, 4)
                           FROM unified.parking_facility WHERE recorded_to IS NULL ORDER BY local_id""").fetchall()
    assert [(r[0], r[1], r[2], float(r[3])) for r in rows] == [
        ("UL-P01", "Parkoviště Mírové náměstí", 110, 14.0342), ("UL-P02", "P+R Hlavní nádraží", 180, 14.0438)]
    occ = conn.execute("SELECT facility_id, free_places, observed_at FROM unified.parking_occupancy "
                       "ORDER BY facility_id").fetchall()
    assert [(o[0], o[1], o[2].isoformat()) for o in occ] == [("UL-P01", 12, "2026-03-02T09:00:00+00:00"),
                                                             ("UL-P02", 61, "2026-03-02T09:00:00+00:00")]
    # A status-only publication later: the facilities keep the positions the table gave them.
    status2 = tmp_path / "status2.xml"
    status2.write_text(datex_parking(2, False).replace("10:00:00+01:00", "10:15:00+01:00"), encoding="utf-8")
    res = ingest(src, status2, database_url=db_url, run_kind="test", log=_quiet)
    assert res.outcome == "loaded", res.reason
    assert conn.execute("SELECT count(*) FROM unified.parking_facility WHERE recorded_to IS NULL AND geom IS NOT NULL"
                        ).fetchone()[0] == 2
    assert conn.execute("SELECT count(*) FROM unified.parking_occupancy").fetchone()[0] == 4


def test_unrecognised_input_is_refused_in_one_line(tmp_path, db_url, make_source):
    p = tmp_path / "parking.csv"
    p.write_text('<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"><Document/></kml>',
                 encoding="utf-8")
    res = ingest(make_source("parking", id="bad"), p, database_url=db_url, run_kind="test", log=_quiet)
    assert res.outcome == "rejected"
    assert res.reason == "parking.csv: looks like XML with root <kml>, not a DATEX II parking publication"
