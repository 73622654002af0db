"""The Caltrain GTFS-Realtime messages of ../shared/data/gtfs-rt against their static feed: every
trip update matched to a static trip or counted unmatched with a reason; invalid.pb refused."""

from __future__ import annotations

import pytest

from demo.municipal_extra import write_rt_sequence
from tests.conftest import shared_file
from transport_etl.ingest.run import ingest

pytestmark = [pytest.mark.integration, pytest.mark.conformance]

QUIET = {"run_kind": "test", "log": lambda _m: None}


@pytest.fixture
def static_loaded(db_url, make_source):
    res = ingest(make_source("gtfs", id="caltrain"), shared_file("gtfs-rt/caltrain-static.zip"),
                 database_url=db_url, **QUIET)
    assert res.outcome == "loaded", res.reason
    return res.feed_version_id


def test_three_messages_load_against_static(db_url, conn, make_source, static_loaded):
    rt = make_source("gtfs-rt", id="caltrain-rt", static_source="caltrain")
    results = {f: ingest(rt, shared_file(f"gtfs-rt/{f}"), database_url=db_url, **QUIET)
               for f in ("ct-trip-updates.pb", "ct-vehicle-positions.pb", "ct-service-alerts.pb")}
    assert all(r.outcome == "loaded" for r in results.values()), {f: r.reason for f, r in results.items()}

    kinds = dict(conn.execute("SELECT feed_kind, entity_count FROM unified.rt_message").fetchall())
    assert kinds == {"trip_updates": 19, "vehicle_positions": 14, "empty": 0}
    assert conn.execute("SELECT count(DISTINCT static_feed_version_id), min(static_feed_version_id) "
                        "FROM unified.rt_message").fetchone() == (1, static_loaded)

    # every trip update is matched or has a reason, and the notices count the unmatched ones
    tu = conn.execute("SELECT count(*), count(*) FILTER (WHERE matched), "
                      "count(*) FILTER (WHERE NOT matched AND unmatched_reason IS NOT NULL) "
                      "FROM unified.rt_trip_update").fetchone()
    assert tu[0] == 19 and tu[1] + tu[2] == 19
    notices = conn.execute("SELECT count(*) FROM lineage.notice WHERE code = 'trip_update_unmatched'").fetchone()[0]
    assert notices == tu[2]
    # matched trips really are trips of the static version
    assert conn.execute(
        "SELECT count(*) FROM unified.rt_trip_update r WHERE r.matched AND NOT EXISTS (SELECT 1 FROM "
        "staging.gtfs_trips t WHERE t.feed_version_id = r.static_feed_version_id AND t.trip_id = r.trip_id)"
    ).fetchone()[0] == 0

    # delays: predicted time − scheduled time on the service date in America/Los_Angeles
    stu = conn.execute("SELECT count(*), count(*) FILTER (WHERE stop_matched), "
                       "min(coalesce(departure_delay_s, arrival_delay_s)), "
                       "max(coalesce(departure_delay_s, arrival_delay_s)) FROM unified.rt_stop_time_update").fetchone()
    assert stu[0] > 0 and stu[1] == stu[0]
    assert -30 * 60 < stu[2] <= stu[3] < 60 * 60  # a commuter railway's evening: minutes, not hours or days
    delay_124 = conn.execute(
        "SELECT departure_delay_s FROM unified.rt_stop_time_update s JOIN unified.rt_trip_update t "
        "ON t.id = s.trip_update_id WHERE t.trip_id = '124' AND s.stop_sequence = 20").fetchone()[0]
    # ct-trip-updates.pb: departure 1699405504 (2023-11-08 01:05:04Z); stop_times: 17:03:00 PST = 01:03:00Z
    assert delay_124 == 124
    hourly = conn.execute("SELECT sum(calls) FROM unified.rt_stop_delay_hourly").fetchone()[0]
    assert 0 < hourly <= stu[0]

    vp = conn.execute("SELECT count(*), count(*) FILTER (WHERE matched OR unmatched_reason IS NOT NULL), "
                      "count(*) FILTER (WHERE geom IS NULL AND location_note = 'outside_expected_extent') "
                      "FROM unified.rt_vehicle_position").fetchone()
    assert vp == (14, 14, 14)  # California is far outside the expected extent (and S-JTSK): never placed


def test_demo_sequence_generator_matches_static(db_url, conn, tmp_path, make_source, static_loaded):
    """write_rt_sequence (the demo generator) on this static feed: all trips match and the recorded
    delays are the ones it put in (60 s × (trip index + 1) + 20 s × step)."""
    trips = write_rt_sequence(shared_file("gtfs-rt/caltrain-static.zip"), tmp_path / "rt", trips_wanted=2, steps=3)
    assert len(trips) == 2
    res = ingest(make_source("gtfs-rt", id="rt", static_source="caltrain"), tmp_path / "rt", database_url=db_url,
                 **QUIET)
    assert res.outcome == "loaded", res.reason
    assert conn.execute("SELECT count(*), count(*) FILTER (WHERE matched) FROM unified.rt_trip_update"
                        ).fetchone() == (6, 6)
    got = conn.execute(
        "SELECT t.trip_id, min(s.arrival_delay_s), max(s.arrival_delay_s) "
        "FROM unified.rt_stop_time_update s JOIN unified.rt_trip_update t ON t.id = s.trip_update_id "
        "JOIN unified.rt_message m ON m.id = t.message_id GROUP BY m.header_timestamp, 1 ORDER BY m.header_timestamp, 1"
    ).fetchall()
    expected = [(t, 60 * (i + 1) + 20 * step) for step in range(3)
                for i, t in sorted(enumerate(trips), key=lambda it: it[1])]
    assert [(g[0], g[1]) for g in got] == expected
    assert all(g[1] == g[2] for g in got)
    assert conn.execute("SELECT count(*) FROM unified.rt_alert_entity WHERE line_id IS NOT NULL").fetchone()[0] == 1


def test_invalid_message_rejected(db_url, conn, make_source):
    res = ingest(make_source("gtfs-rt", id="caltrain-rt"), shared_file("gtfs-rt/invalid.pb"),
                 database_url=db_url, **QUIET)
    assert res.outcome == "rejected"
    assert res.reason_code == "invalid_protobuf"
    assert "invalid.pb is not a GTFS-Realtime FeedMessage" in res.reason
    assert conn.execute("SELECT count(*) FROM unified.rt_message").fetchone()[0] == 0
    assert conn.execute("SELECT status FROM lineage.feed_version").fetchone()[0] == "rejected"
