"""Format ``gbfs``: a bike-sharing system's discovery (gbfs.json, URL or file) or a folder of its
feeds → staging.gbfs_* → unified.bike_station (EPSG:5514) with lineage; the station_status
snapshot that comes with it starts the bike_station_status time series.

The runner fingerprints only gbfs.json (or the folder); station_information and the other feeds
are resolved and read here, so a changed station list under an unchanged gbfs.json is picked up
by the poller, not by ingest. Stations keep their row (and identity) across versions while
unchanged.
"""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

from transport_etl import positions
from transport_etl.errors import InputRejected
from transport_etl.formats.gbfs import reader
from transport_etl.formats.gbfs.discovery import (
    FEEDS,
    Discovery,
    GbfsError,
    discover,
    feeds_from_discovery,
    is_url,
    parse_document,
    read_bytes,
)
from transport_etl.formats.gbfs.extras import load_extras, publish_extras
from transport_etl.formats.gbfs.status import append_status, timeout_of
from transport_etl.ingest.context import LoadContext
from transport_etl.ingest.poll import finish_poll, start_poll

HERE = Path(__file__).parent
STATION_COLS = ["feed_version_id", "source_file", "json_index", "station_id", "name", "short_name", "lat", "lon",
                "capacity", "address", "region_id", "raw"]


def _discovery(ctx: LoadContext) -> Discovery:
    """Feeds of the input. When the runner downloaded gbfs.json to a temporary file, relative feed
    URLs resolve against the URL it came from (lineage.feed_version.location)."""
    language = ctx.options.get("language")
    origin = ctx.conn.execute("SELECT location FROM lineage.feed_version WHERE id = %s",
                              (ctx.feed_version_id,)).fetchone()[0]
    if origin and is_url(origin):
        data = ctx.path.read_bytes()
        return feeds_from_discovery(parse_document(data, origin), origin, language)
    return discover(str(ctx.path), language, timeout_of(ctx.source))


def _read(ctx: LoadContext, loc: str) -> dict:
    data = read_bytes(loc, timeout_of(ctx.source))
    stats = ctx.file(_name(loc))
    stats.sha256, stats.size_bytes = hashlib.sha256(data).hexdigest(), len(data)
    return parse_document(data, loc)


def _name(loc: str) -> str:
    return loc.rsplit("/", 1)[-1] if is_url(loc) else Path(loc).name


def load(ctx: LoadContext) -> None:
    try:
        disc = _discovery(ctx)
        _load(ctx, disc)
    except GbfsError:
        raise
    except (KeyError, TypeError, AttributeError) as exc:  # a document of the wrong shape
        raise InputRejected(f"GBFS document has an unexpected structure: {exc!r}", code="invalid_gbfs") from exc


def _load(ctx: LoadContext, disc: Discovery) -> None:
    fv = ctx.feed_version_id
    info_loc = disc.feed("station_information")
    vehicles_loc = disc.feed("vehicle_status") or disc.feed("free_bike_status")
    if not info_loc and not vehicles_loc:
        raise GbfsError(f"{disc.location}: the system publishes neither station_information nor "
                        f"vehicle_status/free_bike_status (feeds: {', '.join(sorted(disc.feeds)) or 'none'})",
                        code="invalid_gbfs")

    sys_loc = disc.feed("system_information")
    if sys_loc:
        doc = _read(ctx, sys_loc)
        s = reader.system_information(doc)
        ctx.copy_rows("staging.gbfs_system",
                  ["feed_version_id", "source_file", "system_id", "language", "name", "operator", "url", "timezone",
                   "last_updated", "raw"],
                  [(fv, _name(sys_loc), s["system_id"], s["language"] or disc.language, s["name"], s["operator"],
                    s["url"], s["timezone"], s["last_updated"], json.dumps(s["raw"], ensure_ascii=False))])
        ctx.file(_name(sys_loc)).rows_in = ctx.file(_name(sys_loc)).rows_loaded = 1
        ctx.count("staging.gbfs_system", 1)
        ctx.feed_label = " ".join(x for x in (s["system_id"], s["name"]) if x) or None
        for note in s["notes"]:
            ctx.notice("invalid_field_value", "WARNING", note, file_name=_name(sys_loc))
    else:
        ctx.notice("missing_recommended_file", "WARNING", "no system_information feed", file_name="gbfs.json")

    for feed in sorted(set(disc.feeds) - {"gbfs", "gbfs_versions", *FEEDS}):   # listed, never ignored silently
        ctx.notice("unused_file", "INFO", f"feed {feed} is not read", file_name=_name(disc.feeds[feed]))
    if info_loc:
        _load_stations(ctx, info_loc)
    else:  # free-floating: vehicles are the system (GBFS allows a system without stations)
        ctx.notice("free_floating_system", "INFO", "no station_information: a free-floating system; vehicles "
                   "come from " + _name(vehicles_loc), file_name=_name(vehicles_loc))
    _load_vehicle_types(ctx, disc)
    load_extras(ctx, disc, lambda loc: _read(ctx, loc), _name)
    if disc.feed("station_status") or vehicles_loc:
        _status_snapshot(ctx, disc)


def _load_stations(ctx: LoadContext, info_loc: str) -> None:
    fv = ctx.feed_version_id
    name = _name(info_loc)
    doc = _read(ctx, info_loc)
    stats = ctx.file(name)
    seen: set[str] = set()

    def rows():
        for item in reader.stations(doc, info_loc):
            stats.rows_in += 1
            if isinstance(item, reader.Problem):
                ctx.reject(name, None, item.code, f"data.stations[{item.index}]: {item.message}", item.raw)
                continue
            if item["station_id"] in seen:
                ctx.reject(name, None, "duplicate_key",
                           f"data.stations[{item['json_index']}]: duplicate station_id {item['station_id']}",
                           json.dumps(item["raw"], ensure_ascii=False))
                continue
            seen.add(item["station_id"])
            positions.report(ctx, positions.place_wgs84(item["lat"], item["lon"], ctx.options),
                             f"{name} data.stations[{item['json_index']}]", None, item["station_id"])
            stats.rows_loaded += 1
            yield (fv, name, item["json_index"], item["station_id"], item["name"], item["short_name"], item["lat"],
                   item["lon"], item["capacity"], item["address"], item["region_id"],
                   json.dumps(item["raw"], ensure_ascii=False))

    ctx.count("staging.gbfs_station", ctx.copy_rows("staging.gbfs_station", STATION_COLS, rows()))
    if not seen:
        raise GbfsError(f"{info_loc}: no usable station", code="empty_feed")


def _load_vehicle_types(ctx: LoadContext, disc: Discovery) -> None:
    fv = ctx.feed_version_id
    vt_loc = disc.feed("vehicle_types")
    if vt_loc:
        vname = _name(vt_loc)
        vdoc = _read(ctx, vt_loc)
        vstats = ctx.file(vname)
        vrows = []
        for item in reader.vehicle_types(vdoc, vt_loc):
            vstats.rows_in += 1
            if isinstance(item, reader.Problem):
                ctx.reject(vname, None, item.code, f"data.vehicle_types[{item.index}]: {item.message}", item.raw)
                continue
            vstats.rows_loaded += 1
            vrows.append((fv, vname, item["json_index"], item["vehicle_type_id"], item["form_factor"],
                          item["propulsion_type"], item["name"], json.dumps(item["raw"], ensure_ascii=False)))
        ctx.count("staging.gbfs_vehicle_type", ctx.copy_rows(
            "staging.gbfs_vehicle_type",
            ["feed_version_id", "source_file", "json_index", "vehicle_type_id", "form_factor", "propulsion_type",
             "name", "raw"], vrows))


def _status_snapshot(ctx: LoadContext, disc: Discovery) -> None:
    """Append the status that comes with the load (same transaction: rolled back with the version).
    A status feed that cannot be read does not refuse the station layer: it is a warning."""
    status_loc = disc.feed("station_status") or disc.feed("vehicle_status") or disc.feed("free_bike_status")
    poll_id = start_poll(ctx.conn, ctx.source.id, "gbfs_status", status_loc,
                         ctx.load_run_id, ctx.feed_version_id)
    try:
        with ctx.conn.transaction():  # savepoint: a failure leaves the stations intact
            rows, updated, problems = append_status(ctx.conn, ctx.source, disc, poll_id, timeout_of(ctx.source))
    except GbfsError as exc:
        finish_poll(ctx.conn, poll_id, "failed", error=str(exc))
        ctx.notice("status_unavailable", "WARNING", str(exc), file_name=_name(status_loc))
        return
    for p in problems:
        ctx.notice(p.code, "WARNING", p.message, file_name=_name(status_loc))
    finish_poll(ctx.conn, poll_id, "ok" if rows else "unchanged", rows, updated)
    ctx.count("unified.bike_station_status+bike_vehicle_status", rows)


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish.sql")
    publish_extras(ctx)
    n = ctx.conn.execute("SELECT count(*) FROM unified.bike_station WHERE feed_version_id = %s",
                         (ctx.feed_version_id,)).fetchone()[0]
    ctx.count("unified.bike_station", n)
    outside = ctx.conn.execute(
        "SELECT count(*) FROM unified.bike_station WHERE feed_version_id = %s AND geom IS NULL",
        (ctx.feed_version_id,)).fetchone()[0]
    if outside:
        ctx.notice("point_near_origin", "WARNING", f"{outside} stations without a usable position (geom NULL)",
                   file_name="station_information.json")
