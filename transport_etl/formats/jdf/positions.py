"""Position JDF stops (JDF has no coordinates) from the current regional stop register.

1. By register number, where the batch uses CRZ numbers — confirmed by the names agreeing, since a
   batch-local number that happens to exist in the register would otherwise put a stop elsewhere.
2. Else by equal normalised Czech name within the stop's district (or across the region when the
   batch gives no district and the name is unique).
3. Else unmatched: NULL position, a ``stop_unmatched`` notice; never a guess.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from transport_etl.ingest.context import LoadContext
from transport_etl.names import name_similarity, normalise_stop_name

# A CRZ number from the batch is trusted only if the register's name for it is this similar.
REGISTER_NAME_MIN = 0.6


@dataclass(frozen=True)
class RegisterStop:
    stop_place_id: int
    source_id: str
    register_id: str
    name: str
    district_code: str | None
    geom_ewkt: str | None


@dataclass(frozen=True)
class Match:
    method: str                      # register_id | name_district | name | unmatched
    stop: RegisterStop | None = None
    similarity: float | None = None
    note: str | None = None


class RegisterIndex:
    def __init__(self, stops: Iterable[RegisterStop]):
        self.by_id: dict[str, RegisterStop] = {}
        self.by_name: dict[tuple[str, str | None], list[RegisterStop]] = defaultdict(list)
        self.by_name_any: dict[str, list[RegisterStop]] = defaultdict(list)
        self.size = 0
        for s in stops:
            self.size += 1
            self.by_id.setdefault(s.register_id, s)
            key = normalise_stop_name(s.name)
            self.by_name[(key, s.district_code)].append(s)
            self.by_name_any[key].append(s)


def match_stop(name: str, district: str | None, register_no: str | None, index: RegisterIndex) -> Match:
    """Where a JDF stop is, according to the register (pure; see module doc for the rules)."""
    if index.size == 0:
        return Match("unmatched", note="no_register")
    if register_no and register_no in index.by_id:
        cand = index.by_id[register_no]
        sim = name_similarity(name, cand.name)
        if sim >= REGISTER_NAME_MIN:
            return Match("register_id", cand, sim)
    key = normalise_stop_name(name)
    cands = index.by_name[(key, district)] if district else index.by_name_any[key]
    # The same stop may be listed once per pole row in some registers: dedupe by register id.
    unique = list({c.register_id: c for c in cands}.values())
    if len(unique) == 1:
        return Match("name_district" if district else "name", unique[0], name_similarity(name, unique[0].name))
    if len(unique) > 1:
        return Match("unmatched", note="ambiguous_name")
    return Match("unmatched", note="unmatched_in_register")


def _register(ctx: LoadContext) -> RegisterIndex:
    wanted = ctx.options.get("register_source")
    rows = ctx.conn.execute(
        """SELECT sp.id, sp.source_id, sp.register_id, sp.name, sp.district_code, ST_AsEWKT(sp.geom)
             FROM unified.stop_place sp JOIN lineage.source s ON s.id = sp.source_id
            WHERE s.format = 'stop-register' AND sp.recorded_to IS NULL AND sp.register_id IS NOT NULL
              AND sp.geom IS NOT NULL AND (%(src)s::text IS NULL OR sp.source_id = %(src)s::text)
            ORDER BY sp.source_id, sp.register_id""",
        {"src": wanted},
    ).fetchall()
    return RegisterIndex(RegisterStop(*r) for r in rows)


def match_stops(ctx: LoadContext) -> dict[str, int]:
    """Match every stop of the version; write staging.jdf_stop_match; notice each unmatched stop."""
    index = _register(ctx)
    stops = ctx.conn.execute(
        """SELECT DISTINCT ON (place_key) place_key, name, district_code, register_no, source_file, line_no
             FROM staging.jdf_stop WHERE feed_version_id = %s ORDER BY place_key, batch, line_no""",
        (ctx.feed_version_id,),
    ).fetchall()
    if index.size == 0:
        ctx.notice("stop_register_missing", "INFO",
                   "no current stop-register source: JDF stops stay without positions")
    counts: dict[str, int] = defaultdict(int)
    rows = []
    for key, name, district, register_no, source_file, line_no in stops:
        m = match_stop(name, district, register_no, index)
        counts[m.method] += 1
        if m.stop is None:
            ctx.notice("stop_unmatched", "WARNING",
                       f"stop {name!r} ({district or 'no district'}) not positioned: {m.note}",
                       file_name=source_file, line_no=line_no, entity_key=key)
        rows.append((ctx.feed_version_id, key, m.method, m.stop.register_id if m.stop else None,
                     m.stop.source_id if m.stop else None, m.stop.stop_place_id if m.stop else None, m.similarity,
                     m.stop.geom_ewkt if m.stop else None, m.note))
    ctx.copy_rows("staging.jdf_stop_match",
              ["feed_version_id", "place_key", "method", "register_id", "register_source_id",
               "register_stop_place_id", "name_similarity", "geom", "location_note"], rows)
    ctx.count("staging.jdf_stop_match", len(rows))
    ctx.log(f"[{ctx.source.id}] stops positioned: {dict(counts)}")
    return dict(counts)

