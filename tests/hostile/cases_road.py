"""Hostile cases of the road formats (census, DATEX II, closures) found by the road fuzzing campaign: files no
reader counts a record of, times and section orders that are no values, coordinates the position rule
refuses, Z/M geometry. Built from the demo's own files (damage.py)."""

from __future__ import annotations

import copy
import json
import re
from pathlib import Path

from tests.hostile.damage import Case, Demo, datex_edit, file_copy

DATEX, CLOSURES, CENSUS = "road-ndic-datex2", "road-rsd-closures", "road-rsd-census"
POSITION, DOMAIN, FAILURE = "position", "domain", "failure"
DATEX_FILE, CLOSURES_FILE, CENSUS_FILE = "ndic_datex2_situace.xml", "rsd_uzavirky.geojson", "csd_2020_ustecky.csv"
FIRST_START = "2025-03-01T06:00:00+01:00"  # the demo's first situationRecord's overallStartTime
# one bad record of the demo's three is a third of the publication: the cases are about the record
DATEX_OPTIONS = {"max_reject_ratio": 0.5}
PDF = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<< /Type /Catalog >>\nendobj\n" + bytes(range(128, 256)) * 50


def _closures_with(**changes: object) -> object:
    """The demo closures plus a second feature: a copy of the first with ``changes`` (``geometry`` replaces
    the geometry, the rest are properties); written as JSON that may hold NaN."""
    def build(demo: Demo, tmp: Path) -> str:
        doc = json.loads(demo.path(CLOSURES).read_text(encoding="utf-8"))
        feat = copy.deepcopy(doc["features"][0])
        feat["properties"]["OBJECTID"] = 502
        for key, value in changes.items():
            if key == "geometry":
                feat["geometry"] = value
            else:
                feat["properties"][key] = value
        doc["features"].append(feat)
        out = tmp / CLOSURES_FILE
        out.write_text(json.dumps(doc), encoding="utf-8")
        return str(out)
    return build


def _census_wkt(edit) -> object:
    """The demo census with the first record's WKT transformed by ``edit``."""
    def change(data: bytes, _demo: Demo) -> bytes:
        lines = data.decode("cp1250").split("\n")
        lines[1] = re.sub(r"LINESTRING\(.*\)", lambda m: edit(m.group(0)), lines[1])
        return "\n".join(lines).encode("cp1250")
    return file_copy(CENSUS, change)


SJTSK_LINE = {"type": "LineString", "coordinates": [[-757000.0, -985000.0], [-757300.0, -984600.0]]}
NAN_LINE = {"type": "LineString", "coordinates": [[float("nan"), 50.6], [14.0, float("inf")]]}

ROAD_CASES = [
    # --- files no reader counts a record of: refused, never published as an empty version --------------------
    Case("census_binary_file", FAILURE, CENSUS, file_copy(CENSUS, lambda _d, _x: bytes(range(256)) * 100), "rejected",
         r"every record rejected \((\d+) of \1\)", cli=True),
    Case("census_pdf_file", FAILURE, CENSUS, file_copy(CENSUS, lambda _d, _x: PDF), "rejected",
         r"every record rejected \((\d+) of \1\)"),
    # --- DATEX II values --------------------------------------------------------------------------------------
    Case("datex_impossible_date", DOMAIN, DATEX, datex_edit(lambda t: t.replace(FIRST_START, "2025-02-30T06:00:00+01:00")),
         "loaded", reject=(DATEX_FILE, None, "invalid_time"), options=DATEX_OPTIONS, cli=True),
    Case("datex_words_as_time", DOMAIN, DATEX, datex_edit(lambda t: t.replace(FIRST_START, "zítra ráno")), "loaded",
         reject=(DATEX_FILE, None, "invalid_time"), options=DATEX_OPTIONS),
    Case("datex_time_without_zone", DOMAIN, DATEX, datex_edit(lambda t: t.replace(FIRST_START, "2025-03-01T06:00:00")),
         "loaded", notice=("time_without_zone", DATEX_FILE, None)),
    Case("datex_order_of_section_decimal", DOMAIN, DATEX, datex_edit(
        lambda t: t.replace("<orderOfSection>2</orderOfSection>", "<orderOfSection>2.0</orderOfSection>")), "loaded",
         cli=True),
    # --- closures: coordinates the position rule refuses, times and chainage that are no values ---------------
    Case("closures_nan_coordinates", POSITION, CLOSURES, _closures_with(ROAD_ID=None, geometry=NAN_LINE), "loaded",
         reject=(CLOSURES_FILE, None, "invalid_geometry"), options={"max_reject_ratio": 0.5}, cli=True),
    Case("closures_sjtsk_without_crs_member", POSITION, CLOSURES, _closures_with(ROAD_ID=None, geometry=SJTSK_LINE),
         "loaded", reject=(CLOSURES_FILE, None, "invalid_geometry"), options={"max_reject_ratio": 0.5}),
    Case("closures_sjtsk_without_crs_member_by_road_id", POSITION, CLOSURES, _closures_with(geometry=SJTSK_LINE),
         "loaded", notice=("sjtsk_in_wgs84", CLOSURES_FILE, None)),
    Case("closures_validity_in_seconds_and_junk", DOMAIN, CLOSURES, _closures_with(ValidFrom=1746079200, ValidTo="abc"),
         "loaded", notice=("invalid_time", CLOSURES_FILE, None)),
    Case("closures_chainage_as_text", DOMAIN, CLOSURES, _closures_with(ChainageFrom="14,2 km", ChainageTo="x"),
         "loaded", notice=("invalid_value", CLOSURES_FILE, None)),
    # --- census geometry ---------------------------------------------------------------------------------------
    Case("census_wkt_with_z", DOMAIN, CENSUS, _census_wkt(
        lambda w: re.sub(r"(-?\d+\.\d+) (-?\d+\.\d+)", r"\1 \2 250", w.replace("LINESTRING(", "LINESTRING Z("))),
         "loaded", cli=True),
    Case("census_wkt_nan", POSITION, CENSUS, _census_wkt(lambda _w: "LINESTRING(nan nan,1 1)"), "loaded",
         notice=("non_finite_position", CENSUS_FILE, 2), cli=True),
]
