"""DATEX II v3 (messageContainer) and the location kinds real publishers use: ALERT-C methods 2 and 4,
TPEG, GML line strings, OpenLR; detection by root and namespace, never by file name."""

from __future__ import annotations

import pytest

from demo.road_publishers import alertc_v3, v3_document, v3_record
from tests.unit.test_datex2_parser import datex_doc, record, write
from transport_etl.errors import InputRejected
from transport_etl.formats.datex2.parser import Publication, parse


def _loc(inner: str, xsi: str = "loc:LinearLocation") -> str:
    return f'<sit:locationReference xsi:type="{xsi}">{inner}</sit:locationReference>'


def _v3(tmp_path, *recs: tuple[str, str], name: str = "feed.bin"):
    return write(tmp_path, v3_document([(f"s{i}", r) for i, (_id, r) in enumerate(recs)]), name)


def test_v3_records_types_comment_validity_and_alertc_method2(tmp_path):
    rec = v3_record("r1", "MaintenanceWorks", "Frézování", _loc(alertc_v3("linear", "negative", 25401, 25405)),
                    "<sit:roadMaintenanceType>resurfacingWork</sit:roadMaintenanceType>",
                    "2025-05-05T07:00:00+02:00", "2025-06-30T17:00:00+02:00")
    pub = Publication()
    (r,) = list(parse(_v3(tmp_path, ("r1", rec)), pub))
    assert pub.datex_version == "3" and pub.publication_time == "2025-05-02T08:00:00+02:00"
    assert (r.record_type, r.event_type, r.impact) == ("MaintenanceWorks", "roadworks", "resurfacingWork")
    assert r.comment == "Frézování" and r.starts_at.startswith("2025-05-05") and r.ends_at.startswith("2025-06-30")
    assert r.start_point is None and "alertC" in r.location_methods
    a = r.attributes["alertc"]
    assert (a["method"], a["table"], a["direction"], a["primary"], a["secondary"]) == (2, "25", "negative", 25401, 25405)
    assert r.raw_location["alertCLinear"]["@type"] == "AlertCMethod2Linear"


def test_alertc_method4_point_with_offset_and_extent(tmp_path):
    loc = alertc_v3("point", "positive", 25881, primary_offset=300).replace(
        "</loc:alertCPoint>", "<loc:alertCExtent>3</loc:alertCExtent></loc:alertCPoint>")
    rec = v3_record("r1", "Accident", "Nehoda", _loc(loc, "loc:PointLocation"), "", "2025-05-02T07:00:00Z",
                    "2025-05-02T09:00:00Z")
    (r,) = list(parse(_v3(tmp_path, ("r1", rec))))
    a = r.attributes["alertc"]
    assert (a["method"], a["point"], a["primary"], a["primary_offset_m"], a["extent"]) == (4, True, 25881, 300.0, 3)
    assert r.event_type == "accident"


def test_v2_alertc_method4_linear_as_german_feeds_send_it(tmp_path):
    loc = ('<groupOfLocations xsi:type="Linear"><alertCLinear xsi:type="AlertCMethod4Linear">'
           "<alertCLocationCountryCode>D</alertCLocationCountryCode><alertCLocationTableNumber>1</alertCLocationTableNumber>"
           "<alertCLocationTableVersion>19.0</alertCLocationTableVersion>"
           "<alertCDirection><alertCDirectionCoded>positive</alertCDirectionCoded></alertCDirection>"
           "<alertCMethod4PrimaryPointLocation><alertCLocation><specificLocation>10536</specificLocation></alertCLocation>"
           "<offsetDistance><offsetDistance>120</offsetDistance></offsetDistance></alertCMethod4PrimaryPointLocation>"
           "<alertCMethod4SecondaryPointLocation><alertCLocation><specificLocation>10538</specificLocation>"
           "</alertCLocation><offsetDistance><offsetDistance>40</offsetDistance></offsetDistance>"
           "</alertCMethod4SecondaryPointLocation></alertCLinear></groupOfLocations>")
    (r,) = list(parse(write(tmp_path, datex_doc(record("de1", "ConstructionWorks", loc)))))
    a = r.attributes["alertc"]
    assert (a["method"], a["primary"], a["primary_offset_m"], a["secondary"], a["secondary_offset_m"]) == \
        (4, 10536, 120.0, 10538, 40.0)
    assert r.event_type == "roadworks"


def test_tpeg_and_gml_coordinates_become_points_in_5514(tmp_path):
    tpeg = _loc("<loc:tpegLinearLocation><loc:tpegDirection>positive</loc:tpegDirection>"
                "<loc:from><loc:pointCoordinates><loc:latitude>50.6600</loc:latitude><loc:longitude>14.0300"
                "</loc:longitude></loc:pointCoordinates></loc:from><loc:to><loc:pointCoordinates><loc:latitude>"
                "50.6700</loc:latitude><loc:longitude>14.0500</loc:longitude></loc:pointCoordinates></loc:to>"
                "</loc:tpegLinearLocation>")
    gml = _loc("<loc:gmlLineString><loc:posList>50.66 14.03 50.665 14.04 50.67 14.05</loc:posList>"
               "</loc:gmlLineString>")
    recs = [("t", v3_record("t", "GeneralObstruction", "x", tpeg, "", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z")),
            ("g", v3_record("g", "PoorEnvironmentConditions", "y", gml, "", "2025-01-01T00:00:00Z",
                            "2025-01-02T00:00:00Z"))]
    t, g = list(parse(_v3(tmp_path, *recs)))
    for r, how in ((t, "coordinates:tpeg"), (g, "coordinates:gml")):
        assert how in r.location_methods
        (x1, y1), (x2, y2) = r.start_point, r.end_point
        assert -780_000 < x1 < -740_000 and -990_000 < y1 < -960_000     # Ústí nad Labem area, EPSG:5514
        assert x2 > x1 and y2 > y1                                       # north-east of the start
    assert t.start_point == pytest.approx(g.start_point, abs=0.01)
    assert g.event_type == "weather"


def test_openlr_only_is_flagged(tmp_path):
    rec = v3_record("o", "AbnormalTraffic", "kolona", _loc("<loc:openlrLinear><loc:openlrBinaryLocationReference>"
                    "CwRbWyNG9BpgB/6w/8QSBA==</loc:openlrBinaryLocationReference></loc:openlrLinear>"), "",
                    "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z")
    (r,) = list(parse(_v3(tmp_path, ("o", rec))))
    assert r.location_methods == ["openlr"] and r.start_point is None and r.event_type == "congestion"


def test_detection_is_by_root_and_namespace(tmp_path):
    rec = v3_record("r", "Accident", "x", "", "", "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z")
    doc = v3_document([("s", rec)])
    assert len(list(parse(write(tmp_path, doc, "situace.csv")))) == 1        # the name does not matter
    wrong_ns = doc.replace("http://datex2.eu/schema/3/messageContainer", "http://example.org/mc")
    with pytest.raises(InputRejected, match="neither a DATEX II v2 d2LogicalModel .* nor a v3 messageContainer"):
        list(parse(write(tmp_path, wrong_ns, "d2.xml")))
    parking = doc.replace('xsi:type="sit:SituationPublication"', 'xsi:type="prk:ParkingStatusPublication"')
    with pytest.raises(InputRejected, match="payload is ParkingStatusPublication, not a SituationPublication"):
        list(parse(write(tmp_path, parking, "d3.xml")))


def test_linear_reference_along_a_road_gives_chainage(tmp_path):
    loc = _loc("<loc:linearWithinLinearElement><loc:linearElement><loc:roadNumber>II/261</loc:roadNumber>"
               "</loc:linearElement><loc:fromPoint><loc:distanceAlong>14200</loc:distanceAlong></loc:fromPoint>"
               "<loc:toPoint><loc:distanceAlong>15100</loc:distanceAlong></loc:toPoint>"
               "</loc:linearWithinLinearElement>", "loc:SingleRoadLinearLocation")
    rec = v3_record("l", "RoadOrCarriagewayOrLaneManagement", "uzavírka", loc,
                    "<sit:roadOrCarriagewayOrLaneManagementType>roadClosed</sit:roadOrCarriagewayOrLaneManagementType>",
                    "2025-01-01T00:00:00Z", "2025-01-02T00:00:00Z")
    (r,) = list(parse(_v3(tmp_path, ("l", rec))))
    assert (r.road_number, r.chainage_from_km, r.chainage_to_km, r.event_type) == ("II/261", 14.2, 15.1, "closure")
    assert "linearWithinLinearElement" in r.location_methods
