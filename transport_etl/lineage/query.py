"""Answering "where did this unified row come from?"."""

from __future__ import annotations

import hashlib
import io
import re
import zipfile
from pathlib import Path
from typing import Any

import psycopg

from transport_etl.fetch import fingerprint

_TABLE = re.compile(r"^(unified|gis)\.[a-z_]+$")


def entity_sources(conn: psycopg.Connection, table: str, row_id: int) -> list[dict[str, Any]]:
    """The lineage.entity_source rows of a unified row, with their feed version, source and run."""
    if "." not in table:
        table = f"unified.{table}"
    if not _TABLE.match(table):
        raise ValueError(f"not a unified table name: {table!r}")
    cur = conn.execute(
        """SELECT es.unified_table, es.unified_id, es.source_file, es.source_line, es.source_key, es.match_method,
                  es.distance_m, es.name_similarity, es.score, fv.id AS feed_version_id, fv.sha256, fv.status,
                  fv.is_current, fv.location, fv.feed_label, fv.republication_of, fv.loader_digest,
                  fv.applied_on, s.id AS source_id, s.format, s.family, s.encoding,
                  s.owner, lr.run_id, lr.run_kind, lr.asset_key, lr.started_at
           FROM lineage.entity_source es
           JOIN lineage.feed_version fv ON fv.id = es.feed_version_id
           JOIN lineage.source s ON s.id = fv.source_id
           LEFT JOIN lineage.load_run lr ON lr.id = COALESCE(es.load_run_id, fv.load_run_id)
           WHERE es.unified_table = %s AND es.unified_id = %s
           ORDER BY es.id""",
        (table, row_id),
    )
    cols = [d.name for d in cur.description]
    return [dict(zip(cols, r, strict=True)) for r in cur.fetchall()]


def read_source_line(location: str, file_name: str | None, line_no: int | None, encoding: str | None,
                     expected_sha256: str | None = None) -> str | None:
    """The raw text of a source record, read back from the input as published, if it is still there
    and unchanged (same sha256 as the feed version). None otherwise."""
    if not (location and line_no):
        return None
    path = Path(location)
    if not path.exists():
        return None
    if expected_sha256 and fingerprint(path)[0] != expected_sha256:
        return None
    enc = (encoding or "utf-8").lower().replace("utf-8-sig", "utf-8")
    data: bytes | None = None
    if path.is_dir():
        matches = [p for p in path.rglob("*") if p.is_file() and file_name and p.name.lower() == Path(file_name).name.lower()]
        data = matches[0].read_bytes() if matches else None
    elif zipfile.is_zipfile(path):
        with zipfile.ZipFile(path) as zf:
            names = [n for n in zf.namelist() if file_name and n.lower().endswith(file_name.lower())]
            data = zf.read(names[0]) if names else None
    else:
        data = path.read_bytes()
    if data is None:
        return None
    for i, raw in enumerate(io.BytesIO(data), start=1):
        if i == line_no:
            return raw.decode(enc if enc != "cp1250" else "cp1250", errors="replace").rstrip("\r\n").lstrip("\ufeff")
    return None


def sha256_of(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()
