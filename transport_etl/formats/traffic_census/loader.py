"""Format traffic-census: ŘSD census sections (CSV export or OGR layer) → staging.traffic_census →
unified.traffic_count joined to the current road network's transport_link."""

from __future__ import annotations

import json
from pathlib import Path

import shapely

from transport_etl.boundaries import Limits
from transport_etl.crs import resolve_crs, transformer_to_5514
from transport_etl.formats.traffic_census.reader import (
    COLUMNS,
    DEFAULT_FIELDS,
    Bad,
    census_values,
    iter_csv,
    staging_row,
    wkt_geometry,
)
from transport_etl.ingest.context import LoadContext
from transport_etl.roads import ogr
from transport_etl.roads.geometry import refused_geometry
from transport_etl.roads.layer_text import choose_encoding

HERE = Path(__file__).resolve().parent
DEFAULT_JOIN_TOLERANCE_M = 30.0


def _csv_file(path: Path) -> Path | None:
    if path.is_file() and path.suffix.lower() in (".csv", ".txt"):
        return path
    if path.is_dir():
        found = sorted(path.glob("*.csv"))
        return found[0] if len(found) == 1 else None
    return None


def load(ctx: LoadContext) -> None:
    fields = {**DEFAULT_FIELDS, **(ctx.options.get("attributes") or {})}
    year = ctx.options.get("census_year")
    year = int(year) if year is not None else None
    csv_path = _csv_file(ctx.path)
    if csv_path is not None:
        file_name = csv_path.name
        crs, _w = resolve_crs(None, ctx.source.crs or "EPSG:5514")
        reproject = transformer_to_5514(crs)
        records = ((line, props, None) for line, props in iter_csv(csv_path, ctx.source.encoding or "utf-8", ctx))
    else:
        info = ogr.layer_info(ctx.path, ctx.options.get("layer"), limits=Limits.of(ctx.options))
        file_name = info.file_name
        crs, notes = ogr.layer_crs(info, ctx.source.crs)

        def warn(code: str, message: str) -> None:
            ctx.notice(code, "INFO" if code == "encoding_overridden" else "WARNING", message, file_name=file_name)

        for code, message in notes:
            warn(code, message)
        reproject = transformer_to_5514(crs)
        enc = choose_encoding(info, ctx.source.encoding, warn) if info.driver in ogr.SHAPEFILE_DRIVERS else None
        records = ogr.iter_features(info, encoding=enc)
    stats = ctx.file(file_name)
    seen: set[str] = set()

    def rows():
        for line_no, props, wkb in records:
            stats.rows_in += 1
            raw = json.dumps(props, ensure_ascii=False, default=str)
            try:
                v = census_values(props, fields, year)
                if wkb is not None:
                    geom = shapely.force_2d(shapely.from_wkb(wkb))
                    geom = reproject(geom) if reproject is not None else geom
                else:
                    geom = wkt_geometry(props, fields["geometry_wkt"], reproject)
            except Bad as exc:
                ctx.reject(file_name, line_no, exc.code, str(exc), raw)
                continue
            local_id = v["section"] or f"{v['road_number']}#{line_no}"
            refused = refused_geometry(geom, "5514", ctx.options) if geom is not None and not geom.is_empty else None
            if refused is not None:  # NaN, degrees in an S-JTSK column, far away: the counts stay, unplaced
                ctx.notice(refused.note, "WARNING", f"census section {local_id}: geometry not used ({refused.message})",
                           file_name=file_name, line_no=line_no, entity_key=local_id)
                geom = None
            if local_id in seen:
                ctx.notice("duplicate_key", "INFO", f"census section {local_id} repeated; kept as {local_id}#{line_no}",
                           file_name=file_name, line_no=line_no, entity_key=local_id)
                local_id = f"{local_id}#{line_no}"
            seen.add(local_id)
            stats.rows_loaded += 1
            yield staging_row(ctx.feed_version_id, line_no, file_name, local_id, v, props, geom)

    n = ctx.copy_rows("staging.traffic_census", COLUMNS, rows())
    ctx.count("staging.traffic_census", n)


def publish(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish_census.sql", {
        "tolerance": float(ctx.options.get("join_tolerance_m", DEFAULT_JOIN_TOLERANCE_M)),
        "network_source": ctx.options.get("network_source"),
    })
    counts = dict(ctx.conn.execute("SELECT tbl, n FROM _census_counts").fetchall())
    ctx.conn.execute("DROP TABLE _census_counts")
    for table, n in counts.items():
        ctx.count(table, n)
    for local_id, line_no, file_name, reason in ctx.conn.execute(
            "SELECT local_id, line_no, source_file, reason FROM _census_unjoined ORDER BY line_no").fetchall():
        ctx.notice("traffic_count_unjoined", "INFO", reason, file_name=file_name, line_no=line_no,
                   entity_key=local_id)
    ctx.conn.execute("DROP TABLE _census_unjoined")
