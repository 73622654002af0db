"""The model as GIS staff meet it: migrations are idempotent, geometry is 5514, everything is documented."""

from transport_etl.db import migrate


def test_upgrade_twice_applies_nothing_the_second_time(conn):
    assert migrate.upgrade(conn, log=lambda _m: None) == []
    assert all(state == "applied" for _v, state in migrate.status(conn))


def test_every_table_and_column_has_a_comment(conn):
    missing = conn.execute(
        """SELECT c.table_schema || '.' || c.table_name || '.' || c.column_name
           FROM information_schema.columns c
           JOIN pg_class k ON k.relname = c.table_name
           JOIN pg_namespace n ON n.oid = k.relnamespace AND n.nspname = c.table_schema
           WHERE c.table_schema IN ('lineage', 'staging', 'unified', 'gis') AND k.relkind IN ('r', 'v', 'm', 'p')
             AND col_description(k.oid, c.ordinal_position) IS NULL
           UNION ALL
           SELECT n.nspname || '.' || k.relname FROM pg_class k JOIN pg_namespace n ON n.oid = k.relnamespace
           WHERE n.nspname IN ('lineage', 'staging', 'unified', 'gis') AND k.relkind IN ('r', 'v', 'm', 'p')
             AND obj_description(k.oid, 'pg_class') IS NULL
           ORDER BY 1"""
    ).fetchall()
    assert missing == []


def test_unified_geometry_is_krovak_with_spatial_indexes(conn):
    geoms = conn.execute(
        """SELECT g.f_table_name, g.f_geometry_column, g.srid FROM geometry_columns g
           JOIN pg_tables t ON t.schemaname = g.f_table_schema AND t.tablename = g.f_table_name
           WHERE g.f_table_schema = 'unified'"""
    ).fetchall()
    assert geoms and {srid for _t, _c, srid in geoms} == {5514}
    for table, column, _srid in geoms:
        has_gist = conn.execute(
            """SELECT count(*) FROM pg_indexes WHERE schemaname = 'unified' AND tablename = %s
               AND indexdef ILIKE '%%USING gist%%' AND indexdef ILIKE %s""",
            (table, f"%({column})%"),
        ).fetchone()[0]
        assert has_gist, f"unified.{table}.{column} has no GiST index"
