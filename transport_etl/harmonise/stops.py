"""`transport-etl unify`: resolve the current stop places of every source into canonical stop places
with persistent identifiers, queue doubtful pairs for review, record every decision in lineage,
derive intermodal connections, and match journey patterns onto the road network.

Evidence order: GIS staff decisions (unified.stop_match_review) > shared register ids (CRZ, SR70)
> platform pairs (two stops of one source with the same name a few metres apart) > distance in
EPSG:5514 + Czech name similarity within the same municipality/district.
"""

from __future__ import annotations

import gc
import hashlib
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import psycopg

from transport_etl.db.copy import copy_rows
from transport_etl.db.sqlfile import query_sql_file, run_sql_file
from transport_etl.harmonise import identity, scoring, survivorship
from transport_etl.harmonise.cluster import Evidence, Key, Matching, Pair, Stop, match, pair_key
from transport_etl.harmonise.guard import stop_country
from transport_etl.harmonise.scoring import MatchConfig, local_tokens
from transport_etl.lineage import ledger
from transport_etl.names import normalise_stop_name

HERE = Path(__file__).resolve().parent
UNIFY_LOCK_KEY = 0x7E7A_500  # one harmonisation run at a time


def run_sql(conn: psycopg.Connection, name: str, params: dict[str, Any] | None = None) -> None:
    """Run a harmonisation .sql file beside this module."""
    run_sql_file(conn, HERE / name, params)


def _query(conn: psycopg.Connection, name: str, params: dict[str, Any] | None = None) -> list[tuple]:
    return query_sql_file(conn, HERE / name, params)


def _load_stops(conn: psycopg.Connection) -> list[Stop]:
    """Current stop places (also left in the temp table _current_stop for the candidate-pair query)."""
    run_sql(conn, "stops_current.sql")
    return [
        Stop(id=r[0], source_id=r[1], local_id=r[2], name=r[3] or "", kind=r[4] or "bus", municipality=r[5],
             district_code=r[6], register_id=r[7], x=r[8], y=r[9], family=r[10], format=r[11], namespace=r[12],
             feed_version_id=r[13], country=stop_country(r[3], r[2], r[14]))
        for r in conn.execute(
            "SELECT id, source_id, local_id, name, kind, municipality, district_code, register_id, x, y, family, "
            "format, namespace, feed_version_id, source_country FROM _current_stop")
    ]


def _stop_keys(conn: psycopg.Connection, stops: list[Stop]) -> None:
    """Per-stop name keys from the Python normaliser (the one source of the naming rule), computed once
    per stop (linear) and copied into _stop_key for the set-based blocking of stops_near_pairs.sql."""
    conn.execute("""CREATE TEMP TABLE _stop_key (id bigint PRIMARY KEY, name_key text NOT NULL,
        local_key text NOT NULL, muni_key text, register_key text, rail boolean NOT NULL,
        station_named boolean NOT NULL) ON COMMIT DROP""")

    def rows():
        for s in stops:
            own = [s.municipality] if s.municipality else []
            local = local_tokens(s.name, own, s.rail)
            yield (s.id, normalise_stop_name(s.name), " ".join(sorted(local)),
                   normalise_stop_name(s.municipality) if s.municipality else None, s.register_key, s.rail,
                   not s.rail and "nadr" in local)  # as scoring.is_station_pair reads the name

    copy_rows(conn, "_stop_key", ["id", "name_key", "local_key", "muni_key", "register_key", "rail",
                                  "station_named"], rows())
    conn.execute("ANALYZE _stop_key")


def _near_pairs(conn: psycopg.Connection, stops: list[Stop], cfg: MatchConfig) -> list[Pair]:
    """Candidate pairs with their evidence class (see stops_near_pairs.sql)."""
    _stop_keys(conn, stops)
    return [((r[0], r[1]), (r[2], r[3]), float(r[4]), r[5])
            for r in _query(conn, "stops_near_pairs.sql", {
                "max_distance_m": cfg.max_distance_m, "station_max_distance_m": cfg.station_max_distance_m,
                "platform_max_distance_m": cfg.platform_max_distance_m})]


def _decisions(conn: psycopg.Connection) -> dict[tuple[Key, Key], str]:
    rows = conn.execute(
        "SELECT a_source_id, a_local_id, b_source_id, b_local_id, status FROM unified.stop_match_review "
        "WHERE status IN ('same', 'different')"
    ).fetchall()
    return {pair_key((r[0], r[1]), (r[2], r[3])): r[4] for r in rows}


@contextmanager
def _without_cycle_collector() -> Iterator[None]:
    """Matching allocates a few objects per stop and pair (10^5 of each at national scale), none of
    them in reference cycles: the cyclic garbage collector would walk them again and again (a third
    of the matching time at 10^5 stops) and find nothing. Memory is still freed by reference counting."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def unify_in(conn: psycopg.Connection, cfg: MatchConfig, load_run_id: int | None, log=print) -> dict:
    """The stop part of :func:`unify` inside the caller's transaction."""
    with _without_cycle_collector():
        return _unify_stops(conn, cfg, load_run_id)


def _unify_stops(conn: psycopg.Connection, cfg: MatchConfig, load_run_id: int | None) -> dict:
    steps: dict[str, float] = {}
    clock = time.monotonic()

    def lap(step: str) -> None:
        nonlocal clock
        now = time.monotonic()
        steps[step] = round(now - clock, 3)
        clock = now

    stops = _load_stops(conn)
    lap("load")
    near = _near_pairs(conn, stops, cfg)
    lap("candidates")
    decisions = _decisions(conn)
    result = match(stops, near, decisions, cfg)
    lap("match")
    by_key = {s.key: s for s in stops}

    previous = {(r[0], r[1]): r[2] for r in conn.execute(
        "SELECT m.source_id, m.member_local_id, c.local_id FROM unified.canonical_stop_member m "
        "JOIN unified.canonical_stop_place c ON c.id = m.canonical_stop_place_id WHERE c.namespace = %s",
        (cfg.namespace,),
    ).fetchall()}
    existing = dict(conn.execute(
        "SELECT local_id, recorded_to IS NOT NULL FROM unified.canonical_stop_place WHERE namespace = %s",
        (cfg.namespace,),
    ).fetchall())
    reg_keys = [[by_key[k].register_key for k in c if by_key[k].register_key] for c in result.clusters]
    ids = identity.assign(result.clusters, reg_keys, previous, existing)
    canonical_of = {k: cid for c, cid in zip(result.clusters, ids, strict=True) for k in c}

    lap("identity")
    _write_temp(conn, result, ids, by_key, canonical_of, cfg)
    lap("write")
    run_sql(conn, "stops_apply.sql", {"namespace": cfg.namespace})
    lap("apply")
    record_stop_lineage(conn, cfg.namespace, load_run_id)
    lap("lineage")
    run_sql(conn, "stops_connections.sql", {"walking_distance_m": cfg.walking_distance_m})
    lap("connections")
    scoring.clear_caches()

    counts = conn.execute(
        """SELECT (SELECT count(*) FROM unified.stop_match_review WHERE status = 'open'),
                  (SELECT count(*) FROM unified.stop_connection),
                  (SELECT count(*) FROM unified.canonical_stop_place WHERE namespace = %s AND recorded_to IS NOT NULL)""",
        (cfg.namespace,),
    ).fetchone()
    methods: dict[str, int] = {}
    for k in by_key:
        ev = result.evidence[k]
        m = ev.method if ev else "singleton"
        methods[m] = methods.get(m, 0) + 1
    return {
        "stop_places": len(stops),
        "candidate_pairs": len(near),
        "canonical_stops": len(result.clusters),
        "multi_member": sum(1 for c in result.clusters if len(c) > 1),
        "members_by_method": methods,
        "review_pairs": len(result.review),
        "open_reviews": counts[0],
        "manual_decisions": len(decisions),
        "connections": counts[1],
        "retired_canonical": counts[2],
        "step_seconds": steps,
    }


def _write_temp(
    conn: psycopg.Connection,
    result: Matching,
    ids: list[str],
    by_key: dict[Key, Stop],
    canonical_of: dict[Key, str],
    cfg: MatchConfig,
) -> None:
    conn.execute("""CREATE TEMP TABLE _canon (local_id text, name text, kind text, municipality text,
        district_code text, register_ids text[], member_count int, sources text[], name_source text,
        name_member text, name_reason text, position_source text, position_member text, position_reason text,
        content_hash text, x double precision, y double precision) ON COMMIT DROP""")
    conn.execute("""CREATE TEMP TABLE _member (canonical_local_id text, source_id text, member_namespace text,
        member_local_id text, stop_place_id bigint, name text, kind text, register_key text, match_method text,
        matched_with text, distance_m double precision, name_similarity double precision, score double precision,
        feed_version_id bigint) ON COMMIT DROP""")
    conn.execute("""CREATE TEMP TABLE _review (a_source_id text, a_local_id text, b_source_id text, b_local_id text,
        a_name text, b_name text, a_canonical_id text, b_canonical_id text, distance_m double precision,
        name_similarity double precision, score double precision, reason text, ax double precision,
        ay double precision, bx double precision, by double precision) ON COMMIT DROP""")

    # Rows are streamed into COPY, never held as lists: memory stays bounded at 10^5 stops.
    def canon_rows():
        for cluster, cid in zip(result.clusters, ids, strict=True):
            members = [by_key[k] for k in cluster]
            named, name_why = survivorship.choose(members, cfg.name_priority, "name")
            placed, pos_why = survivorship.choose(members, cfg.position_priority, "position")
            rail = {m.kind == "rail" for m in members}
            kind = "mixed" if len(rail) > 1 else ("rail" if True in rail else "bus")
            with_muni = sorted(members, key=lambda m: (survivorship.rank(m, cfg.name_priority), m.key))
            muni = next((m.municipality for m in with_muni if m.municipality), None)
            district = next((m.district_code for m in with_muni if m.district_code), None)
            regs = sorted({m.register_key for m in members if m.register_key})
            sources = sorted({m.source_id for m in members})
            x, y = (placed.x, placed.y) if placed else (None, None)
            digest = hashlib.sha1(repr((named.name if named else None, x and round(x, 2), y and round(y, 2),
                                        cluster)).encode()).hexdigest()
            yield (
                cid, named.name if named else None, kind, muni, district, regs, len(members), sources,
                named.source_id if named else None, f"{named.source_id}:{named.local_id}" if named else None,
                name_why, placed.source_id if placed else None,
                f"{placed.source_id}:{placed.local_id}" if placed else None, pos_why, digest, x, y,
            )

    def member_rows():
        for cluster, cid in zip(result.clusters, ids, strict=True):
            for k in cluster:
                m = by_key[k]
                ev: Evidence | None = result.evidence[m.key]
                other = None if ev is None else (ev.b if ev.a == m.key else ev.a)
                yield (
                    cid, m.source_id, m.namespace, m.local_id, m.id, m.name, m.kind, m.register_key,
                    ev.method if ev else "singleton", f"{other[0]}:{other[1]}" if other else None,
                    ev.distance_m if ev else None, ev.similarity if ev else None, ev.score if ev else None,
                    m.feed_version_id,
                )

    copy_rows(conn, "_canon", ["local_id", "name", "kind", "municipality", "district_code", "register_ids",
                               "member_count", "sources", "name_source", "name_member", "name_reason",
                               "position_source", "position_member", "position_reason", "content_hash", "x", "y"],
              canon_rows())
    copy_rows(conn, "_member", ["canonical_local_id", "source_id", "member_namespace", "member_local_id",
                                "stop_place_id", "name", "kind", "register_key", "match_method", "matched_with",
                                "distance_m", "name_similarity", "score", "feed_version_id"], member_rows())
    review_rows = []
    for ev in result.review:
        a, b = pair_key(ev.a, ev.b)
        sa, sb = by_key[a], by_key[b]
        review_rows.append((a[0], a[1], b[0], b[1], sa.name, sb.name, canonical_of.get(a), canonical_of.get(b),
                            ev.distance_m, ev.similarity, ev.score, ev.reason, sa.x, sa.y, sb.x, sb.y))
    copy_rows(conn, "_review", ["a_source_id", "a_local_id", "b_source_id", "b_local_id", "a_name", "b_name",
                                "a_canonical_id", "b_canonical_id", "distance_m", "name_similarity", "score",
                                "reason", "ax", "ay", "bx", "by"], review_rows)
    # Fresh temp tables have no statistics: without them the apply step's joins plan as nested loops.
    for table in ("_canon", "_member", "_review"):
        conn.execute(f"ANALYZE {table}")


def record_stop_lineage(conn: psycopg.Connection, namespace: str, load_run_id: int | None) -> None:
    """The only lineage write of stop harmonisation, through the ledger: one lineage.entity_source row per
    member of each canonical stop, with the decision and the member's own source record."""
    ledger.record_match_evidence(conn, namespace, load_run_id)


def open_review_count(conn: psycopg.Connection) -> int:
    """Open (undecided) pairs in unified.stop_match_review: the Dagster asset check's number."""
    exists = conn.execute("SELECT to_regclass('unified.stop_match_review') IS NOT NULL").fetchone()[0]
    if not exists:
        return 0
    return int(conn.execute("SELECT count(*) FROM unified.stop_match_review WHERE status = 'open'").fetchone()[0])
