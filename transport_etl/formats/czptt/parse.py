"""CZPTT message XML (an lxml element) → plain dataclasses. Pure: no I/O, no database.

Structure per docs/formats/czptt.md (jrutil czptt.rnc, kdypojedevlak DjrXmlModel). Namespaces are
ignored (element local names only), since published files differ in their declarations.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from zoneinfo import ZoneInfo

from lxml import etree

from transport_etl.ids.sr70 import to_code6
from transport_etl.timestamps import local_time

PRAGUE = ZoneInfo("Europe/Prague")
PATH_ROOT = "CZPTTCISMessage"
CANCEL_ROOT = "CZCanceledPTTMessage"

# TrafficType → category abbreviation (kdypojedevlak); CommercialTrafficType → (abbreviation, route_type).
TRAFFIC_TYPES = {"11": "Os", "C1": "Ex", "C2": "R", "C3": "Sp", "C4": "Sv", "C5": "Nex", "C6": "Pn", "C7": "Mn",
                 "C8": "Lv", "C9": "Vleč", "CA": "Služ", "CB": "Pom", "32": "NAD", "33": "NLD"}
TRAFFIC_ROUTE_TYPES = {"Os": 106, "Sp": 106, "R": 103, "Ex": 102, "NAD": 714, "NLD": 1200}
COMMERCIAL_TYPES = {
    "50": ("EC", 102), "63": ("IC", 102), "69": ("Ex", 102), "70": ("EN", 105), "84": ("Os", 106),
    "94": ("SC", 102), "122": ("Sp", 106), "157": ("R", 103), "209": ("rj", 102), "9000": ("Rx", 103),
    "9001": ("TLX", 103), "9002": ("TL", 103), "9003": ("LE", 102), "9004": ("RJ", 102), "9005": ("AEx", 102),
    "9006": ("NJ", 105), "9007": ("LET", 102), "9010": ("ES", 105),
}

_TIME = re.compile(r"^\s*(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(?:Z|[+-]\d{2}:?\d{2})?\s*$")

# Plausible values (a message outside them is rejected alone, never the input): a train runs at most a few days
# after its bitmap day; a timetable year and validity dates are this era's; a bitmap covers a timetable year and
# its corrections (a longer one would also overflow date arithmetic).
MAX_OFFSET_DAYS = 14
YEARS = (1990, 2200)
MAX_BITMAP_DAYS = 3660
MAX_DWELL_MIN = 14 * 24 * 60


class MessageError(ValueError):
    """The XML is well-formed but not a usable CZPTT message."""


@dataclass(frozen=True)
class TransportId:
    object_type: str
    company: str
    core: str
    variant: str
    year: int

    @property
    def key(self) -> str:
        return f"{self.company}:{self.core}:{self.variant}:{self.year}"


@dataclass
class Location:
    seq: int
    xml_path: str
    location_type: str | None = None
    country: str | None = None
    primary_code: str | None = None
    sr70: str | None = None
    name: str | None = None
    subsidiary_code: str | None = None
    subsidiary_type: str | None = None
    arrival_time: str | None = None
    arrival_offset: int | None = None
    departure_time: str | None = None
    departure_offset: int | None = None
    arrival_s: int | None = None
    departure_s: int | None = None
    dwell_min: float | None = None
    responsible_ru: str | None = None
    responsible_im: str | None = None
    train_type: str | None = None
    traffic_type: str | None = None
    commercial_type: str | None = None
    train_number: str | None = None
    activities: list[str] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)
    is_public: bool = False


@dataclass
class Message:
    kind: str                       # path | cancel
    pa: TransportId
    tr: TransportId | None
    related: TransportId | None
    created: dt.datetime            # aware (UTC); naive source times are read as Europe/Prague
    bitmap: str
    start: dt.date
    end: dt.date | None
    locations: list[Location] = field(default_factory=list)
    params: dict[str, str] = field(default_factory=dict)

    @property
    def public(self) -> list[Location]:
        return [loc for loc in self.locations if loc.is_public]


def time_seconds(text: str, offset: int | str | None = 0) -> int:
    """'HH:MM:SS.fffffff+01:00' with a day Offset → seconds after noon minus 12 h of the bitmap day.

    The zone suffix is dropped: CZPTT times are local (+01:00 in the annual timetable, +02:00 in some
    summer corrections with the same local time). The result may exceed 24 h or be negative.
    """
    m = _TIME.match(text or "")
    if not m:
        raise MessageError(f"unreadable time {text!r}")
    h, mi, s = int(m.group(1)), int(m.group(2)), int(m.group(3) or 0)
    if h > 23 or mi > 59 or s > 59:
        raise MessageError(f"time out of range {text!r}")
    days = int(offset or 0)
    if abs(days) > MAX_OFFSET_DAYS:
        raise MessageError(f"Offset {days} is outside ±{MAX_OFFSET_DAYS} days")
    return h * 3600 + mi * 60 + s + days * 86_400


def is_public_stop(train_type: str | None, activities: list[str]) -> bool:
    """TrainType 1 (passenger public) and activity 0001, without 0002 (operational) or CZ13 (unpublished)."""
    acts = set(activities)
    return (train_type or "").strip() == "1" and "0001" in acts and not ({"0002", "CZ13"} & acts)


def category(traffic_type: str | None, commercial_type: str | None) -> tuple[str | None, int, str]:
    """(category abbreviation, GTFS route_type, mode) of a train."""
    if commercial_type and commercial_type in COMMERCIAL_TYPES:
        abbr, rt = COMMERCIAL_TYPES[commercial_type]
        return abbr, rt, "rail"
    abbr = TRAFFIC_TYPES.get(traffic_type or "")
    if abbr == "NAD":
        return abbr, 714, "bus"
    if abbr == "NLD":
        return abbr, 1200, "ferry"
    return abbr, TRAFFIC_ROUTE_TYPES.get(abbr or "", 100), "rail"


def parse_datetime(text: str | None) -> dt.datetime:
    """xsd:dateTime (or date) → aware datetime in UTC; naive values are Europe/Prague local time."""
    if not text:
        raise MessageError("missing creation time")
    s = text.strip().replace("Z", "+00:00")
    # Python before 3.11 choked on 7 fractional digits; trim to microseconds either way.
    s = re.sub(r"(\.\d{6})\d+", r"\1", s)
    try:
        value = dt.datetime.fromisoformat(s)
        _in_era(value.date(), text)
    except (ValueError, OverflowError) as exc:
        if isinstance(exc, MessageError):
            raise
        raise MessageError(f"unreadable date-time {text!r}") from exc
    if value.tzinfo is None:
        # the one local-time rule (transport_etl.timestamps): a time the clocks skipped is no time; one that
        # happened twice is read as the first (a creation time orders messages: an hour's doubt is no data loss)
        try:
            value, _note = local_time(value, "Europe/Prague")
        except ValueError as exc:
            raise MessageError(f"{text.strip()[:40]}: {exc}") from exc
    return value.astimezone(dt.UTC)


def parse_date(text: str | None) -> dt.date | None:
    if not text or not text.strip():
        return None
    try:
        value = dt.date.fromisoformat(text.strip()[:10])
    except ValueError as exc:
        raise MessageError(f"unreadable date {text!r}") from exc
    return _in_era(value, text)


def _in_era(value: dt.date, text: str) -> dt.date:
    if not YEARS[0] <= value.year <= YEARS[1]:
        raise MessageError(f"date {text.strip()[:40]!r} is outside the years {YEARS[0]}..{YEARS[1]}")
    return value


def _number(text: str | None, what: str, low: float, high: float) -> float | None:
    """A finite number within [low, high], or None when absent; MessageError otherwise."""
    if text is None:
        return None
    try:
        value = float(text)
    except ValueError as exc:
        raise MessageError(f"{what} {text[:40]!r} is not a number") from exc
    if not low <= value <= high:  # NaN fails both comparisons
        raise MessageError(f"{what} {text[:40]!r} is outside {low:g}..{high:g}")
    return value


def _strip_namespaces(root: etree._Element) -> None:
    for el in root.iter():
        if isinstance(el.tag, str) and "}" in el.tag:
            el.tag = el.tag.split("}", 1)[1]


def _text(el: etree._Element | None, path: str) -> str | None:
    if el is None:
        return None
    found = el.find(path)
    if found is None or found.text is None:
        return None
    return found.text.strip() or None


def _ident(el: etree._Element) -> TransportId:
    year = _text(el, "TimetableYear")
    core = _text(el, "Core")
    if not core or not year or not year.isdigit():
        raise MessageError("PlannedTransportIdentifiers without Core or TimetableYear")
    if not (len(year) == 4 and YEARS[0] <= int(year) <= YEARS[1]):
        raise MessageError(f"TimetableYear {year[:20]!r} is outside {YEARS[0]}..{YEARS[1]}")
    return TransportId(_text(el, "ObjectType") or "", _text(el, "Company") or "", core,
                       _text(el, "Variant") or "00", int(year))


def _params(parent: etree._Element) -> dict[str, str]:
    out: dict[str, str] = {}
    for nsp in parent.findall("NetworkSpecificParameter"):
        names = [n.text.strip() for n in nsp.findall("Name") if n.text]
        values = [v.text.strip() if v.text else "" for v in nsp.findall("Value")]
        for n, v in zip(names, values, strict=False):
            out[n] = f"{out[n]};{v}" if n in out else v
    return out


def _location(el: etree._Element, seq: int, xml_path: str) -> Location:
    loc = Location(seq=seq, xml_path=xml_path, location_type=el.get("JourneyLocationTypeCode"))
    place = el.find("Location")
    loc.country = _text(place, "CountryCodeISO")
    loc.primary_code = _text(place, "LocationPrimaryCode")
    loc.name = _text(place, "PrimaryLocationName")
    sub = place.find("LocationSubsidiaryIdentification/LocationSubsidiaryCode") if place is not None else None
    if sub is not None:
        loc.subsidiary_code = (sub.text or "").strip() or None
        loc.subsidiary_type = sub.get("LocationSubsidiaryTypeCode")
    if loc.primary_code and (loc.country or "CZ") == "CZ":
        loc.sr70 = to_code6(loc.primary_code)
    timing = el.find("TimingAtLocation")
    if timing is not None:
        loc.dwell_min = _number(_text(timing, "DwellTime"), f"{xml_path}: DwellTime", 0, MAX_DWELL_MIN)
        for t in timing.findall("Timing"):
            q = t.get("TimingQualifierCode")
            time_text, off_text = _text(t, "Time"), _text(t, "Offset") or "0"
            try:
                offset = int(off_text)
            except ValueError as exc:
                raise MessageError(f"{xml_path}: unreadable Offset {off_text!r}") from exc
            if time_text is None:
                continue
            try:
                seconds = time_seconds(time_text, offset)
            except MessageError as exc:
                raise MessageError(f"{xml_path}: {exc}") from exc
            if q == "ALA":
                loc.arrival_time, loc.arrival_offset, loc.arrival_s = time_text, offset, seconds
            elif q == "ALD":
                loc.departure_time, loc.departure_offset, loc.departure_s = time_text, offset, seconds
    loc.responsible_ru = _text(el, "ResponsibleRU")
    loc.responsible_im = _text(el, "ResponsibleIM")
    loc.train_type = _text(el, "TrainType")
    loc.traffic_type = _text(el, "TrafficType")
    loc.commercial_type = _text(el, "CommercialTrafficType")
    loc.train_number = _text(el, "OperationalTrainNumber")
    loc.activities = [a.text.strip() for a in el.findall("TrainActivity/TrainActivityType") if a.text]
    loc.params = _params(el)
    loc.is_public = is_public_stop(loc.train_type, loc.activities)
    return loc


def _calendar(parent: etree._Element) -> tuple[str, dt.date, dt.date | None]:
    cal = parent.find("PlannedCalendar")
    if cal is None:
        raise MessageError("no PlannedCalendar")
    bitmap = _text(cal, "BitmapDays") or ""
    if not bitmap or set(bitmap) - {"0", "1"}:
        raise MessageError(f"BitmapDays {bitmap[:20]!r} is not a string of 0 and 1")
    if len(bitmap) > MAX_BITMAP_DAYS:
        raise MessageError(f"BitmapDays of {len(bitmap):,} days, above {MAX_BITMAP_DAYS:,}")
    start = parse_date(_text(cal, "ValidityPeriod/StartDateTime"))
    if start is None:
        raise MessageError("PlannedCalendar without ValidityPeriod/StartDateTime")
    return bitmap, start, parse_date(_text(cal, "ValidityPeriod/EndDateTime"))


def parse_message(root: etree._Element) -> Message:
    """A CZPTTCISMessage or CZCanceledPTTMessage root element → Message; MessageError when it is not usable.
    (Values are range-checked where they are read; a value that still escapes them fails this message only.)"""
    try:
        return _parse_message(root)
    except MessageError:
        raise
    except (ValueError, OverflowError) as exc:
        raise MessageError(f"unusable value ({exc})") from exc


def _parse_message(root: etree._Element) -> Message:
    _strip_namespaces(root)
    tag = root.tag if isinstance(root.tag, str) else ""
    if tag == PATH_ROOT:
        ids = [_ident(e) for e in root.findall("Identifiers/PlannedTransportIdentifiers")]
        related = [_ident(e) for e in root.findall("Identifiers/RelatedPlannedTransportIdentifiers")]
        created = parse_datetime(_text(root, "CZPTTCreation"))
        info = root.find("CZPTTInformation")
        if info is None:
            raise MessageError("no CZPTTInformation")
        bitmap, start, end = _calendar(info)
        kind = "path"
    elif tag == CANCEL_ROOT:
        ids = [_ident(e) for e in root.findall("PlannedTransportIdentifiers")]
        related = []
        created = parse_datetime(_text(root, "CZPTTCancelation"))
        bitmap, start, end = _calendar(root)
        info = None
        kind = "cancel"
    else:
        raise MessageError(f"root element <{tag}> is not a CZPTT message ({PATH_ROOT} or {CANCEL_ROOT})")
    pa = next((i for i in ids if i.object_type == "PA"), None)
    if pa is None:
        raise MessageError("no PlannedTransportIdentifiers with ObjectType PA")
    tr = next((i for i in ids if i.object_type == "TR"), None)
    msg = Message(kind=kind, pa=pa, tr=tr, related=related[0] if related else None, created=created,
                  bitmap=bitmap, start=start, end=end, params=_params(root))
    if info is not None:
        els = info.findall("CZPTTLocation")
        if not els:
            raise MessageError("path without CZPTTLocation")
        base = f"/{PATH_ROOT}/CZPTTInformation/CZPTTLocation"
        msg.locations = [_location(el, i, f"{base}[{i}]") for i, el in enumerate(els, start=1)]
    return msg


@dataclass(frozen=True)
class TrainAttributes:
    train_number: str | None
    train_name: str | None
    traffic_type: str | None
    commercial_type: str | None
    category: str | None
    route_type: int
    mode: str
    responsible_ru: str | None


def train_attributes(msg: Message) -> TrainAttributes:
    """Train number, category and operator, from the first public location (attributes can change
    along the route; the first public one is what passengers see first)."""
    first = next((loc for loc in msg.locations if loc.is_public),
                 next((loc for loc in msg.locations if loc.train_number), msg.locations[0] if msg.locations else None))
    if first is None:
        return TrainAttributes(None, msg.params.get("CZTrainName"), None, None, None, 100, "rail", None)
    abbr, route_type, mode = category(first.traffic_type, first.commercial_type)
    return TrainAttributes(first.train_number, msg.params.get("CZTrainName"), first.traffic_type,
                           first.commercial_type, abbr, route_type, mode, first.responsible_ru)


def day_shift(msg: Message) -> int:
    """Days to move bitmap dates so that no public call time is negative (a path whose first public
    call has Offset -1 runs, as a service day, on the day before its bitmap day)."""
    offsets = [o for loc in msg.public for o in (loc.arrival_offset, loc.departure_offset) if o is not None]
    low = min(offsets, default=0)
    return low if low < 0 else 0
