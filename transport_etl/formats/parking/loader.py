"""Format ``parking``: car parks and their occupancy from a CSV or GeoJSON file (or URL) with a
column mapping in source.options['columns'] → staging.parking_record → unified.parking_facility
(EPSG:5514) and the unified.parking_occupancy time series.

A file may hold one row per facility (a snapshot) or many (a history: one row per facility and
time); the facility takes the attributes of its newest row. Unchanged facilities keep their row.
"""

from __future__ import annotations

from pathlib import Path

from transport_etl import positions
from transport_etl.errors import InputRejected
from transport_etl.formats.parking import reader
from transport_etl.ingest.context import LoadContext
from transport_etl.ingest.poll import finish_poll, start_poll
from transport_etl.mapped_records import counted, file_digest

HERE = Path(__file__).parent
COLS = ["feed_version_id", "source_file", "line_no", "facility_id", "name", "capacity", "free_places",
        "observed_at", "x", "y", "srid", "raw", "location_note"]


def column_map(ctx_options, source_crs: str | None) -> reader.ColumnMap:
    return reader.ColumnMap.from_options(ctx_options, source_crs)


def load(ctx: LoadContext) -> None:
    path = Path(ctx.path)
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.suffix.lower() in (".csv", ".geojson", ".json", ".xml"))
        if not files:
            raise InputRejected(f"{path.name}: no .csv/.geojson/.json/.xml parking file", code="missing_input")
        for other in sorted(p for p in path.iterdir() if p.is_file() and p not in files):
            ctx.notice("unused_file", "INFO", f"{other.name} is not read (not .csv/.geojson/.json/.xml)",
                       file_name=other.name)
    else:
        files = [path]
    m = column_map(ctx.options, ctx.source.crs)
    seen: set[tuple[str, object]] = set()
    for f in files:
        _load_file(ctx, f, m, seen)
    if not seen:
        raise InputRejected("no usable parking record in the input", code="empty_feed")


def _load_file(ctx: LoadContext, f: Path, m: reader.ColumnMap, seen: set) -> None:
    name = f.name
    stats = ctx.file(name)
    stats.sha256, stats.size_bytes = file_digest(f)
    kind, records = reader.read(f, m, ctx.source.encoding, ctx.options.get("delimiter"), ctx)
    fv = ctx.feed_version_id

    def rows():
        for r in counted(ctx, name, records):
            key = (r["facility_id"], r["observed_at"])
            if key in seen:
                ctx.reject(name, r["line_no"], "duplicate_key",
                           f"facility {r['facility_id']} has a second record for {r['observed_at'] or 'no time'}",
                           r["raw"])
                continue
            seen.add(key)
            x, y, srid, note = _placed(ctx, r, name)
            if r["free_places"] is not None and r["capacity"] is not None and r["free_places"] > r["capacity"]:
                ctx.notice("free_places_above_capacity", "WARNING",
                           f"{r['free_places']} free of {r['capacity']} places", file_name=name,
                           line_no=r["line_no"], entity_key=r["facility_id"])
            stats.rows_loaded += 1
            yield (fv, name, r["line_no"], r["facility_id"], r["name"], r["capacity"], r["free_places"],
                   r["observed_at"], x, y, srid, r["raw"], note)

    ctx.count("staging.parking_record", ctx.copy_rows("staging.parking_record", COLS, rows()))
    # lines the shared line rule quarantined (too long, undecodable, NUL) never reached the reader: still input
    stats.rows_in = max(stats.rows_in, stats.rows_loaded + stats.rows_rejected)
    ctx.log(f"[{ctx.source.id}] {name} ({kind}): {stats.rows_loaded} records, {stats.rows_rejected} rejected")


def _placed(ctx: LoadContext, r: dict, name: str) -> tuple[float | None, float | None, int | None, str | None]:
    """The record's position under the one position rule (transport_etl/positions.py), in EPSG:5514."""
    if r["srid"] not in (4326, 5514, 5513):
        return r["x"], r["y"], r["srid"], None  # another CRS: transformed in publish; the table trigger guards it
    p = (positions.place_wgs84(r["y"], r["x"], ctx.options) if r["srid"] == 4326
         else positions.place_5514(r["x"], r["y"], ctx.options))
    positions.report(ctx, p, name, r["line_no"], r["facility_id"])
    return (p.x, p.y, 5514, p.note) if p.placed else (None, None, None, p.note)


def publish(ctx: LoadContext) -> None:
    untimed = ctx.conn.execute(
        "SELECT count(*) FROM staging.parking_record WHERE feed_version_id = %s AND observed_at IS NULL "
        "AND free_places IS NOT NULL", (ctx.feed_version_id,)).fetchone()[0]
    if untimed:
        ctx.notice("missing_timestamp", "INFO", f"{untimed} occupancy readings without a time: recorded at the "
                   "time the file was fetched", field_name=ctx.options.get("columns", {}).get("timestamp"))
    poll_id = start_poll(ctx.conn, ctx.source.id, "parking_occupancy", str(ctx.path), ctx.load_run_id,
                         ctx.feed_version_id)
    ctx.run_sql_file(HERE / "publish.sql", {"poll_run_id": poll_id})
    counts = ctx.conn.execute(
        """SELECT (SELECT count(*) FROM unified.parking_facility WHERE feed_version_id = %(fv)s),
                  (SELECT count(*) FROM unified.parking_occupancy WHERE poll_run_id = %(p)s),
                  (SELECT max(observed_at) FROM unified.parking_occupancy WHERE poll_run_id = %(p)s),
                  (SELECT count(*) FROM unified.parking_facility WHERE feed_version_id = %(fv)s AND geom IS NULL)""",
        {"fv": ctx.feed_version_id, "p": poll_id}).fetchone()
    ctx.count("unified.parking_facility", counts[0])
    ctx.count("unified.parking_occupancy", counts[1])
    if counts[3]:
        ctx.notice("missing_coordinates", "WARNING", f"{counts[3]} facilities without a usable position")
    finish_poll(ctx.conn, poll_id, "ok" if counts[1] else "unchanged", counts[1], counts[2])
