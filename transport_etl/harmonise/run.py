"""Harmonisation as one run: stop identities, then services on road links, in one transaction.

The CLI (`transport-etl unify`) and the Dagster harmonisation assets call :func:`unify`.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable
from typing import Any

from transport_etl.db.connection import connect
from transport_etl.harmonise.rail_points import identify_rail_points
from transport_etl.harmonise.road_links import identify_road_links
from transport_etl.harmonise.routes import match_routes_in
from transport_etl.harmonise.scoring import MatchConfig
from transport_etl.harmonise.stops import UNIFY_LOCK_KEY, unify_in
from transport_etl.lineage.runs import finish_run, start_run


def unify(
    database_url: str | None = None,
    log: Callable[[str], None] = print,
    config: dict[str, Any] | None = None,
    run_kind: str = "cli",
    run_id: str | None = None,
    routes: bool = True,
    identities: bool = True,
) -> dict:
    """Harmonise stop identities (with ``identities`` also rail points and road links, with ``routes``
    services on road links); returns a summary.

    Runs in one transaction: readers see the previous result until the new one is complete.
    """
    cfg = MatchConfig.from_mapping(config)
    t0 = time.monotonic()
    with connect(database_url, autocommit=True) as meta:
        run_pk = start_run(meta, run_id or f"{run_kind}-{uuid.uuid4()}", run_kind, None, "unify")
        try:
            with connect(database_url) as conn, conn.transaction():
                conn.execute("SELECT pg_advisory_xact_lock(%s)", (UNIFY_LOCK_KEY,))
                summary = unify_in(conn, cfg, run_pk, log)
                if identities:
                    summary["rail_points"] = identify_rail_points(conn, run_pk)
                    summary["road_links"] = identify_road_links(conn, run_pk)
                if routes:
                    summary["routes"] = match_routes_in(conn, log=log)
        except BaseException as exc:
            finish_run(meta, run_pk, "failed", message=f"{type(exc).__name__}: {exc}"[:2000])
            raise
        summary["load_run_id"] = run_pk
        summary["seconds"] = round(time.monotonic() - t0, 2)
        finish_run(meta, run_pk, "loaded", rows_in=summary["stop_places"], rows_loaded=summary["canonical_stops"],
                   message=f"{summary['canonical_stops']} canonical stops, {summary['open_reviews']} open reviews")
    log(f"[unify] {summary['stop_places']} stop places → {summary['canonical_stops']} canonical stops "
        f"({summary['multi_member']} with several members), {summary['review_pairs']} pairs for review "
        f"({summary['open_reviews']} open), {summary['connections']} intermodal connections")
    if identities:
        rp, rl = summary["rail_points"], summary["road_links"]
        log(f"[unify] {rp['members']} SR70/CZPTT records → {rp['points']} rail points ({rp['renumbered']} renumbered, "
            f"{rp['retired']} retired); {rl['links']} road links: {rl['new']} new ids, {rl['kept_moved']} kept after "
            f"a small move, {rl['retired']} retired, {rl['predecessor_relations']} predecessor relations")
    return summary
