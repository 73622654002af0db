"""Format alertc-location-table: an ALERT-C location table (ISO 14819-3 exchange files in a folder or
zip) → staging.alertc_location. Nothing goes to unified: the current version is the reference that
DATEX II events with ALERT-C locations are located through (resolve.py)."""

from __future__ import annotations

from transport_etl.boundaries import Limits
from transport_etl.errors import InputRejected
from transport_etl.formats.alertc_location_table.reader import Location, Problem, read_table
from transport_etl.ingest.context import LoadContext
from transport_etl.roads.events import point_ewkt

COLUMNS = ["feed_version_id", "line_no", "source_file", "cid", "tabcd", "lcd", "class", "tcd", "stcd", "type_code",
           "road_number", "road_lcd", "segment_lcd", "area_lcd", "neg_off_lcd", "pos_off_lcd", "name",
           "junction_number", "geom"]


def load(ctx: LoadContext) -> None:
    def warn(code: str, message: str, file_name: str) -> None:
        ctx.notice(code, "WARNING", message, file_name=file_name)

    unused, items = read_table(ctx.path, ctx.source.encoding, warn, Limits.of(ctx.options))
    for name in unused:
        ctx.notice("unused_file", "INFO", f"{name} is not read (location table files used: POINTS, POFFSETS, "
                   "SEGMENTS, SOFFSETS, ROADS, NAMES)", file_name=name)
    seen: set[tuple[int, int]] = set()
    tables: set[int] = set()

    def rows():
        for item in items:
            if isinstance(item, Problem):
                ctx.file(item.file_name).rows_in += 1
                ctx.reject(item.file_name, item.line_no, item.code, item.message, item.raw)
                continue
            loc: Location = item
            stats = ctx.file(loc.source_file)
            stats.rows_in += 1
            if (loc.tabcd, loc.lcd) in seen:
                ctx.reject(loc.source_file, loc.line_no, "duplicate_key",
                           f"location code {loc.lcd} of table {loc.tabcd} appears more than once")
                continue
            seen.add((loc.tabcd, loc.lcd))
            tables.add(loc.tabcd)
            if loc.cls == "P" and loc.point is None and loc.source_file.upper().startswith("POINTS"):
                ctx.notice("missing_coordinates", "WARNING", f"point {loc.lcd} has no coordinates; events "
                           "referring to it cannot be located", file_name=loc.source_file, line_no=loc.line_no,
                           entity_key=str(loc.lcd))
            stats.rows_loaded += 1
            yield (ctx.feed_version_id, loc.line_no, loc.source_file, loc.cid, loc.tabcd, loc.lcd, loc.cls, loc.tcd,
                   loc.stcd, loc.type_code, loc.road_number, loc.road_lcd, loc.segment_lcd, loc.area_lcd,
                   loc.neg_off_lcd, loc.pos_off_lcd, loc.name, loc.junction_number, point_ewkt(loc.point))

    n = ctx.copy_rows("staging.alertc_location", COLUMNS, rows())
    ctx.count("staging.alertc_location", n)
    if n == 0:
        raise InputRejected(f"{ctx.path.name}: no readable locations in the location table", code="empty_input")
    ctx.feed_label = "table " + ", ".join(str(t) for t in sorted(tables))


def publish(ctx: LoadContext) -> None:
    """Offsets that point nowhere break the walk from primary to secondary: list them by line."""
    for file_name, line_no, lcd, side, target in ctx.conn.execute(
            """SELECT l.source_file, l.line_no, l.lcd, x.side, x.target
               FROM staging.alertc_location l
               CROSS JOIN LATERAL (VALUES ('negative', l.neg_off_lcd), ('positive', l.pos_off_lcd)) x(side, target)
               WHERE l.feed_version_id = %s AND x.target IS NOT NULL AND x.target <> 0
                 AND NOT EXISTS (SELECT 1 FROM staging.alertc_location o WHERE o.feed_version_id = l.feed_version_id
                                 AND o.tabcd = l.tabcd AND o.lcd = x.target)
               ORDER BY l.source_file, l.line_no""", (ctx.feed_version_id,)).fetchall():
        ctx.notice("dangling_offset", "WARNING", f"location {lcd}: {side} offset {target} is not in the table",
                   file_name=file_name, line_no=line_no, entity_key=str(lcd))
