"""DATEX II feeds that publish updates (catalog update_mode: cumulative): an update replaces the
records it repeats, keeps the others until their end time, and adds new ones."""

from __future__ import annotations

import pytest

from tests.unit.test_datex2_parser import CLOSED, datex_doc, gn_location, record
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration
WHERE = gn_location("I/13", (-770000.0, -975000.0), (-769000.0, -975000.0))


def _load(tmp_path, db_url, src, name: str, records: str):
    p = tmp_path / name
    p.write_text(datex_doc(records), encoding="utf-8")
    return ingest(src, p, database_url=db_url, log=lambda _m: None)


def _current(conn) -> dict[str, str]:
    return dict(conn.execute("SELECT local_id, comment FROM unified.road_event WHERE recorded_to IS NULL"))


@pytest.mark.parametrize("mode", ["cumulative", "snapshot"])
def test_an_update_applies_on_the_current_events(tmp_path, db_url, conn, make_source, mode):
    src = make_source("datex2", id="road-ndic", family="road", update_mode=mode, max_shrink=1)
    first = _load(tmp_path, db_url, src, "d1.xml",
                  record("r1", "RoadOrCarriagewayOrLaneManagement", WHERE, CLOSED, comment="první", end="2099-01-01T00:00:00+01:00")
                  + record("r2", "MaintenanceWorks", WHERE, comment="oprava", end="2099-01-01T00:00:00+01:00")
                  + record("old", "MaintenanceWorks", WHERE, comment="skončeno", end="2020-01-01T00:00:00+01:00"))
    assert first.outcome == "loaded", first.reason
    update = _load(tmp_path, db_url, src, "d2.xml",
                   record("r2", "MaintenanceWorks", WHERE, comment="oprava prodloužena", end="2099-01-01T00:00:00+01:00")
                   + record("r3", "MaintenanceWorks", WHERE, comment="nová", end="2099-01-01T00:00:00+01:00"))
    assert update.outcome == "loaded", update.reason
    if mode == "cumulative":
        # r1 carried, r2 replaced by its update, r3 added; the ended record is not carried.
        assert _current(conn) == {"r1": "první", "r2": "oprava prodloužena", "r3": "nová"}
        assert conn.execute("SELECT applied_on FROM lineage.feed_version WHERE id = %s",
                            (update.feed_version_id,)).fetchone()[0] == first.feed_version_id
    else:
        assert _current(conn) == {"r2": "oprava prodloužena", "r3": "nová"}
