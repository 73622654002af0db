"""Staging rows of road events (datex2 and road-closures share staging.road_event and its location)."""

from __future__ import annotations

import json
from pathlib import Path

from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent
DEFAULT_LOCATE_TOLERANCE_M = 50.0
MAX_PATH_LINKS = 300

COLUMNS = ["feed_version_id", "line_no", "source_file", "xml_path", "local_id", "situation_id", "situation_version",
           "record_version", "record_type", "event_type", "status", "starts_at", "ends_at", "road_number",
           "road_number_raw", "comment", "impact", "sections", "chainage_from_km", "chainage_to_km",
           "start_point", "end_point", "location_methods", "raw_location", "attributes"]


def point_ewkt(pt: tuple[float, float] | None) -> str | None:
    return None if pt is None else f"SRID=5514;POINT({pt[0]:.3f} {pt[1]:.3f})"


def as_json(value) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False, default=str)


def locate_and_publish(ctx: LoadContext) -> None:
    """Locate this version's staged events on the current road network and write unified rows;
    every event that cannot be located is kept, with its reason, and listed as a notice."""
    ctx.run_sql_file(HERE / "locate_events.sql", {
        "tolerance": float(ctx.options.get("locate_tolerance_m", DEFAULT_LOCATE_TOLERANCE_M)),
        "network_source": ctx.options.get("network_source"),
        "max_path_links": int(ctx.options.get("max_path_links", MAX_PATH_LINKS)),
    })
    for table, n in ctx.conn.execute("SELECT tbl, n FROM _road_locate_counts").fetchall():
        ctx.count(table, n)
    ctx.conn.execute("DROP TABLE _road_locate_counts")
    rows = ctx.conn.execute(
        """SELECT e.local_id, e.unlocated_reason, s.source_file, s.line_no
           FROM unified.road_event e JOIN staging.road_event s
             ON s.feed_version_id = e.feed_version_id AND s.local_id = e.local_id
           WHERE e.feed_version_id = %s AND e.location_status = 'unlocated' ORDER BY s.line_no""",
        (ctx.feed_version_id,)).fetchall()
    for local_id, reason, file_name, line_no in rows:
        ctx.notice("road_event_unlocated", "WARNING", reason or "not located", file_name=file_name,
                   line_no=line_no, entity_key=local_id)
