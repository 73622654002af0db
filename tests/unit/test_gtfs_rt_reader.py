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
    a.active_period.add(start=1_772_400_000)  # no end: open (a start in 1970 is not a time: see below)
    a.informed_entity.add(route_id="5")
    d = decode(m.SerializeToString(), "al.pb")
    assert d.alerts[0]["header_text"] == "Objížďka"
    assert d.alerts[0]["active_to"] is None and d.alerts[0]["active_from"].timestamp() == 1_772_400_000
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


def _tu(m: pb.FeedMessage, eid: str, trip_id: str) -> pb.FeedEntity:
    e = m.entity.add(id=eid)
    e.trip_update.trip.trip_id = trip_id
    return e


@pytest.mark.parametrize("stamp", [2**64 - 1, 10**19, 5])
def test_header_timestamp_out_of_range_is_an_invalid_message(stamp):
    m = _msg()
    m.header.timestamp = stamp
    with pytest.raises(InvalidMessage, match="header timestamp"):
        decode(m.SerializeToString(), "x.pb")


def test_millisecond_times_are_read_as_such_with_a_note():
    m = _msg()
    m.header.timestamp = 1_772_442_000_000
    e = _tu(m, "1", "T1")
    e.trip_update.timestamp = 1_772_442_000_000
    e.trip_update.stop_time_update.add(stop_sequence=1).arrival.time = 1_772_442_060_000
    d = decode(m.SerializeToString(), "ms.pb")
    assert d.header_timestamp.timestamp() == 1_772_442_000 and not d.rejected
    assert d.stop_time_updates[0]["arrival_time"].timestamp() == 1_772_442_060
    assert len(d.notes) == 3 and "milliseconds" in d.notes[0]


def test_entity_with_an_unusable_value_is_left_out_whole():
    m = _msg()
    _tu(m, "good", "T1")
    _tu(m, "nul", "T\x002")
    e = _tu(m, "huge", "T3")
    e.trip_update.stop_time_update.add(stop_sequence=1).departure.time = 2**63 - 1
    a = m.entity.add(id="al").alert
    a.active_period.add(end=2**63)
    data = m.SerializeToString().replace(b"T1", b"\xff1")   # a trip_id that is not UTF-8 (upb hands bytes)
    _tu(m, "ok", "T4")
    d = decode(data, "x.pb")
    assert [(i, code) for i, _id, code, _why in d.rejected] == [(0, "invalid_character"), (1, "invalid_character"),
                                                               (2, "invalid_time"), (3, "invalid_time")]
    assert d.trip_updates == [] and d.stop_time_updates == [] and d.alerts == []
    d = decode(m.SerializeToString(), "x.pb")
    assert [t["trip_id"] for t in d.trip_updates] == ["T1", "T4"] and [t["key"] for t in d.trip_updates] == [0, 1]
