"""Format ``jdf``: JDF batches (single zip, folder, or the national zip of batch zips) → staging.jdf_*
→ unified operator, line, journey, call, service calendar/day, stop place/point with lineage.

Source options: ``stop_numbers`` auto | register | local (whether stop numbers are CRZ numbers;
auto decides per batch), ``register_source`` (stop-register source id to position stops from;
default: every current stop-register source).
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from transport_etl.errors import InputRejected
from transport_etl.formats.jdf import positions
from transport_etl.formats.jdf.layouts import COLUMNS, DISTINCTION_COLUMNS, LAYOUTS
from transport_etl.formats.jdf.reader import (
    DEFAULT_ENCODING,
    BadRecord,
    Batch,
    BatchRejected,
    Record,
    check_batch,
    iter_batches,
    read_file,
)
from transport_etl.formats.jdf.semantics import Derived, derive
from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent
LOCATORS = ["feed_version_id", "batch", "source_file", "line_no"]

# Key fields without which a record means nothing: such records are quarantined.
KEY_FIELDS = {
    "zastavky": ("stop_no", "town"),
    "dopravci": ("ico", "name"),
    "linky": ("line_code", "name", "ico"),
    "zaslinky": ("line_code", "tariff_no", "stop_no"),
    "spoje": ("line_code", "trip_no"),
    "zasspoje": ("line_code", "trip_no", "tariff_no", "stop_no"),
    "pevnykod": ("code_no", "symbol"),
    "caskody": ("line_code", "trip_no"),
    "oznacniky": ("stop_no", "post_code"),
}
INT_FIELDS = {"zaslinky": ("tariff_no",), "zasspoje": ("tariff_no",)}
# Keys unique within a batch (plus the line distinction where the version has it): a repeated key would
# duplicate every call of the stop or trip, so the later record is quarantined.
UNIQUE_KEYS = {"zastavky": ("stop_no",), "oznacniky": ("stop_no", "post_code"), "linky": ("line_code",),
               "spoje": ("line_code", "trip_no"), "zasspoje": ("line_code", "trip_no", "tariff_no")}


def _encoding(ctx: LoadContext) -> str:
    return (ctx.source.encoding or DEFAULT_ENCODING).lower()


def load(ctx: LoadContext) -> None:
    """Parse every batch of the input into staging.jdf_* and the derived trip calendars and calls."""
    encoding = _encoding(ctx)
    loaded, labels = 0, []
    for batch in iter_batches(ctx.path):
        try:
            version = check_batch(batch, encoding)
        except BatchRejected as exc:
            if not batch.name:
                raise  # a single batch: the input as a whole is refused
            # One bad batch of a national export is quarantined; the others load.
            ctx.file(batch.name).rows_in += 1
            ctx.reject(batch.name, None, exc.code, str(exc))
            ctx.notice(exc.code, "ERROR", str(exc), file_name=batch.name)
            continue
        label = _load_batch(ctx, batch, version, encoding)
        labels.append(label)
        loaded += 1
    if not loaded:
        raise InputRejected("no usable JDF batch in the input", code="no_jdf_batches")
    ctx.feed_label = labels[0] if len(labels) == 1 else f"{len(labels)} JDF batches"
    ctx.log(f"[{ctx.source.id}] {loaded} JDF batch(es) staged")


def _check_record(stem: str, rec: Record) -> str | None:
    missing = [f for f in KEY_FIELDS.get(stem, ()) if not rec.values.get(f)]
    if missing:
        return f"empty required field(s): {', '.join(missing)}"
    for f in INT_FIELDS.get(stem, ()):
        value = rec.values[f] or ""
        if not (value.isascii() and value.isdigit()):  # str.isdigit alone passes '²', which int() refuses
            return f"{f} {rec.values[f]!r} is not a number"
    return None


def _load_batch(ctx: LoadContext, batch: Batch, version: str, encoding: str) -> str:
    recs: dict[str, list[Record]] = {}
    for stem, enc in sorted(batch.encodings.items()):  # a file not in the declared code page, read right
        ctx.notice("encoding_recognised", "WARNING", f"{batch.path_of(stem)} is not {encoding}: read as {enc}",
                   file_name=batch.path_of(stem))
    for stem in sorted(set(batch.files) - set(LAYOUTS[version])):   # listed, never ignored silently
        ctx.notice("unused_file", "INFO", f"{batch.path_of(stem)} is not a file of JDF {version}: not read",
                   file_name=batch.path_of(stem))
    for stem in LAYOUTS[version]:
        if stem not in batch.files:
            continue
        path = batch.path_of(stem)
        data = batch.files[stem][1]
        stats = ctx.file(path)
        stats.sha256 = hashlib.sha256(data).hexdigest()
        stats.size_bytes = len(data)
        good = []
        keys: dict[tuple, int] = {}
        for item in read_file(batch, stem, encoding):
            stats.rows_in += 1
            if isinstance(item, BadRecord):
                ctx.reject(path, item.line_no, item.code, item.message, item.raw)
                continue
            problem = _check_record(stem, item)
            if problem:
                ctx.reject(path, item.line_no, "missing_required_field" if "empty" in problem else "invalid_value",
                           f"{path} line {item.line_no}: {problem}", item.raw)
                continue
            if stem in UNIQUE_KEYS:
                key = tuple(item.values.get(f) for f in UNIQUE_KEYS[stem]) + tuple(
                    item.values.get(c) for c in DISTINCTION_COLUMNS if c in item.values)
                if key in keys:
                    ctx.reject(path, item.line_no, "duplicate_key", f"{path} line {item.line_no}: "
                               f"{', '.join(UNIQUE_KEYS[stem])} {', '.join(map(str, key))} repeats line {keys[key]}",
                               item.raw)
                    continue
                keys[key] = item.line_no
            good.append(item)
        recs[stem] = good

    derived = derive(recs, str(ctx.options.get("stop_numbers", "auto")), ctx.options.get("holidays"))
    rejected = _report(ctx, batch, derived)

    for stem, items in recs.items():
        path = batch.path_of(stem)
        cols = COLUMNS[stem]
        rows = ((ctx.feed_version_id, batch.name, path, r.line_no, *(r.values.get(c) for c in cols))
                for r in items if (stem, r.line_no) not in rejected)
        n = ctx.copy_rows(f"staging.jdf_{stem}", LOCATORS + cols, rows)
        ctx.file(path).rows_loaded += n
        ctx.count(f"staging.jdf_{stem}", n)
    _stage_derived(ctx, batch, derived)

    if derived.valid_from and (ctx.coverage_from is None or derived.valid_from < ctx.coverage_from):
        ctx.coverage_from = derived.valid_from
    if derived.valid_to and (ctx.coverage_to is None or derived.valid_to > ctx.coverage_to):
        ctx.coverage_to = derived.valid_to
    ver = recs.get("verzejdf") or []
    v = ver[0].values if ver else {}
    return v.get("batch_id") or f"JDF {version}" + (f" {v['created']}" if v.get("created") else "")


def _report(ctx: LoadContext, batch: Batch, derived: Derived) -> set[tuple[str, int]]:
    """Quarantine records the semantics refused; notices for the rest. Returns (stem, line) rejected."""
    rejected = set()
    for p in derived.problems:
        stem = p.file_name or ""
        path = batch.path_of(stem) if stem in batch.files else stem
        if p.quarantines:
            if (stem, p.line_no) in rejected:  # quarantined once (rows_in == loaded + rejected); the rest told
                p = replace(p, severity="ERROR", raw=None)
            else:
                rejected.add((stem, p.line_no))
            p = replace(p, message=f"{path} line {p.line_no}: {p.message}")
        ctx.report(replace(p, file_name=path))
    return rejected


def _stage_derived(ctx: LoadContext, batch: Batch, d: Derived) -> None:
    fv, b = ctx.feed_version_id, batch.name
    n = ctx.copy_rows("staging.jdf_stop",
                  ["feed_version_id", "batch", "stop_no", "place_key", "name", "town", "district_code", "country",
                   "register_no", "source_file", "line_no"],
                  ((fv, b, s["stop_no"], s["place_key"], s["name"], s["town"], s["district_code"], s["country"],
                    s["register_no"], batch.path_of("zastavky"), s["line_no"]) for s in d.stops))
    ctx.count("staging.jdf_stop", n)
    n = ctx.copy_rows("staging.jdf_trip",
                  ["feed_version_id", "batch", "line_code", "line_distinction", "trip_no", "calendar_key",
                   "description", "weekdays", "headsign", "wheelchair_accessible", "bikes_allowed", "source_file",
                   "line_no"],
                  ((fv, b, t["line_code"], t["line_distinction"], t["trip_no"], t["calendar_key"], t["description"],
                    t["weekdays"], t["headsign"], t["wheelchair_accessible"], t["bikes_allowed"],
                    batch.path_of("spoje"), t["line_no"]) for t in d.trips))
    ctx.count("staging.jdf_trip", n)
    # Calendars are shared across batches: insert only keys this version does not have yet.
    have = {r[0] for r in ctx.conn.execute(
        "SELECT DISTINCT calendar_key FROM staging.jdf_calendar_day WHERE feed_version_id = %s", (fv,))}
    n = ctx.copy_rows("staging.jdf_calendar_day", ["feed_version_id", "calendar_key", "service_date"],
                  ((fv, k, day) for k, days in d.calendar_days.items() if k not in have for day in days))
    ctx.count("staging.jdf_calendar_day", n)
    n = ctx.copy_rows("staging.jdf_call",
                  ["feed_version_id", "batch", "line_code", "line_distinction", "trip_no", "sequence", "tariff_no",
                   "stop_no", "post_code", "arrival_s", "departure_s", "distance_m", "pickup_type", "drop_off_type",
                   "source_file", "line_no"],
                  ((fv, b, c["line_code"], c["line_distinction"], c["trip_no"], c["sequence"], c["tariff_no"],
                    c["stop_no"], c["post_code"], c["arrival_s"], c["departure_s"], c["distance_m"], c["pickup_type"],
                    c["drop_off_type"], batch.path_of("zasspoje"), c["line_no"]) for c in d.calls))
    ctx.count("staging.jdf_call", n)


def publish(ctx: LoadContext) -> None:
    """Position the stops from the current stop register, then map staging into the unified model."""
    positions.match_stops(ctx)
    ctx.run_sql_file(HERE / "publish.sql")
