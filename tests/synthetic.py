"""Synthetic multi-source stop places built from demo.places, with known truth: for
tests and for measuring the matcher without the loaders (positions jittered, names abbreviated
and reordered the way real sources differ). Also small helpers that insert unified rows directly."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

import psycopg

from demo.places import PLACES, Place, to_5514

SOURCES: dict[str, tuple[str, str]] = {  # id → (family, format)
    "syn-register": ("regional", "stop-register"),
    "syn-jdf": ("regional", "jdf"),
    "syn-gtfs": ("municipal", "gtfs"),
    "syn-sr70": ("rail", "sr70"),
    "syn-czptt": ("rail", "czptt"),
}


@dataclass
class SynStop:
    source_id: str
    local_id: str
    name: str
    kind: str
    x: float | None
    y: float | None
    municipality: str | None = None
    district_code: str | None = None
    register_id: str | None = None
    place_key: str | None = None


_ABBREV = (("náměstí", "nám."), ("Náměstí", "nám."), ("nádraží", "nádr."), ("Hlavní", "hl."), ("hlavní", "hl."),
           ("Západní", "záp."), ("Mírové", "Mír."), ("poliklinika", "polikl."), ("Poliklinika", "polikl."),
           ("Severní", "Sev."), ("Krásné", "Krás."), ("Svobody", "Svob."))


def abbreviate(name: str, rng: random.Random) -> str:
    """Abbreviate, reorder or case-fold a name the way another source might write it."""
    out = name
    for long_, short in _ABBREV:
        if long_ in out and rng.random() < 0.7:
            out = out.replace(long_, short)
    if ", " in out and rng.random() < 0.5:  # "Klíše, poliklinika" → "poliklinika Klíše"
        head, tail = out.split(", ", 1)
        out = f"{tail} {head}"
    if rng.random() < 0.2:
        out = out.upper()
    return out


def _jitter(x: float, y: float, max_m: float, rng: random.Random) -> tuple[float, float]:
    r = max_m * math.sqrt(rng.random())
    a = rng.random() * 2 * math.pi
    return x + r * math.cos(a), y + r * math.sin(a)


def rail_name(p: Place) -> str:
    """SR70-style station name from the register-style place name."""
    _town, part, place = (p.name.split(",") + ["", ""])[:3]
    if "hl." in place:
        return f"{p.municipality} hl.n."
    if "záp" in place:
        return f"{p.municipality} západ"
    if part:
        return f"{p.municipality}-{part}"
    return p.municipality


def noisy_stops(seed: int = 7, jitter_m: float = 30.0, abbreviated: bool = True,
                platforms: bool = False) -> list[SynStop]:
    """Every place of places.py as the register, JDF, city GTFS, SR70 and CZPTT would publish it.
    With ``platforms`` the city GTFS publishes each stop as two platform stops (``U101Z1``, ``U101Z2``:
    one name, each position jittered on its own), as Czech city feeds do."""
    rng = random.Random(seed)
    noisy = (lambda n: abbreviate(n, rng)) if abbreviated else (lambda n: n)
    out: list[SynStop] = []
    for i, p in enumerate(PLACES, start=1):
        x, y = to_5514(p.lat, p.lon)
        out.append(SynStop("syn-register", str(p.crz), p.name, "bus", *_jitter(x, y, jitter_m, rng),
                           p.municipality, p.district, str(p.crz), p.key))
        out.append(SynStop("syn-jdf", str(i), noisy(p.name), "bus", *_jitter(x, y, jitter_m, rng),
                           p.municipality, p.district, str(p.crz) if i % 2 else None, p.key))
        if p.city_name and platforms:
            city = noisy(p.city_name)
            out.extend(SynStop("syn-gtfs", f"U{100 + i}Z{n}", city, "bus", *_jitter(x, y, jitter_m, rng),
                               place_key=p.key) for n in (1, 2))
        elif p.city_name:
            out.append(SynStop("syn-gtfs", f"U{100 + i}", noisy(p.city_name), "bus",
                               *_jitter(x, y, jitter_m, rng), place_key=p.key))
        if p.sr70:
            out.append(SynStop("syn-sr70", p.sr70, noisy(rail_name(p)), "rail", *_jitter(x, y, jitter_m, rng),
                               p.municipality, p.district, p.sr70, p.key))
            out.append(SynStop("syn-czptt", p.sr70[:5], rail_name(p), "rail", *_jitter(x, y, jitter_m, rng),
                               None, None, p.sr70[:5], p.key))
    return out


def add_source(conn: psycopg.Connection, source_id: str, family: str, fmt: str) -> None:
    conn.execute("INSERT INTO lineage.source (id, family, format) VALUES (%s, %s, %s) ON CONFLICT (id) DO NOTHING",
                 (source_id, family, fmt))


def add_feed_version(conn: psycopg.Connection, source_id: str, label: str = "v1") -> int:
    """A new current feed version of ``source_id`` (the previous one superseded, its rows closed)."""
    conn.execute("UPDATE lineage.feed_version SET is_current = false, status = 'superseded' "
                 "WHERE source_id = %s AND is_current", (source_id,))
    for table in ("stop_place",):
        conn.execute(f"UPDATE unified.{table} SET recorded_to = now() WHERE source_id = %s AND recorded_to IS NULL",
                     (source_id,))
    return conn.execute(
        """INSERT INTO lineage.feed_version (source_id, sha256, size_bytes, status, is_current, loaded_at, feed_label)
           VALUES (%s, md5(random()::text), 0, 'loaded', true, now(), %s) RETURNING id""",
        (source_id, label),
    ).fetchone()[0]


def insert_stops(conn: psycopg.Connection, stops: list[SynStop]) -> dict[tuple[str, str], int]:
    """Publish ``stops`` as new current feed versions of their sources (one per source), with a
    lineage.entity_source row each, like a loader would. Returns (source_id, local_id) → row id."""
    ids: dict[tuple[str, str], int] = {}
    by_source: dict[str, list[SynStop]] = {}
    for s in stops:
        by_source.setdefault(s.source_id, []).append(s)
    for source_id, rows in by_source.items():
        family, fmt = SOURCES.get(source_id, ("regional", "jdf"))
        add_source(conn, source_id, family, fmt)
        fv = add_feed_version(conn, source_id)
        for line, s in enumerate(rows, start=2):
            geom = None if s.x is None else f"SRID=5514;POINT({s.x} {s.y})"
            sp_id = conn.execute(
                """INSERT INTO unified.stop_place (source_id, feed_version_id, namespace, local_id, name, kind,
                       municipality, district_code, register_id, geom)
                   VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s::geometry) RETURNING id""",
                (source_id, fv, f"cz.ustecky.{source_id}", s.local_id, s.name, s.kind, s.municipality,
                 s.district_code, s.register_id, geom),
            ).fetchone()[0]
            conn.execute(
                """INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file,
                       source_line, source_key) VALUES ('unified.stop_place', %s, %s, 'stops.txt', %s, %s)""",
                (sp_id, fv, line, s.local_id),
            )
            ids[(source_id, s.local_id)] = sp_id
    return ids


def truth_rows(stops: list[SynStop]) -> list[tuple[str, str, str]]:
    return [(s.source_id, s.local_id, s.place_key) for s in stops if s.place_key]
