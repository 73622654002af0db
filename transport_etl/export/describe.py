"""Describe a written GTFS feed with gtfs-kit, as a consumer would read it (agencies, routes, trips,
service span, trips on the busiest day): the summary printed after an export and, later, the numbers
in open-data release notes."""

from __future__ import annotations

from pathlib import Path
from typing import Any


def describe_gtfs(path: Path) -> dict[str, Any]:
    """gtfs-kit's own description of the feed at ``path`` (zip or folder), as plain values."""
    import gtfs_kit as gk

    feed = gk.read_feed(path, dist_units="km")
    table = feed.describe()
    out: dict[str, Any] = {}
    for indicator, value in zip(table["indicator"], table["value"], strict=True):
        if isinstance(value, int | float | str) or value is None:
            out[str(indicator)] = value.item() if hasattr(value, "item") else value
    return out
