"""Locate ALERT-C-referenced road events through the current ALERT-C location table (called by the
datex2 publish before the generic locator)."""

from __future__ import annotations

from pathlib import Path

from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent
# As for point-located events: a table point farther than this from the road's links is not trusted.
DEFAULT_ALERTC_TOLERANCE_M = 5.0


def locate_alertc_events(ctx: LoadContext) -> None:
    """Give this version's ALERT-C-only staged events start/end points on the road network, or the
    reason they cannot have them (staging attributes.alertc_unresolved)."""
    ctx.run_sql_file(HERE / "alertc_resolve.sql", {
        "table_source": ctx.options.get("location_table_source"),
        "network_source": ctx.options.get("network_source"),
        "tolerance": float(ctx.options.get("alertc_tolerance_m", DEFAULT_ALERTC_TOLERANCE_M)),
    })
    for table, n in ctx.conn.execute("SELECT tbl, n FROM _alertc_counts").fetchall():
        ctx.count(table, n)
    ctx.conn.execute("DROP TABLE _alertc_counts")
