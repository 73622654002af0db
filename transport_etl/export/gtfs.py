"""Export current timetables from the unified model as a GTFS feed: one timetable source (JDF, GTFS,
CZPTT, …) or the whole region (every source's current journeys, stops grouped under canonical stops).

GTFS needs a position for every stop: stops the register could not position (NULL geom) are left
out with their stop times, never written at 0,0; trips left with fewer than two stops are left out
too, and the returned summary lists both. Passes without stopping (``|``) are not exported.
In a regional feed every id is prefixed with its source (``regional-jdf-duk:551401``), so ids of
different sources never collide, and stations are the canonical stops (``cz.ustecky.stop:…``).
"""

from __future__ import annotations

import csv
import io
import zipfile
from pathlib import Path

from transport_etl.db.connection import connect
from transport_etl.errors import InputRejected

PUBLISHER = ("transport_etl (Ústecký kraj)", "https://www.kr-ustecky.cz/")
_DEFAULT_AGENCY_URL = "https://portal.cisjr.cz/"


def _hms(seconds: int) -> str:
    return f"{seconds // 3600:02d}:{seconds % 3600 // 60:02d}:{seconds % 60:02d}"


def _url(value: str | None) -> str:
    if not value:
        return _DEFAULT_AGENCY_URL
    return value if value.startswith(("http://", "https://")) else f"http://{value}"


def _csv(header: list[str], rows: list[list[object]]) -> bytes:
    buf = io.StringIO(newline="")
    w = csv.writer(buf, lineterminator="\r\n")
    w.writerow(header)
    w.writerows(["" if v is None else v for v in r] for r in rows)
    return buf.getvalue().encode("utf-8")


def _sid(alias: str, region: bool) -> str:
    """SQL of an exported id: the local id, prefixed with its source in a regional feed."""
    return f"{alias}.source_id || ':' || {alias}.local_id" if region else f"{alias}.local_id"


def write_zip(path: Path, files: dict[str, bytes]) -> None:
    """A zip whose bytes depend on its members only: given order, a fixed timestamp (the zip epoch) and
    fixed permissions, so the same feed exported twice is byte-identical (reproducible releases)."""
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # unix, whatever the building machine
            zf.writestr(info, data, compresslevel=6)


def timetable_sources(conn) -> list[str]:
    """Sources with current journeys (whatever their format)."""
    return [r[0] for r in conn.execute(
        "SELECT DISTINCT source_id FROM unified.journey WHERE recorded_to IS NULL ORDER BY 1").fetchall()]


def export_gtfs(database_url: str, source_id: str | None, out_zip: Path, *, feed_version: str | None = None) -> dict:
    """Write the current timetable of ``source_id`` (None: every timetable source of the region) to
    ``out_zip``; returns counts and what was left out. ``feed_version``: feed_info's label (a release's
    date); by default the source's feed version. The same rows always give the same bytes."""
    out_zip = Path(out_zip)
    region = source_id is None
    with connect(database_url) as conn:
        sources = timetable_sources(conn) if region else [source_id]
        fv = conn.execute(
            """SELECT fv.id, fv.feed_label, fv.coverage_from, fv.coverage_to FROM lineage.feed_version fv
                WHERE fv.source_id = %s AND fv.is_current""", (source_id,)).fetchone() if not region else None
        if not sources or (not region and (fv is None or sources[0] not in timetable_sources(conn))):
            known = ", ".join(timetable_sources(conn)) or "none loaded"
            raise InputRejected(f"source {source_id!r} has no current timetable to export (timetable sources: "
                                f"{known})" if not region else "no current timetable in the region to export",
                                code="missing_input")
        fv_id, label, cov_from, cov_to = fv if fv else (None, "region", None, None)
        q = {"src": sources}
        cur = "{a}.source_id = ANY(%(src)s) AND {a}.recorded_to IS NULL"
        # the calls of the current journeys (unified.call has no index of its own on source_id: schemas/900)
        calls = conn.execute(
            f"""SELECT {_sid('j', region)}, c.sequence, c.arrival_s, c.departure_s, {_sid('sp', region)},
                      c.pickup_type, c.drop_off_type, c.distance_m, c.timepoint, sp.geom IS NOT NULL
                 FROM unified.journey j JOIN unified.call c ON c.journey_id = j.id AND c.recorded_to IS NULL
                 JOIN unified.stop_point sp ON sp.id = c.stop_point_id
                WHERE {cur.format(a='j')} AND coalesce(c.departure_s, c.arrival_s) IS NOT NULL
                ORDER BY 1, c.sequence""", q).fetchall()
        by_trip: dict[str, list] = {}
        unpositioned: set[str] = set()
        for row in calls:
            if not row[9]:
                unpositioned.add(row[4])
                continue
            by_trip.setdefault(row[0], []).append(row)
        dropped_trips = sorted(t for t in {r[0] for r in calls} if len(by_trip.get(t, [])) < 2)
        trips_kept = {t: rows for t, rows in by_trip.items() if len(rows) >= 2}

        trips = conn.execute(
            f"""SELECT {_sid('j', region)}, {_sid('l', region)}, {_sid('sc', region)}, j.public_code, j.headsign,
                      j.direction, j.wheelchair_accessible, j.bikes_allowed
                 FROM unified.journey j JOIN unified.line l ON l.id = j.line_id
                 JOIN unified.service_calendar sc ON sc.id = j.service_calendar_id
                WHERE {cur.format(a='j')} ORDER BY 1""", q).fetchall()
        trips = [t for t in trips if t[0] in trips_kept]
        route_ids = {t[1] for t in trips}
        service_ids = {t[2] for t in trips}
        # A line without an operator runs for its source's publisher (GTFS needs an agency per route).
        routes = [r for r in conn.execute(
            f"""SELECT {_sid('l', region)}, coalesce({_sid('o', region)}, 'src:' || l.source_id), l.public_code,
                      l.name, coalesce(l.route_type, 3)
                 FROM unified.line l LEFT JOIN unified.operator o ON o.id = l.operator_id
                WHERE {cur.format(a='l')} ORDER BY 1""", q).fetchall() if r[0] in route_ids]
        agency_ids = {r[1] for r in routes}
        agencies = [a for a in conn.execute(
            f"""SELECT {_sid('o', region)}, o.name, o.url, o.phone FROM unified.operator o
                WHERE {cur.format(a='o')}
                UNION ALL
                SELECT 'src:' || s.id, coalesce(s.owner, s.id), NULL, NULL FROM lineage.source s
                WHERE s.id = ANY(%(src)s) ORDER BY 1""", q).fetchall() if a[0] in agency_ids]
        stop_ids = {r[4] for rows in trips_kept.values() for r in rows}
        # Stations: the stop place of each point, or in a regional feed the canonical stop.
        station = ("coalesce(cn.namespace || ':' || cn.local_id, pl.source_id || ':' || pl.local_id)" if region
                   else "pl.local_id")
        station_geom = "coalesce(cn.geom, pl.geom)" if region else "pl.geom"
        station_name = "gis.display_stop_name(coalesce(cn.name, pl.name))" if region else "pl.name"
        points = [p for p in conn.execute(
            f"""SELECT {_sid('sp', region)}, {'gis.display_stop_name(sp.name)' if region else 'sp.name'},
                      ST_Y(ST_Transform(sp.geom, 4326)), ST_X(ST_Transform(sp.geom, 4326)),
                      sp.platform_code, {station}, ST_Y(ST_Transform({station_geom}, 4326)),
                      ST_X(ST_Transform({station_geom}, 4326)), {station_name}
                 FROM unified.stop_point sp JOIN unified.stop_place pl ON pl.id = sp.stop_place_id
                 LEFT JOIN unified.canonical_stop_member m ON m.stop_place_id = pl.id AND m.recorded_to IS NULL
                 LEFT JOIN unified.canonical_stop_place cn ON cn.id = m.canonical_stop_place_id
                WHERE {cur.format(a='sp')} AND sp.geom IS NOT NULL ORDER BY 1""", q).fetchall()
            if p[0] in stop_ids]
        days = conn.execute(
            f"""SELECT {_sid('sc', region)}, d.service_date FROM unified.service_date d  -- from run_dates, every format
                 JOIN unified.service_calendar sc ON sc.id = d.service_calendar_id
                WHERE {cur.format(a='d')} ORDER BY 1, 2""", q).fetchall()
        source_id = source_id or "region"

    stations = {}
    for p in points:
        if p[6] is not None:
            stations.setdefault(p[5], p)
    stop_rows = [[k if region else f"place:{k}", p[8], round(p[6], 7), round(p[7], 7), 1, None, None]
                 for k, p in stations.items()]
    stop_rows += [[p[0], p[1], round(p[2], 7), round(p[3], 7), 0,
                   (p[5] if region else f"place:{p[5]}") if p[5] in stations else None, p[4]] for p in points]
    st_rows = []
    for trip_id, rows in sorted(trips_kept.items()):
        last_dist = None
        for r in rows:
            dist = None
            if r[7] is not None and (last_dist is None or r[7] > last_dist):
                dist, last_dist = round(r[7] / 1000, 3), r[7]  # strictly increasing, in km
            arrive, leave = (r[2] if r[2] is not None else r[3]), (r[3] if r[3] is not None else r[2])
            st_rows.append([trip_id, _hms(arrive), _hms(leave), r[4], r[1], r[5] or 0, r[6] or 0, dist, r[8]])
    cal_rows = [[sid, d.strftime("%Y%m%d"), 1] for sid, d in days if sid in service_ids]
    dates = [d for sid, d in days if sid in service_ids]
    files = {
        "agency.txt": _csv(["agency_id", "agency_name", "agency_url", "agency_timezone", "agency_lang", "agency_phone"],
                           [[a[0], a[1], _url(a[2]), "Europe/Prague", "cs", a[3]] for a in agencies]),
        "stops.txt": _csv(["stop_id", "stop_name", "stop_lat", "stop_lon", "location_type", "parent_station",
                           "platform_code"], stop_rows),
        "routes.txt": _csv(["route_id", "agency_id", "route_short_name", "route_long_name", "route_type"],
                           [list(r) for r in routes]),
        "trips.txt": _csv(["route_id", "service_id", "trip_id", "trip_short_name", "trip_headsign", "direction_id",
                           "wheelchair_accessible", "bikes_allowed"],
                          [[t[1], t[2], t[0], t[3], t[4], t[5], t[6], t[7]] for t in trips]),
        "stop_times.txt": _csv(["trip_id", "arrival_time", "departure_time", "stop_id", "stop_sequence",
                                "pickup_type", "drop_off_type", "shape_dist_traveled", "timepoint"], st_rows),
        "calendar_dates.txt": _csv(["service_id", "date", "exception_type"], cal_rows),
        "feed_info.txt": _csv(["feed_publisher_name", "feed_publisher_url", "feed_lang", "feed_start_date",
                               "feed_end_date", "feed_version"],
                              [[PUBLISHER[0], PUBLISHER[1], "cs",
                                min(dates).strftime("%Y%m%d") if dates else (cov_from and cov_from.strftime("%Y%m%d")),
                                max(dates).strftime("%Y%m%d") if dates else (cov_to and cov_to.strftime("%Y%m%d")),
                                feed_version or (f"{source_id} fv{fv_id} {label or ''}".strip() if fv_id else
                                f"Ústecký kraj, current journeys of {len(sources)} sources")]]),
    }
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    write_zip(out_zip, files)
    return {
        "source_id": source_id, "feed_version_id": fv_id, "sources": sources, "out": str(out_zip),
        "agency": len(agencies), "stops": len(stop_rows), "routes": len(routes), "trips": len(trips),
        "stop_times": len(st_rows), "calendar_dates": len(cal_rows),
        "stops_without_position": sorted(unpositioned), "trips_left_out": dropped_trips,
    }
