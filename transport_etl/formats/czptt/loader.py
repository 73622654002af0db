"""Format `czptt`: CZPTT train path messages → staging.czptt_* → unified operator, line, journey,
call, service calendar/day, stop place/point, and the rail network (transport_node/link).

Input: one XML file, the annual zip of XML files, monthly ``*.xml.zip`` (gzip) files, or a folder
of them. Options:
  max_message_bytes   bound for one unpacked message (default 32 MiB)
  operator_names      {ResponsibleRU code: name}; known codes are built in
  sr70_source         take station positions only from this SR70 source id (default: any current one)
  rail_layer          OGR-readable file of rail lines: transport_link rows come from it instead of
                      straight lines between stations (rail_layer_id_field, _name_field, _line_field,
                      rail_layer_snap_m for station nodes at link ends, default 150 m)
"""

from __future__ import annotations

import json
from pathlib import Path

from transport_etl import xmlsafe
from transport_etl.boundaries import excerpt
from transport_etl.errors import InputRejected
from transport_etl.formats.czptt import calendar, carry, inputs, network, parse
from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent
_BATCH = 20_000
_MESSAGE_SUFFIXES = (".xml", ".xml.zip", ".xml.gz", ".gz")

# Railway undertakings by ResponsibleRU code; the catalog option operator_names adds or overrides.
KNOWN_OPERATORS = {"1154": "České dráhy, a.s.", "0054": "Správa železnic, státní organizace"}

LOCATION_COLUMNS = [
    "feed_version_id", "msg_no", "seq", "source_file", "xml_path", "location_type", "country", "primary_code",
    "sr70", "name", "subsidiary_code", "subsidiary_type", "arrival_time", "arrival_offset", "departure_time",
    "departure_offset", "arrival_s", "departure_s", "dwell_min", "responsible_ru", "responsible_im", "train_type",
    "traffic_type", "commercial_type", "train_number", "activities", "is_public", "params",
]
MESSAGE_COLUMNS = [
    "feed_version_id", "msg_no", "source_file", "message_kind", "pa_key", "pa_company", "pa_core", "pa_variant",
    "pa_year", "tr_key", "related_pa_key", "created_at", "bitmap", "start_date", "end_date", "day_shift",
    "train_number", "train_name", "traffic_type", "commercial_type", "category", "route_type", "mode",
    "responsible_ru", "location_count", "public_count", "status",
]


def _location_row(fv: int, msg_no: int, source_file: str, loc: parse.Location) -> tuple:
    return (fv, msg_no, loc.seq, source_file, loc.xml_path, loc.location_type, loc.country, loc.primary_code,
            loc.sr70, loc.name, loc.subsidiary_code, loc.subsidiary_type, loc.arrival_time, loc.arrival_offset,
            loc.departure_time, loc.departure_offset, loc.arrival_s, loc.departure_s, loc.dwell_min,
            loc.responsible_ru, loc.responsible_im, loc.train_type, loc.traffic_type, loc.commercial_type,
            loc.train_number, loc.activities, loc.is_public,
            json.dumps(loc.params, ensure_ascii=False) if loc.params else None)


def read_messages(ctx: LoadContext) -> tuple[list[calendar.Header], list[tuple]]:
    """Parse every message, streaming locations into staging; returns merge headers and message rows."""
    limit = int(ctx.options.get("max_message_bytes", inputs.DEFAULT_MAX_MESSAGE_BYTES))
    headers: list[calendar.Header] = []
    messages: list[tuple] = []
    buffer: list[tuple] = []
    blobs = inputs.iter_blobs(Path(ctx.path), limit)
    single = _single_message_input(Path(ctx.path))
    n_blobs = 0
    for blob in blobs:
        n_blobs += 1
        if blob.kind != "xml" and not single and not blob.name.lower().endswith(_MESSAGE_SUFFIXES):
            # A readme or checksum file beside the messages: not a record, but say that it was seen.
            ctx.notice("unknown_file_ignored", "INFO", f"{blob.name} is neither XML nor a message archive: ignored",
                       blob.name)
            continue
        stats = ctx.file(blob.container)
        stats.rows_in += 1
        stats.size_bytes = (stats.size_bytes or 0) + len(blob.data)
        try:
            if blob.kind != "xml":
                raise xmlsafe.BadXml(f"{blob.name} is not XML")
            msg = parse.parse_message(xmlsafe.parse(blob.data, blob.name))
        except (xmlsafe.BadXml, parse.MessageError) as exc:
            reason = str(exc) if str(exc).startswith(blob.name) else f"{blob.name}: {exc}"
            code = "invalid_xml" if isinstance(exc, xmlsafe.BadXml) else "invalid_czptt"
            if single:
                raise InputRejected(reason, code=code) from exc
            # Booked under the file its statistics count (the reason names the member). The quoted bytes: the
            # shared short excerpt, and none of a member that is not XML (it may be any file at all).
            ctx.reject(blob.container, None, code, reason, excerpt(blob.data) if blob.kind == "xml" else None,
                       size_bytes=len(blob.data))
            continue
        msg_no = len(headers) + 1
        attrs = parse.train_attributes(msg)
        shift = parse.day_shift(msg)
        problem = calendar.bitmap_length_problem(msg.bitmap, msg.start, msg.end)
        if problem:
            ctx.notice("bitmap_length_mismatch", "WARNING", problem + "; the bitmap is used", blob.name,
                       entity_key=msg.pa.key, field_name="BitmapDays")
        if msg.kind == "path" and not msg.public:
            ctx.notice("path_without_public_stops", "INFO", "no public stop on this path: no calls",
                       blob.name, entity_key=msg.pa.key)
        for loc in msg.locations:
            if loc.primary_code and loc.sr70 is None and (loc.country or "CZ") == "CZ":
                ctx.notice("invalid_sr70_code", "WARNING", f"LocationPrimaryCode {loc.primary_code!r} is not an SR70 code",
                           blob.name, field_name="LocationPrimaryCode", entity_key=loc.xml_path)
            if loc.is_public and loc.sr70 is None:
                ctx.notice("stop_without_sr70", "INFO", f"public stop {loc.name or loc.primary_code} "
                           f"({loc.country}) has no SR70 code: its call has no stop point", blob.name,
                           field_name="LocationPrimaryCode", entity_key=loc.xml_path)
            buffer.append(_location_row(ctx.feed_version_id, msg_no, blob.name, loc))
        headers.append(calendar.Header(msg_no, msg.kind, msg.pa.key, msg.created, msg.bitmap, msg.start,
                                       blob.name, shift))
        messages.append((
            ctx.feed_version_id, msg_no, blob.name, msg.kind, msg.pa.key, msg.pa.company, msg.pa.core,
            msg.pa.variant, msg.pa.year, msg.tr.key if msg.tr else None, msg.related.key if msg.related else None,
            msg.created, msg.bitmap, msg.start, msg.end, shift, attrs.train_number, attrs.train_name,
            attrs.traffic_type, attrs.commercial_type, attrs.category, attrs.route_type, attrs.mode,
            attrs.responsible_ru, len(msg.locations), len(msg.public),
        ))
        stats.rows_loaded += 1
        if len(buffer) >= _BATCH:
            ctx.count("staging.czptt_location", ctx.copy_rows("staging.czptt_location", LOCATION_COLUMNS, buffer))
            buffer = []
    if buffer:
        ctx.count("staging.czptt_location", ctx.copy_rows("staging.czptt_location", LOCATION_COLUMNS, buffer))
    if n_blobs == 0:
        raise InputRejected("no files found in the input", code="missing_input")
    return headers, messages


def _single_message_input(path: Path) -> bool:
    """A single file that is not a zip holds one message: it stands or falls as a whole."""
    if not path.is_file():
        return False
    with path.open("rb") as f:
        return inputs.sniff(f.read(64)) != "zip"


def load(ctx: LoadContext) -> None:
    headers, messages = read_messages(ctx)
    if not headers:
        raise InputRejected("no readable CZPTT message in the input", code="no_messages")
    # Cumulative mode: the messages still in force come first, then this file's (see carry.py).
    previous = carry.applies_on(ctx)
    first_carried = len(messages) + 1
    newest = max(h.created for h in headers)
    carried = carry.carry(ctx.conn, ctx.feed_version_id, previous, first_carried, newest) if previous else []
    ctx.applied_on = previous
    merged = calendar.merge(carried + headers)
    for code, severity, message, file_name, key in merged.notices:
        ctx.notice(code, severity, message, file_name, entity_key=key)
    rows = [(*m, merged.status.get(m[1])) for m in messages]
    ctx.count("staging.czptt_message", ctx.copy_rows("staging.czptt_message", MESSAGE_COLUMNS, rows))
    if carried:
        carry.set_status(ctx.conn, ctx.feed_version_id, merged.status, first_carried)
    # The calendars are built in SQL from the staged bitmaps (publish.sql); the merge's dates give coverage.
    all_days = [d for dates in merged.service_dates.values() for d in dates]
    if all_days:
        ctx.coverage_from, ctx.coverage_to = min(all_days), max(all_days)
    years = sorted({m[8] for m in messages})
    ctx.feed_label = ", ".join(f"GVD{y}" for y in years)
    network.read_layer(ctx)
    # Fresh statistics, or the planner takes the new rows for one and joins them by nested loops.
    ctx.analyze("staging.czptt_message", "staging.czptt_location")


def publish(ctx: LoadContext) -> None:
    names = {**KNOWN_OPERATORS, **{str(k): str(v) for k, v in (ctx.options.get("operator_names") or {}).items()}}
    ctx.run_sql_file(HERE / "stations.sql", {"sr70_source": ctx.options.get("sr70_source")})
    ctx.run_sql_file(HERE / "publish.sql", {"operator_names": json.dumps(names, ensure_ascii=False)})
    network.publish(ctx)
