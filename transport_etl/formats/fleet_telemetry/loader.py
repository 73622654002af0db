"""Format ``fleet-telemetry``: position and state records of fleet vehicles → staging.fleet_telemetry_record
(raw, personal data, kept for options.retention_days) → unified.fleet_trip (segmented in SQL: a stop longer
than options.trip_stop_min ends a trip; energy from the state-of-charge drop × battery capacity; matched
onto road links with pgRouting).

The input is a file or a folder of files (.csv, .jsonl/.ndjson/.json, .gpx), e.g. one per vehicle and month.
"""

from __future__ import annotations

from pathlib import Path

from transport_etl.db.copy import copy_rows
from transport_etl.errors import InputRejected
from transport_etl.formats.fleet_telemetry import reader
from transport_etl.ingest.context import LoadContext
from transport_etl.mapped_records import ColumnMap, Placer, counted, file_digest
from transport_etl.roads.routing import match_trips

HERE = Path(__file__).parent
SUFFIXES = (".csv", ".jsonl", ".ndjson", ".json", ".gpx", ".txt")
COLS = ["feed_version_id", "source_file", "line_no", "vehicle_id", "recorded_at", "x", "y", "location_note",
        "speed_kmh", "odometer_km", "soc_pct", "charging"]
DEFAULT_STOP_MIN = 10.0   # a stop longer than this ends a trip
DEFAULT_MOVING_KMH = 3.0  # below this a record counts as standing
DEFAULT_MIN_TRIP_KM = 0.3  # shorter movements (car park manoeuvres) are not trips


def input_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.rglob("*") if p.is_file() and p.suffix.lower() in SUFFIXES)
        if not files:
            raise InputRejected(f"{path.name}: no telemetry file (.csv, .jsonl, .gpx) in the folder",
                                code="missing_input")
        return files
    return [path]


def load(ctx: LoadContext) -> None:
    path = Path(ctx.path)
    m = ColumnMap.from_options(ctx.options, reader.FIELDS, reader.DEFAULTS)
    placer = Placer(ctx.options, ctx.source.crs)
    for f in input_files(path):
        name = str(f.relative_to(path)) if path.is_dir() else f.name
        _load_file(ctx, f, name, m, placer)
    if not sum(s.rows_loaded for s in ctx.files.values()):
        raise InputRejected("no usable telemetry record in the input", code="empty_feed")


def _load_file(ctx: LoadContext, f: Path, name: str, m: ColumnMap, placer: Placer) -> None:
    stats = ctx.file(name)
    stats.sha256, stats.size_bytes = file_digest(f)
    if f.suffix.lower() == ".gpx":
        vehicle = ctx.options.get("vehicle") or reader.gpx_vehicle(f, ctx.options.get("gpx_vehicle_pattern"))
        records = reader.read_gpx(f, m, placer, vehicle)
    else:
        records = reader.read_tabular(f, m, placer, ctx.source.encoding, ctx.options.get("delimiter"),
                                      ctx.options.get("vehicle"))
    fv = ctx.feed_version_id

    def rows():
        for r in counted(ctx, name, records):
            stats.rows_loaded += 1
            yield (fv, name, r["line_no"], r["vehicle_id"], r["recorded_at"], r["x"], r["y"], r["location_note"],
                   r["speed_kmh"], r["odometer_km"], r["soc_pct"], r["charging"])

    ctx.count("staging.fleet_telemetry_record", copy_rows(ctx.conn, "staging.fleet_telemetry_record", COLS, rows()))
    ctx.log(f"[{ctx.source.id}] {name}: {stats.rows_loaded:,} records, {stats.rows_rejected:,} rejected")


def trip_settings(options) -> dict[str, float]:
    return {"stop_min": float(options.get("trip_stop_min", DEFAULT_STOP_MIN)),
            "moving_kmh": float(options.get("moving_kmh", DEFAULT_MOVING_KMH)),
            "min_trip_km": float(options.get("min_trip_km", DEFAULT_MIN_TRIP_KM))}


def publish(ctx: LoadContext) -> None:
    settings = trip_settings(ctx.options)
    if settings["stop_min"] <= 0:
        raise InputRejected("options.trip_stop_min must be > 0 minutes", code="invalid_mapping")
    ctx.run_sql_file(HERE / "trips.sql", settings)
    fv = ctx.feed_version_id
    n, dupes, span = ctx.conn.execute(
        """SELECT (SELECT count(*) FROM unified.fleet_trip WHERE feed_version_id = %(fv)s),
                  (SELECT count(*) - count(DISTINCT (vehicle_id, recorded_at)) FROM staging.fleet_telemetry_record
                    WHERE feed_version_id = %(fv)s),
                  (SELECT tstzrange(min(recorded_at), max(recorded_at), '[]') FROM staging.fleet_telemetry_record
                    WHERE feed_version_id = %(fv)s)""", {"fv": fv}).fetchone()
    ctx.count("unified.fleet_trip", n)
    if dupes:
        ctx.notice("duplicate_key", "WARNING", f"{dupes:,} records repeat a vehicle and time: the first one is used")
    if span is not None and span.lower is not None:
        ctx.coverage_from, ctx.coverage_to = span.lower.date(), span.upper.date()
    matched = match_trips(ctx.conn, "t.feed_version_id = %(fv)s", {"fv": fv},
                          network_source=ctx.options.get("network_source"))
    ctx.log(f"[{ctx.source.id}] {n:,} trips, {matched:,} matched onto road links")
    unknown = ctx.conn.execute(
        """SELECT count(DISTINCT t.vehicle_id) FROM unified.fleet_trip t WHERE t.feed_version_id = %s
           AND NOT EXISTS (SELECT 1 FROM unified.fleet_vehicle v WHERE v.local_id = t.vehicle_id
                           AND v.recorded_to IS NULL)""", (fv,)).fetchone()[0]
    if unknown:
        ctx.notice("foreign_key_violation", "INFO", f"{unknown} vehicles are not in a vehicle register yet: their "
                   "trips get energy once the register is loaded (fleet analysis)")
    apply_retention(ctx)


def apply_retention(ctx: LoadContext) -> None:
    """Raw records older than options.retention_days (from now) are deleted; trips and aggregates stay."""
    days = ctx.options.get("retention_days")
    if days is None:
        return
    deleted = ctx.conn.execute(
        """DELETE FROM staging.fleet_telemetry_record r USING lineage.feed_version v
           WHERE v.id = r.feed_version_id AND v.source_id = %s AND r.recorded_at < now() - make_interval(days => %s)""",
        (ctx.source.id, int(days))).rowcount
    if deleted:
        ctx.notice("retention_applied", "INFO", f"{deleted:,} raw records older than {int(days)} days deleted "
                   "(trips kept)")
