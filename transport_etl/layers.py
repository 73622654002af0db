"""The gis layers for analysts in Python: ``read_layer("stop_place", bbox=…)`` returns a GeoDataFrame
through SQLAlchemy + geopandas on the read-only GIS connection (role gis_analyst)."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any

import psycopg

from transport_etl.db.connection import database_url
from transport_etl.db.gis_access import gis_url
from transport_etl.errors import ConfigError

if TYPE_CHECKING:
    import geopandas
    import pandas
    import sqlalchemy

# Columns of these types do not survive GeoPackage / pandas round trips as such: sent as text.
_AS_TEXT = ("ARRAY", "jsonb", "json", "interval", "xml", "tsrange", "tstzrange", "daterange")


def engine(url: str | None = None, *, as_gis_role: bool = True) -> sqlalchemy.engine.Engine:
    """A SQLAlchemy engine (psycopg 3) on the GIS role's connection, or on ``url`` itself."""
    from sqlalchemy import create_engine

    conninfo = gis_url(database_url(url)) if as_gis_role else database_url(url)
    # `creator` lets libpq read any conninfo form (URL, key=value, unix socket) unchanged.
    return create_engine("postgresql+psycopg://", creator=lambda: psycopg.connect(conninfo),
                         pool_pre_ping=True)


def layer_columns(conn, name: str) -> list[tuple[str, str, int]]:
    """(column, type, srid or 0) of gis layer ``name``; ConfigError naming the known layers if unknown."""
    rows = conn.execute(
        """SELECT a.attname, CASE WHEN t.typcategory = 'A' THEN 'ARRAY' ELSE format_type(a.atttypid, NULL) END,
                  coalesce(postgis_typmod_srid(a.atttypmod) * (a.atttypid = 'geometry'::regtype)::int, 0)
           FROM pg_attribute a JOIN pg_type t ON t.oid = a.atttypid
           WHERE a.attrelid = to_regclass(format('gis.%%I', %s::text)) AND a.attnum > 0 AND NOT a.attisdropped
           ORDER BY a.attnum""", (name,)).fetchall()
    if not rows:
        known = ", ".join(list_layers(conn))
        raise ConfigError(f"no gis layer {name!r}; layers: {known}")
    return [(r[0], r[1], int(r[2])) for r in rows]


def list_layers(conn) -> list[str]:
    """Names of the gis layers (views of schema gis)."""
    return [r[0] for r in conn.execute(
        "SELECT table_name FROM information_schema.views WHERE table_schema = 'gis' ORDER BY 1").fetchall()]


def layer_query(conn, name: str, bbox: Sequence[float] | None = None, region: Any = None,
                bbox_crs: int = 4326) -> tuple[str, dict, str | None]:
    """SQL (SQLAlchemy text, :name parameters) selecting gis layer ``name`` (arrays and JSON as text), its
    parameters and its geometry column."""
    cols = layer_columns(conn, name)
    geom = next((c for c, _t, srid in cols if srid or _t == "geometry"), None)
    select = ", ".join(f'"{c}"::text AS "{c}"' if t.startswith(_AS_TEXT) else f'"{c}"' for c, t, _s in cols)
    srid = next((s for c, _t, s in cols if c == geom), 0)
    where, params = [], {}
    if bbox is not None:
        if geom is None:
            raise ConfigError(f"gis.{name} has no geometry: bbox does not apply")
        minx, miny, maxx, maxy = (float(v) for v in bbox)
        params.update(minx=minx, miny=miny, maxx=maxx, maxy=maxy, bbox_crs=bbox_crs, srid=srid)
        where.append(f'"{geom}" && ST_Transform(ST_MakeEnvelope(:minx, :miny, :maxx, :maxy, :bbox_crs), :srid)')
    if region is not None:
        where.append(_region_filter(name, cols, geom, srid, region, params))
    sql = f'SELECT {select} FROM gis."{name}"' + (" WHERE " + " AND ".join(where) if where else "")
    names = [c for c, _t, _s in cols]
    if "id" in names:
        sql += ' ORDER BY "id"'
    return sql, params, geom


def _region_filter(name: str, cols, geom: str | None, srid: int, region: Any, params: dict) -> str:
    """A region is a municipality name (layers with a municipality column), or a shapely geometry /
    GeoSeries / GeoDataFrame (its CRS; plain shapely geometries are taken as EPSG:4326)."""
    if isinstance(region, str):
        if "municipality" not in [c for c, _t, _s in cols]:
            raise ConfigError(f"gis.{name} has no municipality column: pass the region as a geometry")
        params["municipality"] = region
        return "municipality = :municipality"
    if geom is None:
        raise ConfigError(f"gis.{name} has no geometry: a region geometry does not apply")
    region_srid = 4326
    if hasattr(region, "union_all"):  # GeoSeries / GeoDataFrame
        region_srid = region.crs.to_epsg() if region.crs is not None else 4326
        region = region.union_all()
    params.update(region_wkb=region.wkb, region_srid=region_srid, srid=srid)
    return f'ST_Intersects("{geom}", ST_Transform(ST_GeomFromWKB(:region_wkb, :region_srid), :srid))'


def read_layer(name: str, bbox: Sequence[float] | None = None, region: Any = None, *, bbox_crs: int = 4326,
               url: str | None = None, as_gis_role: bool = True) -> geopandas.GeoDataFrame | pandas.DataFrame:
    """Gis layer ``name`` (e.g. "stop_place", "road_event_line_5514") as a GeoDataFrame with its CRS,
    indexed by nothing and keyed by ``id``; layers without geometry come back as a DataFrame.

    ``bbox`` = (min x, min y, max x, max y) in ``bbox_crs`` (default lon/lat); ``region`` = a municipality
    name or a geometry (see ``_region_filter``). Reads as gis_analyst unless ``as_gis_role=False``.
    """
    import geopandas
    import pandas
    from sqlalchemy import text

    eng = engine(url, as_gis_role=as_gis_role)
    try:
        with eng.connect() as sa_conn:
            raw = sa_conn.connection.driver_connection  # the psycopg connection behind SQLAlchemy
            sql, params, geom = layer_query(raw, name, bbox, region, bbox_crs)
            if geom is None:
                return pandas.read_sql_query(text(sql), sa_conn, params=params)
            return geopandas.read_postgis(text(sql), sa_conn, geom_col=geom, params=params)
    finally:
        eng.dispose()


def iter_layer(name: str, chunksize: int = 50_000, *, url: str | None = None, as_gis_role: bool = True,
               sa_engine: sqlalchemy.engine.Engine | None = None,
               ) -> Iterator[geopandas.GeoDataFrame | pandas.DataFrame]:
    """Gis layer ``name`` in chunks of ``chunksize`` rows (memory stays bounded for big layers); an empty
    layer yields one empty frame."""
    import geopandas
    import pandas
    from sqlalchemy import text

    eng = sa_engine or engine(url, as_gis_role=as_gis_role)
    try:
        with eng.connect().execution_options(stream_results=True) as sa_conn:
            raw = sa_conn.connection.driver_connection
            sql, _params, geom = layer_query(raw, name)
            sql = text(sql)
            if geom is None:
                chunks = pandas.read_sql_query(sql, sa_conn, chunksize=chunksize)
            else:
                chunks = geopandas.read_postgis(sql, sa_conn, geom_col=geom, chunksize=chunksize)
            empty = True
            for chunk in chunks:
                if len(chunk):
                    empty = False
                    yield chunk
            if empty:  # typed columns even without rows
                yield _empty_frame(raw, name, geom)
    finally:
        if sa_engine is None:
            eng.dispose()


def _empty_frame(conn, name: str, geom: str | None):
    """An empty frame with the layer's columns and numeric/time dtypes (so an export keeps field types)."""
    import geopandas
    import pandas

    kinds = {"bigint": "int64", "integer": "int32", "smallint": "int16", "double precision": "float64",
             "real": "float32", "numeric": "float64", "boolean": "bool", "date": "datetime64[ns]",
             "timestamp with time zone": "datetime64[ns, UTC]", "timestamp without time zone": "datetime64[ns]"}
    cols = {c: pandas.Series(dtype=kinds.get(t, "object")) for c, t, _s in layer_columns(conn, name) if c != geom}
    frame = pandas.DataFrame(cols)
    if geom is None:
        return frame
    return geopandas.GeoDataFrame(frame, geometry=geopandas.GeoSeries([], name=geom), crs=None)
