"""Format datex2: DATEX II v2/v3 SituationPublication (NDIC, national access points) → staging.road_event → unified road_event
located on the current road network."""

from __future__ import annotations

from transport_etl.errors import InputRejected
from transport_etl.formats.datex2.locations import notice_location_kinds
from transport_etl.formats.datex2.parser import EventRecord, Publication, parse
from transport_etl.ingest.context import LoadContext
from transport_etl.ingest.update_modes import CUMULATIVE, update_mode
from transport_etl.lineage import ledger
from transport_etl.roads import events
from transport_etl.roads.alertc import locate_alertc_events
from transport_etl.roads.times import INVALID, event_time
from transport_etl.xmlsafe import DEFAULT_MAX_BYTES


def _row(ctx: LoadContext, file_name: str, r: EventRecord) -> tuple:
    return (
        ctx.feed_version_id, r.line_no, file_name, r.xml_path, r.local_id, r.situation_id, r.situation_version,
        r.record_version, r.record_type, r.event_type, r.status, r.starts_at, r.ends_at, r.road_number,
        r.road_number_raw, r.comment, r.impact, events.as_json(r.sections), r.chainage_from_km, r.chainage_to_km,
        events.point_ewkt(r.start_point), events.point_ewkt(r.end_point), r.location_methods,
        events.as_json(r.raw_location), events.as_json(r.attributes),
    )


def load(ctx: LoadContext) -> None:
    path = ctx.path
    if path.is_dir():
        found = sorted(p for p in path.rglob("*.xml"))
        if len(found) != 1:
            raise InputRejected(f"expected one DATEX II .xml file in folder {path.name}, found {len(found)}",
                                code="missing_input")
        path = found[0]
    stats = ctx.file(path.name)
    pub = Publication()
    seen: set[str] = set()

    def rows():
        for rec in parse(path, pub, int(ctx.options.get("max_bytes", DEFAULT_MAX_BYTES))):
            stats.rows_in += 1
            if rec.local_id in seen:
                ctx.reject(path.name, rec.line_no, "duplicate_key",
                           f"situationRecord {rec.local_id} appears more than once", rec.xml_path)
                continue
            if not _times(ctx, path.name, rec):
                continue
            seen.add(rec.local_id)
            for m in dict.fromkeys(x for x in rec.location_methods or [] if x.startswith("position_refused:")):
                ctx.notice(m.split(":", 1)[1], "WARNING", f"{path.name} line {rec.line_no}: situationRecord "
                           f"{rec.local_id}: position not placed ({m.split(':', 1)[1]})", file_name=path.name,
                           line_no=rec.line_no, entity_key=rec.local_id)
            notice_location_kinds(ctx, path.name, rec)
            stats.rows_loaded += 1
            yield _row(ctx, path.name, rec)

    n = ctx.copy_rows("staging.road_event", events.COLUMNS, rows())
    ctx.count("staging.road_event", n)
    _carry(ctx)
    ctx.feed_label = pub.publication_time
    if n == 0:
        ctx.notice("empty_publication", "INFO", "SituationPublication with no situation records",
                   file_name=path.name)


def _times(ctx: LoadContext, file_name: str, rec: EventRecord) -> bool:
    """The record's validity times under the one rule (roads/times.py): False (and the record quarantined)
    when one is no time, which COPY into timestamptz would otherwise fail on; a zone-less one is read as
    Europe/Prague with a notice."""
    for attr, what in (("starts_at", "overallStartTime"), ("ends_at", "overallEndTime")):
        t = event_time(getattr(rec, attr), what)
        if t.note == INVALID:
            ctx.reject(file_name, rec.line_no, INVALID, f"situationRecord {rec.local_id}: {t.message}", rec.xml_path)
            return False
        if t.note:
            ctx.notice(t.note, "WARNING", f"situationRecord {rec.local_id}: {t.message}", file_name=file_name,
                       line_no=rec.line_no, field_name=what, entity_key=rec.local_id)
        setattr(rec, attr, t.iso)
    return True


def _carry(ctx: LoadContext) -> None:
    """Cumulative sources (catalog ``update_mode: cumulative``, for feeds that publish updates rather
    than snapshots): the records in force in the version this one applies on, and not repeated by this
    publication, stay until their end time; a repeated record is replaced by its new version."""
    if update_mode(ctx.source) != CUMULATIVE:
        return
    current = ledger.current_version(ctx.conn, ctx.source.id)
    if current is None:
        return
    cols = ", ".join(c for c in events.COLUMNS if c != "feed_version_id")
    carried = ctx.conn.execute(
        f"""INSERT INTO staging.road_event (feed_version_id, {cols})
            SELECT %(fv)s, {cols} FROM staging.road_event o
             WHERE o.feed_version_id = %(previous)s AND (o.ends_at IS NULL OR o.ends_at > now())
               AND NOT EXISTS (SELECT 1 FROM staging.road_event n
                                WHERE n.feed_version_id = %(fv)s AND n.local_id = o.local_id)""",
        {"fv": ctx.feed_version_id, "previous": current.id},
    ).rowcount
    ctx.applied_on = current.id
    if carried:
        ctx.count("staging.road_event", carried)
        ctx.notice("records_carried", "INFO", f"{carried} record(s) of feed version {current.id} still in force "
                   "and not repeated by this update: kept")


def publish(ctx: LoadContext) -> None:
    locate_alertc_events(ctx)       # ALERT-C-only records get points from the current location table
    events.locate_and_publish(ctx)
