"""The rail demo data loads through both rail formats and matches its truth tuples."""

from __future__ import annotations

import datetime as dt

import pytest

from demo import rail
from demo.places import BY_KEY
from transport_etl.catalog import Source
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration


def test_demo_rail_loads_and_matches_truth(db_url, conn, tmp_path):
    out = rail.generate(tmp_path)
    assert rail.generate(tmp_path / "again") == out  # deterministic catalog and truth
    assert (tmp_path / rail.CZPTT_DIR / "GVD2026.zip").read_bytes() == (
        tmp_path / "again" / rail.CZPTT_DIR / "GVD2026.zip").read_bytes()
    results = {}
    for entry in out["sources"]:
        src = Source(**{**entry, "location": str(tmp_path / entry["location"])})
        results[src.id] = ingest(src, database_url=db_url, run_kind="test", log=lambda _m: None)
        assert results[src.id].outcome == "loaded", results[src.id].reason
    assert results[rail.SR70_SOURCE].rows_in == len(rail.REGISTER)

    # Every truth tuple names a positioned stop place near its demo place.
    for source_id, local_id, key in out["truth"]:
        row = conn.execute(
            """SELECT ST_Distance(geom, ST_Transform(ST_SetSRID(ST_MakePoint(%s, %s), 4326), 5514))
                 FROM unified.stop_place WHERE source_id = %s AND local_id = %s AND recorded_to IS NULL""",
            (BY_KEY[key].lon, BY_KEY[key].lat, source_id, local_id)).fetchone()
        assert row is not None and row[0] < 1500, (source_id, local_id, key, row)
    assert {k for s, _l, k in out["truth"] if s == rail.CZPTT_SOURCE} >= {"ul_hlavni_nadrazi", "cv_nadrazi"}

    fv = results[rail.CZPTT_SOURCE].feed_version_id
    # The cancellation removes 11-12 April 2026 from 6601; the day before still runs.
    days = {r[0] for r in conn.execute(
        """SELECT sd.service_date FROM unified.service_day sd JOIN unified.journey j
             ON j.service_calendar_id = sd.service_calendar_id WHERE j.feed_version_id = %s AND j.public_code = '6601'""",
        (fv,))}
    assert dt.date(2026, 4, 10) in days and not {dt.date(2026, 4, 11), dt.date(2026, 4, 12)} & days
    # The monthly gzip change of 6405 wins over the annual version: 11:18 from Děčín instead of 11:08.
    assert conn.execute(
        """SELECT c.departure_s FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
            WHERE j.feed_version_id = %s AND j.public_code = '6405' AND c.sequence = 1""", (fv,)).fetchone()[0] == 40_680
    # The 23:08 from Děčín reaches Chomutov after midnight.
    assert conn.execute(
        """SELECT max(c.arrival_s) FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
            WHERE j.feed_version_id = %s AND j.public_code = '6413'""", (fv,)).fetchone()[0] == (23 * 60 + 8 + 97) * 60
    # Express trains pass halts: those locations stay in staging only.
    assert conn.execute(
        """SELECT count(*) FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
            WHERE j.feed_version_id = %s AND j.public_code = '1911'""", (fv,)).fetchone()[0] == 15 - 5  # five halts on the route
    assert conn.execute("SELECT count(*) FROM unified.transport_link WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0] >= 30
