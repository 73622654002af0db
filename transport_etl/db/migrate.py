"""Ordered, append-only migrations from schemas/*.sql, tracked in lineage.schema_migration.

The one migration model (see docs/migrations.md): a file, once applied anywhere, never changes. A
change to the schema is a new file with the next number. `upgrade` refuses a database on which an
applied file has changed since, naming the file, instead of guessing whether re-running it is safe.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from pathlib import Path

import psycopg

from transport_etl.errors import ConfigError

SCHEMAS_DIR = Path(__file__).resolve().parents[2] / "schemas"
_LOCK_KEY = 0x7E7A_11  # advisory lock: two processes never migrate at once


@dataclass(frozen=True)
class Migration:
    version: str
    path: Path

    @property
    def sha256(self) -> str:
        return hashlib.sha256(self.path.read_bytes()).hexdigest()


def available(schemas_dir: Path = SCHEMAS_DIR) -> list[Migration]:
    """Migration files in apply order: NNN_name.sql sorted by name."""
    return [Migration(p.stem, p) for p in sorted(schemas_dir.glob("[0-9][0-9][0-9]_*.sql"))]


def _ensure_table(conn: psycopg.Connection) -> None:
    conn.execute("CREATE SCHEMA IF NOT EXISTS lineage")
    conn.execute(
        """CREATE TABLE IF NOT EXISTS lineage.schema_migration (
               version text PRIMARY KEY, sha256 text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now())"""
    )
    conn.execute(
        "COMMENT ON TABLE lineage.schema_migration IS 'Migrations applied from schemas/*.sql (version = file stem).';"
        "COMMENT ON COLUMN lineage.schema_migration.version IS 'Migration file stem, e.g. 002_unified.';"
        "COMMENT ON COLUMN lineage.schema_migration.sha256 IS 'Checksum of the file as applied.';"
        "COMMENT ON COLUMN lineage.schema_migration.applied_at IS 'When it was applied.'"
    )


def applied(conn: psycopg.Connection) -> dict[str, str]:
    """version → sha256 of the migrations applied so far (empty if none)."""
    exists = conn.execute("SELECT to_regclass('lineage.schema_migration') IS NOT NULL").fetchone()[0]
    if not exists:
        return {}
    return dict(conn.execute("SELECT version, sha256 FROM lineage.schema_migration").fetchall())


def upgrade(conn: psycopg.Connection, schemas_dir: Path = SCHEMAS_DIR, log=print) -> list[str]:
    """Apply the pending migrations, each in its own transaction; returns the versions applied.

    Refuses (ConfigError, nothing applied) when a file that was applied has changed since.
    """
    done: list[str] = []
    with conn.transaction():
        conn.execute("SELECT pg_advisory_xact_lock(%s)", (_LOCK_KEY,))
        _ensure_table(conn)
        have = applied(conn)
        files = available(schemas_dir)
        changed = [m.version for m in files if m.version in have and have[m.version] != m.sha256]
        if changed:
            raise ConfigError(
                f"migration {', '.join(changed)} changed after it was applied to this database; migrations are "
                "append-only: restore the file (git checkout schemas/) and put the change in a new numbered file")
        for m in files:
            digest = m.sha256
            if have.get(m.version) == digest:
                continue
            with conn.transaction():
                conn.execute(m.path.read_text(encoding="utf-8"))
                conn.execute(
                    "INSERT INTO lineage.schema_migration (version, sha256) VALUES (%s, %s)",
                    (m.version, digest),
                )
            log(f"applied migration {m.version}")
            done.append(m.version)
    return done


def status(conn: psycopg.Connection, schemas_dir: Path = SCHEMAS_DIR) -> list[tuple[str, str]]:
    """(version, state) per migration file: applied, pending or changed."""
    have = applied(conn)
    out = []
    for m in available(schemas_dir):
        if m.version not in have:
            out.append((m.version, "pending"))
        elif have[m.version] != m.sha256:
            out.append((m.version, "changed"))
        else:
            out.append((m.version, "applied"))
    return out


def require_schema(conn: psycopg.Connection) -> None:
    """Refuse, in one line, to work on a database without the transport_etl schema (a new empty
    database): the operator runs `transport-etl db setup` once, deliberately, against the right
    database, rather than a typo in TRANSPORT_ETL_DATABASE_URL silently creating a new platform."""
    if conn.execute("SELECT to_regclass('lineage.source') IS NULL").fetchone()[0]:
        from transport_etl.errors import ConfigError

        db = conn.info.dbname
        raise ConfigError(f"database {db} has no transport_etl schema: run `transport-etl db setup` first")
