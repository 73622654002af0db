"""Partitioned history: the time series are monthly partitions, a day's query touches one of them,
upkeep makes months ahead and drops old ones, and converting filled tables keeps rows, ids, columns and views."""

from __future__ import annotations

import datetime as dt
import json

import psycopg
import pytest

from tests.conftest import scratch_database
from transport_etl.db import migrate, partitions

pytestmark = pytest.mark.integration

HISTORY = {
    "lineage.poll_run": "started_at",
    "unified.bike_station_status": "last_updated",
    "unified.bike_vehicle_status": "last_updated",
    "unified.parking_occupancy": "observed_at",
    "unified.rt_message": "recorded_at",
    "unified.rt_trip_update": "recorded_at",
    "unified.rt_stop_time_update": "recorded_at",
    "unified.rt_vehicle_position": "recorded_at",
    "unified.rt_alert": "recorded_at",
    "unified.rt_alert_entity": "recorded_at",
}


def _scanned(conn: psycopg.Connection, query: str) -> list[str]:
    plan = conn.execute("EXPLAIN (FORMAT JSON) " + query).fetchone()[0]
    found: list[str] = []

    def walk(node: dict) -> None:
        if "Relation Name" in node:
            found.append(node["Relation Name"])
        for child in node.get("Plans", []):
            walk(child)

    walk(plan[0]["Plan"] if isinstance(plan, list) else json.loads(plan)[0]["Plan"])
    return found


@pytest.mark.parametrize("table", sorted(HISTORY))
def test_a_days_query_touches_one_monthly_partition(conn, table):
    col = HISTORY[table]
    assert conn.execute("SELECT relkind FROM pg_class WHERE oid = %s::regclass", (table,)).fetchone()[0] == "p"
    day = conn.execute("SELECT date_trunc('day', now() AT TIME ZONE 'Europe/Prague')::date").fetchone()[0]
    scanned = _scanned(conn, f"SELECT * FROM {table} WHERE {col} >= '{day} 00:00 Europe/Prague' "
                             f"AND {col} < '{day + dt.timedelta(days=1)} 00:00 Europe/Prague'")
    name = table.replace(".", "__")
    assert scanned == [f"{name}_p{day:%Y_%m}"], scanned
    # a year's query over the same table sees every month (the pruning above is not an accident)
    assert len(_scanned(conn, f"SELECT * FROM {table} WHERE {col} > now() - interval '1 year'")) > 1


def _status_row(conn, when: str, station: str = "s1") -> int:
    return conn.execute(
        """INSERT INTO unified.bike_station_status (source_id, namespace, station_id, last_updated, poll_run_id)
           VALUES ('bikes', 'ns', %s, %s::timestamptz, 1) RETURNING id""", (station, when)).fetchone()[0]


def test_upkeep_makes_months_ahead_moves_early_rows_and_drops_old_months(conn):
    t = "unified.bike_station_status"
    now = conn.execute("SELECT date_trunc('month', now() AT TIME ZONE 'Europe/Prague')::date").fetchone()[0]
    far = (now.replace(day=1) + dt.timedelta(days=32 * 8)).replace(day=15)  # ~8 months ahead: not made yet
    early = _status_row(conn, f"{far} 12:00 Europe/Prague")
    current = _status_row(conn, f"{now} 12:00 Europe/Prague", "s2")
    assert conn.execute(f"SELECT count(*) FROM history.unified__bike_station_status_default "
                        f"WHERE id = {early}").fetchone()[0] == 1

    partitions.set_retention(conn, t, 2)
    later = dt.datetime(far.year, far.month, 1, 12, tzinfo=dt.UTC)
    done = partitions.maintain(conn, later)
    made = {p for tb, a, p in done if tb == t and a == "created"}
    dropped = {p for tb, a, p in done if tb == t and a == "dropped"}
    assert f"unified__bike_station_status_p{far:%Y_%m}" in made
    assert f"unified__bike_station_status_p{now:%Y_%m}" in dropped
    # the row that waited in DEFAULT moved into its month; the old month's row went with its partition
    assert conn.execute(f"SELECT tableoid::regclass::text FROM {t} WHERE id = {early}").fetchone()[0] == \
        f"history.unified__bike_station_status_p{far:%Y_%m}"
    assert conn.execute(f"SELECT count(*) FROM {t} WHERE id = {current}").fetchone()[0] == 0
    assert partitions.maintain(conn, later) == []  # idempotent
    # other tables keep everything (retention NULL) and got their months ahead too
    assert not [d for d in done if d[1] == "dropped" and d[0] != t]
    # the loaders' ON CONFLICT dedup key survived partitioning
    conn.execute("""INSERT INTO unified.bike_station_status (source_id, namespace, station_id, last_updated, poll_run_id)
                    SELECT source_id, namespace, station_id, last_updated, 2 FROM unified.bike_station_status
                    ON CONFLICT (source_id, station_id, last_updated) DO NOTHING""")
    assert conn.execute(f"SELECT count(*) FROM {t}").fetchone()[0] == 1


def test_deleting_an_rt_message_deletes_its_rows_as_the_foreign_keys_did(conn):
    m = conn.execute("""INSERT INTO unified.rt_message (source_id, namespace, feed_kind, entity_count, content_sha256,
                        poll_run_id) VALUES ('rt', 'ns', 'trip_updates', 1, 'x', 1) RETURNING id""").fetchone()[0]
    tu = conn.execute("""INSERT INTO unified.rt_trip_update (message_id, source_id, matched)
                         VALUES (%s, 'rt', false) RETURNING id""", (m,)).fetchone()[0]
    conn.execute("INSERT INTO unified.rt_stop_time_update (trip_update_id, message_id, source_id) VALUES (%s, %s, 'rt')",
                 (tu, m))
    conn.execute("DELETE FROM unified.rt_message WHERE id = %s", (m,))
    assert conn.execute("SELECT (SELECT count(*) FROM unified.rt_trip_update) + "
                        "(SELECT count(*) FROM unified.rt_stop_time_update)").fetchone()[0] == 0


@pytest.fixture
def unmigrated_url():
    with scratch_database("tetl_conv") as url:
        yield url


def _columns(conn, table):
    schema, name = table.split(".")
    return conn.execute(
        """SELECT column_name, data_type, is_nullable, column_default, is_identity, identity_generation
             FROM information_schema.columns WHERE table_schema = %s AND table_name = %s ORDER BY ordinal_position""",
        (schema, name)).fetchall()


def test_converting_filled_tables_keeps_rows_ids_columns_and_views(unmigrated_url, tmp_path):
    before = tmp_path / "before"
    before.mkdir()
    for f in migrate.available():
        if f.version < "770":
            (before / f.path.name).symlink_to(f.path)
    with psycopg.connect(unmigrated_url, autocommit=True) as c:
        c.execute("CREATE EXTENSION IF NOT EXISTS postgis")
        migrate.upgrade(c, before, log=lambda _m: None)
        columns = {t: _columns(c, t) for t in HISTORY}
        for when in ("'2019-01-01 00:00Z'", "now()", "now() - interval '40 days'"):  # 2019: before the months made
            c.execute(f"INSERT INTO lineage.poll_run (source_id, feed, started_at) VALUES ('p', 'gbfs_status', {when})")
        ids = [r[0] for r in c.execute("SELECT id FROM lineage.poll_run ORDER BY id")]
        m = c.execute("""INSERT INTO unified.rt_message (source_id, namespace, feed_kind, entity_count, content_sha256,
                         poll_run_id) VALUES ('rt', 'ns', 'alerts', 1, 'x', 1) RETURNING id""").fetchone()[0]
        c.execute("INSERT INTO unified.rt_alert (message_id, source_id) VALUES (%s, 'rt')", (m,))
        # a view another migration put over a history table, with a comment and a grant
        c.execute("CREATE VIEW gis.poll_health_probe AS SELECT source_id, count(*) AS n FROM lineage.poll_run GROUP BY 1;"
                  "COMMENT ON VIEW gis.poll_health_probe IS 'probe'; GRANT SELECT ON gis.poll_health_probe TO gis_reader")

        assert "770_partitioned_history" in migrate.upgrade(c, log=lambda _m: None)

        for t in HISTORY:
            assert _columns(c, t) == columns[t], t
        assert [r[0] for r in c.execute("SELECT id FROM lineage.poll_run ORDER BY id")] == ids
        parts = partitions.partitions(c, "lineage.poll_run")
        assert parts[-1] == "lineage__poll_run_default" and len(parts) > 20  # two years of months + ahead
        assert c.execute("SELECT count(*) FROM history.lineage__poll_run_default").fetchone()[0] == 1  # 2019
        new = c.execute("INSERT INTO lineage.poll_run (source_id, feed) VALUES ('p', 'x') RETURNING id").fetchone()[0]
        assert new > max(ids)
        assert c.execute("SELECT n FROM gis.poll_health_probe").fetchone()[0] == 4
        assert c.execute("SELECT obj_description('gis.poll_health_probe'::regclass)").fetchone()[0] == "probe"
        assert c.execute("SELECT has_table_privilege('gis_reader', 'gis.poll_health_probe', 'SELECT')").fetchone()[0]
        assert c.execute("SELECT count(*) FROM gis.rt_alert").fetchone()[0] == 1  # the generated gis views too
        # idempotent: converting again changes nothing
        assert c.execute("SELECT lineage.convert_to_history_partitions('lineage.poll_run', 'started_at')"
                         ).fetchone()[0] is False


def test_the_daily_maintenance_job_and_the_cli_make_missing_months(db_url, conn, capsys):
    import dagster as dg

    from assets.maintenance import platform_maintenance
    from assets.resources import PostGISResource
    from transport_etl.cli import main

    conn.execute("UPDATE lineage.history_table SET premake_months = 5 WHERE table_name = 'unified.parking_occupancy'")
    before = len(partitions.partitions(conn, "unified.parking_occupancy"))
    result = platform_maintenance.execute_in_process(
        resources={"postgis": PostGISResource(database_url=db_url)}, instance=dg.DagsterInstance.ephemeral())
    assert result.success and result.output_for_node("history_partitions") == 2
    assert len(partitions.partitions(conn, "unified.parking_occupancy")) == before + 2
    conn.execute("UPDATE lineage.history_table SET premake_months = 6 WHERE table_name = 'unified.parking_occupancy'")
    assert main(["db", "partitions"]) == 0
    assert "unified.parking_occupancy" in capsys.readouterr().out
