"""Format road-closures: ŘSD closure GeoJSON (DDR layer) → staging.road_event → unified road_event
located on the current road network (by ROAD_ID, else by projecting the closure geometry)."""

from __future__ import annotations

from transport_etl.boundaries import Limits
from transport_etl.crs import transformer_to_5514
from transport_etl.formats.road_closures.reader import read_closures
from transport_etl.ingest.context import LoadContext
from transport_etl.roads import events, ogr


def load(ctx: LoadContext) -> None:
    info = ogr.layer_info(ctx.path, ctx.options.get("layer"), limits=Limits.of(ctx.options))
    crs, notes = ogr.layer_crs(info, ctx.source.crs or "EPSG:4326")  # GeoJSON is WGS84 unless it says
    for code, message in notes:
        ctx.notice(code, "WARNING", message, file_name=info.file_name)
    reproject = transformer_to_5514(crs)
    stats = ctx.file(info.file_name)
    seen: set[str] = set()

    def rows():
        for line_no, rec, reason, raw in read_closures(info, reproject, ctx.options.get("id_field"), crs,
                                                       ctx.options):
            stats.rows_in += 1
            if rec is None:
                code, message = reason or ("missing_location", "unusable")
                ctx.reject(info.file_name, line_no, code, message, raw)
                continue
            if rec["local_id"] in seen:
                ctx.reject(info.file_name, line_no, "duplicate_key", f"closure {rec['local_id']} repeated", raw)
                continue
            seen.add(rec["local_id"])
            for code, message, field_name in rec["notes"]:
                ctx.notice(code, "WARNING", f"closure {rec['local_id']}: {message}", file_name=info.file_name,
                           line_no=line_no, field_name=field_name, entity_key=rec["local_id"])
            stats.rows_loaded += 1
            yield (
                ctx.feed_version_id, line_no, info.file_name, None, rec["local_id"], None, None, None,
                rec["record_type"], rec["event_type"], rec["status"], rec["starts_at"], rec["ends_at"],
                rec["road_number"], rec["road_number_raw"], rec["comment"], rec["impact"],
                events.as_json(rec["sections"]), rec["chainage_from_km"], rec["chainage_to_km"],
                events.point_ewkt(rec["start_point"]), events.point_ewkt(rec["end_point"]),
                rec["location_methods"], events.as_json(rec["raw_location"]), events.as_json(rec["attributes"]),
            )

    n = ctx.copy_rows("staging.road_event", events.COLUMNS, rows())
    ctx.count("staging.road_event", n)


def publish(ctx: LoadContext) -> None:
    events.locate_and_publish(ctx)
