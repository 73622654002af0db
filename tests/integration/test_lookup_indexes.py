"""Every foreign key is indexed on its referencing column (pruning deletes parents; lookups follow keys), and\nunified.call's lookups go through the indexes it has."""

import psycopg
import pytest
from psycopg import sql

from transport_etl.db.model import of_source


def test_every_foreign_key_has_an_index_on_its_column(conn):
    unindexed = conn.execute(
        """SELECT c.conrelid::regclass::text || '.' || a.attname
           FROM pg_constraint c
           JOIN pg_attribute a ON a.attrelid = c.conrelid AND a.attnum = c.conkey[1]
           WHERE c.contype = 'f'
             AND NOT EXISTS (SELECT 1 FROM pg_index i WHERE i.indrelid = c.conrelid AND i.indkey[0] = c.conkey[1])
           ORDER BY 1""").fetchall()
    assert unindexed == []


def test_calls_are_found_by_stop_point_and_journeys_by_geometry(conn):
    conn.execute("SET enable_seqscan = off")
    for query in ("SELECT id FROM unified.call WHERE stop_point_id = 1",
                  "SELECT id FROM unified.journey WHERE route_geometry_id = 1"):
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + query).fetchall())
        assert "Index" in plan, plan


def _plan(conn, query: str, params: dict | None = None) -> str:
    with psycopg.ClientCursor(conn) as cur:  # parameters inlined: EXPLAIN plans the query as run
        return "\n".join(r[0] for r in cur.execute("EXPLAIN " + query, params).fetchall())


def test_calls_are_keyed_by_journey_and_sequence_with_no_index_on_source(conn):
    """Migration 900: the call key (journey_id, sequence) replaced the id key and call_journey; call_current
    (source_id) went; id and feed_version_id have BRIN indexes (calls are appended in id and version order)."""
    indexes = dict(conn.execute("SELECT indexname, indexdef FROM pg_indexes "
                                "WHERE schemaname = 'unified' AND tablename = 'call'").fetchall())
    assert set(indexes) == {"call_pkey", "call_id_brin", "call_fv", "call_stop_point"}
    assert indexes["call_pkey"].endswith("USING btree (journey_id, sequence)")
    assert "USING brin (id)" in indexes["call_id_brin"] and "USING brin (feed_version_id)" in indexes["call_fv"]
    with pytest.raises(psycopg.errors.UniqueViolation):
        for _ in range(2):
            conn.execute("INSERT INTO unified.call (source_id, feed_version_id, namespace, local_id, journey_id, "
                         "sequence) VALUES ('x', 1, 'x', 'j:1', 1, 1)")


def test_calls_of_a_version_and_current_calls_of_a_source_are_found_through_an_index(conn):
    """Prune's DELETE of a version's calls goes through the BRIN call_fv; a source's current calls (closing a
    version, retiring a source, the shrink guard) through its current journeys (journey_current) and the call
    key; one call by id (lineage) through the BRIN call_id_brin."""
    conn.execute("SET enable_seqscan = off")
    plan = _plan(conn, "DELETE FROM unified.call WHERE feed_version_id = ANY('{1,2}'::bigint[]) "
                       "AND recorded_to <= now()")
    assert "Bitmap Index Scan on call_fv" in plan, plan
    current = sql.SQL("{} AND u.recorded_to IS NULL").format(of_source("call"))
    for query in (
        sql.SQL("SELECT count(*) FROM unified.call u WHERE {}").format(current),
        sql.SQL("UPDATE unified.call u SET recorded_to = now() WHERE {} AND u.feed_version_id <> %(fv)s").format(
            current),
        sql.SQL("SELECT count(*) FROM unified.call u WHERE {} AND (u.recorded_to IS NULL OR u.feed_version_id = "
                "%(fv)s)").format(of_source("call")),
    ):
        plan = _plan(conn, query.as_string(conn), {"src": "x", "fv": 1})
        assert "Index Scan using journey_current on journey" in plan, plan
        assert "on call_pkey" in plan and "Index Cond: (journey_id = j.id)" in plan, plan
    for query in ("SELECT * FROM unified.call WHERE id = 5",
                  "SELECT * FROM lineage.row_source WHERE unified_table = 'unified.call' AND unified_id = 5"):
        plan = _plan(conn, query)
        assert "Bitmap Index Scan on call_id_brin" in plan and "Index Cond: (id = 5)" in plan, plan
