"""GIS access: gis views in EPSG:4326 and 5514, comments on everything, the read-only gis_reader
role, and GDAL seeing the views as QGIS would."""

from __future__ import annotations

import shutil
import subprocess

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from tests import synthetic
from transport_etl.harmonise.run import unify

pytestmark = pytest.mark.integration


@pytest.fixture
def harmonised(db_url, conn):
    synthetic.insert_stops(conn, synthetic.noisy_stops(seed=1))
    unify(db_url, log=lambda _m: None)
    return conn


def test_every_unified_table_has_gis_views_with_comments(conn):
    tables = {r[0] for r in conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'unified' AND c.relkind = 'r'")}
    views = {r[0] for r in conn.execute("SELECT table_name FROM information_schema.views WHERE table_schema = 'gis'")}
    assert not {t for t in tables if t not in views}, "unified tables without a gis view"
    spatial = {r[0] for r in conn.execute(
        "SELECT f_table_name FROM geometry_columns g JOIN information_schema.tables t "
        "ON t.table_schema = g.f_table_schema AND t.table_name = g.f_table_name "
        "WHERE f_table_schema = 'unified' AND t.table_type = 'BASE TABLE'")}
    # mixed point/line tables come as two layers, <t>_point_5514 and <t>_line_5514 (migration 660)
    assert not {t for t in spatial if f"{t}_5514" not in views and f"{t}_line_5514" not in views}
    srids = dict(conn.execute(
        "SELECT f_table_name, srid FROM geometry_columns WHERE f_table_schema = 'gis'").fetchall())
    assert srids["stop_place"] == 4326 and srids["stop_place_5514"] == 5514
    assert srids["canonical_stop_place"] == 4326 and srids["transport_link_5514"] == 5514
    uncommented_views = conn.execute(
        "SELECT c.relname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "WHERE n.nspname = 'gis' AND c.relkind = 'v' AND obj_description(c.oid, 'pg_class') IS NULL").fetchall()
    uncommented_cols = conn.execute(
        "SELECT c.relname, a.attname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace "
        "JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped "
        "WHERE n.nspname = 'gis' AND c.relkind = 'v' AND col_description(c.oid, a.attnum) IS NULL").fetchall()
    assert uncommented_views == [] and uncommented_cols == []
    mine = ("canonical_stop_place", "canonical_stop_member", "stop_match_review", "stop_connection", "service_on_link")
    for t in mine:
        assert conn.execute("SELECT count(*) FROM pg_attribute a WHERE a.attrelid = %s::regclass AND a.attnum > 0 "
                            "AND NOT a.attisdropped AND col_description(a.attrelid, a.attnum) IS NULL",
                            (f"unified.{t}",)).fetchone()[0] == 0, t


def test_views_show_current_rows_in_both_crs(harmonised):
    conn = harmonised
    conn.execute("UPDATE unified.stop_place SET recorded_to = now() WHERE source_id = 'syn-czptt'")
    n4326, lon, lat = conn.execute(
        "SELECT count(*), avg(ST_X(geom)), avg(ST_Y(geom)) FROM gis.stop_place").fetchone()
    n5514, x = conn.execute("SELECT count(*), avg(ST_X(geom)) FROM gis.stop_place_5514").fetchone()
    current = conn.execute("SELECT count(*) FROM unified.stop_place WHERE recorded_to IS NULL").fetchone()[0]
    assert n4326 == n5514 == current
    assert 13 < lon < 15 and 50 < lat < 51 and x < -600000
    row = conn.execute("SELECT canonical_id, canonical_name FROM gis.stop_place WHERE local_id = '30101'").fetchone()
    assert row[0] and row[1]


def test_gis_reader_reads_gis_and_unified_only(harmonised):
    conn = harmonised
    conn.execute("SET ROLE gis_reader")
    try:
        assert conn.execute("SELECT count(*) FROM gis.stop_place").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM gis.canonical_stop_place").fetchone()[0] > 0
        assert conn.execute("SELECT count(*) FROM unified.stop_place").fetchone()[0] > 0
        conn.execute("SELECT * FROM gis.affected_services(1, current_date)").fetchall()
        for statement in (
            "SELECT count(*) FROM lineage.entity_source",
            "SELECT count(*) FROM lineage.source",
            "INSERT INTO unified.stop_place (source_id, feed_version_id, namespace, local_id, name) "
            "VALUES ('x', 1, 'x', 'x', 'x')",
            "UPDATE unified.canonical_stop_place SET name = 'x'",
            "DELETE FROM unified.stop_match_review",
            "UPDATE unified.stop_match_review SET status = 'same'",
            "CREATE TABLE gis.mine (id int)",
        ):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
    finally:
        conn.execute("RESET ROLE")


def test_gis_editor_can_decide_review_pairs(harmonised):
    conn = harmonised
    conn.execute("SET ROLE gis_editor")
    try:
        conn.execute("INSERT INTO unified.stop_match_review (a_source_id, a_local_id, b_source_id, b_local_id, "
                     "status) VALUES ('syn-gtfs', 'U101', 'syn-register', '30101', 'different')")
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            conn.execute("UPDATE unified.canonical_stop_place SET name = 'x'")
    finally:
        conn.execute("RESET ROLE")
    assert conn.execute("SELECT decided_by FROM unified.stop_match_review WHERE status = 'different'"
                        ).fetchone()[0] == "postgres"


@pytest.mark.skipif(shutil.which("ogrinfo") is None, reason="ogrinfo (gdal-bin) is not installed")
def test_ogrinfo_lists_the_stop_layer_with_srid_and_features(db_url, harmonised):
    p = conninfo_to_dict(db_url)
    pg = " ".join(f"{k}={p[k]}" for k in ("host", "port", "dbname", "user") if p.get(k))
    out = subprocess.run(["ogrinfo", "-ro", "-so", f"PG:{pg}", "gis.stop_place"], capture_output=True, text=True,
                         timeout=60)
    assert out.returncode == 0, out.stderr
    features = conn_count = harmonised.execute("SELECT count(*) FROM gis.stop_place").fetchone()[0]
    assert "Geometry: Point" in out.stdout
    assert f"Feature Count: {features}" in out.stdout and conn_count > 0
    assert 'ID["EPSG",4326]' in out.stdout or "WGS 84" in out.stdout
    assert "canonical_id: String" in out.stdout
    out = subprocess.run(["ogrinfo", "-ro", "-so", f"PG:{pg}", "gis.stop_place_5514"], capture_output=True,
                         text=True, timeout=60)
    assert out.returncode == 0 and "Krovak" in out.stdout, out.stdout + out.stderr
