"""A source's current calls are the calls of its current journeys (unified.call has no index on source_id since
migration 900): a new version of a format that publishes whole versions closes the previous version's calls,
retiring a source closes all of its calls, and neither touches another source's."""

import pytest

from demo import regional
from transport_etl.db.model import UNIFIED_TABLES
from transport_etl.formats.jdf.writer import batch_bytes, write_zip
from transport_etl.ingest.run import ingest
from transport_etl.lineage.registry import retire_source

pytestmark = pytest.mark.integration


def _batch(tmp_path, line: int):
    path = tmp_path / f"line{line}.zip"
    write_zip(path, batch_bytes(regional._batch(regional.LINES[line])[0]))
    return path


def _calls(conn, source_id: str) -> dict[int, int]:
    """Current calls of the source per feed version, counted without the journeys (by the call's own columns)."""
    return dict(conn.execute("SELECT feed_version_id, count(*) FROM unified.call WHERE source_id = %s "
                             "AND recorded_to IS NULL GROUP BY 1", (source_id,)).fetchall())


def test_versions_and_retirement_close_the_calls_of_their_source_only(db_url, conn, make_source, tmp_path):
    a, b = (make_source("jdf", id=sid, family="regional", max_shrink=1) for sid in ("calls-a", "calls-b"))
    v1 = ingest(a, _batch(tmp_path, 0), database_url=db_url, log=lambda _m: None)
    other = ingest(b, _batch(tmp_path, 0), database_url=db_url, log=lambda _m: None)
    assert _calls(conn, "calls-a") == {v1.feed_version_id: v1.tables["unified.call"]}
    v2 = ingest(a, _batch(tmp_path, 1), database_url=db_url, log=lambda _m: None)
    assert v2.outcome == "loaded"
    assert _calls(conn, "calls-a") == {v2.feed_version_id: v2.tables["unified.call"]}
    assert _calls(conn, "calls-b") == {other.feed_version_id: other.tables["unified.call"]}
    # No current call is left behind a closed journey, nor a closed one under a current journey.
    assert conn.execute("SELECT count(*) FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id "
                        "WHERE (c.recorded_to IS NULL) <> (j.recorded_to IS NULL)").fetchone()[0] == 0

    retired = retire_source(conn, "calls-a", UNIFIED_TABLES)
    assert retired["call"] == v2.tables["unified.call"] and retired["journey"] == v2.tables["unified.journey"]
    assert _calls(conn, "calls-a") == {}
    assert _calls(conn, "calls-b") == {other.feed_version_id: other.tables["unified.call"]}
