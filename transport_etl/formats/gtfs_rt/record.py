"""Recording one GTFS-Realtime message as history, matched to the static GTFS feed version that is
current at that moment. Shared by the file loader and the poller."""

from __future__ import annotations

import datetime as dt
import hashlib
from dataclasses import dataclass, field
from pathlib import Path

import psycopg

from transport_etl import positions
from transport_etl.catalog import Source
from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import run_sql_file
from transport_etl.formats.gtfs_rt.reader import decode

SQL = Path(__file__).with_name("record.sql")
DEFAULT_TZ = "Europe/Prague"
HISTORY_TABLES = ("unified.rt_message",)  # the rt_* rows of a message cascade with it

TEMP_DDL = """
CREATE TEMP TABLE tmp_rt_tu (key int, entity_id text, trip_id text, route_id text, direction_id smallint,
    start_date date, start_time text, schedule_relationship text, vehicle_id text, vehicle_label text,
    update_timestamp timestamptz, delay_s int) ON COMMIT DROP;
CREATE TEMP TABLE tmp_rt_stu (tu_key int, ord int, stop_sequence int, stop_id text, schedule_relationship text,
    arrival_time timestamptz, arrival_delay int, departure_time timestamptz, departure_delay int) ON COMMIT DROP;
CREATE TEMP TABLE tmp_rt_vp (entity_id text, trip_id text, route_id text, start_date date,
    vehicle_id text, vehicle_label text, position_timestamp timestamptz, lat double precision,
    lon double precision, bearing real, speed real, current_stop_sequence int, stop_id text, current_status text,
    occupancy_status text) ON COMMIT DROP;
CREATE TEMP TABLE tmp_rt_alert (key int, entity_id text, cause text, effect text, severity_level text,
    header_text text, description_text text, url text, active_from timestamptz, active_to timestamptz,
    active_periods jsonb) ON COMMIT DROP;
CREATE TEMP TABLE tmp_rt_alert_entity (ord int, alert_key int, agency_id text, route_id text, route_type int, trip_id text,
    stop_id text) ON COMMIT DROP;
"""


@dataclass
class Recorded:
    """What recording a message did. ``unmatched``: (what, entity_id, trip_id, reason)."""

    message_id: int | None
    duplicate: bool
    kind: str
    header_timestamp: dt.datetime | None
    entity_count: int
    rows: int = 0
    static_feed_version_id: int | None = None
    unmatched: list[tuple[str, str | None, str | None, str]] = field(default_factory=list)
    stops_unmatched: list[tuple[str | None, str | None, int | None]] = field(default_factory=list)
    # entities left out (index, entity id, code, reason), notes on times, and a stored message with the same
    # header timestamp but other content (recorded all the same: its content differs)
    rejected: list[tuple[int, str | None, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    same_timestamp_as: int | None = None


def static_version(conn: psycopg.Connection, source: Source) -> tuple[str | None, int | None, str]:
    """(static source id, its current feed version id, agency timezone) for matching."""
    static = source.options.get("static_source")
    if not static:
        return None, None, DEFAULT_TZ
    row = conn.execute("SELECT id FROM lineage.feed_version WHERE source_id = %s AND is_current",
                       (static,)).fetchone()
    if not row:
        return static, None, DEFAULT_TZ
    tz = conn.execute("SELECT agency_timezone FROM staging.gtfs_agency WHERE feed_version_id = %s "
                      "AND agency_timezone IS NOT NULL ORDER BY line_no LIMIT 1", (row[0],)).fetchone()
    return static, row[0], (tz[0] if tz else DEFAULT_TZ)


def record_message(conn: psycopg.Connection, source: Source, data: bytes, name: str,
                   poll_run_id: int) -> Recorded:
    """Decode ``data`` and append it to the rt_* history (InvalidMessage if it is not GTFS-RT).

    A message whose bytes (sha256) are already stored for the source is a duplicate and writes nothing. A
    message with a stored header timestamp but other bytes is recorded (its content differs: dropping it
    would lose data), and ``same_timestamp_as`` names the stored one so the caller can say so.
    """
    d = decode(data, name)
    sha = hashlib.sha256(data).hexdigest()
    rec = Recorded(message_id=None, duplicate=False, kind=d.kind, header_timestamp=d.header_timestamp,
                   entity_count=d.entity_count, rejected=d.rejected, notes=d.notes)
    dup = conn.execute("SELECT id FROM unified.rt_message WHERE source_id = %s AND content_sha256 = %s LIMIT 1",
                       (source.id, sha)).fetchone()
    if dup:
        rec.duplicate, rec.message_id = True, dup[0]
        return rec
    if d.header_timestamp is not None:
        same = conn.execute("SELECT id FROM unified.rt_message WHERE source_id = %s AND feed_kind = %s "
                            "AND header_timestamp = %s LIMIT 1", (source.id, d.kind, d.header_timestamp)).fetchone()
        rec.same_timestamp_as = same[0] if same else None
    static, sfv, tz = static_version(conn, source)
    rec.static_feed_version_id = sfv
    rec.message_id = conn.execute(
        """INSERT INTO unified.rt_message (source_id, namespace, feed_kind, header_timestamp, gtfs_realtime_version,
               incrementality, entity_count, content_sha256, source_file, static_source_id, static_feed_version_id,
               poll_run_id)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING id""",
        (source.id, source.namespace, d.kind, d.header_timestamp, d.version, d.incrementality, d.entity_count, sha,
         name, static, sfv, poll_run_id)).fetchone()[0]

    conn.execute("DROP TABLE IF EXISTS tmp_rt_tu, tmp_rt_stu, tmp_rt_vp, tmp_rt_alert, tmp_rt_alert_entity")
    conn.execute(TEMP_DDL)
    tu_cols = ["key", "entity_id", "trip_id", "route_id", "direction_id", "start_date", "start_time",
               "schedule_relationship", "vehicle_id", "vehicle_label", "update_timestamp", "delay_s"]
    copy_rows(conn, "tmp_rt_tu", tu_cols, ([t[c] for c in tu_cols] for t in d.trip_updates))
    copy_rows(conn, "tmp_rt_stu", ["tu_key", "ord", "stop_sequence", "stop_id", "schedule_relationship",
                                   "arrival_time", "arrival_delay", "departure_time", "departure_delay"],
              ((s["tu_key"], i, s["stop_sequence"], s["stop_id"], s["schedule_relationship"], s["arrival_time"],
                s["arrival_delay"], s["departure_time"], s["departure_delay"])
               for i, s in enumerate(d.stop_time_updates)))
    vp_cols = ["entity_id", "trip_id", "route_id", "start_date", "vehicle_id", "vehicle_label", "position_timestamp",
               "lat", "lon", "bearing", "speed", "current_stop_sequence", "stop_id", "current_status",
               "occupancy_status"]
    copy_rows(conn, "tmp_rt_vp", vp_cols, ([v[c] for c in vp_cols] for v in d.vehicles))
    al_cols = ["key", "entity_id", "cause", "effect", "severity_level", "header_text", "description_text", "url",
               "active_from", "active_to", "active_periods"]
    copy_rows(conn, "tmp_rt_alert", al_cols, ([a[c] for c in al_cols] for a in d.alerts))
    ae_cols = ["alert_key", "agency_id", "route_id", "route_type", "trip_id", "stop_id"]
    copy_rows(conn, "tmp_rt_alert_entity", ["ord", *ae_cols],
              ([i, *(a[c] for c in ae_cols)] for i, a in enumerate(d.alert_entities)))  # ord: recorded in message order

    run_sql_file(conn, SQL, {"message_id": rec.message_id, "source_id": source.id, "static_source_id": static,
                             "static_fv": sfv, "tz": tz, "header_ts": d.header_timestamp,
                             "extent": list(positions.extent(source.options))})
    rec.rows = 1 + len(d.trip_updates) + len(d.stop_time_updates) + len(d.vehicles) + len(d.alerts) + len(
        d.alert_entities)
    rec.unmatched = [tuple(r) for r in conn.execute(
        """SELECT 'trip_update', entity_id, trip_id, unmatched_reason FROM unified.rt_trip_update
           WHERE message_id = %(m)s AND NOT matched
           UNION ALL
           SELECT 'vehicle_position', entity_id, trip_id, unmatched_reason FROM unified.rt_vehicle_position
           WHERE message_id = %(m)s AND NOT matched AND unmatched_reason <> 'no_trip'""",
        {"m": rec.message_id}).fetchall()]
    rec.stops_unmatched = [tuple(r) for r in conn.execute(
        """SELECT tu.trip_id, s.stop_id, s.stop_sequence FROM unified.rt_stop_time_update s
           JOIN unified.rt_trip_update tu ON tu.id = s.trip_update_id
           WHERE s.message_id = %s AND tu.matched AND NOT s.stop_matched""", (rec.message_id,)).fetchall()]
    conn.execute("DROP TABLE IF EXISTS tmp_rt_tu, tmp_rt_stu, tmp_rt_vp, tmp_rt_alert, tmp_rt_alert_entity")
    return rec
