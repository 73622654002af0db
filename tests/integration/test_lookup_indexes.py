"""Every foreign key is indexed on its referencing column (pruning deletes parents; lookups follow keys)."""


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


def test_calls_of_a_version_and_current_calls_of_a_source_are_found_through_an_index(conn):
    """call_fv is a BRIN index since migration 880 (calls are appended in version order): the lookups it
    served (prune's DELETE, the shrink guard's rows of this version) still go through it, and the current
    calls of a source through call_current."""
    assert "USING brin" in conn.execute(
        "SELECT indexdef FROM pg_indexes WHERE schemaname = 'unified' AND indexname = 'call_fv'").fetchone()[0]
    conn.execute("SET enable_seqscan = off")
    for query, indexes in (
        ("DELETE FROM unified.call WHERE feed_version_id = ANY('{1,2}'::bigint[]) AND recorded_to <= now()",
         ["call_fv"]),
        ("SELECT count(*) FROM unified.call u WHERE u.source_id = 'x' AND (u.recorded_to IS NULL "
         "OR u.feed_version_id = 1)", ["call_current", "call_fv"]),
        ("SELECT count(*) FROM unified.call u WHERE u.source_id = 'x' AND u.recorded_to IS NULL",
         ["call_current"]),
    ):
        plan = "\n".join(r[0] for r in conn.execute("EXPLAIN " + query).fetchall())
        for index in indexes:
            assert f"Index Scan on {index}" in plan or f"Index Only Scan using {index}" in plan \
                or f"Index Scan using {index}" in plan, plan
