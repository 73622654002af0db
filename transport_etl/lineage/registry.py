"""Writing lineage.source and lineage.load_run."""

from __future__ import annotations

import json

import psycopg

from transport_etl.catalog import Source


def register_source(conn: psycopg.Connection, source: Source) -> None:
    """Insert or refresh the catalog entry of a source (idempotent)."""
    conn.execute(
        """INSERT INTO lineage.source (id, family, format, owner, location, crs, encoding, schedule, description, options,
                                      region)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (id) DO UPDATE SET family = EXCLUDED.family, format = EXCLUDED.format, region = EXCLUDED.region,
               owner = EXCLUDED.owner, location = EXCLUDED.location, crs = EXCLUDED.crs,
               encoding = EXCLUDED.encoding, schedule = EXCLUDED.schedule,
               description = EXCLUDED.description, options = EXCLUDED.options, updated_at = now()
           WHERE (lineage.source.family, lineage.source.format, lineage.source.owner, lineage.source.location,
                  lineage.source.crs, lineage.source.encoding, lineage.source.schedule,
                  lineage.source.description, lineage.source.options, lineage.source.region)
             IS DISTINCT FROM (EXCLUDED.family, EXCLUDED.format, EXCLUDED.owner, EXCLUDED.location,
                  EXCLUDED.crs, EXCLUDED.encoding, EXCLUDED.schedule, EXCLUDED.description, EXCLUDED.options,
                  EXCLUDED.region)""",
        (source.id, source.family, source.format, source.owner, source.location, source.crs, source.encoding,
         source.schedule, source.description, json.dumps(source.options), source.region),
    )


def start_run(conn: psycopg.Connection, run_id: str, run_kind: str, source_id: str, asset_key: str | None) -> int:
    return conn.execute(
        """INSERT INTO lineage.load_run (run_id, run_kind, source_id, asset_key) VALUES (%s, %s, %s, %s)
           RETURNING id""",
        (run_id, run_kind, source_id, asset_key),
    ).fetchone()[0]


def finish_run(
    conn: psycopg.Connection,
    load_run_id: int,
    outcome: str,
    feed_version_id: int | None = None,
    rows_in: int = 0,
    rows_loaded: int = 0,
    rows_rejected: int = 0,
    message: str | None = None,
) -> None:
    conn.execute(
        """UPDATE lineage.load_run SET outcome = %s, feed_version_id = %s, rows_in = %s, rows_loaded = %s,
               rows_rejected = %s, message = %s, finished_at = now() WHERE id = %s""",
        (outcome, feed_version_id, rows_in, rows_loaded, rows_rejected, message, load_run_id),
    )
