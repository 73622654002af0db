"""ŘSD closure GeoJSON and traffic census loads, located/joined on the current road network."""

from __future__ import annotations

import json

import pytest
from pyproj import Transformer

from tests.integration.test_road_network import (
    X0,
    Y0,
    i13_sections,
    ii261_sections,
    load_network,
    write_layer,
)
from transport_etl.ingest.run import ingest

TO_WGS = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)


@pytest.fixture
def network(tmp_path, db_url, make_source):
    path = write_layer(tmp_path / "net.gpkg", i13_sections() + ii261_sections())
    assert load_network(make_source, db_url, path).outcome == "loaded"


def _feature(props, coords=None):
    geom = None if coords is None else {"type": "LineString", "coordinates": [TO_WGS.transform(*c) for c in coords]}
    return {"type": "Feature", "properties": props, "geometry": geom}


def test_closure_geojson_by_road_id_and_by_geometry(tmp_path, db_url, conn, make_source, network):
    base = {"RN": "I/13", "ChainageFrom": 12.3, "ChainageTo": 13.1, "ValidFrom": 1714543200000,
            "ValidTo": 1719763200000, "ddrType": "CURRENT", "Description": "úplná uzavírka",
            "LocalityDesc": "Řehlovice"}
    fc = {"type": "FeatureCollection", "features": [
        _feature({**base, "OBJECTID": 1, "ROAD_ID": "1002"}),
        _feature({**base, "OBJECTID": 2, "ROAD_ID": "99999"}, [(X0 + 2100, Y0 - 2), (X0 + 2400, Y0 - 8)]),
        _feature({**base, "OBJECTID": 3, "ROAD_ID": None, "RN": "III/25840"}),
    ]}
    path = tmp_path / "uzavirky.geojson"
    path.write_text(json.dumps(fc, ensure_ascii=False), encoding="utf-8")
    res = ingest(make_source("road-closures", id="road-ddr", family="road", max_reject_ratio=0.5), path,
                 database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    rows = {r[0]: r[1:] for r in conn.execute(
        """SELECT e.local_id, e.location_status, t.local_id, round(l.from_measure_m), round(l.to_measure_m),
                  l.method, e.status, e.starts_at = '2024-05-01T06:00:00+00'::timestamptz, e.comment
           FROM unified.road_event e LEFT JOIN unified.road_event_location l ON l.road_event_id = e.id
           LEFT JOIN unified.transport_link t ON t.id = l.transport_link_id""")}
    assert rows["1"][:6] == ("located", "1002", 0, 1000, "section_id", "active")
    assert rows["1"][6] is True and rows["1"][7] == "Řehlovice – úplná uzavírka"
    # Unknown ROAD_ID: located by its geometry on I/13 instead.
    assert rows["2"][:5] == ("located", "1003", 100, 400, "projection")
    # No ROAD_ID and no geometry: quarantined, not silently dropped.
    assert "3" not in rows
    assert conn.execute("SELECT reason_code FROM lineage.rejected_record").fetchall() == [("missing_location",)]


def test_census_csv_joined_to_links(tmp_path, db_url, conn, make_source, network):
    csv = tmp_path / "csd.csv"
    csv.write_text(
        "PSILNICE;PKOD_R;ROK;O;LN;SN;SNP;TN;TNP;NSN;A;AK;TR;TRP;M;SV;WKT\n"
        f"13;4-0470;2020;9000;300;100;20;50;30;400;60;10;5;5;80;10060;LINESTRING({X0 + 50} {Y0 + 1},{X0 + 950} {Y0 + 1})\n"
        f"261;4-1234;2020;2000;50;10;;;;;20;;;;15;2095;LINESTRING({X0 + 1000} {Y0 + 900},{X0 + 1090} {Y0 + 1500})\n"
        "30;4-0999;2020;5000;;;;;;;;;;;;5000;\n"
        "13;4-0471;2020;abc;;;;;;;;;;;;;\n",
        encoding="cp1250")
    src = make_source("traffic-census", id="road-csd", family="road", max_reject_ratio=0.5)
    src = type(src)(**{**src.__dict__, "encoding": "cp1250"})
    res = ingest(src, csv, database_url=db_url, run_kind="test", log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    rows = {r[0]: r[1:] for r in conn.execute(
        """SELECT c.local_id, c.road_number, t.local_id, c.light_vehicles, c.heavy_vehicles, c.motorcycles,
                  c.total_vehicles, c.census_year
           FROM unified.traffic_count c LEFT JOIN unified.transport_link t ON t.id = c.transport_link_id""")}
    assert rows["4-0470"] == ("I/13", "1001", 9000, 980, 80, 10060, 2020)
    assert rows["4-1234"][:2] == ("II/261", "2002")
    assert rows["4-0999"][1] is None
    assert conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record").fetchall() == [(5, "invalid_value")]
    assert res.notices == {"traffic_count_unjoined (INFO)": 1}
