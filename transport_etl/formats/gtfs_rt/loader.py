"""Format ``gtfs-rt``: one GTFS-Realtime message (.pb) or a folder of them (a recorded sequence,
read in name order) → unified.rt_* history, matched to the static GTFS source named by
options['static_source'] at its current feed version. Unmatched trips are notices with a
reason; a file that is not a GTFS-RT message refuses a single-file input, and is quarantined
(counted against max_reject_ratio) inside a folder."""

from __future__ import annotations

import hashlib
from collections import Counter
from pathlib import Path

from transport_etl.errors import InputRejected
from transport_etl.formats.gtfs_rt.reader import InvalidMessage
from transport_etl.formats.gtfs_rt.record import HISTORY_TABLES, Recorded, record_message
from transport_etl.ingest.context import LoadContext
from transport_etl.ingest.poll import finish_poll, purge, start_poll

SUFFIXES = (".pb", ".bin", ".dat")


def _files(ctx: LoadContext, path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputRejected(f"{path}: no .pb GTFS-Realtime message in the folder", code="missing_input")
        for other in sorted(p for p in path.iterdir() if p.is_file() and p not in files):  # listed, never ignored
            ctx.notice("unused_file", "INFO", f"{other.name} is not read (not {'/'.join(SUFFIXES)})",
                       file_name=other.name)
        return files
    return [path]


def load(ctx: LoadContext) -> None:
    files = _files(ctx, Path(ctx.path))
    single = len(files) == 1 and not Path(ctx.path).is_dir()
    if not ctx.options.get("static_source"):
        ctx.notice("no_static_source", "WARNING", "options.static_source not set: trips cannot be matched")
    reasons: Counter = Counter()
    for f in files:
        data = f.read_bytes()
        stats = ctx.file(f.name)
        stats.sha256, stats.size_bytes = hashlib.sha256(data).hexdigest(), len(data)
        poll_id = start_poll(ctx.conn, ctx.source.id, "gtfs_rt", f.name, ctx.load_run_id, ctx.feed_version_id)
        try:
            with ctx.conn.transaction():  # savepoint: a bad file inside a folder leaves the others
                rec = record_message(ctx.conn, ctx.source, data, f.name, poll_id)
        except InvalidMessage as exc:
            if single:
                raise
            stats.rows_in += 1
            ctx.reject(f.name, None, exc.code, str(exc))
            finish_poll(ctx.conn, poll_id, "failed", error=str(exc))
            continue
        stats.rows_in += rec.entity_count
        finish_poll(ctx.conn, poll_id, "unchanged" if rec.duplicate else "ok", rec.rows, rec.header_timestamp)
        if rec.duplicate:
            # its entities are in the history already (message rec.message_id): counted as loaded, said so
            stats.rows_loaded += rec.entity_count
            ctx.notice("duplicate_message", "INFO", f"the same bytes as message {rec.message_id}, recorded before: "
                       f"its {rec.entity_count} entities are not recorded again", file_name=f.name)
            continue
        for index, entity_id, code, reason in rec.rejected:
            ctx.reject(f.name, None, code, reason, f"entity {index} id {entity_id!r}")
        stats.rows_loaded += rec.entity_count - len(rec.rejected)
        if rec.notes:
            ctx.notice("timestamp_in_milliseconds", "WARNING", f"{len(rec.notes)} time(s) in epoch milliseconds, "
                       f"read as such (first: {rec.notes[0]})", file_name=f.name)
        if rec.same_timestamp_as is not None:
            ctx.notice("same_header_timestamp", "INFO", f"header timestamp {rec.header_timestamp} as message "
                       f"{rec.same_timestamp_as}, but other content: recorded as a message of its own",
                       file_name=f.name)
        _report(ctx, f.name, rec, reasons)
    ctx.feed_label = ", ".join(f"{k} {v}" for k, v in sorted(reasons.items())) or None


def _report(ctx: LoadContext, name: str, rec: Recorded, reasons: Counter) -> None:
    for what, entity_id, trip_id, reason in rec.unmatched:
        reasons[f"unmatched {reason}"] += 1
        ctx.notice(f"{what}_unmatched", "WARNING", f"{what} {entity_id}: trip {trip_id!r} not matched ({reason})",
                   file_name=name, field_name="trip_id", entity_key=trip_id)
    for trip_id, stop_id, seq in rec.stops_unmatched:
        ctx.notice("stop_time_update_unmatched", "WARNING",
                   f"trip {trip_id}: stop {stop_id} / sequence {seq} is not in the static trip",
                   file_name=name, field_name="stop_id", entity_key=trip_id)
    counts = ctx.conn.execute(
        """SELECT (SELECT count(*) FROM unified.rt_trip_update WHERE message_id = %(m)s),
                  (SELECT count(*) FROM unified.rt_trip_update WHERE message_id = %(m)s AND matched),
                  (SELECT count(*) FROM unified.rt_stop_time_update WHERE message_id = %(m)s),
                  (SELECT count(*) FROM unified.rt_vehicle_position WHERE message_id = %(m)s),
                  (SELECT count(*) FROM unified.rt_alert WHERE message_id = %(m)s)""",
        {"m": rec.message_id}).fetchone()
    ctx.count("unified.rt_message", 1)
    ctx.count("unified.rt_trip_update", counts[0])
    ctx.count("unified.rt_stop_time_update", counts[2])
    ctx.count("unified.rt_vehicle_position", counts[3])
    ctx.count("unified.rt_alert", counts[4])
    reasons["matched trip updates"] += counts[1]
    ctx.log(f"[{ctx.source.id}] {name}: {rec.kind}, {rec.entity_count} entities, {counts[1]}/{counts[0]} trip "
            f"updates matched to static version {rec.static_feed_version_id}")


def publish(ctx: LoadContext) -> None:
    """History was written by load (same transaction); only retention is left."""
    purge(ctx.conn, ctx.source, HISTORY_TABLES)
