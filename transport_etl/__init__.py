"""transport_etl: one trusted geospatial transport model for Ústecký kraj."""

__version__ = "0.1.0"
