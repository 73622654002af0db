"""The app factory: tipg's OGC API – Features and Tiles over every gis layer and the map's as-of
functions, read as the GIS role (gis_analyst, read-only) from the read URL, plus the web map (/map)
and its JSON API (/map/api). Nothing here writes to the database."""

from __future__ import annotations

from contextlib import asynccontextmanager
from typing import Any

import asyncpg
import jinja2
import tipg.collections
import tipg.factory
from fastapi import FastAPI, Response
from psycopg.conninfo import conninfo_to_dict
from starlette.middleware.cors import CORSMiddleware
from starlette.middleware.gzip import GZipMiddleware
from starlette.templating import Jinja2Templates
from tipg.collections import register_collection_catalog
from tipg.database import connection_factory
from tipg.errors import DEFAULT_STATUS_CODES, add_exception_handlers
from tipg.factory import Endpoints
from tipg.settings import DatabaseSettings

from transport_etl.db.connection import read_url
from transport_etl.db.gis_access import gis_url
from transport_etl.export.service_alerts import service_alerts_feed
from transport_etl.serve import api, web

# The web map's layers as of a date and a moment (schemas/820_gis_map_asof.sql); the other gis
# functions (affected_services, row_lineage, …) answer the map's JSON API, not OGC collections.
MAP_FUNCTIONS = ["gis.map_stop_asof", "gis.map_line_asof", "gis.map_link_asof", "gis.map_road_event_asof"]
TITLE = "transport_etl: OGC API – Features and Tiles of the Ústecký kraj transport model"

# Tiles name their layer after the table (`stop_place`), not "default": a client can tell them apart.
tipg.collections.mvt_settings.set_mvt_layername = True
tipg.factory.mvt_settings.set_mvt_layername = True


def server_url(url: str | None = None) -> str:
    """The connection the server reads with: the GIS role on the read URL ($TRANSPORT_ETL_READ_URL, a
    standby where there is one, else the primary); $TRANSPORT_ETL_GIS_URL overrides it."""
    return gis_url(read_url(url))


def pool_arguments(conninfo: str) -> dict[str, Any]:
    """asyncpg keywords for a libpq conninfo (URL or key=value, TCP or unix socket)."""
    params = conninfo_to_dict(conninfo)
    names = {"host": "host", "port": "port", "user": "user", "password": "password", "dbname": "database"}
    args: dict[str, Any] = {ours: params[libpq] for libpq, ours in names.items() if params.get(libpq)}
    if "port" in args:
        args["port"] = int(args["port"])
    return args


def database_settings() -> DatabaseSettings:
    """Every view of schema gis (also those without geometry: OGC API – Features serves them as plain
    records) and the map's as-of functions. Extents are computed from the geometry on each catalogue
    refresh; date extents are not (they would scan every dated view)."""
    return DatabaseSettings(schemas=["gis"], functions=MAP_FUNCTIONS, only_spatial_tables=False,
                            datetime_extent=False, spatial_extent=True)


def create_app(url: str | None = None) -> FastAPI:
    """The ASGI app; ``url`` is the database (default: the read URL), read as the GIS role."""
    conninfo = server_url(url)
    settings = database_settings()

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        # tipg's catalogue functions go to pg_temp: the GIS role may not create anything elsewhere.
        app.state.pool = await asyncpg.create_pool(
            **pool_arguments(conninfo), min_size=1, max_size=8,
            init=connection_factory(settings.schemas, settings.tipg_schema),
            server_settings={"application_name": "transport_etl serve"})
        try:
            await register_collection_catalog(app, db_settings=settings)
            yield
        finally:
            await app.state.pool.close()

    app = FastAPI(title=TITLE, openapi_url="/api", docs_url="/api.html", lifespan=lifespan)
    templates = Jinja2Templates(env=jinja2.Environment(loader=jinja2.PackageLoader("tipg", "templates")))
    # No tiles viewer: tipg's loads its scripts from a CDN; the project's own map is /map.
    ogc = Endpoints(title=TITLE, templates=templates, with_tiles_viewer=False)
    app.include_router(ogc.router)
    add_exception_handlers(app, DEFAULT_STATUS_CODES)
    # open data: any web page may read the features and tiles (read-only GET), compressed on the wire
    app.add_middleware(CORSMiddleware, allow_origins=["*"], allow_methods=["GET"], allow_headers=["*"])
    app.add_middleware(GZipMiddleware, minimum_size=1024)
    app.include_router(api.router, prefix="/map/api")
    web.mount(app)
    # GTFS-Realtime ServiceAlerts: the same bytes the Dagster asset writes, built on request from gis/unified
    # (readable by the GIS role). A sync def: FastAPI runs it in a thread (psycopg is blocking).
    @app.get("/gtfs-rt/alerts.pb", tags=["GTFS-Realtime"])
    def service_alerts() -> Response:
        return Response(service_alerts_feed(conninfo), media_type="application/x-protobuf")

    @app.get("/healthz", include_in_schema=False)
    async def healthz() -> dict[str, str]:
        return {"status": "ok"}

    return app
