"""Provenance: sources, feed versions, load runs, and the records behind unified rows."""
