"""Road network loads: topology, versioning of link identities, encodings and CRS."""

from __future__ import annotations

from pathlib import Path

import geopandas as gpd
import pyogrio
import pytest
from shapely.geometry import LineString

from transport_etl.ingest.run import ingest

# A small synthetic network near Trmice (EPSG:5514): I/13 in three 1 km sections running east, and
# II/261 leaving the middle junction north. Shared by the event tests.
X0, Y0 = -770_000.0, -976_000.0


def i13_sections(moved: bool = False) -> list[dict]:
    """I/13 as three sections with a mid vertex each; ``moved`` shifts the middle one 30 m north."""
    dy = 30.0 if moved else 0.0
    return [
        {"ROAD_ID": "1001", "RN": "I/13", "DF": "1", "FW": "3", "NAZEV": "Trmice – Řehlovice",
         "geometry": LineString([(X0, Y0), (X0 + 500, Y0 + 10), (X0 + 1000, Y0)])},
        {"ROAD_ID": "1002", "RN": "I/13", "DF": "1", "FW": "3", "NAZEV": "Řehlovice – Stadice",
         "geometry": LineString([(X0 + 1000, Y0), (X0 + 1500, Y0 + dy), (X0 + 2000, Y0)])},
        {"ROAD_ID": "1003", "RN": "I/13", "DF": "1", "FW": "3", "NAZEV": "Stadice – Chlumec",
         "geometry": LineString([(X0 + 2000, Y0), (X0 + 2500, Y0 - 10), (X0 + 3000, Y0)])},
    ]


def ii261_sections() -> list[dict]:
    return [
        {"ROAD_ID": "2001", "RN": "II/261", "DF": "1", "FW": "3", "NAZEV": "Žižkova",
         "geometry": LineString([(X0 + 1000.4, Y0 + 0.3), (X0 + 1000, Y0 + 800)])},
        {"ROAD_ID": "2002", "RN": "II/261", "DF": "1", "FW": "3", "NAZEV": "Štěpánov",
         "geometry": LineString([(X0 + 1000, Y0 + 800), (X0 + 1100, Y0 + 1600)])},
    ]


def write_layer(path: Path, features: list[dict], crs: str = "EPSG:5514", **kwargs) -> Path:
    gdf = gpd.GeoDataFrame(features, geometry="geometry", crs=crs)
    pyogrio.write_dataframe(gdf, path, **kwargs)
    return path


def load_network(make_source, db_url: str, path: Path, source_id: str = "road-net", **options):
    src = make_source("road-network", id=source_id, family="road", **options)
    return ingest(src, path, database_url=db_url, run_kind="test", log=lambda _m: None)


def current_links(conn, source_id: str = "road-net") -> dict[str, tuple]:
    rows = conn.execute(
        """SELECT local_id, id, version, start_node_id, end_node_id, length_m, road_number, name, valid_to
           FROM unified.transport_link WHERE source_id = %s AND recorded_to IS NULL""", (source_id,)).fetchall()
    return {r[0]: r[1:] for r in rows}


def test_network_topology_nodes_shared_within_tolerance(tmp_path, db_url, conn, make_source):
    path = write_layer(tmp_path / "net.gpkg", i13_sections() + ii261_sections())
    res = load_network(make_source, db_url, path)
    assert res.outcome == "loaded", res.reason
    links = current_links(conn)
    assert set(links) == {"1001", "1002", "1003", "2001", "2002"}
    # II/261 starts 0.5 m from the I/13 junction: within the 1 m tolerance it shares the node.
    assert links["2001"][2] == links["1001"][3] == links["1002"][2]
    assert links["1002"][3] == links["1003"][2]
    assert links["1001"][4] == pytest.approx(2 * (500**2 + 10**2) ** 0.5, abs=0.01)
    kinds = dict(conn.execute(
        "SELECT node_kind, count(*) FROM unified.transport_node WHERE source_id = 'road-net' GROUP BY 1").fetchall())
    assert kinds == {"end": 3, "pseudo": 2, "junction": 1}
    lineage = conn.execute(
        """SELECT count(*) FROM unified.transport_link l JOIN lineage.entity_source e
           ON e.unified_table = 'unified.transport_link' AND e.unified_id = l.id""").fetchone()[0]
    assert lineage == 5


def test_tighter_tolerance_keeps_nodes_apart(tmp_path, db_url, conn, make_source):
    path = write_layer(tmp_path / "net.gpkg", i13_sections() + ii261_sections())
    assert load_network(make_source, db_url, path, snap_tolerance_m=0.1).outcome == "loaded"
    links = current_links(conn)
    assert links["2001"][2] != links["1001"][3]


def test_second_version_keeps_unchanged_versions_moved_closes_removed(tmp_path, db_url, conn, make_source):
    v1 = write_layer(tmp_path / "v1.gpkg", i13_sections() + ii261_sections())
    assert load_network(make_source, db_url, v1, valid_from="2024-01-01").outcome == "loaded"
    before = current_links(conn)
    v2 = write_layer(tmp_path / "v2.gpkg", i13_sections(moved=True) + ii261_sections()[:1])
    res = load_network(make_source, db_url, v2, valid_from="2024-07-01")
    assert res.outcome == "loaded", res.reason
    after = current_links(conn)
    assert set(after) == {"1001", "1002", "1003", "2001"}
    for unchanged in ("1001", "1003", "2001"):
        assert after[unchanged][0] == before[unchanged][0]      # same unified id
        assert after[unchanged][1] == 1
    assert after["1002"][0] != before["1002"][0]
    assert after["1002"][1] == 2
    old_1002, removed = (conn.execute(
        "SELECT recorded_to IS NOT NULL, valid_to::text FROM unified.transport_link WHERE id = %s",
        (before[k][0],)).fetchone() for k in ("1002", "2002"))
    assert old_1002 == (True, "2024-06-30")
    assert removed == (True, "2024-06-30")
    # The unchanged rows now belong to the new version, so the runner left them current.
    fv = res.feed_version_id
    assert conn.execute("SELECT count(*) FROM unified.transport_link WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0] == 4
    assert res.tables["unified.transport_link (unchanged, kept)"] == 3


def test_cp1250_shapefile_decodes_czech_names(tmp_path, db_url, conn, make_source):
    folder = tmp_path / "shp"
    folder.mkdir()
    write_layer(folder / "silnice.shp", i13_sections(), encoding="cp1250")
    raw = (folder / "silnice.dbf").read_bytes()
    assert "Řehlovice".encode("cp1250") in raw            # the DBF really is CP1250
    (folder / "silnice.cpg").unlink(missing_ok=True)     # as ŘSD ships it: no .cpg, catalog says CP1250
    src = make_source("road-network", id="road-net", family="road")
    src = type(src)(**{**src.__dict__, "encoding": "CP1250"})
    res = ingest(src, folder, database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    names = {r[0] for r in conn.execute("SELECT name FROM unified.transport_link")}
    assert names == {"Trmice – Řehlovice", "Řehlovice – Stadice", "Stadice – Chlumec"}


def test_wgs84_layer_lands_in_5514(tmp_path, db_url, conn, make_source):
    from pyproj import Transformer

    to_wgs = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
    feats = []
    for f in i13_sections():
        feats.append({**f, "geometry": LineString([to_wgs.transform(x, y) for x, y in f["geometry"].coords])})
    path = write_layer(tmp_path / "net.geojson", feats, crs="EPSG:4326", driver="GeoJSON")
    assert load_network(make_source, db_url, path).outcome == "loaded"
    x, y = conn.execute("SELECT ST_X(ST_StartPoint(geom)), ST_Y(ST_StartPoint(geom)) FROM unified.transport_link "
                        "WHERE local_id = '1001'").fetchone()
    assert x == pytest.approx(X0, abs=0.05) and y == pytest.approx(Y0, abs=0.05)


def test_bad_geometries_are_quarantined_with_reason(tmp_path, db_url, conn, make_source):
    feats = i13_sections() + [
        {"ROAD_ID": "9001", "RN": "I/13", "DF": "1", "FW": "3", "NAZEV": "mimo kraj",
         "geometry": LineString([(-600_000, -1_150_000), (-599_000, -1_150_000)])},
        {"ROAD_ID": "9002", "RN": "I/13", "DF": "1", "FW": "3", "NAZEV": "bod",
         "geometry": LineString([(X0, Y0), (X0, Y0)])},
        {"ROAD_ID": None, "RN": "I/13", "DF": "1", "FW": "3", "NAZEV": "bez id",
         "geometry": LineString([(X0, Y0), (X0 + 5, Y0)])},
    ]
    path = write_layer(tmp_path / "net.gpkg", feats)
    res = load_network(make_source, db_url, path, max_reject_ratio=0.9)
    assert res.outcome == "loaded", res.reason
    assert set(current_links(conn)) == {"1001", "1002", "1003"}
    codes = dict(conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record").fetchall())
    assert codes == {4: "out_of_region", 5: "invalid_geometry", 6: "missing_required_field"}
