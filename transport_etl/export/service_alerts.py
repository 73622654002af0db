"""GTFS-Realtime ServiceAlerts from road events: what a closure means for passengers, in Czech and English.

One alert per current road event (DATEX II record, ŘSD closure) that affects at least one journey on a date of
its validity from today on. Events that affect no journey are left out: GTFS-Realtime requires at least one
``informed_entity`` per alert, and an alert nobody can be informed about is noise. Unlocated events are left
out for the same reason (nothing says which services they touch).

Informed entities use the ids of the regional GTFS export (``export/gtfs.py``, region mode), so a consumer
joins them to the published GTFS: ``trip_id`` / ``route_id`` / stop point ``stop_id`` are
``<source>:<local id>``, stations are canonical stops (``cz.ustecky.stop:<id>``).

* A closure: per affected trip, one entity per stop it can no longer serve (``trip`` + ``route_id`` +
  ``stop_id``; the stops of ``gis.unreachable_stops``: on the closed road between the junctions where a detour
  leaves and rejoins it), and per route one entity per station it no longer serves (``route_id`` +
  ``stop_id`` of the canonical stop). A trip that only detours (no stop on the closed stretch) gets a trip
  entity without a stop. Effect DETOUR, or NO_SERVICE when no affected trip keeps two stops it can serve.
* Other events (roadworks, accidents, restrictions) close nothing: per affected trip one trip entity,
  effect OTHER_EFFECT with the text "delays possible" (the record says traffic is hindered, not by how much).

Lineage: the entity id is ``<source>:<record id>:v<record version>`` (DATEX situationRecord@version; a source
without record versions gives ``fv<feed version>``), and the description names the record, its version, the
situation, the feed version, file and line. ``write_service_alerts`` also records the build in
``lineage.load_run`` (asset key ``gtfs_rt/service_alerts``).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

import psycopg
from google.protobuf import json_format
from google.transit import gtfs_realtime_pb2 as rt

from transport_etl.db.sqlfile import query_sql_file

HERE = Path(__file__).resolve().parent
ASSET_KEY = "gtfs_rt/service_alerts"
OUT_ENV = "TRANSPORT_ETL_ALERTS_OUT"   # where the CLI and the Dagster asset write the feed
PRAGUE = ZoneInfo("Europe/Prague")   # the texts' times; the feed itself carries POSIX seconds
CLOSED_IMPACTS = {"roadClosed", "carriagewayClosures", "closedPermanentlyForTheWinter"}

# DATEX II record type (what happened) → GTFS-Realtime cause; then the unified event type.
CAUSE_BY_RECORD = {
    "MaintenanceWorks": "CONSTRUCTION", "ConstructionWorks": "CONSTRUCTION", "Roadworks": "CONSTRUCTION",
    "Accident": "ACCIDENT", "PoorEnvironmentConditions": "WEATHER", "WeatherRelatedRoadConditions": "WEATHER",
    "WeatherRelatedRoadConditionType": "WEATHER", "EquipmentOrSystemFault": "TECHNICAL_PROBLEM",
    "AuthorityOperation": "POLICE_ACTIVITY", "PublicEvent": "SPECIAL_EVENT",
}
CAUSE_BY_TYPE = {"roadworks": "CONSTRUCTION", "accident": "ACCIDENT", "weather": "WEATHER",
                 "public_event": "SPECIAL_EVENT", "equipment_fault": "TECHNICAL_PROBLEM"}
# (Czech, English) words for an event type in the header.
EVENT_WORDS = {
    "closure": ("Uzavírka silnice", "Road closure"), "roadworks": ("Práce na silnici", "Roadworks"),
    "accident": ("Nehoda", "Accident"), "restriction": ("Omezení provozu", "Traffic restriction"),
    "congestion": ("Kongesce", "Congestion"), "obstruction": ("Překážka v provozu", "Obstruction"),
    "weather": ("Nepříznivé počasí", "Bad weather"), "rerouting": ("Objížďka", "Diversion"),
}


@dataclass
class _Alert:
    """One road event and what it does to the timetable (rows of service_alerts.sql grouped)."""
    event: tuple
    trips: dict[str, dict[str, Any]] = field(default_factory=dict)   # trip_id → route, code, stops

    @property
    def closes_road(self) -> bool:
        return self.event[4] == "closure" or (self.event[5] or "") in CLOSED_IMPACTS


def _connection(conn_or_url: psycopg.Connection | str):
    if isinstance(conn_or_url, psycopg.Connection):
        return _Borrowed(conn_or_url)
    return psycopg.connect(conn_or_url)


class _Borrowed:
    """A caller's connection as a context manager that leaves it open."""
    def __init__(self, conn: psycopg.Connection) -> None:
        self.conn = conn

    def __enter__(self) -> psycopg.Connection:
        return self.conn

    def __exit__(self, *exc: object) -> None:
        return None


def default_out() -> Path:
    """$TRANSPORT_ETL_ALERTS_OUT, else .transport_etl/gtfs-rt/alerts.pb in the project folder."""
    import os

    from transport_etl.project import project_root

    return Path(os.environ.get(OUT_ENV) or project_root() / ".transport_etl" / "gtfs-rt" / "alerts.pb")


def _now(now: dt.datetime | None) -> dt.datetime:
    now = now or dt.datetime.now(dt.UTC)
    return now if now.tzinfo else now.replace(tzinfo=PRAGUE)   # a naive time is local, as people write it


def _collect(conn: psycopg.Connection, now: dt.datetime) -> list[_Alert]:
    alerts: dict[int, _Alert] = {}
    for r in query_sql_file(conn, HERE / "service_alerts.sql", {"now": now}):
        alert = alerts.setdefault(r[0], _Alert(event=r[:17]))
        trip_id, route_id, line_code, trip_code, headsign, stop_id, station_id, stop_name, served = r[17:26]
        trip = alert.trips.setdefault(trip_id, {"route_id": route_id, "line": line_code or route_id,
                                                "code": trip_code, "headsign": headsign, "stops": {},
                                                "served": served})
        if stop_id is not None:
            trip["stops"][stop_id] = (station_id, stop_name or stop_id)
    return list(alerts.values())


def _entity_id(event: tuple) -> str:
    source_id, feed_version_id, local_id, record_version = event[1], event[2], event[3], event[13]
    return f"{source_id}:{local_id}:" + (f"v{record_version}" if record_version else f"fv{feed_version_id}")


def _cause(event: tuple) -> int:
    name = CAUSE_BY_RECORD.get(event[14] or "") or CAUSE_BY_TYPE.get(event[4] or "", "UNKNOWN_CAUSE")
    return rt.Alert.Cause.Value(name)


def _effect(alert: _Alert) -> int:
    if not alert.closes_road:
        return rt.Alert.OTHER_EFFECT
    # A trip that keeps fewer than two stops it can serve cannot run at all.
    if all(t["served"] - len(t["stops"]) < 2 for t in alert.trips.values()):
        return rt.Alert.NO_SERVICE
    return rt.Alert.DETOUR


def _when(epoch: int | None) -> str:
    if epoch is None:
        return "?"
    local = dt.datetime.fromtimestamp(epoch, dt.UTC).astimezone(PRAGUE)
    return local.strftime("%d.%m.%Y %H:%M")


def _texts(alert: _Alert) -> tuple[tuple[str, str], tuple[str, str]]:
    """(header cs, en), (description cs, en)."""
    e = alert.event
    road = e[9] or ""
    word_cs, word_en = EVENT_WORDS.get(e[4], ("Dopravní událost", "Road event"))
    codes = sorted({t["line"] for t in alert.trips.values()})
    line_cs, line_en = ("linka", "line") if len(codes) == 1 else ("linky", "lines")
    lines = ", ".join(codes)
    stops = "; ".join(sorted({name for t in alert.trips.values() for _st, name in t["stops"].values()}))
    if alert.closes_road and stops:
        head = (f"{word_cs} {road}: {line_cs} {lines} neobslouží zastávky {stops}",
                f"{word_en} on {road}: {line_en} {lines} cannot serve {stops}")
    elif alert.closes_road:
        head = (f"{word_cs} {road}: {line_cs} {lines} jede objížďkou" if len(codes) == 1 else
                f"{word_cs} {road}: {line_cs} {lines} jedou objížďkou", f"{word_en} on {road}: {line_en} {lines} diverted")
    else:
        head = (f"{word_cs} {road}: {line_cs} {lines} – možné zpoždění", f"{word_en} on {road}: {line_en} {lines} – delays possible")
    period_cs = f"Platí od {_when(e[7])} do {_when(e[8]) if e[8] is not None else 'odvolání'}."
    period_en = f"Valid from {_when(e[7])} until {_when(e[8]) if e[8] is not None else 'further notice'} (Prague time)."
    trips = len(alert.trips)
    record = f"{e[3]}" + (f" v{e[13]}" if e[13] else "")
    situation = f"{e[11]} v{e[12]}" if e[11] else None
    where = f"{e[15]}" + (f":{e[16]}" if e[16] is not None else "")
    src_cs = (f"Zdroj: {e[1]}, záznam {record}" + (f" (situace {situation})" if situation else "")
              + f", verze dat {e[2]}, {where}.")
    src_en = (f"Source: {e[1]}, record {record}" + (f" (situation {situation})" if situation else "")
              + f", feed version {e[2]}, {where}.")
    comment = (e[10] or "").strip()
    if comment and comment[-1] not in ".!?":
        comment += "."
    desc_cs = " ".join(x for x in (comment, period_cs, f"Dotčené spoje: {trips}.", src_cs) if x)
    desc_en = " ".join(x for x in (f"Road authority's note (Czech): {comment}" if comment else "", period_en,
                                   f"Trips affected: {trips}.", src_en) if x)
    return head, (desc_cs, desc_en)


def _translated(target: rt.TranslatedString, cs: str, en: str) -> None:
    for lang, text in (("cs", cs), ("en", en)):
        t = target.translation.add()
        t.text, t.language = text, lang


def _entity(feed: rt.FeedMessage, alert: _Alert) -> tuple[int, set[str], set[str]]:
    """Add the alert to ``feed``; returns its informed entities, stop points and stations."""
    e = alert.event
    ent = feed.entity.add()
    ent.id = _entity_id(e)
    a = ent.alert
    if e[7] is not None or e[8] is not None:   # no period at all: in force while it is in the feed
        period = a.active_period.add()
        if e[7] is not None:
            period.start = e[7]
        if e[8] is not None:
            period.end = e[8]
    a.cause, a.effect = _cause(e), _effect(alert)
    (h_cs, h_en), (d_cs, d_en) = _texts(alert)
    _translated(a.header_text, h_cs, h_en)
    _translated(a.description_text, d_cs, d_en)
    stops: set[str] = set()
    stations: dict[tuple[str, str], None] = {}
    for trip_id, t in alert.trips.items():
        if not alert.closes_road or not t["stops"]:
            sel = a.informed_entity.add()
            sel.route_id = t["route_id"]
            sel.trip.trip_id, sel.trip.route_id = trip_id, t["route_id"]
            continue
        for stop_id, (station_id, _name) in t["stops"].items():
            sel = a.informed_entity.add()
            sel.route_id, sel.stop_id = t["route_id"], stop_id
            sel.trip.trip_id, sel.trip.route_id = trip_id, t["route_id"]
            stops.add(stop_id)
            if station_id:
                stations[(t["route_id"], station_id)] = None
    for route_id, station_id in stations:
        sel = a.informed_entity.add()
        sel.route_id, sel.stop_id = route_id, station_id
    return len(a.informed_entity), stops, {st for _r, st in stations}


def build_feed(conn: psycopg.Connection, now: dt.datetime | None = None) -> tuple[rt.FeedMessage, dict[str, Any]]:
    """The FeedMessage for ``now`` (default: the present) and its figures."""
    now = _now(now)
    feed = rt.FeedMessage()
    feed.header.gtfs_realtime_version = "2.0"
    feed.header.incrementality = rt.FeedHeader.FULL_DATASET
    feed.header.timestamp = int(now.timestamp())
    alerts = _collect(conn, now)
    entities, stops, stations = 0, set(), set()
    for alert in alerts:
        n, s, st = _entity(feed, alert)
        entities, stops, stations = entities + n, stops | s, stations | st
    figures = {
        "alerts": len(alerts), "informed_entities": entities, "informed_stops": len(stops),
        "informed_stations": len(stations),
        "trips": sum(len(a.trips) for a in alerts),
        "events": [{"id": _entity_id(a.event), "event_id": a.event[0], "feed_version_id": a.event[2],
                    "trips": len(a.trips)} for a in alerts],
    }
    return feed, figures


def service_alerts_feed(conn_or_url: psycopg.Connection | str, now: dt.datetime | None = None) -> bytes:
    """The ServiceAlerts feed as protobuf bytes (what a web server returns at /gtfs-rt/alerts.pb). Reads the
    gis and unified schemas only, so a read-only GIS login will do; writes nothing."""
    with _connection(conn_or_url) as conn:
        feed, _ = build_feed(conn, now)
    return feed.SerializeToString()


def as_json(data: bytes) -> str:
    """A FeedMessage's bytes as readable JSON (field names as in the GTFS-Realtime reference)."""
    msg = rt.FeedMessage()
    msg.ParseFromString(data)
    return json.dumps(json_format.MessageToDict(msg, preserving_proto_field_name=True), ensure_ascii=False,
                      indent=1)


def write_service_alerts(database_url: str, out: Path, *, json_out: Path | None = None, now: dt.datetime | None = None,
                         run_kind: str = "cli", run_id: str | None = None) -> dict[str, Any]:
    """Write the feed to ``out`` (and its JSON to ``json_out``), replacing the file atomically, and record
    the build in lineage.load_run; returns the figures, the file and its sha256."""
    from transport_etl.db.connection import connect
    from transport_etl.lineage.runs import finish_run, start_run

    out = Path(out)
    with connect(database_url) as conn:
        run_pk = start_run(conn, run_id or f"{run_kind}-{uuid.uuid4()}", run_kind, None, ASSET_KEY)
        conn.commit()
        try:
            feed, figures = build_feed(conn, now)
            data = feed.SerializeToString()
            out.parent.mkdir(parents=True, exist_ok=True)
            tmp = out.with_name(out.name + ".tmp")
            tmp.write_bytes(data)
            tmp.replace(out)
            if json_out is not None:
                Path(json_out).parent.mkdir(parents=True, exist_ok=True)
                Path(json_out).write_text(as_json(data) + "\n", encoding="utf-8")
        except Exception as exc:
            conn.rollback()
            finish_run(conn, run_pk, "failed", message=f"{type(exc).__name__}: {exc}"[:2000])
            conn.commit()
            raise
        figures.update(out=str(out), bytes=len(data), sha256=hashlib.sha256(data).hexdigest(),
                       timestamp=feed.header.timestamp)
        finish_run(conn, run_pk, "loaded", rows_in=figures["trips"], rows_loaded=figures["alerts"],
                   message=json.dumps({k: figures[k] for k in ("out", "sha256", "timestamp", "alerts", "informed_entities",
                                                                "informed_stops", "informed_stations", "events")}))
        conn.commit()
    figures["load_run_id"] = run_pk
    return figures

