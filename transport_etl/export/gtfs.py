"""Export the current JDF version of a source from the unified model as a GTFS feed.

GTFS needs a position for every stop: stops the register could not position (NULL geom) are left
out with their stop times, never written at 0,0; trips left with fewer than two stops are left out
too, and the returned summary lists both. Passes without stopping (``|``) are not exported.
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


def export_gtfs(database_url: str, source_id: str, out_zip: Path) -> dict:
    """Write the source's current JDF timetable to ``out_zip``; returns counts and what was left out."""
    out_zip = Path(out_zip)
    with connect(database_url) as conn:
        fv = conn.execute(
            """SELECT fv.id, fv.feed_label, fv.coverage_from, fv.coverage_to FROM lineage.feed_version fv
                 JOIN lineage.source s ON s.id = fv.source_id
                WHERE fv.source_id = %s AND fv.is_current AND s.format = 'jdf'""", (source_id,)).fetchone()
        if fv is None:
            raise InputRejected(f"source {source_id!r} has no current JDF feed version to export", code="missing_input")
        fv_id, label, cov_from, cov_to = fv
        q = {"fv": fv_id}
        calls = conn.execute(
            """SELECT j.local_id, c.sequence, c.arrival_s, c.departure_s, sp.local_id, c.pickup_type, c.drop_off_type,
                      c.distance_m, c.timepoint, sp.geom IS NOT NULL
                 FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
                 JOIN unified.stop_point sp ON sp.id = c.stop_point_id
                WHERE c.feed_version_id = %(fv)s AND c.departure_s IS NOT NULL
                ORDER BY j.local_id, c.sequence""", q).fetchall()
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
            """SELECT j.local_id, l.local_id, sc.local_id, j.public_code, j.headsign, j.direction,
                      j.wheelchair_accessible, j.bikes_allowed
                 FROM unified.journey j JOIN unified.line l ON l.id = j.line_id
                 JOIN unified.service_calendar sc ON sc.id = j.service_calendar_id
                WHERE j.feed_version_id = %(fv)s ORDER BY j.local_id""", q).fetchall()
        trips = [t for t in trips if t[0] in trips_kept]
        route_ids = {t[1] for t in trips}
        service_ids = {t[2] for t in trips}
        routes = [r for r in conn.execute(
            """SELECT l.local_id, o.local_id, l.public_code, l.name, l.route_type
                 FROM unified.line l LEFT JOIN unified.operator o ON o.id = l.operator_id
                WHERE l.feed_version_id = %(fv)s ORDER BY l.local_id""", q).fetchall() if r[0] in route_ids]
        agency_ids = {r[1] for r in routes}
        agencies = [a for a in conn.execute(
            """SELECT local_id, name, url, phone FROM unified.operator WHERE feed_version_id = %(fv)s
                ORDER BY local_id""", q).fetchall() if a[0] in agency_ids]
        stop_ids = {r[4] for rows in trips_kept.values() for r in rows}
        points = [p for p in conn.execute(
            """SELECT sp.local_id, sp.name, ST_Y(ST_Transform(sp.geom, 4326)), ST_X(ST_Transform(sp.geom, 4326)),
                      sp.platform_code, pl.local_id, ST_Y(ST_Transform(pl.geom, 4326)), ST_X(ST_Transform(pl.geom, 4326)),
                      pl.name
                 FROM unified.stop_point sp JOIN unified.stop_place pl ON pl.id = sp.stop_place_id
                WHERE sp.feed_version_id = %(fv)s AND sp.geom IS NOT NULL ORDER BY sp.local_id""", q).fetchall()
            if p[0] in stop_ids]
        days = conn.execute(
            """SELECT sc.local_id, d.service_date FROM unified.service_date d  -- from run_dates, every format
                 JOIN unified.service_calendar sc ON sc.id = d.service_calendar_id
                WHERE d.feed_version_id = %(fv)s ORDER BY 1, 2""", q).fetchall()

    stations = {}
    for p in points:
        if p[6] is not None:
            stations.setdefault(p[5], p)
    stop_rows = [[f"place:{k}", p[8], round(p[6], 7), round(p[7], 7), 1, None, None] for k, p in stations.items()]
    stop_rows += [[p[0], p[1], round(p[2], 7), round(p[3], 7), 0, f"place:{p[5]}" if p[5] in stations else None,
                   p[4]] for p in points]
    st_rows = []
    for trip_id, rows in sorted(trips_kept.items()):
        last_dist = None
        for r in rows:
            dist = None
            if r[7] is not None and (last_dist is None or r[7] > last_dist):
                dist, last_dist = round(r[7] / 1000, 3), r[7]  # strictly increasing, in km
            st_rows.append([trip_id, _hms(r[2]), _hms(r[3]), r[4], r[1], r[5] or 0, r[6] or 0, dist, r[8]])
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
                                f"{source_id} fv{fv_id} {label or ''}".strip()]]),
    }
    out_zip.parent.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(out_zip, "w", zipfile.ZIP_DEFLATED) as zf:
        for name, data in files.items():
            zf.writestr(name, data)
    return {
        "source_id": source_id, "feed_version_id": fv_id, "out": str(out_zip),
        "agency": len(agencies), "stops": len(stop_rows), "routes": len(routes), "trips": len(trips),
        "stop_times": len(st_rows), "calendar_dates": len(cal_rows),
        "stops_without_position": sorted(unpositioned), "trips_left_out": dropped_trips,
    }
