"""Harmonisation across sources."""
