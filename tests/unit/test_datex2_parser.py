"""DATEX II v2 parser: records, Czech globalNetworkLinear locations, ALERT-C kept raw, XML safety."""

from __future__ import annotations

from pathlib import Path

import pytest

from transport_etl.errors import InputRejected
from transport_etl.formats.datex2.parser import Publication, parse

NS = "http://datex2.eu/schema/2/2_0"


def datex_doc(records: str, publication_time: str = "2024-05-02T08:00:00+02:00",
              pub_type: str = "SituationPublication") -> str:
    """A d2LogicalModel holding one situation with the given situationRecord elements."""
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<d2LogicalModel xmlns="{NS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" modelBaseVersion="2">
  <exchange><supplierIdentification><country>cz</country><nationalIdentifier>NDIC</nationalIdentifier>
  </supplierIdentification></exchange>
  <payloadPublication xsi:type="{pub_type}" lang="cs">
    <publicationTime>{publication_time}</publicationTime>
    <publicationCreator><country>cz</country><nationalIdentifier>NDIC</nationalIdentifier></publicationCreator>
    <situation id="sit-1" version="3">
{records}
    </situation>
  </payloadPublication>
</d2LogicalModel>
"""


def record(rid: str, xsi_type: str, location: str, extra: str = "", comment: str = "Uzavírka silnice",
           start: str = "2024-05-01T06:00:00+02:00", end: str = "2024-06-30T18:00:00+02:00") -> str:
    return f"""      <situationRecord id="{rid}" version="2" xsi:type="{xsi_type}">
        <situationRecordCreationTime>2024-04-20T10:00:00+02:00</situationRecordCreationTime>
        <situationRecordVersionTime>2024-04-21T10:00:00+02:00</situationRecordVersionTime>
        <probabilityOfOccurrence>certain</probabilityOfOccurrence>
        <validity><validityStatus>definedByValidityTimeSpecification</validityStatus>
          <validityTimeSpecification><overallStartTime>{start}</overallStartTime>
          <overallEndTime>{end}</overallEndTime></validityTimeSpecification></validity>
        <generalPublicComment><comment><values>
          <value lang="en">Road closed</value><value lang="cs">{comment}</value>
        </values></comment></generalPublicComment>
        {location}
        {extra}
      </situationRecord>"""


def gn_location(road: str | None, start: tuple[float, float] | None, end: tuple[float, float] | None,
                sections: list[tuple[str, float | None, float | None]] = ()) -> str:
    """groupOfLocations with the Czech globalNetworkLinear extension (S-JTSK points, sections)."""
    def pt(tag, xy):
        if xy is None:
            return ""
        return (f"<{tag}><sjtskPointCoordinates><sjtskX>{xy[0]}</sjtskX><sjtskY>{xy[1]}</sjtskY>"
                f"</sjtskPointCoordinates></{tag}>")
    secs = "".join(
        f"<linearWithinLinearGNElement><sectionId>{sid}</sectionId>"
        f"<directionRelativeOnLinearSection>aligned</directionRelativeOnLinearSection>"
        f"<orderOfSection>{i}</orderOfSection>"
        + (f"<fromPoint><distanceAlong>{a}</distanceAlong></fromPoint>" if a is not None else "")
        + (f"<toPoint><distanceAlong>{b}</distanceAlong></toPoint>" if b is not None else "")
        + "</linearWithinLinearGNElement>"
        for i, (sid, a, b) in enumerate(sections, start=1))
    road_el = (f"<linearWithinLinearElement><linearElement><roadNumber>{road}</roadNumber></linearElement>"
               f"</linearWithinLinearElement>") if road else ""
    return (f'<groupOfLocations xsi:type="Linear">{road_el}<globalNetworkLinear><networkVersion>7.0</networkVersion>'
            f"<linearGeometryType>continuous</linearGeometryType>{pt('startPoint', start)}{pt('endPoint', end)}"
            f"{secs}</globalNetworkLinear></groupOfLocations>")


CLOSED = "<roadOrCarriagewayOrLaneManagementType>roadClosed</roadOrCarriagewayOrLaneManagementType>"


def write(tmp_path: Path, text: str, name: str = "d2.xml") -> Path:
    p = tmp_path / name
    p.write_text(text, encoding="utf-8")
    return p


def test_closure_with_globalnetwork_points_and_sections(tmp_path):
    loc = gn_location("I/13", (-769500.0, -975987.0), (-767700.0, -976006.0), [("1001", None, None), ("1002", 0, 950.5)])
    path = write(tmp_path, datex_doc(record("r1_0", "RoadOrCarriagewayOrLaneManagement", loc, CLOSED,
                                            comment="Uzavírka, objížďka přes Řehlovice")))
    pub = Publication()
    (r,) = list(parse(path, pub))
    assert pub.publication_time == "2024-05-02T08:00:00+02:00" and pub.records == 1
    assert (r.local_id, r.situation_id, r.situation_version, r.record_version) == ("r1_0", "sit-1", "3", "2")
    assert r.event_type == "closure" and r.impact == "roadClosed"
    assert r.road_number == "I/13"
    assert r.comment == "Uzavírka, objížďka přes Řehlovice"
    assert r.starts_at == "2024-05-01T06:00:00+02:00" and r.ends_at == "2024-06-30T18:00:00+02:00"
    assert r.status == "definedByValidityTimeSpecification"
    assert r.start_point == (-769500.0, -975987.0) and r.end_point == (-767700.0, -976006.0)
    assert [(s["id"], s["order"], s["direction"], s["from_m"], s["to_m"]) for s in r.sections] == [
        ("1001", 1, "aligned", None, None), ("1002", 2, "aligned", 0.0, 950.5)]
    assert r.raw_location["@type"] == "Linear"
    assert r.line_no is not None and r.line_no > 1


@pytest.mark.parametrize(("orders", "expected"), [
    (("2.0", "1"), ["1002", "1001"]),            # a whole number written as a decimal
    (("druhý", "1.5"), ["1001", "1002"]),        # no whole number: document order
    (("99999999999999999999", "1"), ["1001", "1002"]),  # no int4: document order
])
def test_order_of_section_that_is_no_plain_integer_does_not_crash(tmp_path, orders, expected):
    loc = gn_location(None, None, None, [("1001", None, None), ("1002", None, None)])
    for i, value in enumerate(orders, start=1):
        loc = loc.replace(f"<orderOfSection>{i}</orderOfSection>", f"<orderOfSection>#{value}</orderOfSection>", 1)
    loc = loc.replace("<orderOfSection>#", "<orderOfSection>")
    (r,) = parse(write(tmp_path, datex_doc(record("r1", "MaintenanceWorks", loc))))
    assert [s["id"] for s in r.sections] == expected


def test_positive_or_swapped_sjtsk_is_normalised(tmp_path):
    loc = gn_location(None, (975987.0, 769500.0), None)
    (r,) = parse(write(tmp_path, datex_doc(record("r2", "MaintenanceWorks", loc))))
    assert r.start_point == (-769500.0, -975987.0)
    assert r.event_type == "roadworks"


def test_wgs84_point_location_and_alert_c_kept_raw(tmp_path):
    loc = """<groupOfLocations xsi:type="Point">
      <alertCPoint xsi:type="AlertCMethod4Point"><alertCLocationCountryCode>11</alertCLocationCountryCode>
        <alertCLocationTableNumber>25</alertCLocationTableNumber>
        <alertCLocationTableVersion>11.0</alertCLocationTableVersion>
        <alertCDirection><alertCDirectionCoded>positive</alertCDirectionCoded></alertCDirection>
        <alertCMethod4PrimaryPointLocation><alertCLocation><specificLocation>12345</specificLocation>
        </alertCLocation><offsetDistance><offsetDistance>150</offsetDistance></offsetDistance>
        </alertCMethod4PrimaryPointLocation></alertCPoint>
      <pointByCoordinates><pointCoordinates><latitude>50.6445</latitude><longitude>14.0008</longitude>
      </pointCoordinates></pointByCoordinates></groupOfLocations>"""
    (r,) = parse(write(tmp_path, datex_doc(record("r3", "Accident", loc, "<accidentType>collision</accidentType>"))))
    assert r.event_type == "accident" and r.impact == "collision"
    from pyproj import Transformer

    expected = Transformer.from_crs("EPSG:4326", "EPSG:5514", always_xy=True).transform(14.0008, 50.6445)
    assert r.start_point == pytest.approx(expected, abs=0.01)          # Trmice, lon/lat order handled
    assert -765_000 < r.start_point[0] < -762_000 and -978_000 < r.start_point[1] < -975_000
    assert r.end_point is None
    assert "alertC" in r.location_methods
    spec = r.raw_location["alertCPoint"]["alertCMethod4PrimaryPointLocation"]["alertCLocation"]
    assert spec["specificLocation"] == "12345"


def test_alert_c_only_has_no_points(tmp_path):
    loc = """<groupOfLocations xsi:type="Linear"><alertCLinear xsi:type="AlertCMethod2Linear">
      <alertCLocationCountryCode>11</alertCLocationCountryCode><alertCLocationTableNumber>25</alertCLocationTableNumber>
      <alertCMethod2PrimaryPointLocation><alertCLocation><specificLocation>100</specificLocation></alertCLocation>
      </alertCMethod2PrimaryPointLocation></alertCLinear></groupOfLocations>"""
    (r,) = parse(write(tmp_path, datex_doc(record("r4", "AbnormalTraffic", loc))))
    assert r.start_point is None and r.sections == [] and r.location_methods == ["alertC"]
    assert r.event_type == "congestion"


def test_many_situations_stream_in_order(tmp_path):
    recs = "\n".join(record(f"r{i}", "MaintenanceWorks", gn_location("D8", None, None, [(str(i), None, None)]))
                     for i in range(50))
    ids = [r.local_id for r in parse(write(tmp_path, datex_doc(recs)))]
    assert ids == [f"r{i}" for i in range(50)]


def test_xml_bomb_is_rejected(tmp_path):
    bomb = ('<?xml version="1.0"?>\n<!DOCTYPE lolz [<!ENTITY lol "lol">'
            + "".join(f'<!ENTITY lol{i} "{("&lol" + str(i - 1) + ";") * 10 if i else "&lol;" * 10}">'
                      for i in range(9))
            + f']>\n<d2LogicalModel xmlns="{NS}">&lol8;</d2LogicalModel>')
    with pytest.raises(InputRejected) as exc:
        list(parse(write(tmp_path, bomb)))
    assert exc.value.code == "xml_doctype_refused"


def test_external_entity_is_rejected(tmp_path):
    xxe = f'<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><d2LogicalModel xmlns="{NS}">&x;</d2LogicalModel>'
    with pytest.raises(InputRejected):
        list(parse(write(tmp_path, xxe)))


@pytest.mark.parametrize("text,code", [
    ("PK\x03\x04 this is a zip, not xml", "invalid_xml"),
    (datex_doc("")[:-60], "invalid_xml"),                      # truncated download
    ("<other xmlns='urn:x'/>", "invalid_datex"),
])
def test_non_datex_input_is_rejected(tmp_path, text, code):
    with pytest.raises(InputRejected) as exc:
        list(parse(write(tmp_path, text)))
    assert exc.value.code == code


def test_other_publication_type_is_rejected(tmp_path):
    with pytest.raises(InputRejected) as exc:
        list(parse(write(tmp_path, datex_doc("", pub_type="MeasuredDataPublication"))))
    assert "SituationPublication" in str(exc.value)


def test_size_limit(tmp_path):
    path = write(tmp_path, datex_doc(record("r1", "MaintenanceWorks", "")))
    with pytest.raises(InputRejected) as exc:
        list(parse(path, max_bytes=100))
    assert exc.value.code == "input_too_large"
