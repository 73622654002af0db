"""The one position rule has a Python and an SQL form (schemas/640_positions.sql): they must agree, and no
stored geometry can make a gis view unreadable (the table trigger)."""

from __future__ import annotations

import math

import pytest

from transport_etl import positions

pytestmark = pytest.mark.integration

POINTS = [(50.66, 14.03), (math.nan, 14.0), (50.0, math.inf), (None, 14.0), (0.0, 0.0), (0.5, -0.5),
          (14.03, 50.66), (-976288.0, -760528.0), (95.0, 14.0), (52.52, 13.40), (-33.86, 151.2), (48.2, 16.37),
          (51.2, 12.0), (45.0, 10.0)]


def test_python_and_sql_rules_agree(conn):
    for lat, lon in POINTS:
        p = positions.place_wgs84(lat, lon)
        note, placed = conn.execute("SELECT unified.position_note(%s, %s), unified.place_point(%s, %s) IS NOT NULL",
                                    (lat, lon, lat, lon)).fetchone()
        assert (note, placed) == (p.note, p.placed), (lat, lon)
        if p.placed:
            d = conn.execute("SELECT ST_Distance(unified.place_point(%s, %s), ST_SetSRID(ST_MakePoint(%s, %s), 5514))",
                             (lat, lon, p.x, p.y)).fetchone()[0]
            assert d < 0.01


@pytest.mark.parametrize("wkt", ["POINT(NaN -1000000)", "POINT(1e30 1e30)", "POINT(0 0)"])
def test_unreadable_geometry_is_not_stored(conn, wkt):
    conn.execute("INSERT INTO lineage.source (id, family, format) VALUES ('t', 'municipal', 'parking')")
    fv = conn.execute("INSERT INTO lineage.feed_version (source_id, sha256, size_bytes, status) VALUES ('t', 'x', 0, 'loaded') "
                      "RETURNING id").fetchone()[0]
    conn.execute("INSERT INTO unified.parking_facility (source_id, feed_version_id, namespace, local_id, geom) "
                 "VALUES ('t', %s, 'n', 'a', ST_GeomFromText(%s, 5514))", (fv, wkt))
    assert conn.execute("SELECT geom IS NULL, location_note FROM unified.parking_facility").fetchone() == (
        True, "geometry_not_readable")
    conn.execute("SELECT * FROM gis.parking_facility").fetchall()
