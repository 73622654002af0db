"""What a release was built from: the current feed version of every registered source (source, version
id, sha256, loader digest, label, coverage), the builder's own code digest and the tool versions that
shape the bytes (GDAL writes the GeoPackage). No build time, host or path: those live in lineage.release."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import psycopg

from transport_etl.errors import ConfigError
from transport_etl.export.release.files import code_digest
from transport_etl.ingest.loader_digest import loader_digest

_EXPORT = Path(__file__).resolve().parents[1]

_VERSIONS = """
SELECT s.id, s.family, s.format, s.owner, fv.id, fv.sha256, fv.size_bytes, fv.loader_digest, fv.feed_label,
       fv.coverage_from::text, fv.coverage_to::text, fv.update_mode, fv.applied_on, fv.republication_of
  FROM lineage.source s JOIN lineage.feed_version fv ON fv.source_id = s.id AND fv.is_current
 WHERE s.retired_at IS NULL
 ORDER BY s.id COLLATE "C"
"""
_KEYS = ["source_id", "family", "format", "owner", "feed_version_id", "sha256", "size_bytes", "loader_digest",
         "feed_label", "coverage_from", "coverage_to", "update_mode", "applied_on", "republication_of"]


def current_feed_versions(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """The current version of every active source; ``loader_is_current`` says whether the code that
    produced it is the loader of this checkout (else `transport-etl reload` would republish it)."""
    out = []
    for r in conn.execute(_VERSIONS).fetchall():
        v = dict(zip(_KEYS, r, strict=True))
        try:
            v["loader_is_current"] = v["loader_digest"] == loader_digest(v["format"])
        except ConfigError:  # a format this checkout no longer has
            v["loader_is_current"] = False
        out.append(v)
    return out


_POLLS = """
SELECT DISTINCT ON (p.source_id, p.feed) p.source_id, p.feed, p.id,
       to_char(p.source_updated_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'), p.feed_version_id
  FROM lineage.poll_run p JOIN lineage.source s ON s.id = p.source_id AND s.retired_at IS NULL
 WHERE p.outcome = 'ok'
 ORDER BY p.source_id, p.feed, p.id DESC
"""


def live_polls(conn: psycopg.Connection) -> list[dict[str, Any]]:
    """The last successful poll of every live feed (GBFS status, parking occupancy, GTFS-Realtime): the
    gis layers of live state show what it brought, so it is an input of the release as much as a feed
    version is (a new poll between two builds explains a changed GeoPackage)."""
    return [{"source_id": r[0], "feed": r[1], "poll_run_id": r[2], "source_updated_at": r[3],
             "feed_version_id": r[4]} for r in conn.execute(_POLLS).fetchall()]


def builder_digest() -> str:
    """sha256 over the code that writes a release: this package, the GTFS and GeoPackage exporters."""
    files = [*(_EXPORT / "release").glob("*.py"), _EXPORT / "gtfs.py", _EXPORT / "gpkg.py", _EXPORT / "describe.py"]
    return code_digest(files)


def tool_versions() -> dict[str, str]:
    import gtfs_kit
    import pyogrio

    return {"gdal": pyogrio.__gdal_version_string__, "pyogrio": pyogrio.__version__,
            "gtfs_kit": gtfs_kit.__version__}


def manifest(release_date: str, feed_versions: list[dict[str, Any]], polls: list[dict[str, Any]],
             files: dict[str, Any], figures: dict[str, Any]) -> dict[str, Any]:
    return {
        "release": release_date,
        "built_from": {"feed_versions": feed_versions, "live_polls": polls, "builder_digest": builder_digest(),
                       "tools": tool_versions()},
        "files": files,
        "figures": figures,
        "checksums": "SHA256SUMS lists every file of this folder (manifest.json included); the release checksum "
                     "is the sha256 of SHA256SUMS.",
    }
