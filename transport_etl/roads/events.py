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


def _locate_params(options) -> dict:
    return {
        "tolerance": float(options.get("locate_tolerance_m", DEFAULT_LOCATE_TOLERANCE_M)),
        "max_path_links": int(options.get("max_path_links", MAX_PATH_LINKS)),
    }


def _take_counts(ctx: LoadContext, suffix: str = "") -> dict[str, int]:
    counts = dict(ctx.conn.execute("SELECT tbl, n FROM _road_locate_counts").fetchall())
    ctx.conn.execute("DROP TABLE _road_locate_counts")
    for table, n in counts.items():
        ctx.count(table + suffix, n)
    return counts


def locate_and_publish(ctx: LoadContext) -> None:
    """Locate this version's staged events on the current road network and write unified rows;
    every event that cannot be located is kept, with its reason, and listed as a notice."""
    params = {**_locate_params(ctx.options), "network_source": ctx.options.get("network_source"),
              "new_network_source": None, "new_network_version": None, "lineage_method": None}
    for name in ("road_net.sql", "events_from_staging.sql", "locate_events.sql", "insert_events.sql",
                 "write_locations.sql"):
        ctx.run_sql_file(HERE / name, params)
    _take_counts(ctx)
    rows = ctx.conn.execute(
        """SELECT e.local_id, e.unlocated_reason, s.source_file, s.line_no
           FROM unified.road_event e JOIN staging.road_event s
             ON s.feed_version_id = e.feed_version_id AND s.local_id = e.local_id
           WHERE e.feed_version_id = %s AND e.location_status = 'unlocated' ORDER BY s.line_no""",
        (ctx.feed_version_id,)).fetchall()
    for local_id, reason, file_name, line_no in rows:
        ctx.notice("road_event_unlocated", "WARNING", reason or "not located", file_name=file_name,
                   line_no=line_no, entity_key=local_id)


EVENT_FORMATS = ("datex2", "road-closures")
RELOCATED = "relocated_on_network_version"


def relocate_on_network(ctx: LoadContext) -> None:
    """Called by a road-network publish (ctx is the network's): re-locate the current events of every
    event source that locates on this network (options.network_source = this source, or unset = every
    network) on the links of the version being published, in the same transaction. The events keep
    their rows; their location rows are replaced (lineage: the event's own feed version and record)."""
    sources = ctx.conn.execute(
        """SELECT s.id, s.options FROM lineage.source s
           WHERE s.format = ANY(%s)
             AND coalesce(s.options->>'network_source', %s) = %s
             AND EXISTS (SELECT 1 FROM unified.road_event e WHERE e.source_id = s.id AND e.recorded_to IS NULL)
           ORDER BY s.id""",
        (list(EVENT_FORMATS), ctx.source.id, ctx.source.id)).fetchall()
    for source_id, options in sources:
        # Wait for a load of that event source in flight (it locates on the old links), then hold it off.
        ctx.conn.execute("SELECT pg_advisory_xact_lock(hashtextextended(%s, 0))",
                         ("transport_etl.ingest:" + source_id,))
        params = {**_locate_params(options), "event_source": source_id,
                  "network_source": options.get("network_source"), "new_network_source": ctx.source.id,
                  "new_network_version": ctx.feed_version_id, "lineage_method": RELOCATED}
        for name in ("road_net.sql", "events_current.sql", "locate_events.sql", "write_locations.sql"):
            ctx.run_sql_file(HERE / name, params)
        counts = _take_counts(ctx, f" (relocated: {source_id})")
        ctx.log(f"[{ctx.source.id}] re-located {counts.get('unified.road_event', 0)} current events of "
                f"{source_id} on this network version ({counts.get('unified.road_event (located)', 0)} located)")
        for local_id, reason in ctx.conn.execute(
                """SELECT e.local_id, e.unlocated_reason FROM unified.road_event e JOIN _ev v ON v.event_id = e.id
                   WHERE e.location_status = 'unlocated' ORDER BY e.local_id""").fetchall():
            ctx.notice("road_event_unlocated", "WARNING", f"{source_id}: {reason or 'not located'}",
                       entity_key=local_id)
