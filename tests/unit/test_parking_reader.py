"""Parking column mapping, Czech number/time formats, and record problems, without a database."""

from __future__ import annotations

import datetime as dt

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.parking import reader


def _map(**columns):
    return reader.ColumnMap.from_options({"columns": columns})


def test_csv_semicolon_decimal_comma_local_time():
    m = _map(id="ID", free="VOLNO", capacity="KAP", timestamp="CAS", lat="LAT", lon="LON")
    text = "ID;KAP;VOLNO;CAS;LAT;LON\nP1;120;35;2.3.2026 8:00;50,66;14,03\n"
    (r,) = list(reader.read_csv(text, m))
    assert (r["facility_id"], r["capacity"], r["free_places"], r["line_no"]) == ("P1", 120, 35, 2)
    assert (r["x"], r["y"], r["srid"]) == (14.03, 50.66, 4326)
    assert r["observed_at"] == dt.datetime(2026, 3, 2, 7, 0, tzinfo=dt.UTC)  # CET = UTC+1


def test_xy_in_krovak_and_occupied_instead_of_free():
    m = reader.ColumnMap.from_options({"columns": {"x": "X", "y": "Y", "occupied": "OBS", "crs": "EPSG:5514"}})
    (r,) = list(reader.read_csv("id,capacity,OBS,X,Y\nA,10,4,-744000,-972000\n", m))
    assert (r["free_places"], r["srid"], r["x"]) == (6, 5514, -744000.0)


def test_bad_values_become_problems_with_their_line():
    m = _map()
    recs = list(reader.read_csv("id,capacity,free,lat,lon\nA,10,-1,50,14\n,5,1,50,14\nC,1.5,,50,14\n", m))
    assert [(p.line_no, p.code) for p in recs] == [(2, "invalid_value"), (3, "missing_required_field"),
                                                   (4, "invalid_value")]


def test_mapping_and_file_errors_refuse_the_input():
    with pytest.raises(InputRejected, match="unknown fields"):
        reader.ColumnMap.from_options({"columns": {"identifier": "x"}})
    with pytest.raises(InputRejected, match="no position columns"):
        list(reader.read_csv("id,name\nA,B\n", _map()))
    with pytest.raises(InputRejected, match="not a FeatureCollection"):
        list(reader.read_geojson({"type": "Feature"}, _map()))


def test_geojson_point_and_epoch_time():
    doc = {"type": "FeatureCollection", "features": [
        {"type": "Feature", "properties": {"id": 7, "free": 3, "timestamp": "1772442000"},
         "geometry": {"type": "Point", "coordinates": [14.03, 50.66]}}]}
    (r,) = list(reader.read_geojson(doc, _map()))
    assert (r["facility_id"], r["srid"], r["observed_at"].hour) == ("7", 4326, 9)
