"""Stop registers from any vector source GDAL reads, with a catalog column mapping: Shapefile (with a .cpg
that lies), GeoPackage in WGS84, GeoJSON, CSV with positive S-JTSK columns, XLSX; CRS from .prj or catalog."""

from __future__ import annotations

from dataclasses import replace

import geopandas as gpd
import pandas as pd
import pyogrio
import pytest
from shapely.geometry import Point

from demo import regional, stop_register_shp
from demo.places import to_5514
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration
STOPS = [(30101, 1, "Ústí nad Labem,,hlavní nádraží", "Ústí nad Labem", 50.6590, 14.0440),
         (30102, 2, "Děčín,,Žižkova", "Děčín", 50.7770, 14.2180)]


def _quiet(_m):
    return None


def _load(make_source, path, db_url, crs=None, encoding=None, sid="reg", **options):
    src = replace(make_source("stop-register", id=sid, family="regional", **options), crs=crs, encoding=encoding)
    return ingest(src, path, database_url=db_url, run_kind="test", log=_quiet)


def test_demo_shapefile_with_lying_cpg(tmp_path, db_url, conn, make_source):
    regional.generate(tmp_path)
    res = _load(make_source, tmp_path / stop_register_shp.FILE, db_url, crs="EPSG:5514",
                columns=stop_register_shp.COLUMNS)
    assert res.outcome == "loaded", res.reason
    assert res.notices == {"encoding_mismatch (WARNING)": 1}
    rows, _truth = regional._register_rows()
    dc = {(str(r[0]), str(r[1])): r for r in rows if r[4] == "DC"}
    got = conn.execute("""SELECT crz, post_code, name, municipality, ST_X(geom), ST_Y(geom)
                          FROM staging.stop_register ORDER BY crz, post_code""").fetchall()
    assert len(got) == len(dc) == 10
    for crz, post, name, municipality, x, y in got:
        r = dc[(crz, post)]
        assert (name, municipality) == (r[2], r[3])                  # CP1250 names decoded, not mojibake
        assert abs(x - float(r[5])) < 0.01 and abs(y - float(r[6])) < 0.01
    assert any("Děčín" in g[2] for g in got)


def test_geopackage_in_wgs84_and_geojson_with_mapping(tmp_path, db_url, conn, make_source):
    gdf = gpd.GeoDataFrame([{"stop_id": crz, "pole": post, "stop_name": name, "town": town, "geometry": Point(lon, lat)}
                            for crz, post, name, town, lat, lon in STOPS], geometry="geometry", crs="EPSG:4326")
    mapping = {"id": "stop_id", "pole": "pole", "name": "stop_name", "municipality": "town"}
    for suffix, driver in ((".gpkg", "GPKG"), (".geojson", "GeoJSON")):
        path = tmp_path / f"stops{suffix}"
        pyogrio.write_dataframe(gdf, path, driver=driver)
        res = _load(make_source, path, db_url, columns=mapping)
        assert res.outcome == "loaded", (suffix, res.reason)
        got = conn.execute("""SELECT crz, post_code, name, ST_X(geom), ST_Y(geom) FROM staging.stop_register
                              WHERE feed_version_id = %s ORDER BY crz""", (res.feed_version_id,)).fetchall()
        for (crz, post, name, _t, lat, lon), g in zip(STOPS, got, strict=True):
            x, y = to_5514(lat, lon)
            assert g[:3] == (str(crz), str(post), name) and abs(g[3] - x) < 0.01 and abs(g[4] - y) < 0.01


def test_csv_and_xlsx_with_positive_sjtsk_columns(tmp_path, db_url, conn, make_source):
    recs = []
    for crz, post, name, town, lat, lon in STOPS:
        x, y = to_5514(lat, lon)
        recs.append({"CISLO": crz, "OZN": post, "NAZEV_ZAST": name, "OBEC": town, "X_JTSK": f"{-y:.2f}",
                     "Y_JTSK": f"{-x:.2f}"})          # classic Křovák: positive, south-west axes, X/Y swapped
    mapping = {"id": "CISLO", "pole": "OZN", "name": "NAZEV_ZAST", "municipality": "OBEC", "x": "X_JTSK",
               "y": "Y_JTSK"}
    pd.DataFrame(recs).to_csv(tmp_path / "zastavky.csv", sep=";", index=False)
    pd.DataFrame(recs).to_excel(tmp_path / "zastavky.xlsx", index=False)
    for name in ("zastavky.csv", "zastavky.xlsx"):
        res = _load(make_source, tmp_path / name, db_url, crs="EPSG:5514", columns=mapping)
        assert res.outcome == "loaded", (name, res.reason)
        got = conn.execute("""SELECT crz, ST_X(geom), ST_Y(geom), location_note FROM staging.stop_register
                              WHERE feed_version_id = %s ORDER BY crz""", (res.feed_version_id,)).fetchall()
        for (_c, _p, _n, _t, lat, lon), g in zip(STOPS, got, strict=True):
            x, y = to_5514(lat, lon)
            assert abs(g[1] - x) < 0.01 and abs(g[2] - y) < 0.01, name
            assert g[3] in ("sjtsk_sign_corrected", "sjtsk_axes_swapped")


def test_crs_from_catalog_when_no_prj_and_refusals(tmp_path, db_url, make_source):
    gdf = gpd.GeoDataFrame([{"CRZ": 30101, "NAZEV": "A", "geometry": Point(*to_5514(50.659, 14.044))}],
                           geometry="geometry", crs="EPSG:5514")
    folder = tmp_path / "noprj"
    folder.mkdir()
    pyogrio.write_dataframe(gdf, folder / "z.shp")
    (folder / "z.prj").unlink()
    assert _load(make_source, folder, db_url, crs="EPSG:5514", columns={"name": "NAZEV"}).outcome == "loaded"
    res = _load(make_source, folder, db_url, sid="reg2", columns={"name": "NAZEV", "pole": "OZN"})
    assert res.outcome == "rejected" and "no CRS" in res.reason
    res = _load(make_source, folder, db_url, crs="EPSG:5514", sid="reg3", columns={"name": "JMENO"})
    assert res.outcome == "rejected"
    assert res.reason == "z.shp: no column 'JMENO' for the stop name (columns: CRZ, NAZEV); map it in options.columns.name"
