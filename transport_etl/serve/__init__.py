"""The public face of the model: OGC API – Features and vector tiles of the gis schema (tipg), the web
map at /map and its small JSON API, in one ASGI app started by `transport-etl serve`."""
