"""Demo data of the regional family: JDF 1.11 batches (CP1250, CRLF) of three regional bus lines,
packed like the national CIS JŘ export (a zip of batch zips), and the regional stop register
(CSV, S-JTSK) of all demo places with a few metres of realistic offset between the two.

Deterministic: the same files on every run.
"""

from __future__ import annotations

import hashlib
import math
from pathlib import Path

from demo import stop_register_shp
from demo.places import BY_KEY, PLACES, to_5514
from transport_etl.formats.jdf.semantics import place_key
from transport_etl.formats.jdf.writer import batch_bytes, write_zip, zip_bytes

JDF_SOURCE = "regional-jdf-duk"
REGISTER_SOURCE = "regional-stop-register"
VALID_FROM, VALID_TO = "14122025", "12122026"   # timetable year 2025/26
CREATED = "01122025"

# Batch-local fixed-code numbers (Pevnykod) → symbols, as carriers' software numbers them.
PEVNYKOD = [("1", "X"), ("2", "+"), ("8", "6"), ("9", "7"), ("19", "~"), ("21", "("), ("22", ")"),
            ("24", "x"), ("30", "@"), ("31", "O")]
CODE = {sym: num for num, sym in PEVNYKOD}

CARRIERS = {
    "49099451": ("ARRIVA TEPLICE s.r.o.", "Teplická 1, 415 01 Teplice", "417 537 111", "www.arriva.cz"),
    "25013891": ("BusLine a.s.", "Na Rovinkách 211, 513 01 Semily", "481 321 232", "www.busline.cz"),
}

# Stops: (place key or None, printed name when not a place / written differently, district, minutes, km).
LINES = [
    {
        "line": "551401", "name": "Ústí nad Labem-Trmice-Chlumec-Krupka-Teplice", "ico": "49099451",
        "local_code": "401", "register_numbers": True,
        "stops": [("ul_hlavni_nadrazi", None, "UL", 0, 0), ("ul_mirove_namesti", None, "UL", 4, 1),
                  ("ul_zapad_nadrazi", None, "UL", 9, 3), ("ul_trmice_namesti", None, "UL", 14, 6),
                  ("ul_chlumec", None, "UL", 24, 13), ("tp_krupka_namesti", None, "TP", 34, 20),
                  ("tp_benesovo_namesti", None, "TP", 46, 27), ("tp_nadrazi", None, "TP", 50, 28)],
        # (trip, first departure HH:MM, day symbols + extras, time codes, passes, other_route)
        "trips": [
            (1, "05:10", ["X"], [], [], []),
            (3, "06:10", ["X"], [], [5], []),  # express: passes Chlumec without stopping
            (5, "07:40", ["X", "@"], [], [], []),
            (7, "14:10", ["X"], [], [], []),
            (9, "08:10", ["6", "+"], [], [], []),
            (11, "23:30", [], [], [], []),   # daily; arrives after midnight
            (13, "12:00", ["X"], [("4", "24122025", "26122025"), ("4", "31122025", "")], [], []),
            (15, "16:00", [], [("3", "23122025", ""), ("3", "30122025", "")], [], []),  # runs only
            (2, "05:45", ["X"], [], [], []),
            (4, "06:45", ["X", "@"], [], [], []),
            (6, "15:00", ["X"], [], [], []),
            (8, "09:00", ["6", "+"], [], [], []),
            (10, "22:10", [], [("4", "24122025", "")], [], []),
        ],
    },
    {
        "line": "540210", "name": "Děčín-Benešov nad Ploučnicí-Česká Kamenice", "ico": "25013891",
        "local_code": "210", "register_numbers": False,
        "stops": [("dc_hlavni_nadrazi", None, "DC", 0, 0), ("dc_mirove_namesti", None, "DC", 5, 2),
                  (None, "Děčín,Březiny,rozc.", "DC", 12, 7),
                  ("dc_benesov_namesti", "Benešov n.Pl.,,náměstí", "DC", 22, 12),
                  ("dc_ceska_kamenice_nadrazi", None, "DC", 36, 21),
                  ("dc_ceska_kamenice_namesti", None, "DC", 39, 22)],
        "trips": [
            (1, "05:30", ["X"], [], [], []),
            (3, "07:15", ["X"], [], [], []),
            (5, "13:20", ["X"], [("1", "01032026", "30062026")], [], []),
            (7, "16:40", ["X"], [], [], [3]),  # runs another way, skips Březiny
            (9, "09:00", ["6", "7"], [("5", "", "")], [], []),   # weekends in odd weeks only
            (2, "06:20", ["X"], [], [], []),
            (4, "14:30", ["X"], [], [], []),
            (6, "18:10", ["X", "+"], [], [], []),
        ],
    },
    {
        "line": "560720", "name": "Most-Obrnice-Louny", "ico": "49099451", "local_code": "720",
        "register_numbers": False,
        "stops": [("mo_nadrazi", None, "MO", 0, 0), ("mo_namesti", None, "MO", 6, 2),
                  (None, "Obrnice,,nám.", "MO", 16, 9), ("ln_namesti", None, "LN", 38, 26),
                  ("ln_nadrazi", None, "LN", 42, 27)],
        "trips": [
            (1, "04:50", ["X"], [], [], []),
            (3, "06:35", ["X"], [], [], []),
            (5, "11:05", ["X", "+"], [], [], []),
            (2, "05:55", ["X"], [], [], []),
            (4, "15:20", ["X"], [], [], []),
            (6, "19:45", ["+"], [], [], []),
        ],
    },
]


def _jitter(key: str, salt: str, metres: float) -> tuple[float, float]:
    """Deterministic offset of up to ``metres`` (dx, dy) for a key."""
    h = hashlib.sha256(f"{salt}:{key}".encode()).digest()
    angle = h[0] / 255 * 2 * math.pi
    r = (0.3 + 0.7 * h[1] / 255) * metres
    return r * math.cos(angle), r * math.sin(angle)


def _hhmm(minutes: int) -> str:
    m = minutes % 1440
    return f"{m // 60:02d}{m % 60:02d}"


def _stop_name(spec: tuple) -> tuple[str, str]:
    key, name, district = spec[0], spec[1], spec[2]
    if name is None:
        name = BY_KEY[key].name
    return name, district


def _batch(line: dict) -> tuple[dict[str, list[list[object]]], list[tuple[str, str]]]:
    """JDF records of one line, and (place_key, demo place key) of its stops."""
    stops = line["stops"]
    register = line["register_numbers"]
    numbers = [str(BY_KEY[s[0]].crz) if register and s[0] else str(i) for i, s in enumerate(stops, start=1)]
    ico = line["ico"]
    carrier = CARRIERS[ico]
    files: dict[str, list[list[object]]] = {
        "verzejdf": [["1.11", "", "", "", CREATED, "transport_etl demo"]],
        "dopravci": [[ico, f"CZ{ico}", carrier[0], "1", "", carrier[1], carrier[2], "", carrier[2], "", "", carrier[3],
                      "1"]],
        "linky": [[line["line"], line["name"], ico, "V", "A", "0", "0", "1" if register else "0", "0", "",
                   f"{line['line']}/2025", VALID_FROM, VALID_TO, VALID_FROM, VALID_TO, "1", "1"]],
        "linext": [[line["line"], "1", "30421", line["local_code"], "1", "", "1"]],
        "pevnykod": [[n, s, ""] for n, s in PEVNYKOD],
        "udaje": [[line["line"], "1", "Na lince platí Tarif Doprava Ústeckého kraje (DÚK).", "1"]],
        "zastavky": [], "zaslinky": [], "spoje": [], "zasspoje": [], "caskody": [],
    }
    if register:
        files["oznacniky"] = []
    truth = []
    for num, spec in zip(numbers, stops, strict=True):
        name, district = _stop_name(spec)
        town, part, place = (name.split(",") + ["", ""])[:3]
        files["zastavky"].append([num, town, part, place, district, "CZ", "", "", "", "", "", ""])
        if register:
            files["oznacniky"].append([num, "1", name, "směr " + _stop_name(stops[-1])[0].split(",")[0], "1", "", ""])
            files["oznacniky"].append([num, "2", name, "směr " + _stop_name(stops[0])[0].split(",")[0], "2", "", ""])
        if spec[0]:
            truth.append((place_key(name, district, "CZ"), spec[0]))
    for tariff, (num, spec) in enumerate(zip(numbers, stops, strict=True), start=1):
        files["zaslinky"].append([line["line"], str(tariff), "", num, str(spec[3]), "", "", "", "1"])
    total_min, total_km = stops[-1][3], stops[-1][4]
    for trip, start, syms, tcs, passes, other in line["trips"]:
        codes = [CODE[s] for s in syms] + [""] * (10 - len(syms))
        files["spoje"].append([line["line"], str(trip), *codes, "", "1"])
        for i, (ttype, d0, d1) in enumerate(tcs, start=1):
            files["caskody"].append([line["line"], str(trip), str(i), "10" if ttype != "3" else "11", ttype, d0, d1,
                                     "", "1"])
        h, m = map(int, start.split(":"))
        t0 = h * 60 + m
        even = trip % 2 == 0
        last = len(stops)
        for tariff, (num, spec) in enumerate(zip(numbers, stops, strict=True), start=1):
            minutes = (total_min - spec[3]) if even else spec[3]
            km = (total_km - spec[4]) if even else spec[4]
            final = tariff == (1 if even else last)
            post = ("2" if even else "1") if register else ""
            if tariff in other:
                row_km, arr, dep = "", "<", "<"
            elif tariff in passes:
                row_km, arr, dep = str(km), "|", "|"
            else:
                row_km = str(km)
                arr = _hhmm(t0 + minutes) if final else ""
                dep = "" if final else _hhmm(t0 + minutes)
            files["zasspoje"].append([line["line"], str(trip), str(tariff), num, post, "", "", "", "", row_km, arr, dep,
                                      "", "", "1"])
    return files, truth


def _register_rows() -> tuple[list[list[object]], list[tuple[str, str]]]:
    """Register CSV rows (header first): two poles per place, S-JTSK coordinates."""
    rows: list[list[object]] = [["CRZ", "OZNACNIK", "NAZEV", "OBEC", "OKRES", "X", "Y"]]
    truth = []
    for p in PLACES:
        if p.crz is None:
            continue
        x, y = to_5514(p.lat, p.lon)
        # The register's stop sits a few metres off the shared place position (each source
        # surveys its own point), and its two poles face each other across the road.
        dx, dy = _jitter(p.key, "register", 12.0)
        for post in ("1", "2"):
            px, py = _jitter(p.key, f"pole{post}", 9.0)
            rows.append([p.crz, post, p.name, p.municipality, p.district, f"{x + dx + px:.2f}", f"{y + dy + py:.2f}"])
        truth.append((str(p.crz), p.key))
    # A stop of the register that no demo timetable serves, and one surveyed without a position.
    mx, my = to_5514(50.5528, 13.9305)  # Velemín-Milešov, a real village on the Most–Lovosice road
    rows.append([39901, "1", "Velemín,,Milešov", "Velemín", "LT", f"{mx:.2f}", f"{my:.2f}"])
    rows.append([39902, "1", "Lovosice,,Terezínská", "Lovosice", "LT", "", ""])
    return rows, truth


def generate(out_dir: Path) -> dict:
    """Write the regional demo files into ``out_dir``; return catalog entries and truth tuples."""
    out_dir = Path(out_dir)
    jdf_dir = out_dir / "jdf"
    jdf_dir.mkdir(parents=True, exist_ok=True)
    truth: list[tuple[str, str, str]] = []
    inner: dict[str, bytes] = {}
    for line in LINES:
        files, stop_truth = _batch(line)
        data = zip_bytes(batch_bytes(files))
        inner[f"{line['line']}_1.zip"] = data
        (jdf_dir / f"{line['line']}.zip").write_bytes(data)
        truth += [(JDF_SOURCE, local_id, key) for local_id, key in stop_truth]
    write_zip(jdf_dir / "JDF.zip", inner)
    truth = list(dict.fromkeys(truth))

    rows, reg_truth = _register_rows()
    csv_text = "".join(";".join(str(v) for v in r) + "\r\n" for r in rows)
    (out_dir / "stop_register.csv").write_text(csv_text, encoding="utf-8", newline="")
    truth += [(REGISTER_SOURCE, crz, key) for crz, key in reg_truth]
    stop_register_shp.write_register_shapefile(out_dir, rows)

    sources = [
        {"id": REGISTER_SOURCE, "family": "regional", "format": "stop-register", "location": "stop_register.csv",
         "crs": "EPSG:5514", "encoding": "UTF-8", "owner": "Ústecký kraj, odbor dopravy (demo)",
         "schedule": "0 5 * * 1", "description": "Regional stop register: CRZ stops and označník poles, S-JTSK (demo).",
         "options": {}},
        {"id": JDF_SOURCE, "family": "regional", "format": "jdf", "location": "jdf/JDF.zip", "crs": None,
         "encoding": "CP1250", "owner": "CIS JŘ / Ústecký kraj (demo)", "schedule": "30 4 * * *",
         "description": "JDF 1.11 timetables of regional bus lines 551401, 540210, 560720, as a CIS JŘ bulk export "
                        "(zip of batch zips) (demo).",
         "options": {"register_source": REGISTER_SOURCE}},
        stop_register_shp.catalog_entry(),
    ]
    return {"sources": sources, "truth": truth}
