"""Screenshots of the Dagster UI as an operator sees it: the asset graph, one source's overview and the
automation page, taken by Debian's headless Chromium over the DevTools protocol (CDP).

    .venv/bin/python scripts/ui_screenshots.py --out ui_screenshots             # starts its own webserver
    .venv/bin/python scripts/ui_screenshots.py --url http://127.0.0.1:3000 --out shots   # `make dev` running

Writes <name>.png and <name>.txt (the page's visible text) per page and prints their paths. Needs
`chromium` (`make browser` installs it); uses the demo's Dagster instance (DAGSTER_HOME) and database.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import json
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from contextlib import asynccontextmanager, contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
# (file name, path in the UI, pattern of the text once the page has rendered its data)
PAGES = [
    ("asset_graph", "/asset-groups", r"municipal(?![\s\S]*fetching statuses)"),
    ("source_overview", "/assets/{source_key}", r"Row count\s+\d"),
    ("automation", "/automation", r"harmonise_when_sources_change"),
]


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_http(url: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url, timeout=3):
                return
        except OSError:
            time.sleep(0.5)
    raise TimeoutError(f"{url} did not answer within {timeout:.0f} s")


def stop(proc: subprocess.Popen, grace: float) -> None:
    """Ask a child process to end; kill it when it has not within ``grace`` seconds."""
    proc.terminate()
    try:
        proc.wait(grace)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextmanager
def webserver(env: dict[str, str] | None = None, timeout: float = 90):
    """dagster-webserver for workspace.yaml on a free loopback port; yields its base URL."""
    port = free_port()
    web = Path(sys.executable).parent / "dagster-webserver"
    proc = subprocess.Popen([str(web), "-w", str(ROOT / "workspace.yaml"), "-h", "127.0.0.1", "-p", str(port)],
                            cwd=ROOT, env={**os.environ, **(env or {})}, stdout=subprocess.DEVNULL,
                            stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/server_info", timeout)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop(proc, 20)


class Page:
    """One Chromium tab driven over CDP (JSON messages on its websocket)."""

    def __init__(self, ws):
        self.ws, self.next_id = ws, 0

    async def call(self, method: str, **params):
        self.next_id += 1
        my_id = self.next_id
        await self.ws.send(json.dumps({"id": my_id, "method": method, "params": params}))
        while True:
            msg = json.loads(await self.ws.recv())
            if msg.get("id") == my_id:
                if "error" in msg:
                    raise RuntimeError(f"{method}: {msg['error']}")
                return msg.get("result", {})

    async def dismiss_welcome(self) -> bool:
        """Close Dagster's one-time "Join the Dagster community" dialog (shown to every new browser profile, so
        to each throw-away one here) with its own Skip button; True if it was open."""
        r = await self.call("Runtime.evaluate", returnByValue=True, expression=(
            "(() => { const d = document.querySelector('[role=dialog]');"
            " if (!d || !/Dagster community/.test(d.innerText)) return false;"
            " const b = [...d.querySelectorAll('button')].find(x => x.innerText.trim() === 'Skip');"
            " if (b) b.click(); return !!b; })()"))
        return bool(r.get("result", {}).get("value"))

    async def text(self) -> str:
        r = await self.call("Runtime.evaluate", expression="document.body ? document.body.innerText : ''",
                            returnByValue=True)
        return r.get("result", {}).get("value") or ""


# Headless Chromium as the machine allows it (root, no GPU, closed network: no background connections).
CHROMIUM_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                  "--disable-component-update", "--disable-sync", "--no-first-run", "--hide-scrollbars"]


@asynccontextmanager
async def chromium_page(width: int, height: int, prefix: str = "tetl-chromium-", extra_flags: tuple[str, ...] = ()):
    """A page of a throw-away headless Chromium driven over the DevTools protocol (websockets), sized
    ``width`` × ``height``; Chromium and its profile are gone afterwards."""
    import websockets

    chromium = shutil.which("chromium") or shutil.which("chromium-browser")
    if chromium is None:
        raise FileNotFoundError("chromium is not installed (make browser)")
    profile = tempfile.mkdtemp(prefix=prefix)
    port = free_port()
    proc = subprocess.Popen([chromium, *CHROMIUM_FLAGS, *extra_flags, f"--remote-debugging-port={port}",
                             f"--user-data-dir={profile}", f"--window-size={width},{height}", "about:blank"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_http(f"http://127.0.0.1:{port}/json/version", 30)
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/json/list", timeout=5) as resp:
            target = next(t for t in json.load(resp) if t["type"] == "page")
        async with websockets.connect(target["webSocketDebuggerUrl"], max_size=64 * 2**20) as ws:
            page = Page(ws)
            await page.call("Page.enable")
            await page.call("Emulation.setDeviceMetricsOverride", width=width, height=height, deviceScaleFactor=1,
                            mobile=False)
            yield page
    finally:
        stop(proc, 10)
        shutil.rmtree(profile, ignore_errors=True)


async def _shoot(base_url: str, out: Path, source_key: str, timeout: float) -> dict[str, str]:
    texts: dict[str, str] = {}
    async with chromium_page(1440, 900) as page:
        for name, path, marker in PAGES:
            started = time.monotonic()
            await page.call("Page.navigate", url=base_url + path.format(source_key=source_key))
            deadline, text = time.monotonic() + timeout, ""
            while time.monotonic() < deadline:
                text = await page.text()
                if re.search(marker, text):
                    break
                await asyncio.sleep(0.5)
            await asyncio.sleep(1.0)  # let charts and the graph layout settle
            if await page.dismiss_welcome():
                await asyncio.sleep(0.5)
            text = await page.text()
            shot = await page.call("Page.captureScreenshot", format="png")
            (out / f"{name}.png").write_bytes(base64.b64decode(shot["data"]))
            (out / f"{name}.txt").write_text(text, encoding="utf-8")
            texts[name] = text
            print(f"{name}: {time.monotonic() - started:.1f} s", file=sys.stderr)
    return texts


def screenshots(base_url: str, out: Path, source_key: str = "municipal/municipal_dpmul_gtfs",
                timeout: float = 30) -> dict[str, str]:
    """Screenshot every page of PAGES into ``out``; returns page name → visible text."""
    out.mkdir(parents=True, exist_ok=True)
    return asyncio.run(_shoot(base_url.rstrip("/"), out, source_key, timeout))


def row_count_shown(overview_text: str) -> int | None:
    """The "Row count" the overview shows for the latest materialisation."""
    m = re.search(r"Row count\s+([\d,\u00a0 ]+)", overview_text)
    return int(re.sub(r"\D", "", m.group(1))) if m else None


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", help="a running Dagster UI (default: start dagster-webserver on a free port)")
    p.add_argument("--out", default="ui_screenshots")
    p.add_argument("--source", default="municipal/municipal_dpmul_gtfs", help="asset key of the source to show")
    args = p.parse_args(argv)
    out = Path(args.out)
    if args.url:
        texts = screenshots(args.url, out, args.source)
    else:
        from transport_etl.db.connection import database_url

        env = {"TRANSPORT_ETL_DATABASE_URL": database_url(),
               # the demo's UI, as `make dev` serves it: the catalog `make demo` wrote with its data
               "TRANSPORT_ETL_CATALOG": os.environ.get("TRANSPORT_ETL_CATALOG")
               or str(ROOT / "demo_data" / "sources.yaml"),
               "DAGSTER_HOME": os.environ.get("DAGSTER_HOME") or str(ROOT / ".transport_etl" / "dagster_home")}
        with webserver(env) as url:
            texts = screenshots(url, out, args.source)
    for name in texts:
        print(out / f"{name}.png")
    print(f"row count shown for {args.source}: {row_count_shown(texts.get('source_overview', ''))}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
