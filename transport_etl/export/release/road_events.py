"""The road events in force on the release date as GeoJSON (RFC 7946: EPSG:4326 longitude/latitude,
no ``crs`` member, 7 decimals ≈ 1 cm). Unlocated events without any published point keep their row with
a null geometry (RFC 7946 §3.2), so the file lists every event the platform knows for that day."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import psycopg

from transport_etl.export.release.files import write_text

_QUERY = """
SELECT e.namespace || ':' || e.local_id, e.source_id, e.feed_version_id, e.event_type, e.status,
       to_char(e.starts_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       to_char(e.ends_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"'),
       e.valid_from::text, e.valid_to::text, e.road_number, e.impact, e.comment, e.location_status,
       e.unlocated_reason,
       ST_AsGeoJSON(ST_Transform(e.geom, 4326), 7)
  FROM gis.road_event_asof(%(day)s) e
 ORDER BY e.source_id COLLATE "C", e.local_id COLLATE "C"
"""
_PROPS = ["id", "source_id", "feed_version_id", "event_type", "status", "starts_at", "ends_at", "valid_from",
          "valid_to", "road_number", "impact", "comment", "location_status", "unlocated_reason"]


def write_road_events(conn: psycopg.Connection, day: dt.date, out: Path) -> dict[str, int]:
    """Write the FeatureCollection; returns the number of events and of those with a geometry."""
    rows = conn.execute(_QUERY, {"day": day}).fetchall()
    features = [{"type": "Feature", "id": r[0], "properties": dict(zip(_PROPS, r[:14], strict=True)),
                 "geometry": json.loads(r[14]) if r[14] else None} for r in rows]
    collection = {"type": "FeatureCollection", "name": f"road_events_{day.isoformat()}", "features": features}
    # Compact but one feature per line: diffable, and no indentation bytes for large files.
    body = ",\n".join(json.dumps(f, ensure_ascii=False, sort_keys=True, separators=(",", ":")) for f in features)
    head = json.dumps({k: v for k, v in collection.items() if k != "features"}, ensure_ascii=False,
                      sort_keys=True, separators=(",", ":"))[:-1]
    write_text(out, f'{head},"features":[\n{body}\n]}}' if features else f'{head},"features":[]}}')
    return {"events": len(features), "located": sum(1 for f in features if f["geometry"] is not None)}
