"""Format ``fleet-vehicles``: the vehicle register, a small CSV under options.columns (id, registration,
model, battery_kwh, depot, lat, lon, x, y) → staging.fleet_vehicle_record → unified.fleet_vehicle. The
battery capacity turns a trip's state-of-charge drop into energy, so a vehicle without a plausible one
(1–250 kWh) is quarantined."""

from __future__ import annotations

import hashlib
from pathlib import Path

from transport_etl.db.copy import copy_rows
from transport_etl.errors import InputRejected
from transport_etl.ingest.context import LoadContext
from transport_etl.mapped_records import ColumnMap, Placer, coordinate, csv_header, getter, number, open_rows

HERE = Path(__file__).parent
FIELDS = ("id", "registration", "model", "battery_kwh", "depot", "lat", "lon", "x", "y")
COLS = ["feed_version_id", "source_file", "line_no", "vehicle_id", "registration", "model", "battery_kwh",
        "home_depot", "x", "y", "location_note"]


def load(ctx: LoadContext) -> None:
    path = Path(ctx.path)
    if path.is_dir():
        raise InputRejected(f"{path.name}: fleet-vehicles reads one CSV file, not a folder", code="missing_input")
    m = ColumnMap.from_options(ctx.options, FIELDS)
    placer = Placer(ctx.options, ctx.source.crs)
    name = path.name
    stats = ctx.file(name)
    stats.sha256, stats.size_bytes = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_size
    kind, rows = open_rows(path, ctx.source.encoding, ctx.options.get("delimiter"))
    if kind == "csv" and m.columns["id"] not in csv_header(path, ctx.source.encoding, ctx.options.get("delimiter")):
        raise InputRejected(f"{name}: no vehicle id column {m.columns['id']!r}; set options.columns.id",
                            code="missing_required_column")
    c, seen = m.columns, set()

    def records():
        for line_no, row, raw in rows:
            stats.rows_in += 1
            get = getter(row, c)
            vid = get("id")
            if vid is None:
                ctx.reject(name, line_no, "missing_required_field", f"no vehicle id (column {c['id']!r})", raw)
                continue
            if vid in seen:
                ctx.reject(name, line_no, "duplicate_key", f"vehicle {vid} is listed twice", raw)
                continue
            try:
                kwh = number(get("battery_kwh"))
                lat, lon = coordinate(get("lat")), coordinate(get("lon"))
                x, y, note = placer.lat_lon(lat, lon) if (lat, lon) != (None, None) else placer.x_y(
                    coordinate(get("x")), coordinate(get("y")))
            except (ValueError, TypeError) as exc:
                ctx.reject(name, line_no, "invalid_value", f"vehicle {vid}: {exc}", raw)
                continue
            if kwh is None or not 1 <= kwh <= 250:
                ctx.reject(name, line_no, "invalid_value", f"vehicle {vid}: battery capacity {kwh} kWh is not 1..250",
                           raw)
                continue
            seen.add(vid)
            stats.rows_loaded += 1
            yield (ctx.feed_version_id, name, line_no, vid, get("registration"), get("model"), kwh, get("depot"), x, y,
                   note)

    ctx.count("staging.fleet_vehicle_record", copy_rows(ctx.conn, "staging.fleet_vehicle_record", COLS, records()))
    if not seen:
        raise InputRejected("no usable vehicle in the register", code="empty_feed")


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish.sql")
