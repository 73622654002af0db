"""Format ``fleet-telemetry``: position and state records of fleet vehicles → staging.fleet_telemetry_record
(raw, personal data, kept for options.retention_days) → unified.fleet_trip (segmented in SQL: a stop longer
than options.trip_stop_min ends a trip; energy from the state-of-charge drop × battery capacity; matched
onto road links with pgRouting).

The input is a file or a folder of files (.csv, .jsonl/.ndjson/.json, .gpx), e.g. one per vehicle and month.
Each file streams through COPY as text (a CSV export as it is: fastcopy.py) and stage.sql types and checks
its records set-wise; a record it refuses is quarantined with its file and line.
"""

from __future__ import annotations

from pathlib import Path

import psycopg

from transport_etl.boundaries import Limits, line_rejecter
from transport_etl.db.sqlfile import run_sql_file
from transport_etl.errors import InputRejected
from transport_etl.formats.fleet_telemetry import fastcopy, reader
from transport_etl.ingest.context import HELD_DURING_COPY, LoadContext
from transport_etl.mapped_records import ColumnMap, file_digest, open_rows
from transport_etl.problems import Problem
from transport_etl.roads.routing import match_trips

HERE = Path(__file__).parent
SUFFIXES = (".csv", ".jsonl", ".ndjson", ".json", ".gpx", ".txt")
DEFAULT_STOP_MIN = 10.0   # a stop longer than this ends a trip
DEFAULT_MOVING_KMH = 3.0  # below this a record counts as standing
DEFAULT_MIN_TRIP_KM = 0.3  # shorter movements (car park manoeuvres) are not trips
GPX_SPEED_FACTOR = 3.6  # GPX speeds are m/s by the schema, whatever the catalog says for the vendor's CSV
TEXT_TABLE = ("CREATE TEMP TABLE tmp_fleet_in (line_no integer, raw text, "
              + ", ".join(f"{f} text" for f in reader.FIELDS) + ") ON COMMIT DROP")


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
    for f in input_files(path):
        name = str(f.relative_to(path)) if path.is_dir() else f.name
        _load_file(ctx, f, name, m)
    if not sum(s.rows_loaded for s in ctx.files.values()):
        raise InputRejected("no usable telemetry record in the input", code="empty_feed")
    _position_notices(ctx, m)


def _load_file(ctx: LoadContext, f: Path, name: str, m: ColumnMap) -> None:
    stats = ctx.file(name)
    stats.sha256, stats.size_bytes = file_digest(f)
    factors = dict(m.factors)
    if f.suffix.lower() == ".gpx":
        vehicle = ctx.options.get("vehicle") or reader.gpx_vehicle(f, ctx.options.get("gpx_vehicle_pattern"))
        factors["speed"] = GPX_SPEED_FACTOR
        _copy_text(ctx, name, reader.read_gpx(f))
    else:
        vehicle = ctx.options.get("vehicle")
        kind, _rows = open_rows(f, ctx.source.encoding, ctx.options.get("delimiter"), ctx, name)  # refuses empty files
        if kind != "csv" or not _fast_csv(ctx, f, name, m):
            _copy_text(ctx, name, reader.read_tabular(f, m.columns, ctx.source.encoding, ctx.options.get("delimiter"),
                                                      ctx, name))
    loaded = _stage(ctx, name, m, factors, vehicle)
    stats.rows_loaded += loaded
    stats.rows_in += loaded
    # The checks run once more, for their messages, only when some record was refused.
    if ctx.conn.execute("SELECT count(*) FROM tmp_fleet_in").fetchone()[0] > loaded:
        for line_no, code, message, raw in ctx.conn.execute(
                "SELECT line_no, problem, message, raw FROM tmp_fleet_checked WHERE problem IS NOT NULL ORDER BY line_no"):
            stats.rows_in += 1
            ctx.report(Problem(code, message, line_no=line_no, severity="REJECT", raw=raw), file_name=name)
    # Views before the table under them (a CSV's tmp_fleet_in is a view over tmp_fleet_raw).
    ctx.conn.execute("DROP VIEW tmp_fleet_checked")
    kind = ctx.conn.execute("SELECT relkind FROM pg_class WHERE oid = 'tmp_fleet_in'::regclass").fetchone()[0]
    ctx.conn.execute("DROP VIEW tmp_fleet_in" if kind == "v" else "DROP TABLE tmp_fleet_in")
    ctx.conn.execute("DROP TABLE IF EXISTS tmp_fleet_raw")
    ctx.count("staging.fleet_telemetry_record", loaded)
    ctx.log(f"[{ctx.source.id}] {name}: {stats.rows_loaded:,} records, {stats.rows_rejected:,} rejected")


def _fast_csv(ctx: LoadContext, f: Path, name: str, m: ColumnMap) -> bool:
    """Stage a CSV export through the fast path; False (nothing kept) when it cannot take the file. An
    over-long line is quarantined by the shared rule (once per file and line, whichever path reads it)."""
    report = line_rejecter(ctx, name, ctx.source.format)

    def quarantine(kind: str, line_no: int, nbytes: int, head: bytes) -> None:
        report(kind, line_no, nbytes, head)
        if ctx.evidence_pending > HELD_DURING_COPY:
            # held while the COPY holds the connection: the record-by-record path writes it as it goes
            raise fastcopy.Fallback(f"over {HELD_DURING_COPY:,} lines quarantined")

    try:
        with ctx.conn.transaction():  # a savepoint: a refused COPY leaves nothing behind
            fastcopy.stage_csv(ctx.conn, f, m.columns, ctx.options.get("delimiter"), ctx.source.encoding,
                               Limits.of(ctx.source.options).max_line_bytes, quarantine)
    except (fastcopy.Fallback, psycopg.errors.DataError) as exc:
        ctx.log(f"[{ctx.source.id}] {f.name}: read record by record ({str(exc).splitlines()[0][:120]})")
        return False
    return True


def _copy_text(ctx: LoadContext, name: str, records) -> None:
    """Records read in Python (JSON lines, GPX, a CSV the fast path cannot take) → tmp_fleet_in as text."""
    stats = ctx.file(name)
    ctx.conn.execute(TEXT_TABLE)

    def rows():
        for r in records:
            if isinstance(r, Problem):
                stats.rows_in += 1
                ctx.report(r, file_name=name)
                continue
            line_no, raw, fields = r
            # PostgreSQL text cannot hold NUL: U+FFFD keeps the record, which the checks then refuse or note
            yield (line_no, _no_nul(raw), *(_no_nul(v) for v in fields))

    ctx.copy_rows("tmp_fleet_in", ["line_no", "raw", *reader.FIELDS], rows())


def _no_nul(v: str | None) -> str | None:
    return v.replace("\x00", "\ufffd") if v and "\x00" in v else v


def _srid(crs: str | None) -> int:
    code = str(crs or "EPSG:4326").upper().rsplit(":", 1)[-1]
    try:
        return int(code)
    except ValueError as exc:
        raise InputRejected(f"crs {crs!r}: only EPSG codes are understood for telemetry x/y",
                            code="invalid_mapping") from exc


def _stage(ctx: LoadContext, name: str, m: ColumnMap, factors: dict[str, float], vehicle: str | None) -> int:
    """stage.sql over tmp_fleet_in; the records it staged. A well-shaped but impossible time (30 February)
    makes the fast time check raise: the file is checked again with the slower exact one."""
    params = {"file": name, "vehicle": vehicle, "tz": m.timezone, "max_speed": reader.MAX_SPEED_KMH,
              "f_speed": factors.get("speed", 1.0), "f_odometer": factors.get("odometer", 1.0),
              "f_soc": factors.get("soc", 1.0), "srid": _srid(ctx.source.crs),
              "col_vehicle": m.columns["vehicle"], "col_time": m.columns["time"]}
    try:
        with ctx.conn.transaction():
            return run_sql_file(ctx.conn, HERE / "stage.sql", {**ctx.params, **params, "checked": False})
    except psycopg.errors.DataError:
        return run_sql_file(ctx.conn, HERE / "stage.sql", {**ctx.params, **params, "checked": True})


def _position_notices(ctx: LoadContext, m: ColumnMap) -> None:
    """A notice with file and line for every staged position the one position rule did not take as given."""
    field = m.columns["lat"]
    with ctx.conn.cursor() as cur:
        cur.execute("""SELECT source_file, line_no, vehicle_id, location_note, x IS NOT NULL FROM staging.fleet_telemetry_record
                       WHERE feed_version_id = %s AND location_note IS NOT NULL AND location_note <> 'missing_position'
                       ORDER BY source_file, line_no""", (ctx.feed_version_id,))
        for file_name, line_no, vehicle, note, placed in cur:
            severity = "INFO" if note in ("sjtsk_sign_corrected", "sjtsk_axes_swapped") else "WARNING"
            how = "placed, flagged" if placed else "not placed"
            ctx.notice(note, severity, f"vehicle {vehicle}: position {how} ({note})", file_name=file_name,
                       line_no=line_no, field_name=field, entity_key=vehicle)


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
    # trips.sql left the facts of the records it read (after dropping repeated vehicle-and-time records)
    n, records, first_at, last_at = ctx.conn.execute(
        """SELECT (SELECT count(*) FROM unified.fleet_trip WHERE feed_version_id = %s), records, first_at, last_at
           FROM tmp_fleet_load_facts""", (fv,)).fetchone()
    ctx.conn.execute("DROP TABLE tmp_fleet_load_facts")
    dupes = ctx.tables["staging.fleet_telemetry_record"] - records
    ctx.count("unified.fleet_trip", n)
    if dupes:
        ctx.notice("duplicate_key", "WARNING", f"{dupes:,} records repeat a vehicle and time: the first one is used")
    if first_at is not None:
        ctx.coverage_from, ctx.coverage_to = first_at.date(), last_at.date()
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
