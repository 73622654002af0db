"""`transport-etl export gpkg OUT.gpkg`: every gis layer in one GeoPackage for offline use, with the
layer and field descriptions of the database (GeoPackage schema extension: gpkg_data_columns).

Layers stream in chunks from the GIS role's connection (geopandas / SQLAlchemy) into GDAL's GPKG driver
(pyogrio); descriptions are then written to the GeoPackage's own metadata tables with sqlite3.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import psycopg

from transport_etl.db.connection import database_url
from transport_etl.db.gis_access import gis_url
from transport_etl.layers import engine, iter_layer, list_layers

# GeoPackage 1.3 §F.9 "Schema" extension (table definition as in the specification).
_DATA_COLUMNS_DDL = """CREATE TABLE IF NOT EXISTS gpkg_data_columns (
    table_name TEXT NOT NULL, column_name TEXT NOT NULL, name TEXT, title TEXT, description TEXT,
    mime_type TEXT, constraint_name TEXT,
    CONSTRAINT pk_gdc PRIMARY KEY (table_name, column_name))"""
_CONSTRAINTS_DDL = """CREATE TABLE IF NOT EXISTS gpkg_data_column_constraints (
    constraint_name TEXT NOT NULL, constraint_type TEXT NOT NULL, value TEXT, min NUMERIC,
    min_is_inclusive BOOLEAN, max NUMERIC, max_is_inclusive BOOLEAN, description TEXT,
    CONSTRAINT gdcc_ntv UNIQUE (constraint_name, constraint_type, value))"""
_EXTENSIONS_DDL = """CREATE TABLE IF NOT EXISTS gpkg_extensions (
    table_name TEXT, column_name TEXT, extension_name TEXT NOT NULL, definition TEXT NOT NULL, scope TEXT NOT NULL,
    CONSTRAINT ge_tce UNIQUE (table_name, column_name, extension_name))"""
_SCHEMA_EXTENSION = "http://www.geopackage.org/spec/#extension_schema"


def _descriptions(conn: psycopg.Connection, layer: str) -> tuple[str | None, dict[str, str]]:
    table = conn.execute("SELECT obj_description(to_regclass(format('gis.%%I', %s::text)), 'pg_class')",
                         (layer,)).fetchone()[0]
    cols = dict(conn.execute(
        """SELECT a.attname, col_description(a.attrelid, a.attnum) FROM pg_attribute a
           WHERE a.attrelid = to_regclass(format('gis.%%I', %s::text)) AND a.attnum > 0 AND NOT a.attisdropped
             AND col_description(a.attrelid, a.attnum) IS NOT NULL""", (layer,)).fetchall())
    return table, cols


def _geometry(conn: psycopg.Connection, layer: str) -> tuple[str | None, int | None]:
    row = conn.execute("SELECT type, srid FROM geometry_columns WHERE f_table_schema = 'gis' AND f_table_name = %s",
                       (layer,)).fetchone()
    return (row[0], row[1]) if row else (None, None)


_GDAL_TYPES = {"POINT": "Point", "MULTIPOINT": "MultiPoint", "LINESTRING": "LineString",
               "MULTILINESTRING": "MultiLineString", "POLYGON": "Polygon", "MULTIPOLYGON": "MultiPolygon"}


def export_gpkg(out: Path, layers: list[str] | None = None, url: str | None = None, *, as_gis_role: bool = True,
                chunksize: int = 50_000, log=print) -> dict:
    """Write every gis layer (or ``layers``) to the GeoPackage ``out`` (replaced); returns rows per layer."""
    import pyogrio

    out = Path(out)
    out.unlink(missing_ok=True)
    # One file written start to finish: no fsync per layer (a crash leaves a file to delete anyway).
    pyogrio.set_gdal_config_options({"OGR_SQLITE_SYNCHRONOUS": "OFF"})
    conninfo = gis_url(database_url(url)) if as_gis_role else database_url(url)
    written: dict[str, int] = {}
    meta: dict[str, tuple[str | None, dict[str, str]]] = {}
    sa_engine = engine(url, as_gis_role=as_gis_role)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        # Provenance (gis.lineage) has a row per source record: ask for it by name, it is not a map layer.
        names = layers or [n for n in list_layers(conn) if n != "lineage"]
        for name in names:
            meta[name] = _descriptions(conn, name)
            gtype, srid = _geometry(conn, name)
            n = 0
            for chunk in iter_layer(name, chunksize, sa_engine=sa_engine):
                kwargs: dict = {"layer": name, "driver": "GPKG", "append": n > 0}
                if not out.exists():  # 1.2: readable by the GDAL of older QGIS and Debian releases too
                    kwargs["dataset_options"] = {"VERSION": "1.2"}
                if gtype is not None:
                    kwargs.update(geometry_type=_GDAL_TYPES.get(gtype.upper(), "Unknown"), promote_to_multi=False)
                    chunk = chunk.set_crs(srid, allow_override=True)  # an empty layer has no CRS of its own
                if "id" in chunk.columns and len(chunk):  # (GDAL refuses an id field of an empty frame as FID)
                    kwargs["layer_options"] = {"FID": "id"}  # the layer's stable key becomes the feature id
                pyogrio.write_dataframe(_portable(chunk), out, **kwargs)
                n += len(chunk)
            written[name] = n
    sa_engine.dispose()
    _write_descriptions(out, meta)
    log(f"wrote {len(written)} layers, {sum(written.values()):,} rows to {out}")
    return {"gpkg": str(out), "layers": written}


def _portable(frame):
    """Values GDAL can write: exact decimals as floats, dates and times as they are."""
    import decimal

    for col in frame.columns:
        if frame[col].dtype == object:
            sample = frame[col].dropna().head(1).tolist()
            if sample and isinstance(sample[0], decimal.Decimal):
                frame[col] = frame[col].astype(float)
    return frame


def _write_descriptions(out: Path, meta: dict[str, tuple[str | None, dict[str, str]]]) -> None:
    with sqlite3.connect(out) as db:
        db.execute(_EXTENSIONS_DDL)
        db.execute(_DATA_COLUMNS_DDL)
        db.execute(_CONSTRAINTS_DDL)
        for table in ("gpkg_data_columns", "gpkg_data_column_constraints"):
            db.execute("INSERT OR IGNORE INTO gpkg_extensions (table_name, column_name, extension_name, definition, "
                       "scope) SELECT ?, NULL, 'gpkg_schema', ?, 'read-write' WHERE NOT EXISTS (SELECT 1 FROM "
                       "gpkg_extensions WHERE table_name = ? AND extension_name = 'gpkg_schema')",
                       (table, _SCHEMA_EXTENSION, table))
        for layer, (table_text, cols) in meta.items():
            if table_text:
                db.execute("UPDATE gpkg_contents SET description = ? WHERE table_name = ?", (table_text, layer))
            present = {r[1] for r in db.execute(f'PRAGMA table_info("{layer}")')}
            db.executemany(
                "INSERT OR REPLACE INTO gpkg_data_columns (table_name, column_name, name, description) "
                "VALUES (?, ?, ?, ?)",
                [(layer, col, col, text) for col, text in cols.items() if col in present])
