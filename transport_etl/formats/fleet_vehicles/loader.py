"""Format ``fleet-vehicles``: the vehicle register, a small CSV under options.columns (id, registration,
model, battery_kwh, depot, lat, lon, x, y) → staging.fleet_vehicle_record → unified.fleet_vehicle. The
battery capacity turns a trip's state-of-charge drop into energy, so a vehicle without a plausible one
(1–250 kWh) is quarantined."""

from __future__ import annotations

from pathlib import Path

from transport_etl.ingest.context import LoadContext
from transport_etl.mapped_records import KeyedFile, number

HERE = Path(__file__).parent
FIELDS = ("id", "registration", "model", "battery_kwh", "depot", "lat", "lon", "x", "y")
COLS = ["feed_version_id", "source_file", "line_no", "vehicle_id", "registration", "model", "battery_kwh",
        "home_depot", "x", "y", "location_note"]


def load(ctx: LoadContext) -> None:
    f = KeyedFile(ctx, FIELDS, "vehicle", key_column="id")

    def records():
        for line_no, get, raw, vid in f.keyed_rows():
            try:
                kwh = number(get("battery_kwh"))
                x, y, note = f.position(get)
            except (ValueError, TypeError) as exc:
                f.reject(line_no, "invalid_value", f"vehicle {vid}: {exc}", raw)
                continue
            if kwh is None or not 1 <= kwh <= 250:
                f.reject(line_no, "invalid_value", f"vehicle {vid}: battery capacity {kwh} kWh is not 1..250", raw)
                continue
            f.position_notice(line_no, vid, x, note)
            f.accept(vid)
            yield (ctx.feed_version_id, f.name, line_no, vid, get("registration"), get("model"), kwh, get("depot"), x,
                   y, note)

    f.stage("staging.fleet_vehicle_record", COLS, records())


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish.sql")
