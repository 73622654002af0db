"""Database access: connection, migrations, COPY helpers."""

from transport_etl.db.connection import connect, database_url

__all__ = ["connect", "database_url"]
