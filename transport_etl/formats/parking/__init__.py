"""Parking facilities and occupancy from CSV or GeoJSON with a configurable column mapping."""
