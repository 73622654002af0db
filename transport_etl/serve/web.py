"""The web map's files: web/dist/ (built by `make serve`: `npm ci` and `npm run build` in web/, which
copies MapLibre GL JS from node_modules beside the map's own page, script and style), served at /map.
No CDN and no external basemap: the page loads only this server's files and tiles."""

from __future__ import annotations

from pathlib import Path

from fastapi import FastAPI
from fastapi.responses import PlainTextResponse, RedirectResponse
from starlette.staticfiles import StaticFiles

from transport_etl.project import project_root

NOT_BUILT = ("The web map is not built: run `make serve` (it runs `npm ci` and `npm run build` in web/), "
             "or build it by hand: cd web && npm ci && npm run build\n")


def dist_dir() -> Path:
    """Where the built map lives: web/dist of the project checkout."""
    return project_root() / "web" / "dist"


def is_built(dist: Path | None = None) -> bool:
    dist = dist or dist_dir()
    return (dist / "index.html").is_file() and (dist / "vendor" / "maplibre-gl.mjs").is_file()


def mount(app: FastAPI, dist: Path | None = None) -> None:
    """/map → the map page (and its files), or a one-line note how to build it."""
    dist = dist or dist_dir()

    @app.get("/map", include_in_schema=False)
    async def map_page():
        return RedirectResponse("/map/")

    if is_built(dist):
        app.mount("/map/", StaticFiles(directory=dist, html=True), name="map")
    else:
        @app.get("/map/", include_in_schema=False)
        async def map_not_built():
            return PlainTextResponse(NOT_BUILT, status_code=503)
