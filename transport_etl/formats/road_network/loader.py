"""Format road-network: any OGR layer of road sections → staging.road_link → unified transport_link
and transport_node (network 'road'), versioned per link identity (namespace + section id)."""

from __future__ import annotations

from pathlib import Path

from transport_etl.crs import region_bbox
from transport_etl.errors import InputRejected
from transport_etl.formats.road_network.reader import STAGING_COLUMNS, Rejected, open_layer, read_sections
from transport_etl.ingest.context import LoadContext
from transport_etl.roads import events

HERE = Path(__file__).resolve().parent
DEFAULT_SNAP_TOLERANCE_M = 1.0


def load(ctx: LoadContext) -> None:
    where = {"file": ctx.path.name}  # the input until the layer's own file is known

    def warn(code: str, message: str) -> None:
        ctx.notice(code, "INFO" if code == "encoding_overridden" else "WARNING", message, file_name=where["file"])

    info, encoding = open_layer(ctx.path, ctx.options, ctx.source.encoding, warn)
    where["file"] = info.file_name
    if info.geometry_type and "Line" not in info.geometry_type and info.geometry_type != "Unknown":
        raise InputRejected(f"{info.file_name}: layer geometry is {info.geometry_type}, not lines",
                            code="wrong_geometry_type")
    stats = ctx.file(info.file_name)
    ctx.log(f"[{ctx.source.id}] reading {info.file_name} ({info.driver}, {info.features} features, CRS {info.crs})")

    def rows():
        for item in read_sections(info, encoding, ctx.source.crs, ctx.options, region_bbox(dict(ctx.options)),
                                  ctx.feed_version_id, warn=warn):
            stats.rows_in += 1
            if isinstance(item, Rejected):
                ctx.reject(info.file_name, item.line_no, item.code, item.message, item.raw)
                continue
            stats.rows_loaded += 1
            yield item

    n = ctx.copy_rows("staging.road_link", STAGING_COLUMNS, rows())
    ctx.count("staging.road_link", n)
    if n == 0:
        raise InputRejected(f"{info.file_name}: no loadable road sections ({stats.rows_in} features read)",
                            code="empty_input")


def publish(ctx: LoadContext) -> None:
    tol = float(ctx.options.get("snap_tolerance_m", DEFAULT_SNAP_TOLERANCE_M))
    valid_from = ctx.options.get("valid_from")
    ctx.run_sql_file(HERE / "publish_network.sql", {"snap_tolerance": tol, "valid_from": valid_from})
    for table, n in ctx.conn.execute("SELECT tbl, n FROM _road_publish_counts").fetchall():
        ctx.count(table, n)
    ctx.conn.execute("DROP TABLE _road_publish_counts")
    # Events located on this network must follow it to the new link rows before the old ones close.
    events.relocate_on_network(ctx)
