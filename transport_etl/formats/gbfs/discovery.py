"""Reading GBFS documents from http(s) URLs or local files, and resolving the feeds a discovery
document (gbfs.json) lists. Local discoveries may name their feeds by relative path."""

from __future__ import annotations

import json
import urllib.parse
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from transport_etl import fetch
from transport_etl.errors import InputRejected, json_reason
from transport_etl.fetch import DOCUMENT_TIMEOUT_S as DEFAULT_TIMEOUT_S
from transport_etl.fetch import is_url

FEEDS = ("system_information", "station_information", "station_status", "free_bike_status", "vehicle_status",
         "vehicle_types", "geofencing_zones", "system_pricing_plans")
# Language sections are tried in this order when the source does not choose one (GBFS 2.x).
PREFERRED_LANGUAGES = ("cs", "en")
MAX_BYTES = 50 << 20


class GbfsError(InputRejected):
    """A GBFS document could not be fetched or is not what GBFS says it is."""


def read_bytes(location: str, timeout: float = DEFAULT_TIMEOUT_S) -> bytes:
    """The bytes at ``location`` through the one fetch (transport_etl.fetch); GbfsError on any failure."""
    try:
        return fetch.read_document(location, timeout, MAX_BYTES, accept="application/json")
    except GbfsError:
        raise
    except InputRejected as exc:
        raise GbfsError(str(exc), code=exc.code) from exc


def parse_document(data: bytes, location: str) -> dict[str, Any]:
    """A GBFS document: a JSON object with ``data`` (and usually last_updated, ttl)."""
    try:
        doc = json.loads(data.decode("utf-8-sig"))
    except (ValueError, RecursionError) as exc:  # ValueError: also an integer of more than 4300 digits
        raise GbfsError(f"{location} is not JSON: {json_reason(exc)}", code="invalid_json") from exc
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), dict):
        raise GbfsError(f"{location} is not a GBFS document (no 'data' object)", code="invalid_gbfs")
    return doc


def read_document(location: str, timeout: float = DEFAULT_TIMEOUT_S) -> dict[str, Any]:
    return parse_document(read_bytes(location, timeout), location)


@dataclass(frozen=True)
class Discovery:
    """Where each feed of a system is: feed name → URL or local path."""

    location: str
    language: str | None
    feeds: dict[str, str]
    version: str | None = None

    def feed(self, name: str) -> str | None:
        return self.feeds.get(name)


def _resolve(base: str, url: str) -> str:
    # A published document may point only to http(s) URLs (or, for a local mirror, files beside it):
    # never to file:// URLs or local paths elsewhere on this machine.
    from transport_etl.boundaries import remote_reference

    if is_url(url):
        return url
    if is_url(base):
        return remote_reference(base, urllib.parse.urljoin(base, url))
    if "://" in url:
        return remote_reference(base, url)
    # A local discovery: feed URLs may be relative paths, or absolute URLs whose file name we
    # look for beside gbfs.json (a mirrored system).
    return remote_reference(base, str((Path(base).parent / url).resolve()))


def feeds_from_discovery(doc: dict[str, Any], location: str, language: str | None = None) -> Discovery:
    """Feed locations listed by a gbfs.json (2.x: per-language sections; 3.0: data.feeds)."""
    data = doc["data"]
    if isinstance(data.get("feeds"), list):  # GBFS 3.0 has no language sections
        chosen, feed_list = None, data["feeds"]
    else:
        langs = [k for k, v in data.items() if isinstance(v, dict) and isinstance(v.get("feeds"), list)]
        if not langs:
            raise GbfsError(f"{location}: gbfs.json lists no feeds", code="invalid_gbfs")
        if language and language not in langs:
            raise GbfsError(f"{location}: language {language!r} not offered (has {', '.join(langs)})",
                            code="invalid_gbfs")
        chosen = language or next((lang for lang in PREFERRED_LANGUAGES if lang in langs), langs[0])
        feed_list = data[chosen]["feeds"]
    feeds: dict[str, str] = {}
    for f in feed_list:
        if isinstance(f, dict) and f.get("name") and f.get("url"):
            feeds[str(f["name"])] = _resolve(location, str(f["url"]))
    return Discovery(location=location, language=chosen, feeds=feeds, version=doc.get("version"))


def _prefer_local(disc: Discovery, folder: Path) -> Discovery:
    # A mirrored system: the folder's own copy of each feed wins over the URLs it was copied from.
    feeds = {name: (str(folder / f"{name}.json") if (folder / f"{name}.json").is_file() else url)
             for name, url in disc.feeds.items()}
    return Discovery(location=disc.location, language=disc.language, feeds=feeds, version=disc.version)


def local_feeds(folder: Path, language: str | None = None) -> Discovery:
    """A folder of feed files: gbfs.json when present, else <feed>.json files found there."""
    gbfs = folder / "gbfs.json"
    if gbfs.is_file():
        return _prefer_local(feeds_from_discovery(read_document(str(gbfs)), str(gbfs), language), folder)
    feeds = {name: str(folder / f"{name}.json") for name in FEEDS if (folder / f"{name}.json").is_file()}
    if not feeds:
        raise GbfsError(f"{folder}: neither gbfs.json nor GBFS feed files found", code="missing_input")
    return Discovery(location=str(folder), language=None, feeds=feeds)


def discover(location: str, language: str | None = None, timeout: float = DEFAULT_TIMEOUT_S) -> Discovery:
    """Resolve the feeds of the system at ``location`` (gbfs.json URL or file, or a folder)."""
    if not is_url(location):
        path = Path(location)
        if path.is_dir():
            return local_feeds(path, language)
        return _prefer_local(feeds_from_discovery(read_document(location), location, language), path.parent)
    return feeds_from_discovery(read_document(location, timeout), location, language)
