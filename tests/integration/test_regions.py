"""Regions end to end: the catalog's region lands in lineage.source, tags assets, schedule jobs and sensor
runs, and filters gis views for the read-only GIS role."""

from __future__ import annotations

import psycopg
import pytest

from assets.definitions import build_definitions
from tests import synthetic
from transport_etl.catalog import load_catalog
from transport_etl.harmonise.run import unify
from transport_etl.lineage.registry import register_source

pytestmark = pytest.mark.integration

CATALOG = """sources:
  - {id: usti-gtfs, family: municipal, format: gtfs, location: usti.zip, schedule: '0 4 * * *'}
  - {id: kv-gtfs, family: municipal, format: gtfs, location: kv.zip, region: CZ041, schedule: '0 4 * * *'}
  - {id: kv-rail, family: rail, format: sr70, location: sr70.csv, region: CZ041, schedule: '0 5 * * *'}
"""


def test_region_is_stored_tagged_and_filters_gis_views(db_url, conn, tmp_path):
    cat = tmp_path / "sources.yaml"
    cat.write_text(CATALOG, encoding="utf-8")
    sources = load_catalog(cat)
    for s in sources:
        register_source(conn, s)
    assert dict(conn.execute("SELECT id, region FROM lineage.source ORDER BY id").fetchall()) == {
        "kv-gtfs": "CZ041", "kv-rail": "CZ041", "usti-gtfs": "CZ042"}

    defs = build_definitions(cat, database_url=db_url)
    graph = defs.resolve_asset_graph()
    tags = {k.to_user_string(): graph.get(k).tags for k in graph.get_all_asset_keys()}
    assert tags["municipal/kv_gtfs"]["transport_etl/region"] == "CZ041"
    assert tags["municipal/usti_gtfs"]["transport_etl/region"] == "CZ042"
    # schedule jobs are named for what they refresh (family, cadence) and tagged for the run queue's limits
    daily = defs.resolve_job_def("refresh_municipal_daily_0400")
    assert daily.tags.get("transport_etl/family") == "municipal" and "transport_etl/region" not in daily.tags
    assert {k: v for k, v in defs.resolve_job_def("refresh_rail_daily_0500").tags.items()
            if k != "transport_etl/trigger"} == {"transport_etl/family": "rail", "transport_etl/region": "CZ041"}

    # gis views filter by region through gis.in_region, readable by the GIS role (which cannot read lineage).
    synthetic.insert_stops(conn, synthetic.noisy_stops(seed=1))
    unify(db_url, log=lambda _m: None)
    canonical = conn.execute("SELECT count(*) FROM unified.canonical_stop_place").fetchone()[0]
    conn.execute("UPDATE lineage.source SET region = 'CZ041' WHERE id = "
                 "(SELECT source_id FROM unified.stop_place GROUP BY 1 ORDER BY 1 LIMIT 1)")
    # stops on a region border: identity is one resolution over all regions, not one per region
    unify(db_url, log=lambda _m: None)
    assert conn.execute("SELECT count(*) FROM unified.canonical_stop_place").fetchone()[0] == canonical
    with psycopg.connect(db_url) as gis:
        gis.execute("SET ROLE gis_reader")
        per_region = dict(gis.execute(
            "SELECT r.code, (SELECT count(*) FROM gis.stop_place s WHERE gis.in_region(s.source_id, r.code)) "
            "FROM gis.region r").fetchall())
        total = gis.execute("SELECT count(*) FROM gis.stop_place").fetchone()[0]
        assert per_region["CZ041"] > 0 and per_region["CZ042"] > 0
        assert per_region["CZ041"] + per_region["CZ042"] == total and len(per_region) == 14
        with pytest.raises(psycopg.errors.InsufficientPrivilege):
            gis.execute("SELECT region FROM lineage.source")
