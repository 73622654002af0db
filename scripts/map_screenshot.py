"""The web map in headless Chromium (Debian package, over the DevTools protocol): load /map, wait until
the tiles have rendered, optionally click a point (e.g. the demo closure) and read the popup, save a
screenshot.

    .venv/bin/python scripts/map_screenshot.py --out docs/img/map.png          # starts `transport-etl serve`
    .venv/bin/python scripts/map_screenshot.py --url http://127.0.0.1:8000 --out map.png   # `make serve` running

Without --click it clicks the longest current road closure of the database (the demo's I/13 closure).
Uses the remembered database (`make demo`); `make map-screenshot` writes docs/img/map.png for the README.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from ui_screenshots import Page, chromium_page, free_port, stop, wait_http  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
# WebGL without a GPU: SwiftShader, which Chromium only allows when asked
WEBGL_FLAGS = ("--use-angle=swiftshader", "--enable-unsafe-swiftshader")


@contextmanager
def map_server(env: dict[str, str] | None = None, timeout: float = 60):
    """`transport-etl serve` on a free loopback port; yields its base URL."""
    port = free_port()
    exe = Path(sys.executable).parent / "transport-etl"
    cmd = [str(exe)] if exe.exists() else [sys.executable, "-m", "transport_etl.cli"]
    proc = subprocess.Popen([*cmd, "serve", "--host", "127.0.0.1", "--port", str(port)], cwd=ROOT,
                            env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        try:
            wait_http(f"http://127.0.0.1:{port}/healthz", timeout)
        except TimeoutError:
            proc.kill()
            raise RuntimeError("transport-etl serve did not start: " + proc.stderr.read().decode()[-2000:]) from None
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc, 15)


async def _until(page: Page, expression: str, timeout: float) -> object:
    deadline = time.monotonic() + timeout
    while True:
        r = await page.call("Runtime.evaluate", expression=expression, returnByValue=True)
        value = r.get("result", {}).get("value")
        if value:
            return value
        if time.monotonic() > deadline:
            raise TimeoutError(f"page: {expression} still false after {timeout:.0f} s")
        await asyncio.sleep(0.25)


async def _session(base_url: str, out: Path, click: tuple[float, float] | None, valid_on: str | None,
                   timeout: float) -> dict:
    result: dict = {}
    async with chromium_page(1280, 800, prefix="tetl-map-chromium-", extra_flags=WEBGL_FLAGS) as page:
        started = time.monotonic()
        await page.call("Page.navigate", url=f"{base_url}/map/")
        # settled: the style and every visible tile rendered, after the fit to the data's extent
        settled = "window.tetlMap && tetlMap.map.loaded() && tetlMap.map.areTilesLoaded() && tetlMap.idle"
        await _until(page, settled, timeout)
        await asyncio.sleep(0.5)
        await _until(page, settled, timeout)
        result["load_s"] = round(time.monotonic() - started, 2)
        if valid_on:  # through the page's own date control, as a user would
            await page.call("Runtime.evaluate", expression=(
                f"tetlMap.idle = false; document.getElementById('valid_on').value = '{valid_on}';"
                " document.getElementById('asof').requestSubmit();"))
            await _until(page, settled, timeout)
        result["rendered"] = await _until(page, "JSON.stringify(tetlMap.map.queryRenderedFeatures().reduce("
                                                "(n, f) => (n[f.layer.id] = (n[f.layer.id] || 0) + 1, n), {}))",
                                          timeout)
        if click is not None:
            xy = await _until(page, f"JSON.stringify(tetlMap.map.project([{click[0]}, {click[1]}]))", timeout)
            point = json.loads(xy)
            for kind in ("mousePressed", "mouseReleased"):  # a real click, through MapLibre's handlers
                await page.call("Input.dispatchMouseEvent", type=kind, x=point["x"], y=point["y"],
                                button="left", clickCount=1)
            result["popup"] = await _until(
                page, "(() => { const p = document.querySelector('.maplibregl-popup-content');"
                      " return p && p.querySelector('#affected-lines') ? p.innerText : ''; })()", timeout)
            result["affected_lines"] = json.loads(await _until(
                page, "JSON.stringify([...document.querySelectorAll('#affected-lines li')]"
                      ".map(li => li.dataset.line))", timeout))
            await asyncio.sleep(0.3)
        shot = await page.call("Page.captureScreenshot", format="png")
        out.parent.mkdir(parents=True, exist_ok=True)
        out.write_bytes(base64.b64decode(shot["data"]))
    return result


def map_session(base_url: str, out: Path, click: tuple[float, float] | None = None, valid_on: str | None = None,
                timeout: float = 30) -> dict:
    """Load the map at ``base_url``, show the network valid on ``valid_on`` (default: today), click ``click``
    (lon, lat) if given, screenshot into ``out``; returns load_s (seconds until first rendered), rendered
    (features per map layer), popup (its text) and affected_lines (line codes the popup lists)."""
    return asyncio.run(_session(base_url.rstrip("/"), out, click, valid_on, timeout))


def closure_point(conninfo: str) -> tuple[float, float] | None:
    """The middle (lon, lat) of the longest current located road closure."""
    import psycopg

    with psycopg.connect(conninfo) as conn:
        row = conn.execute(
            """SELECT ST_X(p), ST_Y(p) FROM (
                   SELECT ST_Transform(ST_LineInterpolatePoint(ST_LineMerge(geom), 0.5), 4326) AS p
                   FROM unified.road_event WHERE recorded_to IS NULL AND event_type = 'closure'
                     AND GeometryType(geom) = 'LINESTRING'
                     AND now() BETWEEN coalesce(starts_at, '-infinity') AND coalesce(ends_at, 'infinity')
                   ORDER BY ST_Length(geom) DESC, id LIMIT 1) t""").fetchone()
    return (row[0], row[1]) if row else None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="a running `transport-etl serve` (default: start one on a free port)")
    p.add_argument("--out", default="docs/img/map.png")
    p.add_argument("--click", nargs=2, type=float, metavar=("LON", "LAT"), help="default: the longest closure")
    args = p.parse_args(argv)
    from transport_etl.db.connection import database_url

    click = tuple(args.click) if args.click else closure_point(database_url())
    out = Path(args.out)
    if args.url:
        result = map_session(args.url, out, click)
    else:
        with map_server() as url:
            result = map_session(url, out, click)
    print(out)
    print(f"map rendered in {result['load_s']} s: {result['rendered']}")
    if click:
        print(f"clicked {click}: affected lines {result.get('affected_lines')}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
