"""Read back the source record behind a lineage row from the input as published: a line of a text file,
a feature of a vector layer, a JSON object or an XML element, also inside nested archives
(``540210_1.zip/Zastavky.txt`` in a national JDF zip, ``GVD2026.zip/PA_….xml`` in a CZPTT folder,
gzip-compressed ``….xml.zip`` messages). Nothing is read when the input changed since it was loaded
(sha256), and the result is one line, cut to a readable length."""

from __future__ import annotations

import gzip
import io
import json
import re
import zipfile
from pathlib import Path

from transport_etl.fetch import fingerprint

MAX_CHARS = 600
_TEXT = {".txt", ".csv", ".tsv", ".dat"}
_LAYER = {".shp", ".dbf", ".gpkg", ".geojson", ".json", ".gml"}
_SHAPEFILE_PARTS = (".shp", ".dbf", ".shx")


def source_record(location: str | None, file_name: str | None, line_no: int | None, encoding: str | None,
                  expected_sha256: str | None = None, key: str | None = None) -> str | None:
    """The record as published, or None when the input is gone, changed, or the record cannot be found."""
    if not location:
        return None
    root = Path(location)
    if not root.exists() or (expected_sha256 and fingerprint(root)[0] != expected_sha256):
        return None
    try:
        name, data = _member(root, [p for p in (file_name or "").split("/") if p])
    except (OSError, zipfile.BadZipFile, gzip.BadGzipFile, EOFError):
        return None
    if data is None:
        return None
    text = _record(name, data, line_no, encoding, key)
    if text is None:
        return None
    text = re.sub(r"\s+", " ", text).strip()
    return text if len(text) <= MAX_CHARS else text[: MAX_CHARS - 1] + "…"


def _member(root: Path, parts: list[str]) -> tuple[str, bytes | None]:
    """Walk ``parts`` from ``root`` through folders, zips (also nested) and gzip; (name, bytes) at the end."""
    path = root
    while path.is_dir() and parts:
        nxt = path / parts[0]
        if not nxt.exists():
            # folder inputs may name files relative to a sub-folder, or by base name only
            hits = sorted(p for p in path.rglob(parts[-1]) if p.is_file())
            if not hits:
                return "", None
            path, parts = hits[0], []
            break
        path, parts = nxt, parts[1:]
    if path.is_dir():
        return "", None
    if parts and parts[0] == path.name:  # a file input names its records by its own name
        parts = parts[1:]
    elif parts and len(parts) == 1 and (path.parent / parts[0]).is_file() and not zipfile.is_zipfile(path):
        path, parts = path.parent / parts[0], []  # a discovery document (gbfs.json) names sibling files
    name, data = path.name, path.read_bytes()
    while True:
        data = _ungzip(data)
        if not parts:
            if zipfile.is_zipfile(io.BytesIO(data)) and not name.lower().endswith(tuple(_LAYER)):
                with zipfile.ZipFile(io.BytesIO(data)) as z:  # a single-message archive: its one member
                    names = [n for n in z.namelist() if not n.endswith("/")]
                    if len(names) == 1:
                        return names[0], z.read(names[0])
            return name, data
        if not zipfile.is_zipfile(io.BytesIO(data)):
            return "", None
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            members = {n.rstrip("/"): n for n in z.namelist()}
            # the longest prefix of the remaining parts that names a member (members may hold folders)
            for k in range(len(parts), 0, -1):
                cand = "/".join(parts[:k])
                hit = members.get(cand) or next((m for n, m in members.items() if n.lower() == cand.lower()), None)
                if hit and not parts[k:] and cand.lower().endswith(_SHAPEFILE_PARTS):
                    return cand, data  # a Shapefile's feature needs its sidecars: read the layer from the zip
                if hit:
                    name, data, parts = cand, z.read(hit), parts[k:]
                    break
            else:
                last = parts[-1].lower()
                hit = next((m for n, m in members.items() if n.lower().endswith("/" + last) or n.lower() == last), None)
                if hit is None:
                    return "", None
                name, data, parts = parts[-1], z.read(hit), []


def _ungzip(data: bytes) -> bytes:
    return gzip.decompress(data) if data[:2] == b"\x1f\x8b" else data


def _decode(data: bytes, encoding: str | None) -> str:
    if data[:2] in (b"\xff\xfe", b"\xfe\xff"):
        return data.decode("utf-16")
    for enc in (encoding or "utf-8", "utf-8", "cp1250"):
        try:
            return data.decode(enc.lower().replace("utf-8-sig", "utf-8")).lstrip("\ufeff")
        except (UnicodeDecodeError, LookupError):
            continue
    return data.decode("utf-8", errors="replace")


def _record(name: str, data: bytes, line_no: int | None, encoding: str | None, key: str | None) -> str | None:
    suffix = Path(name).suffix.lower()
    if zipfile.is_zipfile(io.BytesIO(data)) or suffix in (".shp", ".gpkg"):
        return _feature(data, line_no, encoding) if line_no else None
    head = data[:200].lstrip()
    if head.startswith(b"<") or suffix == ".xml":
        return _xml(data, line_no, key)
    if head.startswith((b"{", b"[")) or suffix in (".json", ".geojson"):
        return _json(data, key, line_no)
    if line_no:
        for i, raw in enumerate(io.BytesIO(data), start=1):
            if i == line_no:
                return _decode(raw.rstrip(b"\r\n"), encoding)
    return None


def _xml(data: bytes, line_no: int | None, key: str | None) -> str | None:
    """The line when known, else the document's first element carrying the key (or the root's head)."""
    text = _decode(data, None)
    if line_no:
        lines = text.splitlines()
        return lines[line_no - 1] if 0 < line_no <= len(lines) else None
    if key:
        ident = key.split("'")[1] if "'" in key else key
        at = text.find(ident)
        if at >= 0:
            start = text.rfind("<", 0, text.rfind("<", 0, at) + 1)
            return text[max(start, 0): at + len(ident) + 200]
    return text[:MAX_CHARS]


def _json(data: bytes, key: str | None, line_no: int | None) -> str | None:
    """Feature ``line_no`` of a GeoJSON FeatureCollection (readers number features from 1), else the
    object whose id-like field equals ``key`` (GBFS stations and vehicles)."""
    try:
        doc = json.loads(_decode(data, "utf-8"))
    except json.JSONDecodeError:
        return None
    features = doc.get("features") if isinstance(doc, dict) else None
    if line_no and isinstance(features, list):
        return json.dumps(features[line_no - 1], ensure_ascii=False) if 0 < line_no <= len(features) else None
    stack = [doc]
    while stack:
        node = stack.pop()
        if isinstance(node, dict):
            if key and any(str(node.get(f)) == key for f in ("station_id", "vehicle_id", "id", "bike_id")):
                return json.dumps(node, ensure_ascii=False)
            stack.extend(node.values())
        elif isinstance(node, list):
            stack.extend(node)
    return None


def _feature(data: bytes, index: int, encoding: str | None) -> str | None:
    """Feature ``index`` (1 = first) of the first vector layer in ``data`` (a zipped Shapefile or GeoPackage)."""
    from pyogrio.errors import DataSourceError

    from transport_etl.gdal_env import pyogrio

    table = None
    # the catalog's encoding first; a .cpg that lies (CP1250 names under "UTF-8") needs the second try
    for enc in dict.fromkeys((encoding, "cp1250")):
        try:
            table = pyogrio().read_dataframe(io.BytesIO(data), skip_features=index - 1, max_features=1,
                                           read_geometry=False, encoding=enc)
            break
        except (DataSourceError, ValueError, RuntimeError, UnicodeDecodeError):
            continue
    if table is None:
        return None
    if table.empty:
        return None
    return json.dumps({k: (None if v != v else v) for k, v in table.iloc[0].to_dict().items()},
                      ensure_ascii=False, default=str)
