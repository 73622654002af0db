"""A minimal real loader used to test the runner's guarantees independently of any real format.

Input: CSV `stop_id,name,lon,lat`. A row whose name is empty is quarantined; a row named `CRASH`
raises mid-load (an internal failure); a row named `SLEEP` sleeps so a test can kill the process.
"""

import csv
import io
import time

from transport_etl.db.copy import copy_rows
from transport_etl.errors import InputRejected
from transport_etl.formats.contract import Format
from transport_etl.ingest.context import LoadContext

# Declared like a real format, registered by the tests (it is not under transport_etl/formats/).
FORMAT = Format(name="tiny", family="regional", package="tests.integration", summary="test-only CSV of stops",
                load_step="tiny_format:load", publish_step="tiny_format:publish")

DDL = """CREATE TABLE IF NOT EXISTS staging.tiny_stop (
    feed_version_id bigint NOT NULL, line_no integer NOT NULL, stop_id text, name text, lon float8, lat float8)"""


def load(ctx: LoadContext) -> None:
    ctx.conn.execute(DDL)
    raw = ctx.path.read_bytes()
    if not raw.startswith(b"stop_id"):
        raise InputRejected("not a tiny stops file (no stop_id header)", code="missing_required_field")
    stats = ctx.file("stops.csv")

    def rows():
        reader = csv.reader(io.StringIO(raw.decode("utf-8")))
        next(reader)
        for line_no, rec in enumerate(reader, start=2):
            stats.rows_in += 1
            stop_id, name, lon, lat = rec
            if name == "CRASH":
                raise RuntimeError("simulated internal failure")
            if name == "SLEEP":
                time.sleep(60)
            if not name:
                ctx.reject("stops.csv", line_no, "missing_required_field", "name is empty", ",".join(rec))
                continue
            stats.rows_loaded += 1
            yield (ctx.feed_version_id, line_no, stop_id, name, float(lon), float(lat))

    n = copy_rows(ctx.conn, "staging.tiny_stop", ["feed_version_id", "line_no", "stop_id", "name", "lon", "lat"],
                  rows())
    ctx.count("staging.tiny_stop", n)


def publish(ctx: LoadContext) -> None:
    ctx.conn.execute(
        """WITH ins AS (
             INSERT INTO unified.stop_place (source_id, feed_version_id, namespace, local_id, name, geom)
             SELECT %(source_id)s, feed_version_id, %(namespace)s, stop_id, name,
                    ST_Transform(ST_SetSRID(ST_MakePoint(lon, lat), 4326), 5514)
             FROM staging.tiny_stop WHERE feed_version_id = %(feed_version_id)s
             RETURNING id, local_id)
           INSERT INTO lineage.entity_source (unified_table, unified_id, feed_version_id, source_file, source_line,
                                              source_key, load_run_id)
           SELECT 'unified.stop_place', ins.id, %(feed_version_id)s, 'stops.csv', s.line_no, s.stop_id, %(load_run_id)s
           FROM ins JOIN staging.tiny_stop s ON s.stop_id = ins.local_id AND s.feed_version_id = %(feed_version_id)s""",
        ctx.params,
    )
