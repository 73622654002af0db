"""What the GIS analyst sees: the gis_analyst login (read-only), one geometry type and a unique integer
key per layer, readable stop names, provenance through gis.lineage, default QGIS styles, the README's
QGIS steps run literally, read_layer and the GeoPackage export with field descriptions."""

from __future__ import annotations

import re
import shlex
import shutil
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import psycopg
import pytest
from psycopg.conninfo import conninfo_to_dict

from tests import synthetic
from transport_etl.db.gis_access import GIS_ROLE, apply_gis_access, gis_url
from transport_etl.harmonise.run import unify

pytestmark = pytest.mark.integration
ROOT = Path(__file__).resolve().parents[2]


def _add_road_data(conn: psycopg.Connection) -> None:
    """Road events at a point, along a line and without a position; a census section (line)."""
    synthetic.add_source(conn, "syn-datex2", "road", "datex2")
    fv = synthetic.add_feed_version(conn, "syn-datex2")
    for local_id, geom in (("E-point", "SRID=5514;POINT(-765000 -975000)"),
                           ("E-line", "SRID=5514;LINESTRING(-765000 -975000, -764000 -974500)"),
                           ("E-none", None)):
        rid = conn.execute(
            """INSERT INTO unified.road_event (source_id, feed_version_id, namespace, local_id, event_type, geom)
               VALUES ('syn-datex2', %s, 'cz.ustecky.syn-datex2', %s, 'roadClosed', %s::geometry) RETURNING id""",
            (fv, local_id, geom)).fetchone()[0]
        conn.execute("""INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file,
                            source_line, source_key) VALUES ('unified.road_event', %s, %s, 'd2.xml', 7, %s)""",
                     (rid, fv, local_id))
    conn.execute("""INSERT INTO unified.traffic_count (source_id, feed_version_id, namespace, local_id, geom)
                    VALUES ('syn-datex2', %s, 'x', 'S1', 'SRID=5514;LINESTRING(-765000 -975000, -764000 -974000)')""",
                 (fv,))


@pytest.fixture
def gis_db(db_url, conn):
    stops = synthetic.noisy_stops(seed=1)
    stops[0].name = "Chabařovice,,U Hřiště"  # as JDF writes it
    synthetic.insert_stops(conn, stops)
    unify(db_url, log=lambda _m: None)
    _add_road_data(conn)
    return conn


def _views(conn) -> list[str]:
    return [r[0] for r in conn.execute(
        "SELECT table_name FROM information_schema.views WHERE table_schema = 'gis' ORDER BY 1").fetchall()]


def test_gis_analyst_logs_in_reads_gis_and_provenance_and_cannot_write(db_url, gis_db):
    with psycopg.connect(gis_url(db_url), autocommit=True) as gis:
        assert gis.execute("SELECT current_user").fetchone()[0] == GIS_ROLE
        assert gis.execute("SELECT count(*) FROM gis.stop_place").fetchone()[0] > 0
        sp_id = gis.execute("SELECT min(id) FROM gis.stop_place").fetchone()[0]
        rows = gis.execute("SELECT source_id, feed_version_id, source_file, source_line, loaded_at "
                           "FROM gis.row_lineage('stop_place', %s)", (sp_id,)).fetchall()
        assert rows and rows[0][2] == "stops.txt" and rows[0][3] >= 2 and rows[0][4] is not None
        assert gis.execute("SELECT count(*) FROM gis.lineage").fetchone()[0] > 0
        event = gis.execute("SELECT id FROM gis.road_event_line").fetchone()[0]
        assert gis.execute("SELECT source_file, source_line FROM gis.row_lineage('road_event_line_5514', %s)",
                           (event,)).fetchall() == [("d2.xml", 7)]
        for statement in (
            "SELECT raw_text FROM lineage.rejected_record",
            "SELECT * FROM lineage.entity_source",
            "SELECT * FROM staging.gtfs_stop",
            "INSERT INTO unified.stop_place (source_id, feed_version_id, namespace, local_id, name) "
            "VALUES ('x', 1, 'x', 'x', 'x')",
            "UPDATE unified.stop_place SET name = 'x'",
            "DELETE FROM public.layer_styles",
            "CREATE TABLE gis.mine (id int)",
            "CREATE TABLE public.mine (id int)",
            "SELECT gis.install_layer_styles()",
        ):
            with pytest.raises((psycopg.errors.InsufficientPrivilege, psycopg.errors.UndefinedTable)) as err:
                gis.execute(statement)
            if "staging.gtfs_stop" not in statement:
                assert isinstance(err.value, psycopg.errors.InsufficientPrivilege), statement


def test_db_setup_sets_the_gis_password_from_the_environment(conn, monkeypatch):
    monkeypatch.setenv("TRANSPORT_ETL_GIS_PASSWORD", "kvetinac-42")
    lines: list[str] = []
    apply_gis_access(conn, log=lines.append)
    try:
        assert any("password set" in line for line in lines)
        assert conn.execute("SELECT rolpassword IS NOT NULL, rolcanlogin FROM pg_authid WHERE rolname = %s",
                            (GIS_ROLE,)).fetchone() == (True, True)
        assert "password=kvetinac-42" in gis_url("postgresql://postgres@127.0.0.1:5432/x")
    finally:  # roles are cluster-wide: leave it as the migration made it
        conn.execute("ALTER ROLE gis_analyst PASSWORD NULL")


def test_every_gis_layer_has_one_geometry_type_and_a_unique_integer_key(gis_db):
    conn = gis_db
    for view in _views(conn):
        geoms = conn.execute("SELECT type FROM geometry_columns WHERE f_table_schema = 'gis' AND f_table_name = %s",
                             (view,)).fetchall()
        assert len(geoms) <= 1, view
        assert not geoms or geoms[0][0].upper() not in ("GEOMETRY", "GEOMETRYCOLLECTION"), (view, geoms)
        key = conn.execute("""SELECT format_type(atttypid, NULL), attnum FROM pg_attribute
                              WHERE attrelid = %s::regclass AND attname = 'id'""", (f"gis.{view}",)).fetchone()
        assert key is not None and key[0] in ("integer", "bigint"), view
        total, distinct, nulls = conn.execute(
            f'SELECT count(*), count(DISTINCT id), count(*) FILTER (WHERE id IS NULL) FROM gis."{view}"').fetchone()
        assert total == distinct and nulls == 0, view
    kinds = dict(conn.execute("SELECT geometry_type, count(*) FROM gis.road_event GROUP BY 1").fetchall())
    assert kinds == {"point": 1, "linestring": 1, None: 1}
    assert conn.execute("SELECT count(*) FROM gis.road_event_point").fetchone()[0] == 1
    assert conn.execute("SELECT local_id FROM gis.road_event_line_5514").fetchall() == [("E-line",)]
    assert conn.execute("SELECT count(*) FROM gis.traffic_count_line").fetchone()[0] == 1
    lon = conn.execute("SELECT ST_X(ST_GeometryN(geom, 1)) FROM gis.road_event_point").fetchone()[0]
    assert 12 < lon < 19


def test_stop_names_display_as_people_write_them(gis_db):
    conn = gis_db
    assert conn.execute("SELECT gis.display_stop_name('Ústí nad Labem,,Mírové nám.'), "
                        "gis.display_stop_name(' Teplice , lázně,  aut.st. '), gis.display_stop_name(',,'), "
                        "gis.display_stop_name('Děčín hl.n.')").fetchone() == (
        "Ústí nad Labem, Mírové nám.", "Teplice, lázně, aut.st.", None, "Děčín hl.n.")
    for view in _views(conn):
        text_cols = [r[0] for r in conn.execute(
            """SELECT attname FROM pg_attribute WHERE attrelid = %s::regclass AND attnum > 0
               AND atttypid = 'text'::regtype AND (attname LIKE '%%name' OR attname = 'name')""", (f"gis.{view}",))]
        for col in text_cols:
            bad = conn.execute(f'SELECT count(*) FROM gis."{view}" WHERE "{col}" LIKE %s', ("%,,%",)).fetchone()[0]
            assert bad == 0, (view, col)
    assert conn.execute("SELECT count(*) FROM gis.stop_place WHERE name = 'Chabařovice, U Hřiště'").fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM unified.stop_place WHERE name = 'Chabařovice,,U Hřiště'").fetchone()[0] == 1


def test_every_map_layer_has_a_default_qgis_style(gis_db):
    conn = gis_db
    apply_gis_access(conn, log=lambda _m: None)  # what `transport-etl db setup` does for this database
    layers = dict(conn.execute("SELECT f_table_name, type FROM geometry_columns WHERE f_table_schema = 'gis'"
                               ).fetchall())
    styles = {r[0]: r[1:] for r in conn.execute(
        """SELECT f_table_name, f_geometry_column, styleqml::text, useasdefault FROM public.layer_styles
           WHERE f_table_catalog = current_database() AND f_table_schema = 'gis'""")}
    assert set(styles) == set(layers)
    for name, (geom_col, qml, default) in styles.items():
        assert geom_col == "geom" and default
        symbol = ET.fromstring(re.sub(r"<!DOCTYPE[^>]*>", "", qml)).find("renderer-v2/symbols/symbol")
        expected = "marker" if "POINT" in layers[name].upper() else "line" if "LINE" in layers[name].upper() else "fill"
        assert symbol is not None and symbol.get("type") == expected, name
    assert "fieldName=\"name\"" in styles["canonical_stop_place"][1]
    conn.execute("SET ROLE gis_reader")
    try:  # QGIS reads the styles with the analyst's login
        assert conn.execute("SELECT count(*) FROM public.layer_styles").fetchone()[0] >= len(layers)
    finally:
        conn.execute("RESET ROLE")


def _readme_shell_lines() -> list[str]:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Connecting QGIS"):]
    section = section[:section.index("\n## ", 5)]
    block = re.search(r"```bash\n(.*?)```", section, re.S)
    assert block, "README's QGIS section has no shell block"
    return [line for line in block.group(1).splitlines() if line.strip()]


def test_readme_qgis_section_works_literally(db_url, gis_db):
    """Step 2's connection (as psycopg would make it) and the section's shell lines, on this test's
    database instead of `transport_etl`."""
    p = conninfo_to_dict(db_url)
    with psycopg.connect(host="127.0.0.1", port=5432, dbname=p["dbname"], user="gis_analyst") as qgis:
        layers = [r[0] for r in qgis.execute(
            "SELECT f_table_name FROM geometry_columns WHERE f_table_schema = 'gis'").fetchall()]
        assert {"stop_place", "canonical_stop_place", "road_event_line", "road_event_point"} <= set(layers)
    lines = _readme_shell_lines()
    assert [shlex.split(line)[0] for line in lines] == ["psql", "ogrinfo"]
    for line in lines:
        argv = [a.replace("dbname=transport_etl", f"dbname={p['dbname']}") for a in shlex.split(line)]
        if shutil.which(argv[0]) is None:
            pytest.skip(f"{argv[0]} is not installed (`make tools` installs gdal-bin)")
        out = subprocess.run(argv, capture_output=True, text=True, timeout=60)
        assert out.returncode == 0, out.stderr
        if argv[0] == "psql":
            assert "stop_place" in out.stdout and "road_event_line" in out.stdout
        else:
            n = gis_db.execute("SELECT count(*) FROM gis.stop_place").fetchone()[0]
            assert "Geometry: Point" in out.stdout and f"Feature Count: {n}" in out.stdout
            assert "canonical_id: String" in out.stdout


def test_read_layer_gives_geodataframes_as_the_gis_role(db_url, gis_db):
    import shapely

    import transport_etl
    from transport_etl.layers import engine

    with engine(db_url).connect() as sa_conn:
        assert sa_conn.exec_driver_sql("SELECT current_user").scalar() == GIS_ROLE
    everything = transport_etl.read_layer("stop_place", url=db_url)
    assert everything.crs.to_epsg() == 4326 and len(everything) == gis_db.execute(
        "SELECT count(*) FROM gis.stop_place").fetchone()[0]
    box = (13.95, 50.60, 14.10, 50.70)
    inside = transport_etl.read_layer("stop_place", bbox=box, url=db_url)
    expected = gis_db.execute("SELECT count(*) FROM gis.stop_place WHERE geom && ST_MakeEnvelope(%s, %s, %s, %s, 4326)",
                              box).fetchone()[0]
    assert 0 < len(inside) == expected < len(everything)
    assert len(transport_etl.read_layer("stop_place", region=shapely.box(*box), url=db_url)) == expected
    krovak = transport_etl.read_layer("stop_place_5514", bbox=box, url=db_url)
    assert krovak.crs.to_epsg() == 5514 and len(krovak) == expected
    town = everything["municipality"].dropna().iloc[0]
    by_town = transport_etl.read_layer("stop_place", region=town, url=db_url)
    assert len(by_town) == (everything["municipality"] == town).sum()
    kinds = transport_etl.read_layer("road_event", url=db_url)["geometry_type"]  # no geometry: a DataFrame
    assert sorted(kinds.dropna()) == ["linestring", "point"] and kinds.isna().sum() == 1
    from transport_etl.errors import ConfigError
    with pytest.raises(ConfigError, match="no gis layer 'nope'"):
        transport_etl.read_layer("nope", url=db_url)


def test_geopackage_export_carries_every_layer_and_its_field_descriptions(db_url, gis_db, tmp_path):
    import pyogrio

    from transport_etl.export.gpkg import export_gpkg

    out = tmp_path / "ustecky.gpkg"
    result = export_gpkg(out, url=db_url, log=lambda _m: None)
    map_layers = [v for v in _views(gis_db) if v != "lineage"]
    assert set(result["layers"]) == set(map_layers)
    listed = {name: gtype for name, gtype in pyogrio.list_layers(out)}
    assert set(listed) == set(map_layers)
    for name in ("stop_place", "road_event_line_5514", "journey"):
        n = gis_db.execute(f'SELECT count(*) FROM gis."{name}"').fetchone()[0]
        assert pyogrio.read_info(out, layer=name)["features"] == n == result["layers"][name]
    assert listed["road_event_line"] == "MultiLineString" and listed["stop_place"] == "Point"
    stops = pyogrio.read_dataframe(out, layer="stop_place", fid_as_index=True)
    assert sorted(stops.index) == sorted(r[0] for r in gis_db.execute("SELECT id FROM gis.stop_place"))
    described = pyogrio.read_dataframe(
        out, sql="SELECT table_name, column_name, description FROM gpkg_data_columns", sql_dialect="SQLITE")
    got = {(r.table_name, r.column_name): r.description for r in described.itertuples()}
    for col in ("name", "canonical_id", "geom", "feed_version_id"):
        expected = gis_db.execute("SELECT col_description('gis.stop_place'::regclass, attnum) FROM pg_attribute "
                                  "WHERE attrelid = 'gis.stop_place'::regclass AND attname = %s", (col,)).fetchone()[0]
        assert got[("stop_place", col)] == expected and expected
    assert len({t for t, _c in got}) == len(map_layers)
    ext = pyogrio.read_dataframe(out, sql="SELECT extension_name FROM gpkg_extensions WHERE table_name = "
                                 "'gpkg_data_columns'", sql_dialect="SQLITE")
    assert list(ext["extension_name"]) == ["gpkg_schema"]
    if shutil.which("ogrinfo"):
        info = subprocess.run(["ogrinfo", "-ro", "-so", str(out), "canonical_stop_place"], capture_output=True,
                              text=True, timeout=60)
        assert info.returncode == 0 and "Geometry: Point" in info.stdout, info.stderr
