"""Format ``charging-points``: a CSV (or JSON lines) list of charging stations under a column mapping
(options.columns: id, name, operator, address, municipality, lat, lon, x, y, connectors, power,
charge_points; options.units.power kW|W) → staging.fleet_charging_point_record → unified.fleet_charging_point.
options.access says whose stations they are: public (the national register, default) or private (the
region's depot chargers). Positions that are missing, NaN, at 0,0 or outside the region are not placed.
"""

from __future__ import annotations

import hashlib
from pathlib import Path

from transport_etl.db.copy import copy_rows
from transport_etl.errors import InputRejected
from transport_etl.ingest.context import LoadContext
from transport_etl.mapped_records import ColumnMap, Placer, coordinate, csv_header, getter, number, open_rows
from transport_etl.problems import Problem

HERE = Path(__file__).parent
FIELDS = ("id", "name", "operator", "address", "municipality", "lat", "lon", "x", "y", "connectors", "power",
          "charge_points")
COLS = ["feed_version_id", "source_file", "line_no", "point_id", "name", "operator", "address", "municipality",
        "connectors", "power_kw", "charge_points", "access", "x", "y", "location_note"]


def load(ctx: LoadContext) -> None:
    path = Path(ctx.path)
    if path.is_dir():
        raise InputRejected(f"{path.name}: charging-points reads one CSV file, not a folder", code="missing_input")
    access = str(ctx.options.get("access", "public"))
    if access not in ("public", "private"):
        raise InputRejected(f"options.access must be public or private, not {access!r}", code="invalid_mapping")
    m = ColumnMap.from_options(ctx.options, FIELDS)
    placer = Placer(ctx.options, ctx.source.crs)
    name = path.name
    stats = ctx.file(name)
    stats.sha256, stats.size_bytes = hashlib.sha256(path.read_bytes()).hexdigest(), path.stat().st_size
    kind, rows = open_rows(path, ctx.source.encoding, ctx.options.get("delimiter"))
    if kind == "csv":
        header = csv_header(path, ctx.source.encoding, ctx.options.get("delimiter"))
        if m.columns["id"] not in header:
            raise InputRejected(f"{name}: no station id column {m.columns['id']!r}; set options.columns.id",
                                code="missing_required_column")
    seen: set[str] = set()
    c = m.columns

    def records():
        for line_no, row, raw in rows:
            stats.rows_in += 1
            if row is None:
                ctx.report(Problem("invalid_record", "line is not a JSON object", line_no=line_no, severity="REJECT",
                                   raw=raw), file_name=name)
                continue
            get = getter(row, c)
            pid = get("id")
            if pid is None:
                ctx.reject(name, line_no, "missing_required_field", f"no station id (column {c['id']!r})", raw)
                continue
            if pid in seen:
                ctx.reject(name, line_no, "duplicate_key", f"station {pid} is listed twice", raw)
                continue
            try:
                power = m.scale("power", number(get("power")))
                points = number(get("charge_points"))
                lat, lon = coordinate(get("lat")), coordinate(get("lon"))
                x, y, note = placer.lat_lon(lat, lon) if (lat, lon) != (None, None) else placer.x_y(
                    coordinate(get("x")), coordinate(get("y")))
            except (ValueError, TypeError) as exc:
                ctx.reject(name, line_no, "invalid_value", f"station {pid}: {exc}", raw)
                continue
            if power is not None and not 0 < power <= 1000:
                ctx.reject(name, line_no, "invalid_value", f"station {pid}: power {power:g} kW outside 0..1000", raw)
                continue
            if note:
                ctx.notice(note, "WARNING", f"station {pid}: position not placed ({note})", file_name=name,
                           line_no=line_no, entity_key=pid)
            seen.add(pid)
            stats.rows_loaded += 1
            yield (ctx.feed_version_id, name, line_no, pid, get("name"), get("operator"), get("address"),
                   get("municipality"), get("connectors"), power, int(points) if points is not None else None,
                   access, x, y, note)

    ctx.count("staging.fleet_charging_point_record",
              copy_rows(ctx.conn, "staging.fleet_charging_point_record", COLS, records()))
    if not seen:
        raise InputRejected("no usable charging station in the input", code="empty_feed")


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish.sql")
