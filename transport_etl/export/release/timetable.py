"""The release's regional GTFS: every current timetable source merged (export/gtfs.py, stations = canonical
stops), checked by the project's validator and described with gtfs-kit as a consumer would read it."""

from __future__ import annotations

import warnings
from pathlib import Path
from typing import Any

from transport_etl.export.describe import describe_gtfs
from transport_etl.export.gtfs import export_gtfs
from transport_etl.export.release.validation import validate_gtfs

TOP_ROUTES = 15  # route rows in the release notes; the rest are summed


def regional_gtfs(database_url: str, out: Path, release_label: str) -> dict[str, Any]:
    """Write, validate and describe the regional GTFS at ``out``."""
    summary = export_gtfs(database_url, None, out, feed_version=release_label)
    return {"export": summary, "validation": validate_gtfs(database_url, out), "description": describe(out)}


def describe(feed_path: Path) -> dict[str, Any]:
    """gtfs-kit's description plus trips per service day, the service span and per-route statistics."""
    import gtfs_kit as gk

    described = describe_gtfs(feed_path)
    feed = gk.read_feed(feed_path, dist_units="km")
    per_day = trips_per_day(feed)
    dates = sorted(per_day)
    st = feed.stop_times
    times = st["departure_time"].dropna().map(gk.timestr_to_seconds)
    span = {"first_date": min(dates) if dates else None, "last_date": max(dates) if dates else None,
            "service_days": sum(1 for n in per_day.values() if n),
            "earliest_departure": gk.seconds_to_timestr(int(times.min())) if len(times) else None,
            "latest_departure": gk.seconds_to_timestr(int(times.max())) if len(times) else None}
    busiest = max(per_day, key=lambda d: (per_day[d], d)) if per_day else None
    routes = []
    if busiest:
        with warnings.catch_warnings():  # gtfs-kit's own frame-building warnings, nothing about the feed
            warnings.simplefilter("ignore")
            stats = gk.compute_route_stats(feed, [busiest], gk.compute_trip_stats(feed))
        routes = [{"route_id": r.route_id, "route_short_name": r.route_short_name, "num_trips": int(r.num_trips),
                   "start_time": r.start_time, "end_time": r.end_time,
                   "service_duration_h": round(float(r.service_duration), 2),
                   "service_distance_km": round(float(r.service_distance), 1)
                   if r.service_distance == r.service_distance else None}
                  for r in stats.sort_values(["num_trips", "route_id"], ascending=[False, True]).itertuples()]
    return {"gtfs_kit": described, "span": span, "busiest_date": busiest,
            "trips_per_day": per_day, "routes_on_busiest_date": routes}


def trips_per_day(feed) -> dict[str, int]:
    """Trips running on each date (YYYYMMDD) of a feed: calendar_dates additions (the regional feed
    has no calendar.txt) joined to the trips per service; one row per service and date, not per trip."""
    cd = feed.calendar_dates
    if cd is None or not len(cd):
        return {}
    trips = feed.trips.groupby("service_id").size().rename("n").reset_index()
    added = cd[cd["exception_type"].astype(int) == 1].merge(trips, on="service_id")
    return {str(d): int(n) for d, n in added.groupby("date")["n"].sum().sort_index().items()}
