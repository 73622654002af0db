"""DCAT-AP metadata (JSON-LD) of one release for the national open-data catalogue (NKOD, data.gov.cz):
a dcat:Catalog holding one dcat:Dataset per release, one dcat:Distribution per file with its IANA media
type, EU file type, licence, byte size and sha256 (spdx:checksum). Spatial coverage: Ústecký kraj as a
RÚIAN region (VÚSC 60) and NUTS 3 CZ042. Download URLs sit under $TRANSPORT_ETL_RELEASE_BASE_URL."""

from __future__ import annotations

import datetime as dt
import os
from typing import Any

BASE_URL_ENV = "TRANSPORT_ETL_RELEASE_BASE_URL"
DEFAULT_BASE_URL = "https://opendata.kr-ustecky.cz/doprava/releases/"
LICENSE = "https://creativecommons.org/licenses/by/4.0/"
PUBLISHER = {"@id": "https://www.kr-ustecky.cz/", "@type": "foaf:Organization",
             "foaf:name": [{"@language": "cs", "@value": "Ústecký kraj"}]}
SPATIAL = ["https://linked.cuzk.cz/resource/ruian/vusc/60", "http://data.europa.eu/nuts/code/CZ042"]
FILE_TYPE = "http://publications.europa.eu/resource/authority/file-type/"
IANA = "http://www.iana.org/assignments/media-types/"

# file → (media type, EU file type, Czech title, English title)
DISTRIBUTIONS = {
    "gtfs.zip": ("application/zip", "GTFS", "Jízdní řády kraje (GTFS)", "Regional timetables (GTFS)"),
    "gis.gpkg": ("application/geopackage+sqlite3", "GPKG", "Vrstvy GIS (GeoPackage)", "GIS layers (GeoPackage)"),
    "stop_crosswalk.csv": ("text/csv", "CSV", "Převodník identifikátorů zastávek", "Stop identity crosswalk"),
    "road_events.geojson": ("application/geo+json", "GEOJSON", "Dopravní omezení na silnicích",
                            "Road events in force"),
    "RELEASE_NOTES.md": ("text/markdown", "MARKDOWN", "Poznámky k vydání", "Release notes"),
}
CONTEXT = {
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "spdx": "http://spdx.org/rdf/terms#", "xsd": "http://www.w3.org/2001/XMLSchema#",
    "vcard": "http://www.w3.org/2006/vcard/ns#",
}


def _date(day: dt.date) -> dict[str, str]:
    return {"@value": day.isoformat(), "@type": "xsd:date"}


def dcat_catalog(day: dt.date, files: dict[str, dict[str, Any]], coverage: tuple[str | None, str | None]) -> dict:
    """The JSON-LD document; ``files`` name → {sha256, bytes}, ``coverage`` the GTFS service span (ISO dates)."""
    base = os.environ.get(BASE_URL_ENV, DEFAULT_BASE_URL).rstrip("/") + "/"
    dataset_iri = f"{base}{day.isoformat()}/"
    distributions = []
    for name, (media, ftype, cs, en) in DISTRIBUTIONS.items():
        if name not in files:
            continue
        url = f"{dataset_iri}{name}"
        distributions.append({
            "@id": f"{url}#distribution", "@type": "dcat:Distribution",
            "dct:title": [{"@language": "cs", "@value": cs}, {"@language": "en", "@value": en}],
            "dcat:accessURL": {"@id": url}, "dcat:downloadURL": {"@id": url},
            "dcat:mediaType": {"@id": IANA + media}, "dct:format": {"@id": FILE_TYPE + ftype},
            "dct:license": {"@id": LICENSE}, "dct:issued": _date(day),
            "dcat:byteSize": {"@value": str(files[name]["bytes"]), "@type": "xsd:nonNegativeInteger"},
            "spdx:checksum": {"@type": "spdx:Checksum", "spdx:algorithm": {"@id": "spdx:checksumAlgorithm_sha256"},
                              "spdx:checksumValue": files[name]["sha256"]},
        })
    temporal = {"@type": "dct:PeriodOfTime"}
    if coverage[0]:
        temporal["dcat:startDate"] = _date(dt.datetime.strptime(coverage[0], "%Y%m%d").date())
    if coverage[1]:
        temporal["dcat:endDate"] = _date(dt.datetime.strptime(coverage[1], "%Y%m%d").date())
    dataset = {
        "@id": dataset_iri, "@type": "dcat:Dataset",
        "dct:title": [{"@language": "cs", "@value": f"Doprava v Ústeckém kraji, vydání {day.isoformat()}"},
                      {"@language": "en", "@value": f"Transport in Ústecký kraj, release {day.isoformat()}"}],
        "dct:description": [
            {"@language": "cs", "@value": "Jízdní řády všech dopravců kraje s jednotnými zastávkami, vrstvy GIS, "
                                          "převodník zastávek a dopravní omezení k datu vydání."},
            {"@language": "en", "@value": "All regional timetables with canonical stops, the GIS layers, the stop "
                                          "crosswalk and the road events in force on the release date."}],
        "dct:issued": _date(day), "dct:modified": _date(day), "dct:publisher": PUBLISHER,
        "dct:license": {"@id": LICENSE},
        "dct:spatial": [{"@id": s} for s in SPATIAL], "dct:temporal": temporal,
        "dct:accrualPeriodicity": {"@id": "http://publications.europa.eu/resource/authority/frequency/IRREG"},
        "dcat:theme": [{"@id": "http://publications.europa.eu/resource/authority/data-theme/TRAN"}],
        "dcat:keyword": [{"@language": "cs", "@value": k} for k in ("jízdní řády", "zastávky", "doprava", "GTFS")]
        + [{"@language": "en", "@value": k} for k in ("timetables", "stops", "transport", "GTFS")],
        "dcat:contactPoint": {"@type": "vcard:Organization", "vcard:fn": "Ústecký kraj, odbor dopravy",
                              "vcard:hasURL": {"@id": "https://www.kr-ustecky.cz/"}},
        "dcat:distribution": distributions,
    }
    return {"@context": CONTEXT, "@id": f"{base}catalog", "@type": "dcat:Catalog",
            "dct:title": [{"@language": "cs", "@value": "Otevřená data o dopravě Ústeckého kraje"},
                          {"@language": "en", "@value": "Ústecký kraj transport open data"}],
            "dct:publisher": PUBLISHER, "dct:license": {"@id": LICENSE},
            "dct:spatial": [{"@id": s} for s in SPATIAL], "dcat:dataset": [dataset]}
