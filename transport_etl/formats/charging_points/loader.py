"""Format ``charging-points``: a CSV (or JSON lines) list of charging stations under a column mapping
(options.columns: id, name, operator, address, municipality, lat, lon, x, y, connectors, power,
charge_points; options.units.power kW|W) → staging.fleet_charging_point_record → unified.fleet_charging_point.
options.access says whose stations they are: public (the national register, default) or private (the
region's depot chargers). Positions go through the one position rule (transport_etl.positions).
"""

from __future__ import annotations

from pathlib import Path

from transport_etl.errors import InputRejected
from transport_etl.ingest.context import LoadContext
from transport_etl.mapped_records import KeyedFile, number

HERE = Path(__file__).parent
FIELDS = ("id", "name", "operator", "address", "municipality", "lat", "lon", "x", "y", "connectors", "power",
          "charge_points")
COLS = ["feed_version_id", "source_file", "line_no", "point_id", "name", "operator", "address", "municipality",
        "connectors", "power_kw", "charge_points", "access", "x", "y", "location_note"]


def load(ctx: LoadContext) -> None:
    access = str(ctx.options.get("access", "public"))
    if access not in ("public", "private"):
        raise InputRejected(f"options.access must be public or private, not {access!r}", code="invalid_mapping")
    f = KeyedFile(ctx, FIELDS, "charging station", key_column="id")

    def records():
        for line_no, get, raw, pid in f.keyed_rows():
            try:
                power = f.map.scale("power", number(get("power")))
                points = number(get("charge_points"))
                x, y, note = f.position(get)
            except (ValueError, TypeError) as exc:
                f.reject(line_no, "invalid_value", f"station {pid}: {exc}", raw)
                continue
            if power is not None and not 0 < power <= 1000:
                f.reject(line_no, "invalid_value", f"station {pid}: power {power:g} kW outside 0..1000", raw)
                continue
            f.position_notice(line_no, pid, x, note)
            f.accept(pid)
            yield (ctx.feed_version_id, f.name, line_no, pid, get("name"), get("operator"), get("address"),
                   get("municipality"), get("connectors"), power, int(points) if points is not None else None,
                   access, x, y, note)

    f.stage("staging.fleet_charging_point_record", COLS, records())


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish.sql")
