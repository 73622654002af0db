"""Demo road data as other publishers send it: an ALERT-C location table for the demo roads (ISO 14819-3
exchange files, CP1250, zipped) and a DATEX II v3 SituationPublication whose records are located by
ALERT-C (method 2 linear, method 4 point), WGS84 coordinates and an OpenLR reference.

The table's points lie on the demo network's section ends (coordinates rounded to 10⁻⁵ degrees, as the
exchange format stores them), chained along each road in digitisation order (the positive direction).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from pyproj import Transformer

from demo.archive import zip_members

TABLE_FILE = "alertc_lt_cz25_demo.zip"
DATEX_V3_FILE = "ndic_datex2_v3_situace.xml"
CID, TABCD = 25, 25
# Road numbers as a TMC table writes them (class I without its class prefix).
TABLE_ROADNUMBER = {"D8": "D8", "I/13": "13", "I/30": "30", "I/15": "15", "I/7": "7", "II/261": "261",
                    "II/613": "613"}


def table_points(roads, sections) -> list[dict[str, Any]]:
    """One point per section end along each road (shared junctions get one point per road, as TMC
    tables do), with LCD, road, segment, name and position (EPSG:5514)."""
    out: list[dict[str, Any]] = []
    for r, (rn, _fw, towns) in enumerate(roads, start=1):
        secs = [s for s in sections if s["RN"] == rn]
        lcd = 25000 + r * 200
        for j, (a, b) in enumerate(zip(towns, towns[1:], strict=False)):
            leg = [s for s in secs if s["leg"] == (a, b)]
            for k, s in enumerate(leg):
                x, y = s["geometry"].coords[0]
                name = a if k == 0 else f"{a} – {b} {k}/{len(leg)}"
                lcd += 1
                out.append({"lcd": lcd, "road": rn, "road_lcd": 25000 + r * 200, "seg_lcd": 24000 + r * 50 + j,
                            "name": name, "xy": (x, y), "town": a if k == 0 else None})
        x, y = secs[-1]["geometry"].coords[-1]
        lcd += 1
        out.append({"lcd": lcd, "road": rn, "road_lcd": 25000 + r * 200, "seg_lcd": 24000 + r * 50 + len(towns) - 2,
                    "name": towns[-1], "xy": (x, y), "town": towns[-1]})
    return out


def lcd_of(points, road: str, town: str) -> int:
    return next(p["lcd"] for p in points if p["road"] == road and p["town"] == town)


def _coord(v: float) -> str:
    """Exchange-format coordinate: signed integer of 10⁻⁵ degrees."""
    return f"{round(v * 100_000):+09d}"


def write_table(out_dir: Path, roads, sections) -> list[dict[str, Any]]:
    pts = table_points(roads, sections)
    to_wgs = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
    names: dict[str, int] = {}

    def nid(name: str) -> int:
        return names.setdefault(name, len(names) + 1)

    files: dict[str, list[str]] = {
        "COUNTRIES.DAT": ["CID;ECC;CCD;CNAME", f"{CID};E2;9;Česká republika"],
        "LOCATIONDATASETS.DAT": ["CID;TABCD;DCOMMENT;VERSION;VERSIONDESCRIPTION",
                                 f"{CID};{TABCD};Demo table for Ústecký kraj;11.0;generated"],
        "ROADS.DAT": ["CID;TABCD;LCD;CLASS;TCD;STCD;ROADNUMBER;RNID;N1ID;N2ID;POL_LCD;PES_LEV"],
        "SEGMENTS.DAT": ["CID;TABCD;LCD;CLASS;TCD;STCD;ROADNUMBER;RNID;N1ID;N2ID;ROA_LCD;SEG_LCD;POL_LCD"],
        "POINTS.DAT": ["CID;TABCD;LCD;CLASS;TCD;STCD;JUNCTIONNUMBER;RNID;N1ID;N2ID;POL_LCD;OTHER_LCD;SEG_LCD;"
                       "ROA_LCD;INPOS;INNEG;OUTPOS;OUTNEG;PRESENTPOS;PRESENTNEG;DIVERSIONPOS;DIVERSIONNEG;XCOORD;"
                       "YCOORD;INTERRUPTSROAD;URBAN;JNID"],
        "POFFSETS.DAT": ["CID;TABCD;LCD;NEG_OFF_LCD;POS_OFF_LCD"],
    }
    for r, (rn, _fw, towns) in enumerate(roads, start=1):
        road_lcd = 25000 + r * 200
        files["ROADS.DAT"].append(f"{CID};{TABCD};{road_lcd};L;1;{1 if rn.startswith('D') else 2};"
                                  f"{TABLE_ROADNUMBER[rn]};{nid(rn)};{nid(towns[0])};{nid(towns[-1])};1;")
        for j, (a, b) in enumerate(zip(towns, towns[1:], strict=False)):
            files["SEGMENTS.DAT"].append(f"{CID};{TABCD};{24000 + r * 50 + j};L;3;0;{TABLE_ROADNUMBER[rn]};"
                                         f"{nid(rn)};{nid(a)};{nid(b)};{road_lcd};;1")
    for i, p in enumerate(pts):
        lon, lat = to_wgs.transform(*p["xy"])
        prev = pts[i - 1]["lcd"] if i > 0 and pts[i - 1]["road"] == p["road"] else ""
        nxt = pts[i + 1]["lcd"] if i + 1 < len(pts) and pts[i + 1]["road"] == p["road"] else ""
        junction = "80" if p["road"] == "D8" and p["town"] == "Řehlovice" else ""
        files["POINTS.DAT"].append(
            f"{CID};{TABCD};{p['lcd']};P;1;{3 if p['town'] else 9};{junction};{nid(p['road'])};{nid(p['name'])};;1;;"
            f"{p['seg_lcd']};{p['road_lcd']};1;1;1;1;1;1;0;0;{_coord(lon)};{_coord(lat)};0;0;")
        files["POFFSETS.DAT"].append(f"{CID};{TABCD};{p['lcd']};{prev};{nxt}")
    files["NAMES.DAT"] = ["CID;LID;NID;NAME;NCOMMENT;OFFICIAL"] + [
        f"{CID};1;{n};{name};;1" for name, n in names.items()]
    zip_members(out_dir / TABLE_FILE,
                ((name, ("\r\n".join(files[name]) + "\r\n").encode("cp1250")) for name in sorted(files)))
    return pts


V3_NS = ('xmlns:mc="http://datex2.eu/schema/3/messageContainer" xmlns:sit="http://datex2.eu/schema/3/situation" '
         'xmlns:com="http://datex2.eu/schema/3/common" xmlns:loc="http://datex2.eu/schema/3/locationReferencing" '
         'xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"')


def alertc_v3(kind: str, direction: str, primary: int, secondary: int | None = None,
              primary_offset: float | None = None) -> str:
    """A v3 loc:alertCLinear / loc:alertCPoint element (method 2 or 4)."""
    method = 4 if primary_offset is not None else 2

    def ref(role: str, code: int, offset: float | None) -> str:
        off = (f"<loc:offsetDistance><loc:offsetDistance>{offset:.0f}</loc:offsetDistance></loc:offsetDistance>"
               if offset is not None else "")
        return (f"<loc:alertCMethod{method}{role}PointLocation><loc:alertCLocation><loc:specificLocation>{code}"
                f"</loc:specificLocation></loc:alertCLocation>{off}</loc:alertCMethod{method}{role}PointLocation>")
    tag = "alertCLinear" if kind == "linear" else "alertCPoint"
    xsi = f"loc:AlertCMethod{method}{'Linear' if kind == 'linear' else 'Point'}"
    body = ref("Primary", primary, primary_offset)
    if secondary is not None:
        body += ref("Secondary", secondary, None if primary_offset is None else 0.0)
    return (f'<loc:{tag} xsi:type="{xsi}"><loc:alertCLocationCountryCode>9</loc:alertCLocationCountryCode>'
            f"<loc:alertCLocationTableNumber>{TABCD}</loc:alertCLocationTableNumber>"
            f"<loc:alertCLocationTableVersion>11.0</loc:alertCLocationTableVersion>"
            f"<loc:alertCDirection><loc:alertCDirectionCoded>{direction}</loc:alertCDirectionCoded></loc:alertCDirection>"
            f"{body}</loc:{tag}>")


def v3_record(rid: str, xsi: str, comment: str, location: str, extra: str, start: str, end: str) -> str:
    return f"""      <sit:situationRecord id="{rid}" version="1" xsi:type="sit:{xsi}">
        <sit:situationRecordCreationTime>2025-05-02T07:00:00+02:00</sit:situationRecordCreationTime>
        <sit:situationRecordVersionTime>2025-05-02T07:00:00+02:00</sit:situationRecordVersionTime>
        <sit:probabilityOfOccurrence>certain</sit:probabilityOfOccurrence>
        <sit:validity><com:validityStatus>definedByValidityTimeSpecification</com:validityStatus>
          <com:validityTimeSpecification><com:overallStartTime>{start}</com:overallStartTime>
            <com:overallEndTime>{end}</com:overallEndTime></com:validityTimeSpecification></sit:validity>
        <sit:generalPublicComment><sit:comment><com:values><com:value lang="cs">{comment}</com:value></com:values>
        </sit:comment></sit:generalPublicComment>
        {location}
        {extra}
      </sit:situationRecord>"""


def v3_document(situations: list[tuple[str, str]], publication_time: str = "2025-05-02T08:00:00+02:00") -> str:
    body = "\n".join(f'    <sit:situation id="{sid}" version="1">\n{rec}\n    </sit:situation>'
                     for sid, rec in situations)
    return f"""<?xml version="1.0" encoding="UTF-8"?>
<mc:messageContainer {V3_NS} modelBaseVersion="3">
  <mc:payload xsi:type="sit:SituationPublication" lang="cs" modelBaseVersion="3">
    <com:publicationTime>{publication_time}</com:publicationTime>
    <com:publicationCreator><com:country>CZ</com:country><com:nationalIdentifier>NDIC</com:nationalIdentifier>
    </com:publicationCreator>
{body}
  </mc:payload>
  <mc:exchangeInformation><mc:modelBaseVersion>3</mc:modelBaseVersion></mc:exchangeInformation>
</mc:messageContainer>
"""


def write_datex_v3(out_dir: Path, points) -> dict[str, int]:
    """Roadworks on I/13 Teplice – Bílina by ALERT-C method 2 (positive direction, primary at Bílina,
    secondary at Teplice), a breakdown on I/7 by WGS84 coordinates and an OpenLR-only record."""
    primary, secondary = lcd_of(points, "I/13", "Bílina"), lcd_of(points, "I/13", "Teplice")
    to_wgs = Transformer.from_crs("EPSG:5514", "EPSG:4326", always_xy=True)
    zatec = next(p for p in points if p["road"] == "I/7" and p["town"] == "Žatec")
    lon, lat = to_wgs.transform(*zatec["xy"])
    recs = [
        ("NDIC-2025-0101", v3_record(
            "NDIC-2025-0101_1", "MaintenanceWorks", "I/13 Teplice – Bílina: frézování a pokládka asfaltu",
            '<sit:locationReference xsi:type="loc:SingleRoadLinearLocation">'
            + alertc_v3("linear", "positive", primary, secondary) + "</sit:locationReference>",
            "<sit:roadMaintenanceType>resurfacingWork</sit:roadMaintenanceType>",
            "2025-05-05T07:00:00+02:00", "2027-06-30T17:00:00+02:00")),
        ("NDIC-2025-0102", v3_record(
            "NDIC-2025-0102_1", "VehicleObstruction", "I/7 Žatec: porouchané vozidlo",
            '<sit:locationReference xsi:type="loc:PointLocation"><loc:pointByCoordinates><loc:pointCoordinates>'
            f"<loc:latitude>{lat:.6f}</loc:latitude><loc:longitude>{lon:.6f}</loc:longitude>"
            "</loc:pointCoordinates></loc:pointByCoordinates></sit:locationReference>",
            "<sit:vehicleObstructionType>brokenDownVehicle</sit:vehicleObstructionType>",
            "2025-05-02T07:30:00+02:00", "2025-05-02T11:00:00+02:00")),
        ("NDIC-2025-0103", v3_record(
            "NDIC-2025-0103_1", "AbnormalTraffic", "D8: kolona (OpenLR)",
            '<sit:locationReference xsi:type="loc:LinearLocation"><loc:openlrLinear>'
            "<loc:openlrBinaryLocationReference>CwRbWyNG9BpgB/6w/8QSBA==</loc:openlrBinaryLocationReference>"
            "</loc:openlrLinear></sit:locationReference>",
            "<sit:abnormalTrafficType>stationaryTraffic</sit:abnormalTrafficType>",
            "2025-05-02T07:45:00+02:00", "2025-05-02T09:00:00+02:00")),
    ]
    (out_dir / DATEX_V3_FILE).write_text(v3_document(recs), encoding="utf-8")
    return {"primary": primary, "secondary": secondary}


def catalog_entries(network_id: str) -> list[dict[str, Any]]:
    ndic = "ŘSD – Národní dopravní informační centrum (NDIC)"
    return [
        {"id": "road-alertc-location-table", "family": "road", "format": "alertc-location-table",
         "location": TABLE_FILE, "crs": "EPSG:4326", "encoding": "CP1250", "owner": ndic,
         "schedule": "0 3 1 * *",
         "description": "ALERT-C (TMC) location table 25 in the ISO 14819-3 exchange format (POINTS, POFFSETS, "
                        "SEGMENTS, ROADS, NAMES) for the demo roads. Demo data: the real Czech table is licensed.",
         "options": {}},
        {"id": "road-ndic-datex2-v3", "family": "road", "format": "datex2", "location": DATEX_V3_FILE,
         "crs": "EPSG:4326", "encoding": "UTF-8", "owner": ndic, "schedule": "*/10 * * * *",
         "description": "DATEX II v3 SituationPublication: works on I/13 Teplice – Bílina located by ALERT-C "
                        "through the location table, a breakdown on I/7 by WGS84 coordinates, an OpenLR-only "
                        "record (kept unlocated). Demo data.",
         "options": {"network_source": network_id, "location_table_source": "road-alertc-location-table",
                     "locate_tolerance_m": 50}},
    ]
