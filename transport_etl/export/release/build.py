"""Build one dated release folder: ``<out_root>/<date>/``. Files are written into a hidden sibling folder
and renamed into place at the end, so a reader never sees half a release; a rebuild of the same date
replaces it (and, with the same inputs, reproduces it byte for byte). The build is recorded in
lineage.release with the feed versions it used (lineage ledger)."""

from __future__ import annotations

import datetime as dt
import shutil
import time
import uuid
import zoneinfo
from collections.abc import Callable
from pathlib import Path
from typing import Any

from transport_etl.db.connection import connect, database_url
from transport_etl.db.migrate import require_schema
from transport_etl.errors import ConfigError, InputRejected
from transport_etl.export.gtfs import timetable_sources
from transport_etl.export.release.crosswalk import write_crosswalk
from transport_etl.export.release.dcat import dcat_catalog
from transport_etl.export.release.files import SUMS, file_facts, write_json, write_sums, write_text
from transport_etl.export.release.geopackage import write_geopackage
from transport_etl.export.release.manifest import builder_digest, current_feed_versions, live_polls, manifest
from transport_etl.export.release.notes import release_notes, source_changes
from transport_etl.export.release.road_events import write_road_events
from transport_etl.export.release.timetable import regional_gtfs
from transport_etl.lineage.ledger import record_release

DATA_FILES = ["gtfs.zip", "gis.gpkg", "stop_crosswalk.csv", "road_events.geojson"]


def release_day(today: dt.date | None = None) -> dt.date:
    """The default release date: today in the region's time zone."""
    return today or dt.datetime.now(zoneinfo.ZoneInfo("Europe/Prague")).date()


def releasable(conn) -> bool:
    """Whether there is anything to release: some source has a current timetable."""
    return bool(timetable_sources(conn))


def build_release(url: str | None = None, day: dt.date | None = None, out_root: Path = Path("releases"), *,
                  run_kind: str = "cli", run_id: str | None = None,
                  log: Callable[[str], None] = print) -> dict[str, Any]:
    """Write the release of ``day`` (default today) under ``out_root``; returns its folder, checksum,
    files and figures. ConfigError (one line) when nothing is loaded to release."""
    t0 = time.monotonic()
    url = database_url(url)
    day = release_day(day)
    with connect(url, autocommit=True) as conn:
        require_schema(conn)
        versions = current_feed_versions(conn)
        if not versions or not releasable(conn):
            raise ConfigError("nothing to release: no source has a current timetable (load sources first, "
                              "e.g. `make demo` or `transport-etl ingest`)")
    out_root = Path(out_root).resolve()
    final = out_root / day.isoformat()
    work = out_root / f".{day.isoformat()}.building-{uuid.uuid4().hex[:8]}"
    work.mkdir(parents=True)
    try:
        figures = _write(url, day, work, versions, log)
        with connect(url, autocommit=True) as conn:
            if current_feed_versions(conn) != versions:
                raise InputRejected("a source published a new feed version during the build: run the release "
                                    "again", code="changed_during_build")
        checksum = write_sums(work)
        if final.exists():
            shutil.rmtree(final)
        work.rename(final)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    files = file_facts(final, sorted(p.name for p in final.iterdir() if p.is_file()))
    seconds = round(time.monotonic() - t0, 2)
    with connect(url, autocommit=True) as conn:
        release_id, same_as = record_release(
            conn, release_date=day, checksum=checksum, location=str(final), files=files, summary=figures,
            builder_digest=builder_digest(), feed_versions=[(v["feed_version_id"], v["source_id"]) for v in versions],
            run_kind=run_kind, run_id=run_id or f"cli-{uuid.uuid4()}", build_seconds=seconds)
    log(f"release {day.isoformat()}: {len(files)} files, {sum(f['bytes'] for f in files.values()):,} bytes, "
        f"checksum {checksum[:16]}… in {seconds:.1f} s" + (f" (same bytes as release {same_as})" if same_as else ""))
    return {"release_id": release_id, "date": day.isoformat(), "folder": str(final), "checksum": checksum,
            "same_as": same_as, "seconds": seconds, "files": files, "figures": figures}


def _write(url: str, day: dt.date, work: Path, versions: list[dict[str, Any]],
           log: Callable[[str], None]) -> dict[str, Any]:
    """Every file but SHA256SUMS, in dependency order: data files, notes, DCAT-AP, manifest."""
    log(f"release {day.isoformat()}: regional GTFS of every timetable source …")
    timetable = regional_gtfs(url, work / "gtfs.zip", f"Ústecký kraj release {day.isoformat()}")
    val = timetable["validation"]
    log(f"  {timetable['export']['trips']:,} trips, {timetable['export']['stops']:,} stops; validator: "
        + ("passed" if val["passed"] else f"{val['errors']} ERROR notice(s) {val['refused'] or ''}".strip()))
    log("  GeoPackage of the gis layers …")
    gpkg = write_geopackage(url, day, work / "gis.gpkg", log=lambda m: log(f"  {m}"))
    with connect(url, autocommit=True) as conn:
        crosswalk = write_crosswalk(conn, work / "stop_crosswalk.csv")
        events = write_road_events(conn, day, work / "road_events.geojson")
        log(f"  crosswalk: {crosswalk['rows']:,} source stops → {crosswalk['canonical_stops']:,} canonical; "
            f"{events['events']} road event(s) in force")
        changes = source_changes(conn, day, versions)
        polls = live_polls(conn)
    notes = release_notes(day, file_facts(work, DATA_FILES), versions, timetable, changes, crosswalk, events, gpkg)
    write_text(work / "RELEASE_NOTES.md", notes)
    span = timetable["description"]["span"]
    write_json(work / "dcat.jsonld", dcat_catalog(day, file_facts(work, [*DATA_FILES, "RELEASE_NOTES.md"]),
                                                   (span["first_date"], span["last_date"])))
    figures = {
        "journeys": timetable["export"]["trips"], "stops": timetable["export"]["stops"],
        "routes": timetable["export"]["routes"], "timetable_sources": timetable["export"]["sources"],
        "validation": val, "service_span": span, "trips_per_day": timetable["description"]["trips_per_day"],
        "crosswalk": crosswalk, "road_events": events,
        "gpkg_layers": gpkg["layers"], "gpkg_described_fields": gpkg["described_fields"],
    }
    names = sorted(p.name for p in work.iterdir() if p.is_file() and p.name != SUMS)
    write_json(work / "manifest.json", manifest(day.isoformat(), versions, polls, file_facts(work, names), figures))
    return {k: v for k, v in figures.items() if k != "trips_per_day"}
