"""GTFS-Realtime decoding into rows, and refusal of what is not a FeedMessage."""

from __future__ import annotations

import pytest
from google.transit import gtfs_realtime_pb2 as pb

from transport_etl.formats.gtfs_rt.reader import InvalidMessage, decode


def _msg() -> pb.FeedMessage:
    m = pb.FeedMessage()
    m.header.gtfs_realtime_version = "2.0"
    m.header.timestamp = 1_772_442_000
    return m


def test_trip_update_rows():
    m = _msg()
    e = m.entity.add(id="1")
    e.trip_update.trip.trip_id = "T1"
    e.trip_update.trip.start_date = "20260302"
    u = e.trip_update.stop_time_update.add(stop_sequence=4)
    u.arrival.delay = 90
    d = decode(m.SerializeToString(), "tu.pb")
    assert d.kind == "trip_updates" and d.entity_count == 1
    assert d.trip_updates[0]["trip_id"] == "T1" and str(d.trip_updates[0]["start_date"]) == "2026-03-02"
    s = d.stop_time_updates[0]
    assert (s["stop_sequence"], s["arrival_delay"], s["departure_time"]) == (4, 90, None)


def test_alert_prefers_czech_and_open_periods():
    m = _msg()
    a = m.entity.add(id="a").alert
    a.header_text.translation.add(text="Detour", language="en")
    a.header_text.translation.add(text="Objížďka", language="cs")
    a.active_period.add(start=100)  # no end: open
    a.informed_entity.add(route_id="5")
    d = decode(m.SerializeToString(), "al.pb")
    assert d.alerts[0]["header_text"] == "Objížďka"
    assert d.alerts[0]["active_to"] is None and d.alerts[0]["active_from"].timestamp() == 100
    assert d.alert_entities == [{"alert_key": 0, "agency_id": None, "route_id": "5", "route_type": None,
                                 "trip_id": None, "stop_id": None}]


def _no_version() -> bytes:
    m = pb.FeedMessage()
    m.header.timestamp = 5  # required gtfs_realtime_version missing
    return m.SerializePartialToString()


@pytest.mark.parametrize("data, why", [(b"", "empty file"), (b"\x0a\xff\xff garbage", "not a GTFS-Realtime"),
                                       (_no_version(), "without header.gtfs_realtime_version")])
def test_not_a_message(data, why):
    with pytest.raises(InvalidMessage, match=why):
        decode(data, "x.pb")
