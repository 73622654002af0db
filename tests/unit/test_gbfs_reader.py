"""GBFS discovery resolution and feed parsing, without a database."""

from __future__ import annotations

import json

import pytest

from transport_etl.formats.gbfs import reader
from transport_etl.formats.gbfs.discovery import (
    GbfsError,
    discover,
    feeds_from_discovery,
    parse_document,
)


def _doc(data, **extra):
    return {"last_updated": 1_760_000_000, "ttl": 60, "data": data, **extra}


def test_language_choice_and_relative_urls():
    doc = _doc({"en": {"feeds": [{"name": "station_status", "url": "en/station_status.json"}]},
                "cs": {"feeds": [{"name": "station_status", "url": "cs/station_status.json"}]}})
    d = feeds_from_discovery(doc, "https://gbfs.example/v2/nextbike_uo/gbfs.json")
    assert d.language == "cs"  # Czech preferred
    assert d.feed("station_status") == "https://gbfs.example/v2/nextbike_uo/cs/station_status.json"
    assert feeds_from_discovery(doc, "https://x/gbfs.json", "en").feed("station_status") == "https://x/en/station_status.json"
    with pytest.raises(GbfsError, match="language 'de' not offered"):
        feeds_from_discovery(doc, "https://x/gbfs.json", "de")


def test_gbfs3_feed_list_without_languages():
    doc = _doc({"feeds": [{"name": "vehicle_status", "url": "https://x/vehicle_status.json"}]})
    assert feeds_from_discovery(doc, "https://x/gbfs.json").feeds == {"vehicle_status": "https://x/vehicle_status.json"}


def test_local_mirror_prefers_its_own_copies(tmp_path):
    (tmp_path / "gbfs.json").write_text(json.dumps(_doc({"en": {"feeds": [
        {"name": "station_information", "url": "https://gbfs.nextbike.net/x/station_information.json"},
        {"name": "station_status", "url": "https://gbfs.nextbike.net/x/station_status.json"}]}})))
    (tmp_path / "station_information.json").write_text("{}")
    d = discover(str(tmp_path))
    assert d.feed("station_information") == str(tmp_path / "station_information.json")
    assert d.feed("station_status").startswith("https://")  # no local copy: the URL stays


def test_garbage_is_a_clear_error():
    with pytest.raises(GbfsError, match="is not JSON"):
        parse_document(b"<html>502</html>", "http://x/station_status.json")
    with pytest.raises(GbfsError, match="no 'data' object"):
        parse_document(b"[1, 2]", "http://x/station_status.json")


def test_stations_problems_are_reported_not_dropped():
    doc = _doc({"stations": [{"station_id": "1", "name": "A", "lat": 50.5, "lon": 13.6, "capacity": "10"},
                             {"name": "no id", "lat": 50.5, "lon": 13.6},
                             {"station_id": "3", "name": "no position"}]})
    items = list(reader.stations(doc, "station_information.json"))
    assert items[0]["capacity"] == 10 and items[0]["station_id"] == "1"
    assert [(p.index, p.code) for p in items[1:]] == [(1, "missing_required_field"), (2, "missing_coordinates")]


def test_timestamps_and_status_fields():
    assert reader.timestamp(1_760_000_000).year == 2025
    assert reader.timestamp("2025-10-09T08:53:20+00:00") == reader.timestamp(1_760_000_000)
    assert reader.timestamp(0) is None
    with pytest.raises(GbfsError, match="last_updated"):
        reader.last_updated({"data": {}}, "x")
    st = next(reader.station_status(_doc({"stations": [{"station_id": "1", "num_vehicles_available": 2,
                                                        "is_renting": 1}]}), "x"))
    assert st["num_bikes_available"] == 2 and st["is_renting"] is True
    bikes = list(reader.vehicles(_doc({"bikes": [{"bike_id": "b", "lat": 50.5, "lon": 13.6}, {"lat": 1}]}), "x"))
    assert bikes[0]["vehicle_id"] == "b" and isinstance(bikes[1], reader.Problem)


@pytest.mark.parametrize("value", [float("nan"), 1e300, 10**20, "99999999999999", -5, "yesterday", [1]])
def test_last_updated_unusable_refuses_the_feed_cleanly(value):
    with pytest.raises(GbfsError, match="last_updated"):
        reader.last_updated({"last_updated": value, "data": {}}, "station_status.json")


def test_millisecond_times_are_read_with_one_notice_and_bad_last_reported_quarantines():
    notes: list[str] = []
    assert reader.last_updated({"last_updated": 1_772_442_000_000, "data": {}}, "s", notes).timestamp() == 1_772_442_000
    doc = _doc({"stations": [{"station_id": "a", "last_reported": 1_772_442_000_000},
                             {"station_id": "b", "last_reported": 1e20},
                             {"station_id": "c", "last_reported": 1_772_442_000}]})
    rows = list(reader.station_status(doc, "s", notes))
    assert rows[0]["last_reported"] == rows[2]["last_reported"]
    assert isinstance(rows[1], reader.Problem) and rows[1].code == "invalid_time" and rows[1].index == 1
    p = reader.millisecond_notice(notes, "station_status.json")
    assert p.code == "timestamp_in_milliseconds" and "2 time(s)" in p.message


def test_huge_json_integer_is_refused_cleanly():
    with pytest.raises(GbfsError, match="not JSON"):
        parse_document(b'{"last_updated": ' + b"9" * 5000 + b', "data": {}}', "gbfs.json")


def test_languages_of_another_shape_are_noted_not_a_crash():
    s = reader.system_information(_doc({"system_id": "x", "languages": {"cs": "Czech"}}))
    assert s["language"] is None and "not a list of language codes" in s["notes"][0]
    assert reader.system_information(_doc({"system_id": "x", "languages": ["cs", "en"]}))["language"] == "cs"
