"""`transport-etl serve`: OGC API – Features, vector tiles and the web map on one port."""

from __future__ import annotations

import argparse


def cmd_serve(args: argparse.Namespace) -> int:
    import psycopg
    import uvicorn
    from psycopg.conninfo import conninfo_to_dict

    from transport_etl.db.connection import connect_read
    from transport_etl.db.gis_access import PASSWORD_ENV, URL_ENV
    from transport_etl.db.migrate import require_schema
    from transport_etl.errors import ConfigError
    from transport_etl.serve.app import create_app, server_url
    from transport_etl.serve.web import NOT_BUILT, is_built

    with connect_read() as conn:  # one clear line for a database without the schema
        require_schema(conn)
    try:  # and for a GIS login the server cannot use, before uvicorn starts
        psycopg.connect(server_url(), connect_timeout=10).close()
    except psycopg.OperationalError as exc:
        first = (str(exc).strip().splitlines() or [repr(exc)])[0]
        raise ConfigError(f"cannot connect as the GIS role ({first}): set {PASSWORD_ENV} (then "
                          f"`transport-etl db setup`) or {URL_ENV}") from exc
    base = f"http://{args.host}:{args.port}"
    user = conninfo_to_dict(server_url()).get("user", "the GIS role")
    print(f"OGC API – Features and Tiles: {base}/collections (reading as {user})")
    print(f"web map: {base}/map/" + ("" if is_built() else f"  — {NOT_BUILT.strip()}"))
    uvicorn.run(create_app(), host=args.host, port=args.port, log_level=args.log_level, timeout_graceful_shutdown=3)
    return 0


def add_parser(sub) -> None:
    s = sub.add_parser("serve", help="OGC API – Features, vector tiles of the gis layers and the web map (/map)")
    s.add_argument("--host", default="127.0.0.1", help="address to listen on (default 127.0.0.1)")
    s.add_argument("--port", type=int, default=8000, help="port (default 8000)")
    s.add_argument("--log-level", default="warning", choices=["critical", "error", "warning", "info", "debug"])
    s.set_defaults(func=cmd_serve)
