"""transport_etl: one trusted geospatial transport model for Ústecký kraj."""

__version__ = "0.1.0"


def __getattr__(name: str):
    # read_layer pulls in geopandas: imported on first use, not with the package.
    if name == "read_layer":
        from transport_etl.layers import read_layer

        return read_layer
    raise AttributeError(f"module 'transport_etl' has no attribute {name!r}")
