"""The release GeoPackage: every gis layer with its field descriptions (export/gpkg.py), made
byte-reproducible. GDAL stamps gpkg_contents.last_change with the wall clock unless the config option
OGR_CURRENT_DATE fixes it; here it is the release date (midnight UTC). Everything else GDAL and SQLite
write follows from the rows and their order (layers by name, rows by their stable ``id``), so the same
rows give the same file; tests/integration/test_release.py builds it twice and compares the bytes."""

from __future__ import annotations

import datetime as dt
import sqlite3
from pathlib import Path
from typing import Any

from transport_etl.export.gpkg import export_gpkg


def write_geopackage(database_url: str, day: dt.date, out: Path, log=print) -> dict[str, Any]:
    """Write the GeoPackage at ``out``; returns rows per layer and how many fields carry a description."""
    import pyogrio

    stamp = f"{day.isoformat()}T00:00:00.000Z"
    pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": stamp})
    try:
        # The owner's connection: a release must not depend on whether the GIS login has a password here.
        result = export_gpkg(out, None, database_url, as_gis_role=False, log=log)
    finally:
        pyogrio.set_gdal_config_options({"OGR_CURRENT_DATE": None})
    with sqlite3.connect(out) as db:
        described = db.execute("SELECT count(*) FROM gpkg_data_columns WHERE description IS NOT NULL").fetchone()[0]
        stamps = {r[0] for r in db.execute("SELECT last_change FROM gpkg_contents")}
    db.close()
    return {"layers": result["layers"], "described_fields": described, "last_change": sorted(stamps)}
