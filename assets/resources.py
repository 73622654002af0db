"""Dagster resources."""

from __future__ import annotations

import dagster as dg

from transport_etl.db.connection import connect


class PostGISResource(dg.ConfigurableResource):
    """The PostGIS database of the unified model (URL from TRANSPORT_ETL_DATABASE_URL via EnvVar)."""

    database_url: str

    def connect(self, autocommit: bool = True):
        return connect(self.database_url, autocommit=autocommit)
