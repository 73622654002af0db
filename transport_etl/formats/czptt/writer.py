"""Write CZPTT messages (CZPTTCISMessage / CZCanceledPTTMessage) from plain values: used by the demo
generator and by tests that need realistic files. The shape follows docs/formats/czptt.md."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from dataclasses import dataclass

from lxml import etree


@dataclass(frozen=True)
class Stop:
    code5: str                       # LocationPrimaryCode (SR70 without check digit)
    name: str
    arrival: str | None = None       # "HH:MM:SS" local time
    departure: str | None = None
    arrival_offset: int = 0
    departure_offset: int = 0
    activities: Sequence[str] = ("0001",)
    train_type: str = "1"
    track: str | None = None
    country: str = "CZ"


def _sub(parent, tag: str, text: str | None = None, **attrs):
    el = etree.SubElement(parent, tag, **attrs)
    if text is not None:
        el.text = text
    return el


def _ident(parent, tag: str, object_type: str, company: str, core: str, variant: str, year: int) -> None:
    el = _sub(parent, tag)
    _sub(el, "ObjectType", object_type)
    _sub(el, "Company", company)
    _sub(el, "Core", core)
    _sub(el, "Variant", variant)
    _sub(el, "TimetableYear", str(year))


def _calendar(parent, bitmap: str, start: dt.date, end: dt.date | None) -> None:
    cal = _sub(parent, "PlannedCalendar")
    _sub(cal, "BitmapDays", bitmap)
    vp = _sub(cal, "ValidityPeriod")
    _sub(vp, "StartDateTime", f"{start.isoformat()}T00:00:00")
    if end is not None:
        _sub(vp, "EndDateTime", f"{end.isoformat()}T00:00:00")


def bitmap_for(start: dt.date, end: dt.date, runs) -> str:
    """Bitmap of the days start..end on which ``runs(date)`` is true."""
    n = (end - start).days + 1
    return "".join("1" if runs(start + dt.timedelta(days=i)) else "0" for i in range(n))


def path_message(*, core: str, train_number: str, stops: Sequence[Stop], bitmap: str, start: dt.date,
                 end: dt.date | None, created: dt.datetime, year: int, variant: str = "00", company: str = "0054",
                 ru: str = "1154", traffic_type: str = "11", commercial_type: str | None = "84",
                 train_name: str | None = None, tz: str = "+01:00") -> bytes:
    """A CZPTTCISMessage for one train path; the first stop is the origin, the last the destination."""
    root = etree.Element("CZPTTCISMessage")
    ids = _sub(root, "Identifiers")
    _ident(ids, "PlannedTransportIdentifiers", "TR", ru, f"{train_number:->12}", variant, year)
    _ident(ids, "PlannedTransportIdentifiers", "PA", company, core, variant, year)
    _sub(root, "CZPTTCreation", created.isoformat(timespec="seconds"))
    info = _sub(root, "CZPTTInformation")
    _calendar(info, bitmap, start, end)
    for i, s in enumerate(stops):
        code = "01" if i == 0 else "03" if i == len(stops) - 1 else "02"
        loc = _sub(info, "CZPTTLocation", JourneyLocationTypeCode=code)
        place = _sub(loc, "Location")
        _sub(place, "CountryCodeISO", s.country)
        _sub(place, "LocationPrimaryCode", s.code5)
        _sub(place, "PrimaryLocationName", s.name)
        if s.track:
            lsi = _sub(place, "LocationSubsidiaryIdentification")
            _sub(lsi, "LocationSubsidiaryCode", s.track, LocationSubsidiaryTypeCode="1")
            _sub(lsi, "AllocationCompany", company)
        if s.arrival or s.departure:
            tal = _sub(loc, "TimingAtLocation")
            for q, t, off in (("ALA", s.arrival, s.arrival_offset), ("ALD", s.departure, s.departure_offset)):
                if t:
                    timing = _sub(tal, "Timing", TimingQualifierCode=q)
                    _sub(timing, "Time", f"{t}.0000000{tz}")
                    _sub(timing, "Offset", str(off))
        _sub(loc, "ResponsibleRU", ru)
        _sub(loc, "ResponsibleIM", company)
        _sub(loc, "TrainType", s.train_type)
        _sub(loc, "TrafficType", traffic_type)
        if commercial_type:
            _sub(loc, "CommercialTrafficType", commercial_type)
        _sub(loc, "OperationalTrainNumber", train_number)
        for a in s.activities:
            _sub(_sub(loc, "TrainActivity"), "TrainActivityType", a)
    if train_name:
        nsp = _sub(root, "NetworkSpecificParameter")
        _sub(nsp, "Name", "CZTrainName")
        _sub(nsp, "Value", train_name)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def cancel_message(*, core: str, bitmap: str, start: dt.date, end: dt.date | None, created: dt.datetime,
                   year: int, variant: str = "00", company: str = "0054", ru: str = "1154",
                   train_number: str | None = None) -> bytes:
    """A CZCanceledPTTMessage: bitmap 1 = the path does not run that day."""
    root = etree.Element("CZCanceledPTTMessage")
    if train_number:
        _ident(root, "PlannedTransportIdentifiers", "TR", ru, f"{train_number:->12}", variant, year)
    _ident(root, "PlannedTransportIdentifiers", "PA", company, core, variant, year)
    _sub(root, "CZPTTCancelation", created.isoformat(timespec="seconds"))
    _calendar(root, bitmap, start, end)
    return etree.tostring(root, xml_declaration=True, encoding="utf-8", pretty_print=True)


def file_name(core: str, variant: str, year: int, company: str = "0054") -> str:
    """SŽ naming: PA_<company>_<core>_<variant>_<year>.xml."""
    return f"PA_{company}_{core}_{variant}_{year}.xml"
