"""Release notes (Markdown): what is in the release, what changed in each source since the previous
release (lineage/diff.py, as `transport-etl diff` shows it), the regional GTFS as the project's validator
and gtfs-kit see it. Everything in them follows from the data: no build time, so a rebuild is identical."""

from __future__ import annotations

import datetime as dt
from typing import Any

import psycopg

from transport_etl.errors import ConfigError
from transport_etl.lineage.diff import diff_versions, summary_rows

WEEKDAYS = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"]


def previous_release(conn: psycopg.Connection, day: dt.date) -> tuple[dt.date, dict[str, int]] | None:
    """The latest release dated before ``day`` and its feed version per source (a rebuild of the same
    date never compares with itself, so rebuilding gives the same notes)."""
    row = conn.execute("SELECT id, release_date FROM lineage.release WHERE release_date < %s "
                       "ORDER BY release_date DESC, id DESC LIMIT 1", (day,)).fetchone()
    if row is None:
        return None
    used = dict(conn.execute("SELECT source_id, feed_version_id FROM lineage.release_feed_version "
                             "WHERE release_id = %s", (row[0],)).fetchall())
    return row[1], used


def source_changes(conn: psycopg.Connection, day: dt.date, feed_versions: list[dict[str, Any]]) -> dict[str, Any]:
    """Per source: its change against the previous release (or, for a first release, against the
    source's previous feed version), as the diff's non-zero rows, or why there is nothing to compare."""
    prev = previous_release(conn, day)
    out: dict[str, Any] = {"since": f"release {prev[0].isoformat()}" if prev else "each source's previous "
                           "feed version (first release)", "sources": {}}
    for fv in feed_versions:
        src, cur = fv["source_id"], fv["feed_version_id"]
        old = prev[1].get(src) if prev else None
        if prev and old is None:
            out["sources"][src] = {"note": f"new source (feed version {cur})"}
            continue
        if old == cur:
            out["sources"][src] = {"note": f"unchanged (feed version {cur})"}
            continue
        try:
            d = diff_versions(conn, src, old, cur) if old else diff_versions(conn, src)
        except ConfigError as exc:
            first = "fewer than two published versions" in str(exc)
            out["sources"][src] = {"note": f"feed version {cur}" + (" (its first)" if first else
                                                                     f"; no comparison: {exc}")}
            continue
        changed = [(w, c, n) for w, c, n in summary_rows(d) if n != "0"]
        out["sources"][src] = {"from": d["from_version"], "to": d["to_version"], "changes": changed,
                               "note": f"feed version {d['from_version']} → {d['to_version']}"
                                       + ("" if changed else ": no change in stops, lines, journeys, "
                                          "service days or links")}
    return out


def _table(header: list[str], rows: list[list[Any]]) -> list[str]:
    out = ["| " + " | ".join(header) + " |", "|" + "|".join("---" for _ in header) + "|"]
    return out + ["| " + " | ".join("" if v is None else str(v) for v in r) + " |" for r in rows]


def _week(per_day: dict[str, int], busiest: str | None) -> list[list[Any]]:
    if not busiest:
        return []
    b = dt.datetime.strptime(busiest, "%Y%m%d").date()
    monday = b - dt.timedelta(days=b.weekday())
    days = [monday + dt.timedelta(days=i) for i in range(7)]
    return [[WEEKDAYS[d.weekday()], d.isoformat(), per_day.get(d.strftime("%Y%m%d"), 0)] for d in days]


def release_notes(day: dt.date, files: dict[str, dict[str, Any]], feed_versions: list[dict[str, Any]],
                  timetable: dict[str, Any], changes: dict[str, Any], crosswalk: dict[str, int],
                  events: dict[str, int], gpkg: dict[str, Any]) -> str:
    ex, val, desc = timetable["export"], timetable["validation"], timetable["description"]
    span, per_day = desc["span"], desc["trips_per_day"]
    counts = sorted(per_day.values())
    lines = [f"# Ústecký kraj transport open data — release {day.isoformat()}", "",
             "Regional timetables with canonical stops, the GIS layers, the stop identity crosswalk and the road "
             "events in force, built reproducibly from the feed versions listed in `manifest.json` "
             "(`sha256sum -c SHA256SUMS` checks every file).", "", "## Contents", ""]
    lines += _table(["file", "what", "bytes"], [[f"`{n}`", what, f"{files[n]['bytes']:,}"]
                                                for n, what in CONTENTS.items() if n in files])
    lines += ["", "## Sources and feed versions", ""]
    lines += _table(["source", "format", "feed version", "label", "sha256", "change since " + changes["since"]],
                    [[f["source_id"], f["format"], f"{f['feed_version_id']}"
                      + ("" if f.get("loader_is_current", True) else " (older loader)"), f["feed_label"],
                      f["sha256"][:12] + "…",
                      changes["sources"].get(f["source_id"], {}).get("note", "")] for f in feed_versions])
    for src, c in changes["sources"].items():
        if c.get("changes"):
            lines += ["", f"### {src}: {c['note']}", ""]
            lines += _table(["what", "change", "count"], [list(r) for r in c["changes"]])
    lines += ["", "## Regional GTFS (`gtfs.zip`)", "",
              f"{ex['trips']:,} trips on {ex['routes']:,} routes of {len(ex['sources'])} timetable sources "
              f"({', '.join(ex['sources'])}), {ex['stops']:,} stops (stations are canonical stops "
              f"`cz.ustecky.stop:…`), {ex['stop_times']:,} stop times.",
              f"Left out: {len(ex['stops_without_position'])} stop(s) without a position, "
              f"{len(ex['trips_left_out'])} trip(s) left with fewer than two positioned stops.", "",
              "**Validation** (the platform's own GTFS loader and validator, run on the file and rolled back): "
              + ("passed, no ERROR notice and no quarantined record." if val["passed"] else
                 f"{val['errors']} ERROR notice(s)" + (f"; refused: {val['refused']}" if val["refused"] else "")
                 + (f"; quarantined {val['rejected']}" if val["rejected"] else "") + ".")]
    if val["notices"]:
        lines += [""] + _table(["severity and code", "notices"], [[k, n] for k, n in val["notices"].items()])
    lines += ["", "**Service span** (gtfs-kit): "
              f"{span['first_date']} – {span['last_date']}, {span['service_days']} service days, first departure "
              f"{span['earliest_departure']}, last {span['latest_departure']}."]
    if counts:
        lines.append(f"Trips per service day: min {counts[0]:,}, median {counts[len(counts) // 2]:,}, "
                     f"max {counts[-1]:,} (busiest {desc['busiest_date']}); its week:")
        lines += [""] + _table(["day", "date", "trips"], _week(per_day, desc["busiest_date"]))
    lines += ["", "gtfs-kit `describe()`:", ""] + _table(["indicator", "value"],
                                                           [[k, v] for k, v in desc["gtfs_kit"].items()])
    routes = desc["routes_on_busiest_date"]
    if routes:
        lines += ["", f"Routes on the busiest date ({desc['busiest_date']}, gtfs-kit route stats), "
                      f"top {min(len(routes), 15)} of {len(routes)} by trips:", ""]
        lines += _table(["route", "name", "trips", "first", "last", "service h", "km"],
                        [[r["route_id"], r["route_short_name"], r["num_trips"], r["start_time"], r["end_time"],
                          r["service_duration_h"], r["service_distance_km"]] for r in routes[:15]])
    lines += ["", "## Other files", "",
              f"- `stop_crosswalk.csv`: {crosswalk['rows']:,} source stops of {crosswalk['sources']} sources → "
              f"{crosswalk['canonical_stops']:,} canonical stops ({crosswalk['unmatched']} unmatched), with match "
              "method and score.",
              f"- `road_events.geojson`: {events['events']} road event(s) in force on {day.isoformat()} "
              f"({events['located']} located on the road network); EPSG:4326, RFC 7946.",
              f"- `gis.gpkg`: {len(gpkg['layers'])} layers, {sum(gpkg['layers'].values()):,} features, "
              f"{gpkg['described_fields']:,} field descriptions (GeoPackage schema extension).",
              "- `dcat.jsonld`: DCAT-AP metadata of this release for the national open-data catalogue.",
              "", "Licence: CC BY 4.0 (Ústecký kraj)."]
    return "\n".join(lines)


CONTENTS = {
    "gtfs.zip": "regional GTFS Schedule, all timetable sources, canonical stations",
    "gis.gpkg": "GeoPackage of every gis layer, with field descriptions",
    "stop_crosswalk.csv": "canonical stop ↔ every source stop id, match method and score",
    "road_events.geojson": "road events in force on the release date (GeoJSON, EPSG:4326)",
    "RELEASE_NOTES.md": "these notes",
    "dcat.jsonld": "DCAT-AP metadata (JSON-LD)",
    "manifest.json": "feed versions, loader digests and file checksums the release was built from",
    "SHA256SUMS": "sha256 of every file",
}
