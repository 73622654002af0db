"""Parking as cities publish it: format recognised from content, epoch s/ms timestamps range-checked,
plain JSON arrays with a field mapping, DATEX II v2/v3 parking table and status publications."""

from __future__ import annotations

import datetime as dt
import json
import re

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.parking import reader
from transport_etl.formats.parking.detect import kind_of

T = dt.datetime(2026, 3, 2, 9, 0, tzinfo=dt.UTC)
EPOCH_S = int(T.timestamp())


def datex_parking(version: int, table: bool) -> str:
    """A DATEX II parking publication (v2.3 d2LogicalModel or v3 messageContainer) for two sites."""
    if version == 2:
        ns, p, payload = 'xmlns="http://datex2.eu/schema/2/2_0"', "", "payloadPublication"
        root_open, root_close = f'<d2LogicalModel {ns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">', \
            "</d2LogicalModel>"
        ptype = "ParkingTablePublication" if table else "ParkingStatusPublication"
    else:
        ns = ('xmlns:mc="http://datex2.eu/schema/3/messageContainer" xmlns:prk="http://datex2.eu/schema/3/parking" '
              'xmlns:com="http://datex2.eu/schema/3/common" xmlns:loc="http://datex2.eu/schema/3/locationReferencing"')
        p, payload = "prk:", "mc:payload"
        root_open = f'<mc:messageContainer {ns} xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
        root_close = "</mc:messageContainer>"
        ptype = "prk:ParkingTablePublication" if table else "prk:ParkingStatusPublication"
    sites = [("UL-P01", "Parkoviště Mírové náměstí", 110, 50.6615, 14.0342, 12),
             ("UL-P02", "P+R Hlavní nádraží", 180, 50.6589, 14.0438, 61)]
    if table:
        body = f"<{p}parkingTable id=\"t1\" version=\"1\">" + "".join(
            f'<{p}parkingRecord xsi:type="{p}ParkingSite" id="{sid}" version="1"><{p}parkingName><com:values '
            f'xmlns:com="x"><com:value lang="cs">{name}</com:value></com:values></{p}parkingName>'
            f"<{p}parkingNumberOfSpaces>{cap}</{p}parkingNumberOfSpaces><{p}parkingLocation><loc:pointByCoordinates "
            f'xmlns:loc="y"><loc:pointCoordinates><loc:latitude>{lat}</loc:latitude><loc:longitude>{lon}'
            f"</loc:longitude></loc:pointCoordinates></loc:pointByCoordinates></{p}parkingLocation></{p}parkingRecord>"
            for sid, name, cap, lat, lon, _free in sites) + f"</{p}parkingTable>"
    else:
        body = "".join(
            f'<{p}parkingRecordStatus xsi:type="{p}ParkingSiteStatus"><{p}parkingRecordReference '
            f'targetClass="ParkingRecord" id="{sid}" version="1"/><{p}parkingStatusOriginTime>2026-03-02T10:00:00+01:00'
            f"</{p}parkingStatusOriginTime><{p}parkingOccupancy><{p}parkingNumberOfVacantSpaces>{free}"
            f"</{p}parkingNumberOfVacantSpaces></{p}parkingOccupancy></{p}parkingRecordStatus>"
            for sid, _n, _c, _la, _lo, free in sites)
    return (f'<?xml version="1.0" encoding="UTF-8"?>\n{root_open}<{payload} xsi:type="{ptype}" lang="cs">'
            f"<{'com:' if version == 3 else ''}publicationTime>2026-03-02T10:00:00+01:00"
            f"</{'com:' if version == 3 else ''}publicationTime>{body}</{payload}>{root_close}\n")


def golemio_geojson(n: int = 24, unit: str = "ms") -> dict:
    """A Golemio-like FeatureCollection: numeric totals and free counts, epoch-millisecond timestamps."""
    scale = 1000 if unit == "ms" else 1
    return {"type": "FeatureCollection", "features": [
        {"type": "Feature", "geometry": {"type": "Point", "coordinates": [14.03 + i * 0.001, 50.66]},
         "properties": {"id": f"p{i}", "name": f"P{i}", "total_spot_number": 50 + i, "num_of_free_places": i,
                        "last_updated": (EPOCH_S + 60 * i) * scale}} for i in range(n)]}


GOLEMIO = {"id": "id", "name": "name", "capacity": "total_spot_number", "free": "num_of_free_places",
           "timestamp": "last_updated"}


@pytest.mark.parametrize("unit", ["ms", "s"])
def test_epoch_seconds_and_milliseconds_read_as_the_same_time(tmp_path, unit):
    p = tmp_path / "parking.json"
    p.write_text(json.dumps(golemio_geojson(unit=unit)), encoding="utf-8")
    kind, recs = reader.read(p, reader.ColumnMap.from_options({"columns": GOLEMIO}))
    recs = list(recs)
    assert kind == "geojson" and len(recs) == 24 and all(isinstance(r, dict) for r in recs)
    assert recs[0]["observed_at"] == T and recs[23]["observed_at"] == T + dt.timedelta(minutes=23)


def test_timestamps_out_of_range_are_problems_never_1542():
    m = reader.ColumnMap.from_options({"columns": {"timestamp": "t"}})
    for bad in ("1542", "15420101", str(EPOCH_S * 1000) + "000000000", "1899-12-30T00:00:00", "-5"):
        r = reader.record({"id": "x", "t": bad}, m, 7, None, None)
        assert isinstance(r, reader.Problem) and r.code == "invalid_value", bad
        assert "outside 2000" in r.message or "digit number" in r.message or "Invalid isoformat" in r.message, r
    assert reader.parse_time(str(EPOCH_S * 1_000_000), "Europe/Prague") == T          # microseconds
    assert reader.parse_time(str(EPOCH_S * 1_000_000_000), "Europe/Prague") == T      # nanoseconds
    assert reader.parse_time("20260302", "UTC") == dt.datetime(2026, 3, 2, tzinfo=dt.UTC)


def test_plain_json_array_with_nested_field_mapping(tmp_path):
    doc = {"parkings": [{"kod": "A1", "nazev": "Divadlo", "kapacita": 60, "obsazenost": {"volno": 14,
                         "cas": "2026-03-02T10:00:00"}, "poloha": {"lat": 50.6625, "lng": 14.0374}}]}
    p = tmp_path / "parkoviste.txt"                  # the name says nothing: the content decides
    p.write_text(json.dumps(doc, ensure_ascii=False), encoding="utf-8")
    m = reader.ColumnMap.from_options({"columns": {"id": "kod", "name": "nazev", "capacity": "kapacita",
                                                   "free": "obsazenost.volno", "timestamp": "obsazenost.cas",
                                                   "lat": "poloha.lat", "lon": "poloha.lng"}})
    kind, recs = reader.read(p, m)
    (r,) = list(recs)
    assert kind == "json_array"
    assert (r["facility_id"], r["name"], r["capacity"], r["free_places"], r["x"], r["y"], r["line_no"]) == \
        ("A1", "Divadlo", 60, 14, 14.0374, 50.6625, 1)
    assert r["observed_at"] == T                                                      # local time, CET


@pytest.mark.parametrize("version", [2, 3])
def test_datex_parking_table_and_status(tmp_path, version):
    m = reader.ColumnMap.from_options({})
    t, s = tmp_path / "a.xml", tmp_path / "b.xml"
    t.write_text(datex_parking(version, True), encoding="utf-8")
    s.write_text(datex_parking(version, False), encoding="utf-8")
    kind, table = reader.read(t, m)
    table = list(table)
    assert kind == "datex2"
    assert [(r["facility_id"], r["name"], r["capacity"], r["x"], r["y"]) for r in table] == [
        ("UL-P01", "Parkoviště Mírové náměstí", 110, 14.0342, 50.6615), ("UL-P02", "P+R Hlavní nádraží", 180, 14.0438,
                                                                          50.6589)]
    _kind, status = reader.read(s, m)
    status = list(status)
    assert [(r["facility_id"], r["free_places"], r["observed_at"]) for r in status] == [("UL-P01", 12, T),
                                                                                        ("UL-P02", 61, T)]


@pytest.mark.parametrize(("data", "says"), [
    (b"PK\x03\x04rest", "looks like a zip archive"),
    (b"<!DOCTYPE html><html><body>Login</body></html>", "looks like an HTML page"),
    (b'<?xml version="1.0"?><kml xmlns="http://www.opengis.net/kml/2.2"></kml>', "looks like XML with root <kml>"),
    (b'{"type": "Feature", "properties": {}}', "JSON object without features or a list of facilities (keys: "
                                               "properties, type)"),
    (b'<d2LogicalModel xmlns="http://datex2.eu/schema/2/2_0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">'
     b'<payloadPublication xsi:type="SituationPublication">', "a DATEX II SituationPublication, not a Parking"),
    (b"just some words\nand more", "plain text without a delimited header line"),
])
def test_unrecognised_input_is_refused_saying_what_it_looks_like(data, says):
    with pytest.raises(InputRejected, match=re.escape(says)):
        kind_of("input.csv", data)
