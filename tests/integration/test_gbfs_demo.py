"""The demo GBFS folder (relative feed URLs, like a mirrored nextbike system) loads and polls."""

from __future__ import annotations

from dataclasses import replace

import pytest

from demo.municipal_extra import MOST_STATIONS, write_gbfs
from transport_etl.formats.gbfs.status import poll_gbfs_status
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration


def test_demo_folder_loads_near_most_and_polls_unchanged(db_url, conn, tmp_path, make_source):
    truth = write_gbfs(tmp_path / "gbfs")
    src = replace(make_source("gbfs", id="demo-gbfs"), location=str(tmp_path / "gbfs" / "gbfs.json"))
    res = ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    assert res.feed_label == "nextbike_uo nextbike Most"
    assert conn.execute("SELECT count(*) FROM unified.bike_station").fetchone()[0] == len(MOST_STATIONS)
    # stations said to be at a place lie within 100 m of it (places.py positions, transformed here)
    from demo.places import BY_KEY
    for _src, sid, key in truth:
        p = BY_KEY[key]
        d = conn.execute("SELECT ST_Distance(geom, ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), 5514)) "
                         "FROM unified.bike_station WHERE local_id = %s", (p.lon, p.lat, sid)).fetchone()[0]
        assert d < 100, (sid, key, d)
    # the load took the status snapshot; polling the same files adds nothing
    n = conn.execute("SELECT count(*) FROM unified.bike_station_status").fetchone()[0]
    assert n == len(MOST_STATIONS)
    assert poll_gbfs_status(db_url, src).outcome == "unchanged"
    # a second ingest of the same folder is skipped by the runner (same sha256)
    assert ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None).outcome == "skipped"
