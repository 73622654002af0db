"""What to do with fetched bytes, given the source's versions: a version is a publication, not a
byte string. Skip only when the *current* state already is this content produced by this loader;
re-publish content equal to an older version (a revert); refuse again bytes that were rejected by
this same loader; publish a held version only when asked to."""

from __future__ import annotations

from dataclasses import dataclass, field

import psycopg

from transport_etl.errors import InputRejected
from transport_etl.ingest.update_modes import CUMULATIVE
from transport_etl.lineage import ledger


@dataclass
class LoadPlan:
    # (outcome, feed_version_id, message, reason_code) when nothing is to be loaded
    finished: tuple[str, int | None, str, str | None] | None = None
    republication_of: int | None = None  # earlier version with the same bytes
    forget: list[int] = field(default_factory=list)  # a held version replaced by this load (accept)


def plan_load(conn: psycopg.Connection, source_id: str, sha256: str, digest: str, mode: str, force: bool,
              accept_version: int | None) -> LoadPlan:
    same = ledger.versions_with_content(conn, source_id, sha256)
    published = [v for v in same if v.status in ("loaded", "superseded", "retired")]
    plan = LoadPlan(republication_of=published[0].id if published else None)
    if accept_version is not None:
        held = ledger.get_version(conn, source_id, accept_version)
        if held is None or held.status != "held":
            raise InputRejected(f"feed version {accept_version} of {source_id} is not a held version",
                                code="not_held")
        if held.sha256 != sha256:
            raise InputRejected(f"the input changed since feed version {accept_version} was held "
                                f"(sha256 {held.sha256[:12]}… then, {sha256[:12]}… now): load it again instead",
                                code="content_changed")
        plan.forget = [accept_version]
        return plan
    current = ledger.current_version(conn, source_id)
    if not force:
        if mode == CUMULATIVE:
            applied = [v for v in ledger.chain(conn, source_id) if v.sha256 == sha256 and v.loader_digest == digest]
            if applied:
                return _skip(plan, applied[-1].id, f"already applied in feed version {applied[-1].id}: skipped")
        if current is not None and current.sha256 == sha256 and current.loader_digest == digest:
            return _skip(plan, current.id, f"unchanged since feed version {current.id}: skipped")
        refused = next((v for v in same if v.status in ("rejected", "held")), None)
        if refused is not None and refused.loader_digest == digest:
            if refused.status == "held":
                plan.finished = ("held", refused.id, f"unchanged input is held as feed version {refused.id}: "
                                 f"{refused.reject_reason}", "held")
            else:
                plan.finished = ("rejected", refused.id, f"unchanged input was rejected before (feed version "
                                 f"{refused.id}): {refused.reject_reason}", "previously_rejected")
            return plan
    return plan  # earlier refusals of these bytes stay on record


def _skip(plan: LoadPlan, fv_id: int, message: str) -> LoadPlan:
    plan.finished = ("skipped", fv_id, message, None)
    return plan
