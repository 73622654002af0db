"""The source register: lineage.source rows are written here and nowhere else.

A source is registered when a load of it publishes, when a catalog source is loaded or polled,
or when an operator adds it deliberately (`transport-etl sources add`). Removing it retires its
current rows and keeps its lineage (`retire_source`)."""

from __future__ import annotations

import json

import psycopg
from psycopg import sql

from transport_etl.catalog import Source
from transport_etl.db.model import children_first, of_source
from transport_etl.lineage import ledger


def register_source(conn: psycopg.Connection, source: Source) -> None:
    """Insert or refresh the catalog entry of a source (idempotent); a retired source comes back."""
    conn.execute(
        """INSERT INTO lineage.source (id, family, format, owner, location, crs, encoding, schedule, description, options,
                                      region)
           VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s)
           ON CONFLICT (id) DO UPDATE SET family = EXCLUDED.family, format = EXCLUDED.format, region = EXCLUDED.region,
               owner = EXCLUDED.owner, location = EXCLUDED.location, crs = EXCLUDED.crs,
               encoding = EXCLUDED.encoding, schedule = EXCLUDED.schedule,
               description = EXCLUDED.description, options = EXCLUDED.options, updated_at = now(),
               retired_at = NULL
           WHERE (lineage.source.family, lineage.source.format, lineage.source.owner, lineage.source.location,
                  lineage.source.crs, lineage.source.encoding, lineage.source.schedule,
                  lineage.source.description, lineage.source.options, lineage.source.region,
                  lineage.source.retired_at)
             IS DISTINCT FROM (EXCLUDED.family, EXCLUDED.format, EXCLUDED.owner, EXCLUDED.location,
                  EXCLUDED.crs, EXCLUDED.encoding, EXCLUDED.schedule, EXCLUDED.description, EXCLUDED.options,
                  EXCLUDED.region, NULL::timestamptz)""",
        (source.id, source.family, source.format, source.owner, source.location, source.crs, source.encoding,
         source.schedule, source.description, json.dumps(source.options), source.region),
    )


def is_registered(conn: psycopg.Connection, source_id: str) -> bool:
    return conn.execute("SELECT EXISTS (SELECT 1 FROM lineage.source WHERE id = %s)", (source_id,)).fetchone()[0]


def retire_source(conn: psycopg.Connection, source_id: str, unified_tables: tuple[str, ...]) -> dict[str, int]:
    """Close the source's current unified rows (recorded_to = now()) and mark it retired; feed
    versions, runs and evidence stay. Returns rows retired per table. Caller owns the transaction."""
    retired: dict[str, int] = {}
    for table in children_first(unified_tables):
        n = conn.execute(
            sql.SQL("UPDATE unified.{} u SET recorded_to = now() WHERE {} AND u.recorded_to IS NULL")
            .format(sql.Identifier(table), of_source(table)), {"src": source_id},
        ).rowcount
        if n:
            retired[table] = n
    ledger.retire_current(conn, source_id)
    conn.execute("UPDATE lineage.source SET retired_at = now(), updated_at = now() WHERE id = %s", (source_id,))
    return retired
