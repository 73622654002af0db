"""The release GTFS checked by the project's own GTFS validator (formats/gtfs: per-record checks while
staging, validate.sql, sanity.sql), exactly as a publisher's feed would be, but never published: the
load runs in a transaction that is rolled back after its notices are read. Nothing of it stays in the
database (identity numbers it drew are skipped, as after any rolled-back load)."""

from __future__ import annotations

import uuid
from pathlib import Path
from typing import Any

from transport_etl.catalog import Source
from transport_etl.db.connection import connect
from transport_etl.errors import InputRejected
from transport_etl.export.release.files import sha256_file
from transport_etl.formats import registry
from transport_etl.ingest.context import LoadContext
from transport_etl.lineage.ledger import open_version
from transport_etl.lineage.registry import register_source
from transport_etl.lineage.runs import start_run

CHECK_SOURCE = "release-gtfs-check"  # exists only inside the rolled-back transaction


class _Undo(Exception):
    """Raised to roll the check's transaction back once its findings are read."""


def validate_gtfs(database_url: str, feed: Path) -> dict[str, Any]:
    """Notices per severity and code, and quarantined records per reason, that the GTFS loader finds in
    ``feed``; ``refused`` is the loader's one-line reason when it would refuse the whole feed."""
    source = Source(id=CHECK_SOURCE, family="municipal", format="gtfs", encoding="UTF-8",
                    description="release GTFS check (rolled back)")
    found: dict[str, Any] = {"notices": {}, "rejected": {}, "refused": None}
    digest = sha256_file(feed)
    with connect(database_url) as conn:
        try:
            with conn.transaction():
                register_source(conn, source)
                run = start_run(conn, f"release-check-{uuid.uuid4()}", "cli", source.id, None)
                fv = open_version(conn, source.id, sha256=digest, size_bytes=feed.stat().st_size,
                                  location=str(feed), load_run_id=run, loader_digest=None, update_mode="snapshot")
                ctx = LoadContext(conn=conn, source=source, feed_version_id=fv, load_run_id=run, path=feed,
                                  log=lambda _m: None)
                try:
                    registry.get("gtfs").load(ctx)
                    ctx.flush()
                except InputRejected as exc:
                    found["refused"] = str(exc)
                    ctx.flush()
                for severity, code, n in conn.execute(
                        "SELECT severity, code, count(*) FROM lineage.notice WHERE feed_version_id = %s "
                        "GROUP BY 1, 2 ORDER BY 1, 2", (fv,)).fetchall():
                    found["notices"][f"{severity} {code}"] = n
                for code, n in conn.execute(
                        "SELECT reason_code, count(*) FROM lineage.rejected_record WHERE feed_version_id = %s "
                        "GROUP BY 1 ORDER BY 1", (fv,)).fetchall():
                    found["rejected"][code] = n
                raise _Undo
        except _Undo:
            pass
        conn.rollback()
    found["errors"] = sum(n for k, n in found["notices"].items() if k.startswith("ERROR "))
    found["passed"] = found["refused"] is None and found["errors"] == 0 and not found["rejected"]
    return found
