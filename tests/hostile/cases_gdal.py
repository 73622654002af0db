"""Hostile inputs of the shared GDAL path (roads.ogr): an OGR VRT posing as a layer file or zip member
and reading a file outside the input, zip members that escape or bomb, CRS and encoding declarations
that lie, a truncated DBF. Built from the demo's own files; the outside file carries the planted token."""

from __future__ import annotations

import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.hostile.damage import SECRET_TOKEN, Case, Demo, rezip, symlink_member

NETWORK, CLOSURES, CENSUS = "road-rsd-network", "road-rsd-closures", "road-rsd-census"
REGISTER_SHP, ALERTC = "regional-stop-register-shp", "road-alertc-location-table"
BOUNDARY, ENCODING, POSITION, FAILURE = "boundary", "encoding", "position", "failure"
# refused before any feature is read, and the reason quotes no local path (no "/")
NOT_A_LAYER = r"^[^/]*cannot read [^/]* as a vector layer: [^/]*not recognized[^/]*$"


def _outside(tmp: Path, srs: str) -> Path:
    """A CSV next to (not inside) the input, each text field the planted token, each row loadable."""
    wkt = ('"LINESTRING (14.03 50.66, 14.04 50.67)"' if srs == "EPSG:4326"
           else '"LINESTRING (-760000 -976000, -760100 -976100)"')
    out = tmp / "outside.csv"
    out.write_text("ROAD_ID,RN,NAZEV,Description,CRZ_OZNACN,TARIF_NAZE,X,Y,WKT\n" + "".join(
        f"9{i:05d},I/13,{SECRET_TOKEN},{SECRET_TOKEN},30101{i:02d},{SECRET_TOKEN},-76000{i},-976000,{wkt}\n"
        for i in range(1, 6)), encoding="utf-8")
    return out


def _vrt(tmp: Path, srs: str = "EPSG:5514") -> bytes:
    return (f'<OGRVRTDataSource><OGRVRTLayer name="outside"><SrcDataSource relativeToVRT="0">{_outside(tmp, srs)}'
            f'</SrcDataSource><GeometryType>wkbLineString</GeometryType><LayerSRS>{srs}</LayerSRS>'
            '<GeometryField encoding="WKT" field="WKT"/></OGRVRTLayer></OGRVRTDataSource>').encode()


def vrt_as(name: str, srs: str = "EPSG:5514", folder: bool = False):
    """A single layer file (or a folder holding it) whose content is an OGR VRT."""
    def build(_demo: Demo, tmp: Path) -> str:
        where = tmp / "input"
        where.mkdir()
        (where / name).write_bytes(_vrt(tmp, srs))
        return str(where if folder else where / name)
    return build


def zip_with(source: str, edits: dict[str, bytes | None] | None = None, extra=None, vrt: str | None = None):
    """The source's demo zip with members replaced/removed/added (a VRT member named ``vrt``)."""
    def build(demo: Demo, tmp: Path) -> str:
        src = demo.path(source)
        more = list(extra or []) + ([(vrt, _vrt(tmp))] if vrt else [])
        (tmp / "input").mkdir()
        return rezip(src, tmp / "input" / src.name, edits, more)
    return build


def _members(demo: Demo, source: str) -> dict[str, bytes]:
    with zipfile.ZipFile(demo.path(source)) as z:
        return {n: z.read(n) for n in z.namelist()}


def vrt_only_zip(source: str, member: str):
    def build(demo: Demo, tmp: Path) -> str:
        (tmp / "input").mkdir()
        out = tmp / "input" / demo.path(source).name
        with zipfile.ZipFile(out, "w") as z:
            z.writestr(member, _vrt(tmp))
        return str(out)
    return build


def network_member(suffix: str, edit: Callable[[bytes, Demo], bytes]) -> Callable[[Demo, Path], str]:
    """The demo network zip with its ``suffix`` member transformed by ``edit(bytes, demo) -> bytes``."""
    def build(demo: Demo, tmp: Path) -> str:
        name = next(n for n in _members(demo, NETWORK) if n.lower().endswith(suffix))
        return zip_with(NETWORK, {name: edit(_members(demo, NETWORK)[name], demo)})(demo, tmp)
    return build


def utf8_network(demo: Demo, tmp: Path) -> str:
    """The demo network rewritten with a UTF-8 DBF and a .cpg saying so (the catalog says CP1250)."""
    import geopandas as gpd
    import pyogrio

    gdf = gpd.read_file("/vsizip/" + str(demo.path(NETWORK)), encoding="cp1250")
    folder = tmp / "shp"
    folder.mkdir()
    pyogrio.write_dataframe(gdf, folder / "silnice.shp", encoding="utf-8")
    (tmp / "input").mkdir()
    out = tmp / "input" / "sit.zip"
    with zipfile.ZipFile(out, "w") as z:
        for p in sorted(folder.iterdir()):
            z.write(p, p.name)
    return str(out)


def truncated_dbf(demo: Demo, tmp: Path) -> str:
    name = next(n for n in _members(demo, REGISTER_SHP) if n.lower().endswith(".dbf"))
    data = _members(demo, REGISTER_SHP)[name]
    return zip_with(REGISTER_SHP, {name: data[:1500]})(demo, tmp)  # header and a few records, cut mid-record


def _zeros(n: int) -> bytes:
    return bytes(n)


def symlink_in(source: str, member: str, drop_suffix: str | None = None):
    def build(demo: Demo, tmp: Path) -> str:
        edits = {n: None for n in _members(demo, source) if drop_suffix and n.lower().endswith(drop_suffix)}
        return zip_with(source, edits, [symlink_member(member, str(demo.secret))])(demo, tmp)
    return build


def dup_member(source: str, suffix: str):
    def build(demo: Demo, tmp: Path) -> str:
        name, data = next((n, b) for n, b in _members(demo, source).items() if n.lower().endswith(suffix))
        return zip_with(source, extra=[(name, data)])(demo, tmp)
    return build


GDAL_CASES: list[Case] = [
    # -- an OGR VRT posing as a layer: GDAL must never read the file it names -------------------------
    Case("closures_geojson_is_vrt", BOUNDARY, CLOSURES, vrt_as("uzavirky.geojson", "EPSG:4326"), "rejected",
         NOT_A_LAYER, cli=True),
    Case("network_zip_vrt_member", BOUNDARY, NETWORK, vrt_only_zip(NETWORK, "silnice.vrt"), "rejected", NOT_A_LAYER),
    Case("network_folder_json_is_vrt", BOUNDARY, NETWORK, vrt_as("silnice.json", folder=True), "rejected",
         NOT_A_LAYER),
    Case("network_zip_vrt_beside_shapefile", BOUNDARY, NETWORK, zip_with(NETWORK, vrt="a_outside.vrt"), "loaded"),
    Case("register_shp_zip_vrt_member", BOUNDARY, REGISTER_SHP, vrt_only_zip(REGISTER_SHP, "zastavky.vrt"),
         "rejected", NOT_A_LAYER, cli=True),
    Case("census_geojson_is_vrt", BOUNDARY, CENSUS, vrt_as("csd.geojson"), "rejected", NOT_A_LAYER),
    # -- zips on the GDAL path pass the shared archive check ----------------------------------------------
    Case("network_zip_symlink_prj", BOUNDARY, NETWORK, symlink_in(NETWORK, "silnice.prj", ".prj"), "rejected",
         r"member silnice\.prj is a symbolic link"),
    Case("network_zip_dotdot_member", BOUNDARY, NETWORK, zip_with(NETWORK, extra=[("../silnice2.dbf", b"x")]),
         "rejected", r"points outside the archive"),
    Case("network_zip_duplicate_dbf", BOUNDARY, NETWORK, dup_member(NETWORK, ".dbf"), "rejected",
         r"duplicate member silnice\.dbf"),
    Case("network_zip_too_many_members", BOUNDARY, NETWORK,
         zip_with(NETWORK, extra=[(f"junk/{i}.txt", b"") for i in range(8)]), "rejected",
         r"members, above the limit 10", options={"max_members": 10}),
    Case("network_zip_ratio_bomb", BOUNDARY, NETWORK, zip_with(NETWORK, extra=[("pad.dbf", _zeros(3 << 20))]),
         "rejected", r"possible zip bomb"),
    Case("register_shp_zip_symlink_member", BOUNDARY, REGISTER_SHP, symlink_in(REGISTER_SHP, "zastavky.cpg"),
         "rejected", r"is a symbolic link", cli=True),
    Case("alertc_zip_symlink_names", BOUNDARY, ALERTC, symlink_in(ALERTC, "NAMES.DAT", "names.dat"), "rejected",
         r"member NAMES\.DAT is a symbolic link"),
    Case("alertc_zip_dotdot_member", BOUNDARY, ALERTC, zip_with(ALERTC, extra=[("../evil.DAT", b"x")]), "rejected",
         r"points outside the archive"),
    # -- CRS and encoding declarations ----------------------------------------------------------------------
    Case("network_prj_local_cs", POSITION, NETWORK,
         network_member(".prj", lambda _b, _d: b'LOCAL_CS["arbitrary",UNIT["metre",1]]'), "rejected",
         r"cannot be converted to EPSG:5514", cli=True),
    Case("network_prj_garbage", POSITION, NETWORK, network_member(".prj", lambda _b, _d: b"not a projection \xff"),
         "loaded", notice=("crs_unreadable", "rsd_silnicni_sit_ustecky.zip", None)),
    Case("network_utf8_dbf_with_cpg", ENCODING, NETWORK, utf8_network, "loaded",
         notice=("encoding_from_cpg", None, None)),
    # -- a damaged DBF is refused in one line, not an internal error ----------------------------------------
    Case("register_shp_truncated_dbf", FAILURE, REGISTER_SHP, truncated_dbf, "rejected",
         r"zastavky_decinsko_shp\.zip: cannot read the features after feature \d+", cli=True),
]
