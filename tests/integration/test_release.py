"""Open-data releases (issue 18) on the demo data, loaded once for the module: two builds are byte-identical
(GeoPackage included), the release GTFS loads back through the project's own GTFS loader with the same
journeys and stops, the crosswalk covers every source stop, the DCAT-AP JSON-LD parses as RDF and names
every distribution, the road events are RFC 7946 GeoJSON, and the release is recorded in lineage."""

from __future__ import annotations

import csv
import datetime as dt
import json
import sqlite3
import zipfile
from pathlib import Path

import psycopg
import pytest

from demo.generate import generate_all
from tests.conftest import scratch_database
from transport_etl import cli
from transport_etl.catalog import load_catalog
from transport_etl.export.release.build import build_release
from transport_etl.export.release.files import sha256_file
from transport_etl.harmonise.affected import refresh_affected_services
from transport_etl.harmonise.run import unify
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

ROOT = Path(__file__).resolve().parents[2]
DAY = dt.date(2026, 3, 2)  # a Monday inside the demo timetables' validity


def _quiet(_msg: str) -> None:
    pass


@pytest.fixture(scope="module")
def demo_catalog(tmp_path_factory) -> Path:
    """The demo's generated data and its catalog (demo_data/sources.yaml)."""
    return generate_all(tmp_path_factory.mktemp("release_demo") / "demo_data", log=_quiet)["catalog"]


@pytest.fixture(scope="module")
def demo_url(template_db, demo_catalog):
    """A database with every demo source (but the fleet's, which the release only copies as layers)
    loaded and harmonised; built once for the module."""
    with scratch_database("tetl_rel", template_db) as url:
        for src in load_catalog(demo_catalog):
            if src.is_url() or not src.location or src.family == "fleet":
                continue
            res = ingest(src, database_url=url, log=_quiet)
            assert res.outcome == "loaded", (src.id, res.reason)
        unify(url, log=_quiet)
        refresh_affected_services(url, DAY)
        yield url


@pytest.fixture(scope="module")
def releases(demo_url, tmp_path_factory):
    """The same date built twice, into two folders."""
    root = tmp_path_factory.mktemp("releases")
    first = build_release(demo_url, DAY, root / "a", log=_quiet)
    second = build_release(demo_url, DAY, root / "b", log=_quiet)
    return first, second


def test_two_builds_are_byte_identical_and_recorded_in_lineage(demo_url, releases):
    first, second = releases
    a, b = Path(first["folder"]), Path(second["folder"])
    assert a.name == b.name == DAY.isoformat()
    names = sorted(p.name for p in a.iterdir())
    assert names == sorted(p.name for p in b.iterdir()) == sorted(
        ["gtfs.zip", "gis.gpkg", "stop_crosswalk.csv", "road_events.geojson", "RELEASE_NOTES.md", "dcat.jsonld",
         "manifest.json", "SHA256SUMS"])
    assert first["checksum"] == second["checksum"] == sha256_file(a / "SHA256SUMS")
    assert {n: sha256_file(a / n) for n in names} == {n: sha256_file(b / n) for n in names}
    # SHA256SUMS is right and covers every other file
    sums = dict(reversed(line.split("  ")) for line in (a / "SHA256SUMS").read_text().splitlines())
    assert sums == {n: sha256_file(a / n) for n in names if n != "SHA256SUMS"}
    # the GeoPackage is stamped with the release date, not the build's clock, and keeps field descriptions
    with sqlite3.connect(a / "gis.gpkg") as db:
        assert {r[0] for r in db.execute("SELECT last_change FROM gpkg_contents")} == {f"{DAY}T00:00:00.000Z"}
        assert db.execute("SELECT count(*) FROM gpkg_data_columns WHERE table_name = 'stop_place' "
                          "AND description IS NOT NULL").fetchone()[0] > 3
    # zip members carry the zip epoch, in a fixed order
    with zipfile.ZipFile(a / "gtfs.zip") as z:
        assert {i.date_time for i in z.infolist()} == {(1980, 1, 1, 0, 0, 0)}

    with psycopg.connect(demo_url) as conn:
        rows = conn.execute("SELECT id, release_date, checksum, same_as, location FROM lineage.release "
                            "ORDER BY id").fetchall()
        assert [(r[1], r[2]) for r in rows] == [(DAY, first["checksum"])] * 2
        assert rows[0][3] is None and rows[1][3] == rows[0][0]  # the rebuild reproduced the first
        used = conn.execute("SELECT source_id, feed_version_id FROM lineage.release_feed_version "
                            "WHERE release_id = %s ORDER BY 1", (rows[0][0],)).fetchall()
        current = conn.execute("SELECT source_id, id FROM lineage.feed_version WHERE is_current "
                               "ORDER BY 1").fetchall()
    assert used == current
    manifest = json.loads((a / "manifest.json").read_text())
    listed = manifest["built_from"]["feed_versions"]
    assert [(f["source_id"], f["feed_version_id"]) for f in listed] == current
    assert all(len(f["sha256"]) == 64 and f["loader_digest"] and f["loader_is_current"] for f in listed)
    assert set(manifest["files"]) == set(names) - {"manifest.json", "SHA256SUMS"}


def test_release_gtfs_loads_back_with_the_same_journeys_and_stops(demo_url, releases, db_url, make_source):
    feed = Path(releases[0]["folder"]) / "gtfs.zip"
    with psycopg.connect(demo_url) as conn:
        journeys = {r[0] for r in conn.execute(
            "SELECT source_id || ':' || local_id FROM unified.journey WHERE recorded_to IS NULL")}
        points = {r[0] for r in conn.execute(
            """SELECT DISTINCT sp.source_id || ':' || sp.local_id FROM unified.call c
                 JOIN unified.stop_point sp ON sp.id = c.stop_point_id
                WHERE c.recorded_to IS NULL AND sp.geom IS NOT NULL""")}
        canonical = {r[0] for r in conn.execute(
            "SELECT namespace || ':' || local_id FROM unified.canonical_stop_place WHERE recorded_to IS NULL")}
    res = ingest(make_source("gtfs", id="release-roundtrip"), feed, database_url=db_url, log=_quiet)
    assert res.outcome == "loaded", res.reason
    with psycopg.connect(db_url) as conn:
        loaded = {r[0] for r in conn.execute("SELECT local_id FROM unified.journey WHERE recorded_to IS NULL")}
        loaded_points = {r[0] for r in conn.execute(
            "SELECT local_id FROM unified.stop_point WHERE recorded_to IS NULL")}
        stations = {r[0] for r in conn.execute(
            "SELECT local_id FROM unified.stop_place WHERE recorded_to IS NULL AND local_id LIKE 'cz.ustecky.stop:%%'")}
        errors = conn.execute("SELECT count(*) FROM lineage.notice WHERE feed_version_id = %s AND severity = 'ERROR'",
                              (res.feed_version_id,)).fetchone()[0]
    assert loaded == journeys and len(loaded) == releases[0]["figures"]["journeys"]
    assert loaded_points == points
    assert stations and stations <= canonical  # stations carry the canonical stop ids
    assert errors == 0 and releases[0]["figures"]["validation"]["passed"]


def test_crosswalk_covers_every_source_stop(demo_url, releases):
    with open(Path(releases[0]["folder"]) / "stop_crosswalk.csv", encoding="utf-8", newline="") as f:
        rows = list(csv.DictReader(f))
    with psycopg.connect(demo_url) as conn:
        stops = set(conn.execute("SELECT source_id, local_id FROM unified.stop_place WHERE recorded_to IS NULL"))
        canonical = {r[0] for r in conn.execute(
            "SELECT namespace || ':' || local_id FROM unified.canonical_stop_place WHERE recorded_to IS NULL")}
    assert {(r["source_id"], r["source_stop_id"]) for r in rows} == stops
    assert len(rows) == len(stops)
    assert {r["canonical_id"] for r in rows if r["canonical_id"]} == canonical
    assert {r["match_method"] for r in rows} <= {"register_id", "distance_name", "platform_pair", "manual",
                                                  "singleton", "unmatched"}
    matched = [r for r in rows if r["match_method"] in ("register_id", "distance_name")]
    assert matched and all(0 < float(r["score"]) <= 1 for r in matched)


def test_dcat_ap_parses_as_rdf_and_names_every_distribution(releases):
    from rdflib import Graph, Namespace, URIRef
    from rdflib.namespace import DCAT, DCTERMS, RDF

    folder = Path(releases[0]["folder"])
    g = Graph().parse(folder / "dcat.jsonld", format="json-ld")
    spdx = Namespace("http://spdx.org/rdf/terms#")
    (catalog,) = g.subjects(RDF.type, DCAT.Catalog)
    (dataset,) = g.objects(catalog, DCAT.dataset)
    assert str(g.value(dataset, DCTERMS.issued)) == DAY.isoformat()
    assert URIRef("https://linked.cuzk.cz/resource/ruian/vusc/60") in set(g.objects(dataset, DCTERMS.spatial))
    assert g.value(dataset, DCTERMS.license) is not None
    by_file = {}
    for dist in g.objects(dataset, DCAT.distribution):
        assert (dist, RDF.type, DCAT.Distribution) in g
        url = str(g.value(dist, DCAT.downloadURL))
        by_file[url.rsplit("/", 1)[1]] = dist
        assert str(g.value(dist, DCAT.mediaType)).startswith("http://www.iana.org/assignments/media-types/")
        assert g.value(dist, DCTERMS.license) is not None and g.value(dist, DCTERMS.issued) is not None
    assert set(by_file) == {"gtfs.zip", "gis.gpkg", "stop_crosswalk.csv", "road_events.geojson", "RELEASE_NOTES.md"}
    for name, dist in by_file.items():
        checksum = g.value(dist, spdx.checksum)
        assert str(g.value(checksum, spdx.checksumValue)) == sha256_file(folder / name)


def test_road_events_are_rfc7946_geojson_of_the_day(demo_url, releases):
    doc = json.loads((Path(releases[0]["folder"]) / "road_events.geojson").read_text(encoding="utf-8"))
    assert doc["type"] == "FeatureCollection" and "crs" not in doc
    with psycopg.connect(demo_url) as conn:
        expected = {r[0] for r in conn.execute(
            "SELECT namespace || ':' || local_id FROM gis.road_event_asof(%s)", (DAY,))}
    assert {f["id"] for f in doc["features"]} == expected and expected
    for f in doc["features"]:
        if f["geometry"] is None:
            continue
        flat = json.dumps(f["geometry"]["coordinates"]).replace("[", "").replace("]", "").split(",")
        lons, lats = [float(x) for x in flat[0::2]], [float(x) for x in flat[1::2]]
        assert all(12 < x < 16 for x in lons) and all(49 < y < 52 for y in lats), f["id"]  # lon, lat order


def test_release_notes_describe_the_timetable(releases):
    notes = (Path(releases[0]["folder"]) / "RELEASE_NOTES.md").read_text(encoding="utf-8")
    f = releases[0]["figures"]
    assert f"{f['journeys']:,} trips" in notes and "gtfs-kit" in notes and "Validation" in notes
    assert f["service_span"]["first_date"] in notes and "Trips per service day" in notes
    assert "| sz-czptt |" in notes  # every source's feed version is listed


def test_release_refuses_an_empty_database_in_one_line(db_url, tmp_path, capsys):
    assert cli.main(["release", "--date", DAY.isoformat(), "--out", str(tmp_path)]) != 0
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith("transport-etl: release: nothing to release"), err
    assert not any(tmp_path.iterdir())


def test_the_dagster_asset_follows_harmonisation_and_records_its_run(demo_url, demo_catalog, tmp_path, monkeypatch):
    import dagster as dg

    from assets.definitions import build_definitions
    from assets.release_assets import RELEASE_KEY, RELEASES_ENV

    monkeypatch.setenv(RELEASES_ENV, str(tmp_path))
    defs = build_definitions(demo_catalog, database_url=demo_url)
    assets = [a for a in defs.assets if isinstance(a, dg.AssetsDefinition)]
    (release,) = [a for a in assets if RELEASE_KEY in a.keys]
    deps = {k.to_user_string() for k in release.asset_deps[RELEASE_KEY]}
    assert {"unified/stop_identity", "unified/affected_services", "fleet/fleet_analysis"} <= deps
    with dg.DagsterInstance.ephemeral() as instance:
        result = dg.materialize(assets, selection=[RELEASE_KEY], resources=dict(defs.resources), instance=instance)
    assert result.success
    (event,) = result.get_asset_materialization_events()
    md = event.materialization.metadata
    folder = Path(md["folder"].value)
    assert folder.parent == tmp_path and (folder / "SHA256SUMS").exists()
    with psycopg.connect(demo_url) as conn:
        row = conn.execute("SELECT run_kind, checksum FROM lineage.release WHERE run_id = %s",
                           (result.run_id,)).fetchone()
    assert row == ("dagster", md["checksum"].value)
