"""The rail network of a czptt source: transport_node at stations, transport_link either as straight
lines between consecutive positioned stations of the current paths, or from an OGR-readable rail
line layer named by the source option ``rail_layer``."""

from __future__ import annotations

import json
from pathlib import Path

from transport_etl.errors import InputRejected
from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).resolve().parent


def layer_path(ctx: LoadContext) -> Path | None:
    """The configured layer file: absolute, relative to the working folder, or beside the input."""
    value = ctx.options.get("rail_layer")
    if not value:
        return None
    p = Path(str(value))
    for candidate in (p, Path(ctx.path).parent / p, Path(ctx.path) / p):
        if candidate.exists():
            return candidate
    raise InputRejected(f"rail_layer {value} not found", code="missing_input")


def read_layer(ctx: LoadContext) -> None:
    """Copy the rail line layer's features (single LineStrings in EPSG:5514) into staging."""
    path = layer_path(ctx)
    if path is None:
        return
    from transport_etl.gdal_env import gdal_message, pyogrio  # heavy: only when a layer is configured

    try:
        df = pyogrio().read_dataframe(path, layer=ctx.options.get("rail_layer_name"))
    except Exception as exc:  # noqa: BLE001 - any driver error means the layer is unusable
        raise InputRejected(f"rail_layer {path.name} is not readable: {gdal_message(exc, {str(path): path.name})}",
                            code="invalid_layer") from exc
    if df.crs is None:
        crs = ctx.options.get("rail_layer_crs")
        if not crs:
            raise InputRejected(f"rail_layer {path.name} has no CRS; set rail_layer_crs", code="invalid_layer")
        df = df.set_crs(crs)
    df = df.to_crs(5514)
    id_field = ctx.options.get("rail_layer_id_field")
    name_field = ctx.options.get("rail_layer_name_field")
    line_field = ctx.options.get("rail_layer_line_field")
    stats = ctx.file(path.name)
    rows = []
    seen: set[str] = set()
    for fid, feat in df.iterrows():
        stats.rows_in += 1
        geom = feat.geometry
        attrs = {k: (None if v is None or v != v else str(v)) for k, v in feat.items() if k != "geometry"}
        base = str(feat[id_field]) if id_field and feat.get(id_field) is not None else str(fid)
        if base in seen:  # ids must stay unique: they are the links' local ids
            base = f"{base}@{fid}"
        seen.add(base)
        parts = [] if geom is None or geom.is_empty else (
            list(geom.geoms) if geom.geom_type == "MultiLineString" else [geom])
        parts = [g for g in parts if g.geom_type == "LineString" and len(g.coords) >= 2]
        if not parts:
            ctx.reject(path.name, None, "invalid_geometry",
                       f"feature {base}: not a line ({geom.geom_type if geom is not None else 'no geometry'})",
                       json.dumps(attrs, ensure_ascii=False))
            continue
        for i, g in enumerate(parts, start=1):
            rows.append((ctx.feed_version_id, len(rows) + 1, path.name, base if len(parts) == 1 else f"{base}#{i}",
                         attrs.get(name_field) if name_field else None, attrs.get(line_field) if line_field else None,
                         json.dumps(attrs, ensure_ascii=False), f"SRID=5514;{g.wkt}"))
        stats.rows_loaded += 1
    n = ctx.copy_rows("staging.czptt_rail_layer",
                  ["feed_version_id", "feature_no", "source_file", "feature_id", "name", "line_number", "attributes",
                   "geom"], rows)
    ctx.count("staging.czptt_rail_layer", n)


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "network_nodes.sql")
    has_layer = ctx.conn.execute(
        "SELECT EXISTS (SELECT 1 FROM staging.czptt_rail_layer WHERE feed_version_id = %s)", (ctx.feed_version_id,)
    ).fetchone()[0]
    if has_layer:
        ctx.run_sql_file(HERE / "network_layer.sql", {"snap_m": float(ctx.options.get("rail_layer_snap_m", 150))})
    else:
        ctx.run_sql_file(HERE / "network_links.sql")
