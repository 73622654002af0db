"""Pure readers of the road family: road numbers, network layers, closures, census rows, S-JTSK pairs."""

from __future__ import annotations

import json

import geopandas as gpd
import pyogrio
import pytest
import shapely
from shapely.geometry import LineString, MultiLineString, Point

from transport_etl.crs import USTECKY_BBOX, sjtsk_xy
from transport_etl.errors import InputRejected
from transport_etl.formats.road_closures.reader import closure_record
from transport_etl.formats.road_network.reader import Rejected, open_layer, read_sections
from transport_etl.formats.traffic_census.reader import Bad, census_values, iter_csv
from transport_etl.roads.roadnum import normalise

X0, Y0 = -765_000.0, -977_000.0


@pytest.mark.parametrize("raw,category,expected", [
    ("D8", None, ("D8", "D")), ("d 8", None, ("D8", "D")), ("R7", None, ("D7", "D")),
    ("I/13", None, ("I/13", "I")), ("I13", None, ("I/13", "I")), ("i / 13", None, ("I/13", "I")),
    ("II/261", None, ("II/261", "II")), ("III/25840", None, ("III/25840", "III")),
    ("III/0046a", None, ("III/0046a", "III")),
    ("13", None, ("I/13", "I")), ("261", None, ("II/261", "II")), ("25840", None, ("III/25840", "III")),
    ("8", "1", ("D8", "D")), ("13.0", None, ("13.0", None)), ("", None, (None, None)), (None, None, (None, None)),
])
def test_road_number_normalisation(raw, category, expected):
    assert normalise(raw, category) == expected


def test_sjtsk_pairs_in_any_convention():
    assert sjtsk_xy(-760553, -976317) == (-760553, -976317)
    assert sjtsk_xy(760553, 976317) == (-760553, -976317)
    assert sjtsk_xy(976317, 760553) == (-760553, -976317)


def _layer(tmp_path, feats, crs="EPSG:5514", name="net.gpkg", **kw):
    path = tmp_path / name
    pyogrio.write_dataframe(gpd.GeoDataFrame(feats, geometry="geometry", crs=crs), path, **kw)
    return path


def _read(path, options=None, encoding=None, crs=None, bbox=USTECKY_BBOX):
    info, enc = open_layer(path, options or {}, encoding)
    return list(read_sections(info, enc, crs, options or {}, bbox, 1))


def test_shapefile_with_cpg_decodes_cp1250_without_catalog_encoding(tmp_path):
    path = _layer(tmp_path, [{"ROAD_ID": 1, "RN": "I/13", "NAZEV": "Žďárek – Řehlovice",
                              "geometry": LineString([(X0, Y0), (X0 + 100, Y0)])}], name="s.shp", encoding="cp1250")
    assert (tmp_path / "s.cpg").exists()
    (row,) = _read(path)
    assert row[3] == "1" and row[9] == "Žďárek – Řehlovice"


def test_attribute_mapping_from_options(tmp_path):
    path = _layer(tmp_path, [{"USEK": "A-1", "SILNICE": "261", "SMER": 3, "TYP": 4, "JMENO": "Kruhový objezd",
                              "geometry": LineString([(X0, Y0), (X0 + 50, Y0 + 50)])}])
    opts = {"attributes": {"local_id": "usek", "road_number": "SILNICE", "direction": "SMER", "form_of_way": "TYP",
                           "name": "JMENO"}}
    (row,) = _read(path, opts)
    assert row[3:10] == ("A-1", "II/261", "261", "II", "3", "4", "Kruhový objezd")
    assert json.loads(row[10])["USEK"] == "A-1"


def test_multipart_and_foreign_crs(tmp_path):
    from pyproj import Transformer

    t = Transformer.from_crs("EPSG:5514", "EPSG:3035", always_xy=True)
    a = [t.transform(X0, Y0), t.transform(X0 + 100, Y0)]
    b = [t.transform(X0 + 100, Y0), t.transform(X0 + 200, Y0)]
    c = [t.transform(X0 + 500, Y0), t.transform(X0 + 600, Y0)]
    path = _layer(tmp_path, [
        {"ROAD_ID": "1", "RN": "D8", "geometry": MultiLineString([a, b])},      # touching parts: merged
        {"ROAD_ID": "2", "RN": "D8", "geometry": MultiLineString([a, c])},      # disconnected: quarantined
    ], crs="EPSG:3035")
    ok, bad = _read(path)
    geom = shapely.from_wkb(bytes.fromhex(ok[-1]))
    assert geom.geom_type == "LineString"
    assert geom.coords[0] == pytest.approx((X0, Y0), abs=0.01) and geom.length == pytest.approx(200, abs=0.01)
    assert isinstance(bad, Rejected) and bad.code == "multipart_geometry"


def test_layer_without_crs_needs_the_catalog(tmp_path):
    path = _layer(tmp_path, [{"ROAD_ID": "1", "geometry": LineString([(X0, Y0), (X0 + 1, Y0)])}], crs=None,
                  name="n.shp")
    with pytest.raises(InputRejected):
        _read(path)
    assert len(_read(path, crs="EPSG:5514")) == 1


def test_swapped_axes_are_out_of_region(tmp_path):
    # A WGS84 layer written lat/lon but declared 5514 lands at (50, 14): quarantined, not loaded.
    path = _layer(tmp_path, [{"ROAD_ID": "1", "geometry": LineString([(50.6, 14.0), (50.7, 14.1)])}])
    (bad,) = _read(path)
    assert bad.code == "out_of_region"


def test_not_a_layer_is_rejected(tmp_path):
    p = tmp_path / "junk.gpkg"
    p.write_bytes(b"not a geopackage at all")
    with pytest.raises(InputRejected):
        open_layer(p, {}, None)


def test_closure_record_fields():
    props = {"OBJECTID": 7, "ROAD_ID": 1234567, "RN": "II/261", "ChainageFrom": "3,2", "ChainageTo": 4.5,
             "ValidFrom": 1714543200000, "ValidTo": None, "ddrType": "PLANNED", "Description": "Sesuv",
             "AlertC1Desc": "Brná"}
    rec = closure_record(props, LineString([(X0, Y0), (X0 + 10, Y0)]), 1)
    assert rec["local_id"] == "7" and rec["status"] == "planned" and rec["ends_at"] is None
    assert rec["starts_at"] == "2024-05-01T06:00:00+00:00"
    assert rec["sections"][0]["id"] == "1234567" and rec["chainage_from_km"] == 3.2
    assert rec["start_point"] == (X0, Y0) and rec["end_point"] == (X0 + 10, Y0)
    assert rec["raw_location"]["AlertC1Desc"] == "Brná"
    point = closure_record({"RN": "I/13"}, Point(X0, Y0), 2)
    assert point["end_point"] is None and point["sections"] == [] and point["local_id"].startswith("I/13:")
    assert rec["notes"] == []


@pytest.mark.parametrize(("props", "starts", "ends", "cf", "notes"), [
    # epoch seconds are not milliseconds of January 1970; ISO strings are read; junk is said, not dropped
    ({"ValidFrom": 1746079200, "ValidTo": 1830290400}, "2025-05-01T06:00:00+00:00", "2027-12-31T22:00:00+00:00",
     None, []),
    ({"ValidFrom": "2025-05-01T08:00:00+02:00", "ValidTo": "2028-01-01"}, "2025-05-01T08:00:00+02:00",
     "2028-01-01T00:00:00+01:00", None, [("time_without_zone", "ValidTo")]),
    ({"ValidFrom": 1e20, "ValidTo": "abc"}, None, None, None,
     [("invalid_time", "ValidFrom"), ("invalid_time", "ValidTo")]),
    ({"ChainageFrom": "14,2 km", "ChainageTo": "x"}, None, None, 14.2, [("invalid_value", "ChainageTo")]),
    ({"ChainageFrom": "14200 m"}, None, None, 14.2, []),
    ({"ChainageFrom": float("nan")}, None, None, None, [("invalid_value", "ChainageFrom")]),
])
def test_closure_times_and_chainage(props, starts, ends, cf, notes):
    rec = closure_record({"OBJECTID": 1, "ROAD_ID": 5, **props}, None, 2)
    assert (rec["starts_at"], rec["ends_at"], rec["chainage_from_km"]) == (starts, ends, cf)
    assert [(n[0], n[2]) for n in rec["notes"]] == notes
    assert all(len(n[1]) < 200 for n in rec["notes"])


@pytest.mark.parametrize(("geom", "crs", "note"), [
    (LineString([(14.05, 50.52), (14.06, 50.53)]), 4326, None),
    (LineString([(float("nan"), 50.6), (14.0, float("inf"))]), 4326, "non_finite_position"),
    (LineString([(-757000.0, -985000.0), (-757300.0, -984600.0)]), 4326, "sjtsk_in_wgs84"),  # no crs member
    (LineString([(50.52, 14.05), (50.53, 14.06)]), 4326, "lat_lon_swapped"),
    (Point(0, 0), 4326, "point_near_origin"),
    (Point(-74.0, 40.7), 4326, "outside_expected_extent"),
    (LineString([(-757000.0, -985000.0), (-757300.0, -984600.0)]), 5514, None),
    (LineString([(14.05, 50.52), (14.06, 50.53)]), 5514, "wgs84_in_sjtsk"),
    (LineString([(757000.0, 985000.0), (757300.0, 984600.0)]), 5514, "sjtsk_sign_corrected"),  # not flipped
])
def test_closure_geometry_under_the_position_rule(geom, crs, note):
    from pyproj import CRS

    from transport_etl.roads.geometry import crs_kind, refused_geometry

    refused = refused_geometry(geom, crs_kind(CRS.from_epsg(crs)), {})
    assert (refused.note if refused else None) == note


def test_census_values_and_csv(tmp_path):
    fields = {"road_number": "PSILNICE", "section": "PKOD_R", "year": "ROK", "geometry_wkt": "WKT"}
    v = census_values({"PSILNICE": "13", "PKOD_R": "4-0470", "O": "900", "LN": "10", "A": "5", "M": "3",
                       "SV": "918"}, fields, 2020)
    assert (v["road_number"], v["light"], v["heavy"], v["moto"], v["total"], v["year"]) == \
           ("I/13", 900, 15, 3, 918, 2020)
    assert census_values({"PSILNICE": "D8", "O": "10", "M": "1"}, fields, None)["total"] == 11
    with pytest.raises(Bad):
        census_values({"PSILNICE": "13", "O": "-5"}, fields, None)
    with pytest.raises(Bad):
        census_values({"PSILNICE": "", "SV": "5"}, fields, None)
    p = tmp_path / "c.csv"
    p.write_text("PSILNICE,PKOD_R,SV\n13,a,5\n\n261,b,7\n", encoding="cp1250")
    assert list(iter_csv(p, "cp1250")) == [(2, {"PSILNICE": "13", "PKOD_R": "a", "SV": "5"}),
                                           (4, {"PSILNICE": "261", "PKOD_R": "b", "SV": "7"})]
