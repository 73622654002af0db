"""GBFS feeds beyond stations (1.x–3.x): geofencing_zones (GeoJSON polygons with rules) and
system_pricing_plans → staging, then unified.bike_geofencing_zone / bike_pricing_plan /
bike_vehicle_type (publish_extras.sql). Localised v3 strings ([{text, language}]) give their first text."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from transport_etl.formats.gbfs import reader
from transport_etl.formats.gbfs.discovery import Discovery
from transport_etl.ingest.context import LoadContext

HERE = Path(__file__).parent
POLYGONS = ("Polygon", "MultiPolygon")


def geofencing_zones(doc: dict[str, Any], location: str) -> Iterator[dict[str, Any] | reader.Problem]:
    """data.geofencing_zones (a FeatureCollection) → zone rows; features without a polygon are Problems."""
    fc = doc["data"].get("geofencing_zones")
    feats = fc.get("features") if isinstance(fc, dict) else None
    if not isinstance(feats, list):
        yield reader.Problem(-1, "invalid_gbfs", "data.geofencing_zones is not a FeatureCollection", reader._raw(fc))
        return
    for i, f in enumerate(feats):
        geom = f.get("geometry") if isinstance(f, dict) else None
        if not isinstance(geom, dict) or geom.get("type") not in POLYGONS or not geom.get("coordinates"):
            yield reader.Problem(i, "invalid_geometry", f"zone {i}: geometry is not a (Multi)Polygon",
                                 reader._raw(f)[:2000])
            continue
        props = f.get("properties") or {}
        yield {"json_index": i, "name": reader._text(props.get("name")),
               "starts_at": reader.lenient_timestamp(props.get("start")), "ends_at": reader.lenient_timestamp(props.get("end")),
               "rules": props.get("rules") if isinstance(props.get("rules"), list) else None, "geojson": geom}


def pricing_plans(doc: dict[str, Any], location: str) -> Iterator[dict[str, Any] | reader.Problem]:
    for i, p in enumerate(reader._list(doc, "plans", location)):
        if not isinstance(p, dict) or not reader._text(p.get("plan_id")):
            yield reader.Problem(i, "missing_required_field", "plan without plan_id", reader._raw(p))
            continue
        try:
            price = float(p["price"]) if p.get("price") is not None else None
        except (TypeError, ValueError):
            yield reader.Problem(i, "invalid_price", f"plan {p['plan_id']}: price {p.get('price')!r} is not a number",
                                 reader._raw(p))
            continue
        yield {"json_index": i, "plan_id": reader._text(p["plan_id"]), "name": reader._text(p.get("name")),
               "currency": reader._text(p.get("currency")), "price": price,
               "is_taxable": reader._bool(p.get("is_taxable")), "description": reader._text(p.get("description")),
               "raw": p}


def load_extras(ctx: LoadContext, disc: Discovery, read: Callable[[str], dict], name_of: Callable[[str], str]) -> None:
    """Stage geofencing zones and pricing plans when the system publishes them."""
    fv = ctx.feed_version_id
    specs = (
        ("geofencing_zones", geofencing_zones, "staging.gbfs_geofencing_zone",
         ["feed_version_id", "source_file", "json_index", "name", "starts_at", "ends_at", "rules", "geojson"],
         lambda n, r: (fv, n, r["json_index"], r["name"], r["starts_at"], r["ends_at"], _json(r["rules"]),
                       _json(r["geojson"]))),
        ("system_pricing_plans", pricing_plans, "staging.gbfs_pricing_plan",
         ["feed_version_id", "source_file", "json_index", "plan_id", "name", "currency", "price", "is_taxable",
          "description", "raw"],
         lambda n, r: (fv, n, r["json_index"], r["plan_id"], r["name"], r["currency"], r["price"], r["is_taxable"],
                       r["description"], _json(r["raw"]))),
    )
    for feed, parse, table, cols, row in specs:
        loc = disc.feed(feed)
        if not loc:
            continue
        name = name_of(loc)
        doc = read(loc)
        stats = ctx.file(name)

        def rows(parse=parse, loc=loc, doc=doc, name=name, stats=stats, row=row, feed=feed):
            for item in parse(doc, loc):
                stats.rows_in += 1
                if isinstance(item, reader.Problem):
                    ctx.reject(name, None, item.code, f"{feed}[{item.index}]: {item.message}", item.raw)
                    continue
                stats.rows_loaded += 1
                yield row(name, item)

        ctx.count(table, ctx.copy_rows(table, cols, rows()))


def publish_extras(ctx: LoadContext) -> None:
    ctx.run_sql_file(HERE / "publish_extras.sql")
    for table, n in ctx.conn.execute("SELECT tbl, n FROM _gbfs_extra_counts").fetchall():
        ctx.count(table, n)
    ctx.conn.execute("DROP TABLE _gbfs_extra_counts")


def _json(value: Any) -> str | None:
    return None if value is None else json.dumps(value, ensure_ascii=False)
