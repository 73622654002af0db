"""Every GTFS feed in ../shared/data/gtfs: staging counts equal MANIFEST.md's independent counts
(records we quarantined are in lineage.rejected_record), versions, notices, refusals."""

from __future__ import annotations

import re

import pytest

from tests.conftest import SHARED_DATA, shared_file
from transport_etl.ingest.run import ingest

COLUMNS = {"agency": "agency", "stops": "stops", "routes": "routes", "trips": "trips", "stop_times": "stop_times",
           "shapes pts": "shapes", "calendar": "calendar", "calendar_dates": "calendar_dates",
           "frequencies": "frequencies"}


def manifest() -> dict[str, dict[str, int]]:
    """file name → {gtfs file stem: data rows}, read from the MANIFEST's GTFS table."""
    path = SHARED_DATA / "MANIFEST.md"
    if not path.exists():
        pytest.skip("../shared/data/MANIFEST.md not present")
    text = path.read_text(encoding="utf-8")
    section = text.split("## gtfs/", 1)[1].split("\n## ", 1)[0]
    lines = [ln for ln in section.splitlines() if ln.startswith("|")]
    header = [c.strip() for c in lines[0].strip("|").split("|")]
    out: dict[str, dict[str, int]] = {}
    for ln in lines[2:]:
        cells = [c.strip() for c in ln.strip("|").split("|")]
        names = re.findall(r"[\w.-]+\.zip", cells[0])
        for i, name in enumerate(names):
            counts = {}
            for col, stem in COLUMNS.items():
                vals = [v.strip() for v in cells[header.index(col)].split("/")]
                v = vals[i] if len(vals) > 1 else vals[0]
                if v.isdigit():
                    counts[stem] = int(v)
                elif v in ("–", "-"):
                    counts[stem] = 0
            out[name] = counts
    return out


FEEDS = ["google-sample.zip", "cairns.zip", "amtrak-2021-10-06.zip", "bart-2016.zip", "bart-2018.zip",
         "bart-2023.zip", "bart-errors.zip", "cdmx.zip", "hart.zip", "czech-msk-from-jdf.zip", "edge-nested-dir.zip"]


@pytest.mark.parametrize("feed", FEEDS)
def test_staging_counts_match_the_manifest(feed, db_url, conn, make_source):
    path = shared_file(f"gtfs/{feed}")
    expected = manifest()[feed]
    # Threshold off: this test is about accounting for every record, loaded or quarantined.
    res = ingest(make_source("gtfs", id="conf", max_reject_ratio=1.0), path, database_url=db_url,
                 log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    fv = res.feed_version_id
    for stem, n in expected.items():
        staged = conn.execute(f"SELECT count(*) FROM staging.gtfs_{stem} WHERE feed_version_id = %s",
                              (fv,)).fetchone()[0]
        rejected = conn.execute("SELECT count(*) FROM lineage.rejected_record WHERE feed_version_id = %s "
                                "AND file_name = %s", (fv, f"{stem}.txt")).fetchone()[0]
        assert staged + rejected == n, (stem, staged, rejected, n)
    # ... and the published model holds one call per staged stop time.
    calls = conn.execute("SELECT count(*) FROM unified.call WHERE feed_version_id = %s", (fv,)).fetchone()[0]
    assert calls == conn.execute("SELECT count(*) FROM staging.gtfs_stop_times WHERE feed_version_id = %s",
                                 (fv,)).fetchone()[0]


def test_three_bart_versions_are_three_versions_of_one_source_newest_current(db_url, conn, make_source):
    src = make_source("gtfs", id="bart")
    ids = []
    for year in (2016, 2018, 2023):
        res = ingest(src, shared_file(f"gtfs/bart-{year}.zip"), database_url=db_url, log=lambda _m: None)
        assert res.outcome == "loaded", res.reason
        ids.append(res.feed_version_id)
    rows = conn.execute("SELECT id, is_current, status FROM lineage.feed_version WHERE source_id = 'bart' "
                        "ORDER BY id").fetchall()
    assert [r[0] for r in rows] == ids
    assert [r[1] for r in rows] == [False, False, True]
    # Older versions stay queryable in staging; only the newest is current in unified.
    assert conn.execute("SELECT count(DISTINCT feed_version_id) FROM staging.gtfs_stops WHERE feed_version_id = "
                        "ANY(%s)", (ids,)).fetchone()[0] == 3
    assert {r[0] for r in conn.execute("SELECT DISTINCT feed_version_id FROM unified.stop_place "
                                       "WHERE source_id = 'bart' AND recorded_to IS NULL")} == {ids[-1]}


def test_bart_errors_yields_notices(db_url, conn, make_source):
    res = ingest(make_source("gtfs", id="bart-err"), shared_file("gtfs/bart-errors.zip"), database_url=db_url,
                 log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    codes = dict(conn.execute("SELECT code, count(*) FROM lineage.notice WHERE feed_version_id = %s GROUP BY 1",
                              (res.feed_version_id,)).fetchall())
    # The injected stop at -200,-200 is out of range and never placed (the one position rule names it).
    assert codes.get("number_out_of_range", 0) >= 1
    assert conn.execute("SELECT geom IS NULL, location_note FROM unified.stop_place WHERE feed_version_id = %s "
                        "AND local_id = 'ERROR'", (res.feed_version_id,)).fetchone() == (True, "out_of_range")


def test_edge_invalid_is_rejected_and_nothing_loaded(db_url, conn, make_source):
    res = ingest(make_source("gtfs", id="bad"), shared_file("gtfs/edge-invalid.zip"), database_url=db_url,
                 log=lambda _m: None)
    assert res.outcome == "rejected" and "not a readable zip" in res.reason
    assert conn.execute("SELECT status FROM lineage.feed_version WHERE id = %s",
                        (res.feed_version_id,)).fetchone()[0] == "rejected"
    for table in ("staging.gtfs_stops", "staging.gtfs_file", "unified.stop_place", "unified.journey"):
        assert conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0] == 0, table


def test_czech_feed_flags_point_near_origin_and_places_no_stop_at_0_0(db_url, conn, make_source):
    res = ingest(make_source("gtfs", id="msk"), shared_file("gtfs/czech-msk-from-jdf.zip"), database_url=db_url,
                 log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    fv = res.feed_version_id
    n_stops = conn.execute("SELECT count(*) FROM staging.gtfs_stops WHERE feed_version_id = %s", (fv,)).fetchone()[0]
    assert conn.execute("SELECT count(*) FROM lineage.notice WHERE feed_version_id = %s "
                        "AND code = 'point_near_origin'", (fv,)).fetchone()[0] == n_stops
    for table in ("stop_place", "stop_point"):
        placed, noted = conn.execute(
            f"SELECT count(geom), count(*) FILTER (WHERE location_note = 'point_near_origin') "
            f"FROM unified.{table} WHERE feed_version_id = %s", (fv,)).fetchone()
        assert placed == 0 and noted > 0, table
    assert conn.execute("SELECT count(*) FROM unified.route_geometry WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0] == 0
