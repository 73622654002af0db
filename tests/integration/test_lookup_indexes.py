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
