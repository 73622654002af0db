"""Registry of loader formats. Each module defines ``load(ctx)`` (parse → staging) and
``publish(ctx)`` (staging → unified), both inside the version's single transaction."""

from __future__ import annotations

import importlib
from types import ModuleType

from transport_etl.errors import ConfigError

# FORMAT name → module implementing it. Modules are imported lazily so that a format's heavy
# dependencies (lxml, pyogrio) load only when it is used.
FORMATS: dict[str, str] = {
    "gtfs": "transport_etl.formats.gtfs.loader",
    "gtfs-rt": "transport_etl.formats.gtfs_rt.loader",
    "gbfs": "transport_etl.formats.gbfs.loader",
    "parking": "transport_etl.formats.parking.loader",
    "jdf": "transport_etl.formats.jdf.loader",
    "stop-register": "transport_etl.formats.stop_register.loader",
    "czptt": "transport_etl.formats.czptt.loader",
    "sr70": "transport_etl.formats.sr70.loader",
    "road-network": "transport_etl.formats.road_network.loader",
    "datex2": "transport_etl.formats.datex2.loader",
    "road-closures": "transport_etl.formats.road_closures.loader",
    "traffic-census": "transport_etl.formats.traffic_census.loader",
    "alertc-location-table": "transport_etl.formats.alertc_location_table.loader",
}


def loader_module(fmt: str) -> ModuleType:
    """The module implementing ``fmt``; a clear error if the format is unknown or not built yet."""
    if fmt not in FORMATS:
        raise ConfigError(f"Unknown format {fmt!r}; known: {', '.join(sorted(FORMATS))}")
    try:
        return importlib.import_module(FORMATS[fmt])
    except ModuleNotFoundError as exc:
        if exc.name and FORMATS[fmt].startswith(exc.name):
            raise ConfigError(f"Format {fmt!r} is not implemented yet in this version of transport_etl") from exc
        raise
