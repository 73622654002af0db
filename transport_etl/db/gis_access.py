"""The GIS staff's way in: the login role `gis_analyst` (member of read-only `gis_reader`), its password,
the default QGIS layer styles, and the connection URL GIS tools and `read_layer` use."""

from __future__ import annotations

import os

import psycopg
from psycopg import sql
from psycopg.conninfo import conninfo_to_dict, make_conninfo

GIS_ROLE = "gis_analyst"
PASSWORD_ENV = "TRANSPORT_ETL_GIS_PASSWORD"
URL_ENV = "TRANSPORT_ETL_GIS_URL"


def apply_gis_access(conn: psycopg.Connection, log=print) -> None:
    """After migrations (`transport-etl db setup`): set the GIS login's password from the environment
    (never stored in git or in a migration) and write the default layer styles for this database."""
    password = os.environ.get(PASSWORD_ENV)
    if password and conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", (GIS_ROLE,)).fetchone():
        conn.execute(sql.SQL("ALTER ROLE {} PASSWORD {}").format(sql.Identifier(GIS_ROLE), sql.Literal(password)))
        log(f"GIS login {GIS_ROLE}: password set from {PASSWORD_ENV}")
    if conn.execute("SELECT to_regprocedure('gis.install_layer_styles()') IS NOT NULL").fetchone()[0]:
        n = conn.execute("SELECT gis.install_layer_styles()").fetchone()[0]
        log(f"QGIS default styles: {n} gis layers")


def gis_url(database_url: str) -> str:
    """The read-only connection of GIS staff: $TRANSPORT_ETL_GIS_URL, else the project database as
    `gis_analyst` (password from $TRANSPORT_ETL_GIS_PASSWORD when set)."""
    explicit = os.environ.get(URL_ENV)
    if explicit:
        return explicit
    params = conninfo_to_dict(database_url)
    params["user"] = GIS_ROLE
    params.pop("password", None)
    if os.environ.get(PASSWORD_ENV):
        params["password"] = os.environ[PASSWORD_ENV]
    return make_conninfo(**params)
