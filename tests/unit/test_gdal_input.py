"""The shared GDAL input path (roads.ogr, gdal_env, layer_text, crs): only allowed drivers, zips through
the shared archive check, no local path in a message, CRS and encoding declarations weighed, a damaged
DBF refused in one line."""

from __future__ import annotations

import stat
import zipfile
from pathlib import Path

import geopandas as gpd
import pyogrio as raw_pyogrio
import pytest
from pyproj import CRS
from shapely.geometry import LineString

from transport_etl.boundaries import Limits
from transport_etl.crs import resolve_crs, transformer_to_5514
from transport_etl.errors import InputRejected
from transport_etl.formats.alertc_location_table.reader import exchange_files
from transport_etl.gdal_env import ALLOWED_DRIVERS, gdal_message, pyogrio
from transport_etl.roads import ogr
from transport_etl.roads.layer_text import choose_encoding, codec

SECRET = "OUTSIDE-ROW-4242"


def _vrt(tmp: Path) -> str:
    outside = tmp / "outside.csv"
    outside.write_text(f'NAME,WKT\n{SECRET},"LINESTRING (0 0, 1 1)"\n', encoding="utf-8")
    return (f'<OGRVRTDataSource><OGRVRTLayer name="o"><SrcDataSource relativeToVRT="0">{outside}</SrcDataSource>'
            '<GeometryType>wkbLineString</GeometryType><LayerSRS>EPSG:5514</LayerSRS>'
            '<GeometryField encoding="WKT" field="WKT"/></OGRVRTLayer></OGRVRTDataSource>')


def _shapefile(folder: Path, names=("Děčín", "Ústí"), encoding="cp1250", crs="EPSG:5514") -> Path:
    folder.mkdir(exist_ok=True)
    gdf = gpd.GeoDataFrame({"ROAD_ID": [1, 2], "NAZEV": list(names)},
                           geometry=[LineString([(-760000, -976000), (-760100, -976100)])] * 2, crs=crs)
    raw_pyogrio.write_dataframe(gdf, folder / "silnice.shp", encoding=encoding)
    return folder / "silnice.shp"


def _zip(folder: Path, out: Path, extra: list | None = None) -> Path:
    with zipfile.ZipFile(out, "w") as z:
        for p in sorted(folder.iterdir()):
            z.write(p, p.name)
        for info, data in extra or []:
            z.writestr(info, data)
    return out


def test_only_the_allowed_drivers_exist():
    assert set(pyogrio().list_drivers()) <= ALLOWED_DRIVERS
    assert "OGR_VRT" not in pyogrio().list_drivers()


@pytest.mark.parametrize("name", ["x.geojson", "x.json", "x.vrt", "member.zip"])
def test_a_vrt_in_disguise_is_never_opened(tmp_path, name):
    inp = tmp_path / "input"
    inp.mkdir()
    if name.endswith(".zip"):
        path = inp / name
        with zipfile.ZipFile(path, "w") as z:
            z.writestr("silnice.vrt", _vrt(tmp_path))
    else:
        path = inp / name
        path.write_text(_vrt(tmp_path))
    with pytest.raises(InputRejected) as exc:
        info = ogr.layer_info(path)
        list(ogr.iter_features(info))  # (never reached: nothing from outside.csv may be read)
    assert "/" not in str(exc.value) and SECRET not in str(exc.value), exc.value
    assert name in str(exc.value)


def test_a_vrt_named_csv_is_only_text(tmp_path):
    path = tmp_path / "x.csv"
    path.write_text(_vrt(tmp_path))
    rows = [str(props) for _i, props, _g in ogr.iter_features(ogr.layer_info(path))]
    assert not any(SECRET in r for r in rows)  # the CSV driver reads the XML as text, not what it names


def test_zip_members_pass_the_shared_archive_check(tmp_path):
    folder = tmp_path / "shp"
    _shapefile(folder)
    link = zipfile.ZipInfo("silnice.prj")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    cases = {"symlink": ([(link, "/etc/passwd")], "is a symbolic link"),
             "dotdot": ([("../x.dbf", b"x")], "points outside the archive"),
             "dup": ([("silnice.dbf", b"x")], "duplicate member")}
    for name, (extra, reason) in cases.items():
        path = _zip(folder if name != "symlink" else _without(folder, ".prj"), tmp_path / f"{name}.zip", extra)
        with pytest.raises(InputRejected, match=reason):
            ogr.layer_info(path)
    many = _zip(folder, tmp_path / "many.zip", [(f"j/{i}", b"") for i in range(5)])
    with pytest.raises(InputRejected, match="above the limit"):
        ogr.layer_info(many, limits=Limits(max_members=4))
    xlsx = tmp_path / "bomb.xlsx"  # GDAL opens an XLSX through /vsizip/ itself: same limits
    with zipfile.ZipFile(xlsx, "w", zipfile.ZIP_DEFLATED) as z:
        z.writestr("xl/worksheets/sheet1.xml", bytes(3 << 20))
    with pytest.raises(InputRejected, match="possible zip bomb"):
        ogr.layer_info(xlsx)


def _without(folder: Path, suffix: str) -> Path:
    for p in folder.glob("*" + suffix):
        p.unlink()
    return folder


def test_alertc_zip_goes_through_the_shared_check(tmp_path):
    path = tmp_path / "lt.zip"
    link = zipfile.ZipInfo("NAMES.DAT")
    link.create_system = 3
    link.external_attr = (stat.S_IFLNK | 0o777) << 16
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("POINTS.DAT", "CID;TABCD;LCD\n")
        z.writestr(link, "/etc/passwd")
    with pytest.raises(InputRejected, match="symbolic link"):
        exchange_files(path)


def test_gdal_messages_quote_no_path():
    msg = gdal_message(RuntimeError("Failed to open datasource '/work/secret/secret.txt'. /vsizip//a/b.zip/x"),
                       {"/vsizip//a/b.zip": "b.zip"})
    assert msg == "Failed to open datasource '<path>'. b.zip/x"
    assert gdal_message("no /vsicurl/http://evil.example/x.csv") == "no <path>:<path>"


def test_local_cs_is_refused_in_one_line():
    with pytest.raises(InputRejected, match="cannot be converted to EPSG:5514"):
        transformer_to_5514(CRS.from_wkt('LOCAL_CS["arbitrary",UNIT["metre",1]]'))
    with pytest.raises(InputRejected, match="not a coordinate reference system"):
        resolve_crs("garbage", None)


def test_unreadable_prj_falls_back_with_a_notice(tmp_path):
    shp = _shapefile(tmp_path / "shp")
    shp.with_suffix(".prj").write_bytes(b"this is not a projection \xff")
    info = ogr.layer_info(shp)
    assert info.prj_unreadable
    crs, notes = ogr.layer_crs(info, "EPSG:5514")
    assert crs.to_epsg() == 5514 and [c for c, _m in notes] == ["crs_unreadable"]


def _choose(info, catalog):
    notes: list[str] = []
    enc = choose_encoding(info, catalog, lambda code, _m: notes.append(code))
    return enc, notes


def test_a_cpg_saying_utf8_over_utf8_text_wins_over_the_catalog(tmp_path):
    shp = _shapefile(tmp_path / "u", encoding="utf-8")
    info = ogr.layer_info(_zip(shp.parent, tmp_path / "u.zip"))
    enc, notes = _choose(info, "CP1250")
    assert enc == "UTF-8" and notes == ["encoding_from_cpg"]
    names = [p["NAZEV"] for _i, p, _g in ogr.iter_features(info, encoding=enc)]
    assert names == ["Děčín", "Ústí"]


def test_a_cpg_saying_utf8_over_cp1250_text_keeps_the_catalog(tmp_path):
    shp = _shapefile(tmp_path / "c")
    shp.with_suffix(".cpg").write_text("UTF-8")
    enc, notes = _choose(ogr.layer_info(shp), "CP1250")
    assert enc == "CP1250" and notes == ["encoding_mismatch"]
    shp.with_suffix(".cpg").unlink()
    assert _choose(ogr.layer_info(shp), "CP1250") == ("CP1250", [])
    assert codec("ANSI 1250") == codec("1250") == "cp1250" and codec("88592") == "iso8859-2"


def test_a_truncated_dbf_is_refused_in_one_line(tmp_path):
    gdf = gpd.GeoDataFrame({"ROAD_ID": list(range(400)), "NAZEV": ["x" * 40] * 400},
                           geometry=[LineString([(0, 0), (1, 1)])] * 400, crs="EPSG:5514")
    folder = tmp_path / "t"
    folder.mkdir()
    raw_pyogrio.write_dataframe(gdf, folder / "silnice.shp")
    dbf = folder / "silnice.dbf"
    dbf.write_bytes(dbf.read_bytes()[:1500])
    with pytest.raises(InputRejected) as exc:
        list(ogr.iter_features(ogr.layer_info(folder)))
    assert "\n" not in str(exc.value) and "/" not in str(exc.value)


def test_readers_reach_gdal_only_through_gdal_env():
    """Only writers (export) import pyogrio themselves; every reader goes through gdal_env.pyogrio()."""
    root = Path(__file__).resolve().parents[2] / "transport_etl"
    offenders = [p.relative_to(root).as_posix() for p in root.rglob("*.py")
                 if p.name != "gdal_env.py" and "export" not in p.parts
                 and any(line.strip().startswith(("import pyogrio", "from pyogrio import"))
                         for line in p.read_text(encoding="utf-8").splitlines())]
    assert offenders == []


def test_gml_is_not_read(tmp_path):
    """GML can reach outside the input (schemaLocation, xlink, entities): its driver is not registered."""
    (tmp_path / "secret.txt").write_text(SECRET)
    path = tmp_path / "u.gml"
    path.write_text(f'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY s SYSTEM "file://{tmp_path}/secret.txt">]>'
                    '<ogr:FeatureCollection xmlns:ogr="http://ogr.maptools.org/" xmlns:gml="http://www.opengis.net/gml">'
                    '<gml:featureMember><ogr:u fid="u.0"><ogr:D>&s;</ogr:D></ogr:u></gml:featureMember>'
                    '</ogr:FeatureCollection>')
    with pytest.raises(InputRejected, match="not recognized") as exc:
        ogr.layer_info(path)
    assert SECRET not in str(exc.value) and "/" not in str(exc.value)


def test_without_catalog_or_cpg_a_single_byte_layer_is_told_cp1250_or_iso_8859_2(tmp_path):
    names = ("Šluknov", "Žatec")
    for enc, expected in (("cp1250", "CP1250"), ("iso8859-2", "ISO8859-2")):
        shp = _shapefile(tmp_path / enc, names=names, encoding=enc)
        shp.with_suffix(".cpg").unlink(missing_ok=True)
        info = ogr.layer_info(shp)
        got, _notes = _choose(info, None)
        assert got == expected
        assert [p["NAZEV"] for _i, p, _g in ogr.iter_features(info, encoding=got)] == list(names)
