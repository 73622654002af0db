"""CZPTT message parsing: identities, public stops, Offset across midnight, bitmaps, safety."""

from __future__ import annotations

import datetime as dt

import pytest

from transport_etl import xmlsafe
from transport_etl.formats.czptt import parse

# A hand-written path (not produced by our writer): Ústí hl.n. 23:40 → a passing point → Děčín hl.n.
# after midnight (Offset 1); one operational-only stop in between that must not become a call.
PATH_XML = """<?xml version="1.0" encoding="utf-8"?>
<CZPTTCISMessage xmlns:xsd="http://www.w3.org/2001/XMLSchema" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance">
  <Identifiers>
    <PlannedTransportIdentifiers><ObjectType>TR</ObjectType><Company>1154</Company>
      <Core>--------6699</Core><Variant>00</Variant><TimetableYear>2026</TimetableYear></PlannedTransportIdentifiers>
    <PlannedTransportIdentifiers><ObjectType>PA</ObjectType><Company>0054</Company>
      <Core>--KADR099001</Core><Variant>01</Variant><TimetableYear>2026</TimetableYear></PlannedTransportIdentifiers>
  </Identifiers>
  <CZPTTCreation>2025-11-20T08:30:00.0000000+01:00</CZPTTCreation>
  <CZPTTInformation>
    <PlannedCalendar><BitmapDays>1011001</BitmapDays>
      <ValidityPeriod><StartDateTime>2026-03-02T00:00:00</StartDateTime>
        <EndDateTime>2026-03-08T00:00:00</EndDateTime></ValidityPeriod></PlannedCalendar>
    <CZPTTLocation JourneyLocationTypeCode="01">
      <Location><CountryCodeISO>CZ</CountryCodeISO><LocationPrimaryCode>53179</LocationPrimaryCode>
        <PrimaryLocationName>Ústí nad Labem hl.n.</PrimaryLocationName>
        <LocationSubsidiaryIdentification><LocationSubsidiaryCode LocationSubsidiaryTypeCode="1">3</LocationSubsidiaryCode>
        </LocationSubsidiaryIdentification></Location>
      <TimingAtLocation><Timing TimingQualifierCode="ALD"><Time>23:40:00.0000000+01:00</Time><Offset>0</Offset></Timing>
      </TimingAtLocation>
      <ResponsibleRU>1154</ResponsibleRU><ResponsibleIM>0054</ResponsibleIM><TrainType>1</TrainType>
      <TrafficType>11</TrafficType><CommercialTrafficType>84</CommercialTrafficType>
      <OperationalTrainNumber>6699</OperationalTrainNumber>
      <TrainActivity><TrainActivityType>0001</TrainActivityType></TrainActivity>
    </CZPTTLocation>
    <CZPTTLocation JourneyLocationTypeCode="02">
      <Location><CountryCodeISO>CZ</CountryCodeISO><LocationPrimaryCode>55667</LocationPrimaryCode>
        <PrimaryLocationName>Děčín-Prostřední Žleb</PrimaryLocationName></Location>
      <TimingAtLocation><Timing TimingQualifierCode="ALA"><Time>23:58:00.0000000+01:00</Time><Offset>0</Offset></Timing>
        <Timing TimingQualifierCode="ALD"><Time>00:01:30.0000000+01:00</Time><Offset>1</Offset></Timing></TimingAtLocation>
      <ResponsibleRU>1154</ResponsibleRU><TrainType>1</TrainType><TrafficType>11</TrafficType>
      <OperationalTrainNumber>6699</OperationalTrainNumber>
      <TrainActivity><TrainActivityType>0001</TrainActivityType></TrainActivity>
      <TrainActivity><TrainActivityType>0002</TrainActivityType></TrainActivity>
    </CZPTTLocation>
    <CZPTTLocation JourneyLocationTypeCode="03">
      <Location><CountryCodeISO>CZ</CountryCodeISO><LocationPrimaryCode>55659</LocationPrimaryCode>
        <PrimaryLocationName>Děčín hl.n.</PrimaryLocationName></Location>
      <TimingAtLocation><Timing TimingQualifierCode="ALA"><Time>00:05:00.0000000+02:00</Time><Offset>1</Offset></Timing>
      </TimingAtLocation>
      <ResponsibleRU>1154</ResponsibleRU><TrainType>1</TrainType><TrafficType>11</TrafficType>
      <OperationalTrainNumber>6699</OperationalTrainNumber>
      <TrainActivity><TrainActivityType>0001</TrainActivityType></TrainActivity>
    </CZPTTLocation>
  </CZPTTInformation>
  <NetworkSpecificParameter><Name>CZTrainName</Name><Value>Noční Labe</Value></NetworkSpecificParameter>
</CZPTTCISMessage>""".encode()


def test_path_identity_attributes_and_public_stops():
    msg = parse.parse_message(xmlsafe.parse(PATH_XML, "path.xml"))
    assert msg.kind == "path"
    assert msg.pa.key == "0054:--KADR099001:01:2026"
    assert msg.tr.core == "--------6699"
    assert msg.created == dt.datetime(2025, 11, 20, 7, 30, tzinfo=dt.UTC)
    assert [loc.sr70 for loc in msg.locations] == ["531798", "556670", "556597"]
    assert [loc.is_public for loc in msg.locations] == [True, False, True]  # 0002 = operational only
    assert msg.locations[0].subsidiary_code == "3"
    attrs = parse.train_attributes(msg)
    assert (attrs.train_number, attrs.category, attrs.route_type, attrs.responsible_ru, attrs.train_name) == (
        "6699", "Os", 106, "1154", "Noční Labe")


def test_offset_crossing_midnight_gives_times_past_24_hours():
    msg = parse.parse_message(xmlsafe.parse(PATH_XML, "path.xml"))
    times = [(loc.arrival_s, loc.departure_s) for loc in msg.locations]
    # 23:40 → 85 200 s; 23:58 → 86 280 s; 00:01:30 next day → 86 490 s; 00:05 next day (+02:00 ignored) → 86 700 s.
    assert times == [(None, 85_200), (86_280, 86_490), (86_700, None)]
    assert parse.day_shift(msg) == 0


def test_negative_offset_moves_the_service_day_back():
    msg = parse.parse_message(xmlsafe.parse(
        PATH_XML.replace(b"<Offset>0</Offset>", b"<Offset>-1</Offset>", 1), "path.xml"))
    assert msg.locations[0].departure_s == 85_200 - 86_400
    assert parse.day_shift(msg) == -1


@pytest.mark.parametrize(("text", "offset", "seconds"), [
    ("06:12:00.0000000+01:00", 0, 22_320), ("6:12", 0, 22_320), ("00:00:00", 2, 172_800),
    ("23:59:59+02:00", 0, 86_399), ("00:30:00Z", -1, -84_600)])
def test_time_seconds(text, offset, seconds):
    assert parse.time_seconds(text, offset) == seconds


@pytest.mark.parametrize("bad", ["24:00:00", "12:60", "noon", ""])
def test_unreadable_times_are_errors(bad):
    with pytest.raises(parse.MessageError):
        parse.time_seconds(bad, 0)


@pytest.mark.parametrize(("train_type", "acts", "public"), [
    ("1", ["0001"], True), ("1", ["0001", "0030"], True), ("1", ["0001", "0002"], False),
    ("1", ["0001", "CZ13"], False), ("1", ["0002"], False), ("0", ["0001"], False), (None, ["0001"], False)])
def test_public_stop_rule(train_type, acts, public):
    assert parse.is_public_stop(train_type, acts) is public


def test_cancellation_message():
    xml = b"""<CZCanceledPTTMessage>
      <PlannedTransportIdentifiers><ObjectType>PA</ObjectType><Company>0054</Company><Core>--KADR099001</Core>
        <Variant>01</Variant><TimetableYear>2026</TimetableYear></PlannedTransportIdentifiers>
      <CZPTTCancelation>2026-02-10T12:00:00</CZPTTCancelation>
      <PlannedCalendar><BitmapDays>01</BitmapDays><ValidityPeriod><StartDateTime>2026-03-03T00:00:00</StartDateTime>
        <EndDateTime>2026-03-04T00:00:00</EndDateTime></ValidityPeriod></PlannedCalendar>
    </CZCanceledPTTMessage>"""
    msg = parse.parse_message(xmlsafe.parse(xml, "c.xml"))
    assert (msg.kind, msg.pa.key, msg.bitmap, msg.start, msg.locations) == (
        "cancel", "0054:--KADR099001:01:2026", "01", dt.date(2026, 3, 3), [])


def test_other_xml_is_not_a_message():
    with pytest.raises(parse.MessageError, match="not a CZPTT message"):
        parse.parse_message(xmlsafe.parse(b"<gpx/>", "x.xml"))


BOMB = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>
<CZPTTCISMessage>&lol3;</CZPTTCISMessage>"""


def test_entity_bomb_and_external_entities_are_hostile():
    with pytest.raises(xmlsafe.HostileXml, match="DTD or entities"):
        xmlsafe.parse(BOMB, "bomb.xml")
    xxe = b'<?xml version="1.0"?><!DOCTYPE r [<!ENTITY x SYSTEM "file:///etc/passwd">]><r>&x;</r>'
    with pytest.raises(xmlsafe.HostileXml):
        xmlsafe.parse(xxe, "xxe.xml")
    with pytest.raises(xmlsafe.HostileXml):
        xmlsafe.parse(BOMB.decode().replace('encoding="utf-8"', "").encode("utf-16"), "bomb16.xml")


def test_malformed_xml_is_bad_not_hostile():
    with pytest.raises(xmlsafe.BadXml):
        xmlsafe.parse(b"<CZPTTCISMessage><oops></CZPTTCISMessage>", "bad.xml")



_TIMING = "<Offset>0</Offset></Timing>"


@pytest.mark.parametrize(("old", "new", "why"), [
    (_TIMING, _TIMING + "<DwellTime>abc</DwellTime>", "DwellTime 'abc' is not a number"),
    (_TIMING, _TIMING + "<DwellTime>NaN</DwellTime>", "DwellTime 'NaN' is outside"),
    ("<Offset>0</Offset>", "<Offset>100000</Offset>", "Offset 100000 is outside"),
    ("<Offset>0</Offset>", "<Offset>-1000000</Offset>", "Offset -1000000 is outside"),
    ("<TimetableYear>2026</TimetableYear>", "<TimetableYear>99999999999</TimetableYear>",
     "TimetableYear '99999999999' is outside"),
    ("<StartDateTime>2026-03-02T00:00:00", "<StartDateTime>9999-12-30T00:00:00", "outside the years"),
    ("<CZPTTCreation>2025-11-20T08:30:00.0000000+01:00", "<CZPTTCreation>9999-12-31T23:30:00-01:00",
     "outside the years"),
    ("<BitmapDays>1011001</BitmapDays>", "<BitmapDays>" + "1" * 5000 + "</BitmapDays>", "above"),
])
def test_out_of_range_values_reject_the_message(old, new, why):
    """A value no train has (or that overflows a column or date arithmetic) is a MessageError: the loader
    rejects that message alone, never the input as an internal error."""
    text = PATH_XML.decode()
    assert old in text
    with pytest.raises(parse.MessageError, match=why):
        parse.parse_message(xmlsafe.parse(text.replace(old, new, 1).encode(), "m.xml"))


def test_plausible_dwell_is_read():
    xml = PATH_XML.decode().replace(_TIMING, _TIMING + "<DwellTime>1.5</DwellTime>", 1)
    assert parse.parse_message(xmlsafe.parse(xml.encode(), "m.xml")).locations[0].dwell_min == 1.5


def test_naive_creation_time_follows_the_local_time_rule():
    import datetime as dt

    from transport_etl.formats.czptt.parse import MessageError, parse_datetime

    with pytest.raises(MessageError, match="does not exist"):
        parse_datetime("2026-03-29T02:30:00")
    assert parse_datetime("2026-10-25T02:30:00") == dt.datetime(2026, 10, 25, 0, 30, tzinfo=dt.UTC)
    assert parse_datetime("2026-03-29T02:30:00+01:00") == dt.datetime(2026, 3, 29, 1, 30, tzinfo=dt.UTC)
