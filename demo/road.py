"""Demo road data for part of Ústecký kraj: an ŘSD-style road network (zipped Shapefile, CP1250 DBF,
EPSG:5514), an NDIC DATEX II SituationPublication with a closure on I/13 between Chlumec and Krupka
(the corridor of the regional Ústí nad Labem – Teplice bus line) and road works on I/30 near Lovosice,
an ŘSD closure GeoJSON and census counts. Deterministic: the same files every run.

Roads are plausible polylines between real town positions (places.TOWNS), not surveyed alignments.
"""

from __future__ import annotations

import json
import math
from pathlib import Path
from typing import Any

import geopandas as gpd
import pyogrio
import shapely
from pyproj import Transformer
from shapely.geometry import LineString
from shapely.ops import substring

from demo import road_publishers
from demo.archive import zip_folder
from demo.places import TOWNS, to_5514

# Waypoints that are not towns of places.py (approximate WGS84).
EXTRA = {
    "Řehlovice": (50.6080, 14.0560),
    "Petrovice": (50.7890, 13.9770),
    "Velké Žernoseky": (50.5360, 14.0620),
    "Vaňov": (50.6335, 14.0665),
    "Libouchec": (50.7580, 14.0370),
}

# Road number, FW (ŘSD road type), waypoints in order of digitisation.
ROADS: list[tuple[str, str, list[str]]] = [
    ("D8", "1", ["Lovosice", "Řehlovice", "Trmice", "Libouchec", "Petrovice"]),
    ("I/13", "3", ["Děčín", "Ústí nad Labem", "Trmice", "Chlumec", "Krupka", "Teplice", "Bílina", "Most",
                   "Chomutov"]),
    ("I/30", "3", ["Ústí nad Labem", "Vaňov", "Velké Žernoseky", "Lovosice"]),
    ("I/15", "3", ["Most", "Bílina", "Lovosice", "Litoměřice"]),
    ("I/7", "3", ["Chomutov", "Žatec", "Louny"]),
    ("II/261", "3", ["Litoměřice", "Ústí nad Labem", "Děčín"]),
    ("II/613", "3", ["Ústí nad Labem", "Řehlovice", "Teplice"]),
]
MAX_SECTION_M = 3000.0
NETWORK_FILE = "rsd_silnicni_sit_ustecky.zip"
DATEX_FILE = "ndic_datex2_situace.xml"
CLOSURES_FILE = "rsd_uzavirky.geojson"
CENSUS_FILE = "csd_2020_ustecky.csv"


def _xy(name: str) -> tuple[float, float]:
    lat, lon = TOWNS[name] if name in TOWNS else EXTRA[name]
    return to_5514(lat, lon)


def _leg(a: str, b: str, seed: int) -> LineString:
    """A gently curving polyline from town a to town b (sine offset, zero at both ends)."""
    (x1, y1), (x2, y2) = _xy(a), _xy(b)
    d = math.hypot(x2 - x1, y2 - y1)
    n = max(4, int(d // 400))
    amp = min(250.0, d * 0.04) * (1 if seed % 2 else -1)
    nx, ny = -(y2 - y1) / d, (x2 - x1) / d
    pts = []
    for i in range(n + 1):
        t = i / n
        off = amp * math.sin(math.pi * t) * (1 + 0.3 * math.sin(3 * math.pi * t + seed))
        pts.append((round(x1 + t * (x2 - x1) + off * nx, 2), round(y1 + t * (y2 - y1) + off * ny, 2)))
    pts[0], pts[-1] = (round(x1, 2), round(y1, 2)), (round(x2, 2), round(y2, 2))
    return LineString(pts)


def network_sections() -> list[dict[str, Any]]:
    """All sections: ROAD_ID, RN, DF, FW, NAZEV, geometry (5514), plus the leg they belong to."""
    out = []
    for r, (rn, fw, towns) in enumerate(ROADS, start=1):
        k = 0
        for j, (a, b) in enumerate(zip(towns, towns[1:], strict=False)):
            leg = _leg(a, b, r * 10 + j)
            parts = max(1, math.ceil(leg.length / MAX_SECTION_M))
            for p in range(parts):
                k += 1
                piece = substring(leg, leg.length * p / parts, leg.length * (p + 1) / parts)
                name = f"{a} – {b}" if parts == 1 else f"{a} – {b} ({p + 1}/{parts})"
                out.append({"ROAD_ID": str(r * 100_000 + k), "RN": rn, "DF": "1", "FW": fw, "NAZEV": name,
                            "leg": (a, b), "part": p, "parts": parts, "geometry": piece})
    return out


def _write_network(out_dir: Path, sections: list[dict[str, Any]]) -> None:
    tmp = out_dir / "_rsd_shp"
    tmp.mkdir(exist_ok=True)
    gdf = gpd.GeoDataFrame([{k: v for k, v in s.items() if k not in ("leg", "part", "parts")} for s in sections],
                           geometry="geometry", crs="EPSG:5514")
    pyogrio.write_dataframe(gdf, tmp / "silnice.shp", encoding="cp1250")
    # As the ŘSD ships it: SHP + DBF in WIN1250 without a .cpg; the catalog entry says CP1250.
    (tmp / "silnice.cpg").unlink(missing_ok=True)
    zip_folder(tmp, out_dir / NETWORK_FILE)


def _leg_sections(sections, rn: str, a: str, b: str) -> list[dict[str, Any]]:
    return [s for s in sections if s["RN"] == rn and s["leg"] == (a, b)]


def _point_on(sections, frac: float, offset: float = 0.0) -> tuple[float, float]:
    """A point at ``frac`` of the chain of sections, ``offset`` metres to its left (as GPS would)."""
    line = shapely.line_merge(shapely.MultiLineString([s["geometry"] for s in sections]))
    p = line.interpolate(frac, normalized=True)
    q = line.interpolate(min(1.0, frac + 0.001), normalized=True)
    dx, dy = q.x - p.x, q.y - p.y
    n = math.hypot(dx, dy) or 1.0
    return round(p.x - dy / n * offset, 1), round(p.y + dx / n * offset, 1)


def _gn_location(road: str, start, end, section_ids: list[str]) -> str:
    secs = "".join(
        f"<linearWithinLinearGNElement><sectionId>{sid}</sectionId>"
        f"<directionRelativeOnLinearSection>both</directionRelativeOnLinearSection>"
        f"<orderOfSection>{i}</orderOfSection></linearWithinLinearGNElement>"
        for i, sid in enumerate(section_ids, start=1))
    lat_lon = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)

    def pt(tag, xy):
        lon, lat = lat_lon.transform(*xy)
        return (f"<{tag}><sjtskPointCoordinates><sjtskX>{xy[0]}</sjtskX><sjtskY>{xy[1]}</sjtskY>"
                f"</sjtskPointCoordinates><pointCoordinates><latitude>{lat:.6f}</latitude>"
                f"<longitude>{lon:.6f}</longitude></pointCoordinates></{tag}>")
    return (f'<groupOfLocations xsi:type="Linear"><linearWithinLinearElement><linearElement>'
            f"<roadNumber>{road}</roadNumber></linearElement></linearWithinLinearElement>"
            f"<globalNetworkLinear><networkVersion>7.0</networkVersion>"
            f"<linearGeometryType>continuous</linearGeometryType>{pt('startPoint', start)}{pt('endPoint', end)}"
            f"{secs}</globalNetworkLinear></groupOfLocations>")


def _record(rid: str, xsi: str, comment: str, loc: str, extra: str, start: str, end: str) -> str:
    return f"""      <situationRecord id="{rid}" version="1" xsi:type="{xsi}">
        <situationRecordCreationTime>2025-01-10T08:00:00+01:00</situationRecordCreationTime>
        <situationRecordVersionTime>2025-01-10T08:00:00+01:00</situationRecordVersionTime>
        <probabilityOfOccurrence>certain</probabilityOfOccurrence>
        <source><sourceIdentification>ŘSD</sourceIdentification></source>
        <validity><validityStatus>definedByValidityTimeSpecification</validityStatus>
          <validityTimeSpecification><overallStartTime>{start}</overallStartTime>
            <overallEndTime>{end}</overallEndTime></validityTimeSpecification></validity>
        <generalPublicComment><comment><values><value lang="cs">{comment}</value></values></comment>
        </generalPublicComment>
        {loc}
        {extra}
      </situationRecord>"""


def _write_datex(out_dir: Path, sections, accident_lcd: int = 25881) -> dict[str, str]:
    i13 = _leg_sections(sections, "I/13", "Chlumec", "Krupka")
    closure_start, closure_end = _point_on(i13, 0.25, 4.0), _point_on(i13, 0.85, 4.0)
    i30 = _leg_sections(sections, "I/30", "Velké Žernoseky", "Lovosice")
    works_start, works_end = _point_on(i30, 0.55, -3.0), _point_on(i30, 0.9, -3.0)
    recs = [
        _record("NDIC-2025-0001_1", "RoadOrCarriagewayOrLaneManagement",
                "I/13 Chlumec – Krupka: úplná uzavírka z důvodu rekonstrukce mostu, objížďka přes D8 a Teplice",
                _gn_location("I/13", closure_start, closure_end, [s["ROAD_ID"] for s in i13]),
                "<roadOrCarriagewayOrLaneManagementType>roadClosed</roadOrCarriagewayOrLaneManagementType>",
                "2025-03-01T06:00:00+01:00", "2027-12-31T18:00:00+01:00"),
        _record("NDIC-2025-0002_1", "MaintenanceWorks",
                "I/30 Velké Žernoseky – Lovosice: oprava vozovky, provoz kyvadlově řízen semafory",
                _gn_location("I/30", works_start, works_end, []),
                "<roadMaintenanceType>resurfacingWork</roadMaintenanceType>",
                "2025-04-14T07:00:00+02:00", "2027-10-31T17:00:00+01:00"),
        _record("NDIC-2025-0003_1", "Accident", "D8 exit 80 Řehlovice: nehoda, zúžení na jeden pruh",
                '<groupOfLocations xsi:type="Point"><alertCPoint xsi:type="AlertCMethod4Point">'
                "<alertCLocationCountryCode>11</alertCLocationCountryCode>"
                "<alertCLocationTableNumber>25</alertCLocationTableNumber>"
                "<alertCLocationTableVersion>11.0</alertCLocationTableVersion>"
                "<alertCDirection><alertCDirectionCoded>positive</alertCDirectionCoded></alertCDirection>"
                f"<alertCMethod4PrimaryPointLocation><alertCLocation><specificLocation>{accident_lcd}</specificLocation>"
                "</alertCLocation><offsetDistance><offsetDistance>300</offsetDistance></offsetDistance>"
                "</alertCMethod4PrimaryPointLocation></alertCPoint></groupOfLocations>",
                "<accidentType>collision</accidentType>", "2025-05-02T07:40:00+02:00", "2025-05-02T10:00:00+02:00"),
    ]
    doc = f"""<?xml version="1.0" encoding="UTF-8"?>
<d2LogicalModel xmlns="http://datex2.eu/schema/2/2_0" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" modelBaseVersion="2">
  <exchange><supplierIdentification><country>cz</country><nationalIdentifier>NDIC</nationalIdentifier></supplierIdentification></exchange>
  <payloadPublication xsi:type="SituationPublication" lang="cs">
    <publicationTime>2025-05-02T08:00:00+02:00</publicationTime>
    <publicationCreator><country>cz</country><nationalIdentifier>NDIC</nationalIdentifier></publicationCreator>
    <situation id="NDIC-2025-0001" version="1">
{recs[0]}
    </situation>
    <situation id="NDIC-2025-0002" version="1">
{recs[1]}
    </situation>
    <situation id="NDIC-2025-0003" version="1">
{recs[2]}
    </situation>
  </payloadPublication>
</d2LogicalModel>
"""
    (out_dir / DATEX_FILE).write_text(doc, encoding="utf-8")
    return {"closure": "NDIC-2025-0001_1", "roadworks": "NDIC-2025-0002_1"}


def _write_closures(out_dir: Path, sections) -> None:
    to_wgs = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
    ii261 = _leg_sections(sections, "II/261", "Litoměřice", "Ústí nad Labem")
    sec = ii261[len(ii261) // 2]
    line = substring(sec["geometry"], 0.2, 0.7, normalized=True)
    feats = [{
        "type": "Feature",
        "properties": {"OBJECTID": 501, "ROAD_ID": int(sec["ROAD_ID"]), "RN": "II/261", "ChainageFrom": 14.2,
                       "ChainageTo": 15.1, "LocalityDesc": "Velké Žernoseky – Brná", "ddrType": "PLANNED",
                       "Description": "Uzavírka silnice II/261 kvůli sesuvu svahu", "ValidFrom": 1746079200000,
                       "ValidTo": 1830290400000, "IconNumber": 3},
        "geometry": {"type": "LineString",
                     "coordinates": [[round(c, 6) for c in to_wgs.transform(x, y)] for x, y in line.coords]},
    }]
    (out_dir / CLOSURES_FILE).write_text(
        json.dumps({"type": "FeatureCollection", "features": feats}, ensure_ascii=False, indent=1), encoding="utf-8")


def _write_census(out_dir: Path, sections) -> None:
    # Plausible 24 h volumes per road (vehicles per day, both directions).
    base = {"D8": 32000, "I/13": 18000, "I/30": 9000, "I/15": 8000, "I/7": 7000, "II/261": 4500, "II/613": 6000}
    lines = ["PSILNICE;PKOD_R;ROK;O;LN;SN;SNP;TN;TNP;NSN;A;AK;TR;TRP;M;SV;WKT"]
    n = 0
    for rn, _fw, towns in ROADS:
        for a, b in zip(towns, towns[1:], strict=False):
            leg = _leg_sections(sections, rn, a, b)
            geom = substring(shapely.line_merge(shapely.MultiLineString([s["geometry"] for s in leg])),
                             0.1, 0.9, normalized=True)
            n += 1
            total = int(base[rn] * (0.8 + 0.4 * ((n * 37) % 10) / 10))
            heavy_share = 0.25 if rn == "D8" else 0.14
            o = int(total * (1 - heavy_share) * 0.98)
            m = int(total * 0.01)
            heavy = [int(total * heavy_share * w) for w in (0.30, 0.12, 0.02, 0.10, 0.06, 0.30, 0.05, 0.01, 0.03, 0.01)]
            sv = o + m + sum(heavy)
            num = rn.split("/")[-1] if "/" in rn else rn     # PSILNICE: the number; D8 keeps its class
            wkt = "LINESTRING(" + ",".join(f"{x:.1f} {y:.1f}" for x, y in geom.coords) + ")"
            lines.append(";".join([num, f"4-{n:04d}", "2020", str(o), *map(str, heavy), str(m), str(sv), wkt]))
    (out_dir / CENSUS_FILE).write_text("\n".join(lines) + "\n", encoding="cp1250")


def generate(out_dir: Path) -> dict:
    """Write the road demo files into ``out_dir``; return their catalog entries (no truth: no stops)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    sections = network_sections()
    _write_network(out_dir, sections)
    table = road_publishers.write_table(out_dir, ROADS, sections)
    _write_datex(out_dir, sections, road_publishers.lcd_of(table, "D8", "Řehlovice"))
    road_publishers.write_datex_v3(out_dir, table)
    _write_closures(out_dir, sections)
    _write_census(out_dir, sections)
    owner = "Ředitelství silnic a dálnic ČR (ŘSD)"
    network_id = "road-rsd-network"
    return {
        "sources": [
            {"id": network_id, "family": "road", "format": "road-network", "location": NETWORK_FILE,
             "crs": "EPSG:5514", "encoding": "CP1250", "owner": owner, "schedule": "0 4 1 1,7 *",
             "description": "ŘSD road network (Global Network style sections: ROAD_ID, RN, DF, FW) for part of "
                            "Ústecký kraj; Shapefile with a WIN1250 DBF. Demo data.",
             "options": {"snap_tolerance_m": 1.0}},
            *road_publishers.catalog_entries(network_id)[:1],
            {"id": "road-ndic-datex2", "family": "road", "format": "datex2", "location": DATEX_FILE,
             "crs": "EPSG:5514", "encoding": "UTF-8", "owner": "ŘSD – Národní dopravní informační centrum (NDIC)",
             "schedule": "*/10 * * * *",
             "description": "NDIC DATEX II v2 SituationPublication (CommonTI): closure of I/13 Chlumec – Krupka, "
                            "works on I/30 near Lovosice, an ALERT-C-only accident on D8 (located through the "
                            "ALERT-C location table). Demo data.",
             "options": {"network_source": network_id, "locate_tolerance_m": 50,
                         "location_table_source": "road-alertc-location-table"}},
            *road_publishers.catalog_entries(network_id)[1:],
            {"id": "road-rsd-closures", "family": "road", "format": "road-closures", "location": CLOSURES_FILE,
             "crs": "EPSG:4326", "encoding": "UTF-8", "owner": owner, "schedule": "0 * * * *",
             "description": "ŘSD closures (DDR layer) as GeoJSON: planned closure of II/261. Demo data.",
             "options": {"network_source": network_id}},
            {"id": "road-rsd-census", "family": "road", "format": "traffic-census", "location": CENSUS_FILE,
             "crs": "EPSG:5514", "encoding": "CP1250", "owner": owner, "schedule": "0 5 1 1 *",
             "description": "Celostátní sčítání dopravy 2020: vehicles per 24 h per census section. Demo data.",
             "options": {"network_source": network_id, "census_year": 2020}},
        ],
        "truth": [],
    }
