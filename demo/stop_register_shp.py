"""Demo stop register as a region publishes it: a zipped Shapefile of the Děčín district's poles in
S-JTSK with a .prj, names in a CP1250 DBF and a .cpg that wrongly says UTF-8 (the usual Czech export),
columns named like the official example (CRZ_OZNACN, TARIF_NAZE). Deterministic."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
from shapely.geometry import Point

from demo.archive import zip_folder

SOURCE = "regional-stop-register-shp"
FILE = "zastavky_decinsko_shp.zip"
COLUMNS = {"crz_post": "CRZ_OZNACN", "name": "TARIF_NAZE", "municipality": "OBEC", "district": "OKRES"}


def write_register_shapefile(out_dir: Path, register_rows: list[list[object]], district: str = "DC") -> int:
    """Write the poles of ``district`` from the CSV register's rows (crz, post, name, municipality,
    district, x, y) as a zipped Shapefile; returns the number of poles."""
    rows = [r for r in register_rows if r[4] == district and r[5] != ""]
    gdf = gpd.GeoDataFrame(
        [{"CRZ_OZNACN": int(r[0]) * 100 + int(r[1]), "TARIF_NAZE": str(r[2]), "OBEC": str(r[3]), "OKRES": str(r[4]),
          "geometry": Point(float(r[5]), float(r[6]))} for r in rows],
        geometry="geometry", crs="EPSG:5514")
    tmp = out_dir / "_register_shp"
    tmp.mkdir(parents=True, exist_ok=True)
    pyogrio.write_dataframe(gdf, tmp / "zastavky.shp", encoding="cp1250")
    (tmp / "zastavky.cpg").write_text("UTF-8", encoding="ascii")      # the lie
    zip_folder(tmp, out_dir / FILE)
    return len(rows)


def catalog_entry() -> dict[str, Any]:
    return {"id": SOURCE, "family": "regional", "format": "stop-register", "location": FILE, "crs": "EPSG:5514",
            "encoding": None, "owner": "Ústecký kraj, odbor dopravy – Děčínsko (demo)", "schedule": "0 5 * * 1",
            "description": "Stop poles of the Děčín district as a zipped Shapefile (S-JTSK .prj, CP1250 names under "
                           "a .cpg that says UTF-8), columns mapped in options.columns (demo).",
            "options": {"columns": COLUMNS}}
