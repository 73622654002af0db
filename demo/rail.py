"""Demo rail data for Ústecký kraj: an SR70 register extract (real codes, names and positions of the
stations on the demo lines, in the register's CP1250 CSV format) and CZPTT messages for regional
trains through them: the annual GVD zip, a monthly change that is gzip named .xml.zip, and a
cancellation. Deterministic: the same files on every run.

Lines (U-lines of Doprava Ústeckého kraje in spirit, times invented):
  U1-like Os  Děčín hl.n. – Ústí nad Labem hl.n. – Teplice v Čechách – Bílina – Most – Chomutov (+ one Sp)
  Os          Ústí nad Labem hl.n. – Lovosice (left bank)
  Os          Ústí nad Labem-Střekov – Litoměřice dolní nádraží (right bank)
  Os          Děčín hl.n. – Česká Kamenice
  Os          Most – Louny
"""

from __future__ import annotations

import csv
import datetime as dt
import gzip
import io
from pathlib import Path

import holidays

from demo.archive import zip_members
from demo.places import PLACES
from transport_etl.formats.czptt.writer import Stop, bitmap_for, cancel_message, file_name, path_message

SR70_SOURCE = "sz-sr70"
CZPTT_SOURCE = "sz-czptt"
SR70_FILE = "rail-sr70-2026-08-15.csv"
CZPTT_DIR = "rail-czptt"
YEAR = 2026
GVD_START, GVD_END = dt.date(2025, 12, 14), dt.date(2026, 12, 12)  # timetable year 2026
CREATED = dt.datetime(2025, 10, 15, 10, 0)

HEADER = [
    "Evidenční číslo", "Název", "Cizojazyčný název", "Název 35", "Název 20", "Název 12", "Název 7", "Název 6",
    "Název 3", "Název ISC", "Název ZDD", "Kvalifikátor", "Kvalifikátor - popis", "Stav", "Stav - popis",
    "Km poloha", "TUDU", "TTP", "Km polohy další", "TUDU další", "TTP další", "X [S-JTSK (-Y)]", "Y [S-JTSK (-X)]",
    "GPS N (DMS)", "GPS E (DMS)", "GPS N (DEG)", "GPS E (DEG)", "Nadmořská výška (Bpv)", "VÚSC", "VÚSC - popis",
    "Vlastník", "Provozovatel", "Územní správa řízení provozu", "Územní správa řízení provozu - popis",
    "Oblastní ředitelství", "Oblastní ředitelství - popis", "Operativní řízení", "Operativní řízení - popis",
    "Dopravní uzel", "Dopravní uzel - popis", "Dálkové řízení", "Dálkové řízení - popis",
]

# Real register values (SR70 2026-08): code, name, name 20, name 12, name 7, Kvalifikátor, its text, state,
# state text, km, TUDU, TTP, X, Y (EPSG:5514 signs), WGS84 N/E strings, altitude.
_S, _H, _HS = "Železniční stanice", "Zastávka", "Zastávka v obvodu stanice, výhybny, dopravny D3, dopravny RB"
REGISTER: tuple[tuple[str, ...], ...] = (
    ("556597", "Děčín hlavní nádraží", "Děčín hl.n.", "DECIN HL.N.", "DECINHN", "01", _S, "1", "Aktivní",
     "539,692; 539,692; 539,692", "0801U5; 0801U5; 0801U5", "503B; 535A; 544A", "-747789,762", "-965282,678",
     "N50,773459°", "E14,201096°", "135,182"),
    ("557892", "Povrly-Roztoky", "Povrly-Roztoky z", "POVRLY-ROZT.", "POVRLYR", "61", _H, "1", "Aktivní", "529,156",
     "080138", "527A", "-750062,936", "-974611,750", "N50,687565°", "E14,187628°", "0,000"),
    ("557694", "Povrly", "Povrly", "POVRLY", "POVRLY", "01", _S, "1", "Aktivní", "526,105", "0801S1", "527A",
     "-752453,568", "-976168,145", "N50,670710°", "E14,157209°", "0,000"),
    ("557991", "Neštěmice", "Neštěmice z", "NESTEMICE", "NESTEMI", "61", _H, "1", "Aktivní", "521,850", "080136",
     "527A", "-755940,858", "-975456,508", "N50,672652°", "E14,106952°", "0,000"),
    ("531798", "Ústí nad Labem hlavní nádraží", "Ústí n.L.hl.n.os.n.", "USTI/L.HL.N.", "USTLHLN", "01", _S, "1",
     "Aktivní", "516,923", "0801Q1", "527A", "-760553,123", "-976317,209", "N50,659150°", "E14,044078°", "0,000"),
    ("531590", "Ústí nad Labem západ", "Ústí nad Labem západ", "USTI/L.ZAP.", "USNLZAP", "01", _S, "1", "Aktivní",
     "1,214; 1,214; 1,214", "0591B1; 0591B1; 0591B1", "503A; 504C; 527B", "-761575,449", "-976283,635",
     "N50,658149°", "E14,029697°", "0,000"),
    ("532697", "Chabařovice", "Chabařovice", "CHABAROVICE", "CHABARC", "01", _S, "1", "Aktivní", "11,214", "0591C1",
     "504A", "-768794,254", "-972757,269", "N50,680301°", "E13,921525°", "0,000"),
    ("544270", "Krupka-Bohosudov", "Krupka-Bohosudov z", "KRUPKABOHSDV", "KRUBOSV", "62", _HS, "1", "Aktivní",
     "13,202", "0591E1", "504A", "-772175,062", "-973162,781", "N50,672339°", "E13,874998°", "0,000"),
    ("532895", "Teplice v Čechách", "Teplice v Čechách", "TEPLICE V C.", "TEPLVC", "01", _S, "1", "Aktivní",
     "18,118; 18,118; 18,118", "0591F3; 0591F3; 0591F3", "535A; 535B; 535C", "-775783,279", "-975539,263",
     "N50,646531°", "E13,829342°", "0,000"),
    ("548198", "Bílina", "Bílina", "BILINA", "BILINA", "01", _S, "1", "Aktivní", "34,514", "0591I1", "504A",
     "-781276,778", "-985130,799", "N50,554069°", "E13,772140°", "0,000"),
    ("548297", "Bílina kyselka", "Bílina kyselka z", "BILINA KYS.", "BILINAK", "61", _H, "1", "Aktivní", "36,360",
     "059118", "504A", "-782385,900", "-986502,294", "N50,540424°", "E13,759462°", "0,000"),
    ("533992", "Most", "Most", "MOST", "MOST", "01", _S, "1", "Aktivní", "46,280; 46,280", "0602A1; 0602A1",
     "504E; 531D", "-789971,074", "-988636,109", "N50,511505°", "E13,658014°", "0,000"),
    ("534099", "Třebušice", "Třebušice", "TREBUSICE", "TREBUSC", "01", _S, "1", "Aktivní", "48,200", "0602B1", "504A",
     "-794862,673", "-986358,641", "N50,525304°", "E13,585075°", "0,000"),
    ("582197", "Chomutov město", "Chomutov město z", "CHOMUTOVMST", "CHOMODB", "61", _H, "1", "Aktivní", "62,785",
     "060208", "504A", "-807802,644", "-990656,872", "N50,469803°", "E13,413699°", "0,000"),
    ("534891", "Chomutov", "Chomutov", "CHOMUTOV", "CHOMUTV", "01", _S, "1", "Aktivní", "64,700; 64,700; 64,700",
     "0602F1; 0602F1; 0602F1", "531F; 533A; 534C", "-809013,720", "-991940,090", "N50,456766°", "E13,399540°",
     "0,000"),
    ("532093", "Ústí nad Labem-Střekov", "Ústí n.L.-Střekov", "USTI/L.-STR.", "USNLSTR", "01", _S, "1", "Aktivní",
     "431,113", "1001J1", "503A", "-760380,184", "-977369,134", "N50,650008°", "E14,048600°", "0,000"),
    ("531491", "Sebuzín", "Sebuzín", "SEBUZIN", "SEBUZIN", "01", _S, "1", "Aktivní", "422,532", "1001I1", "503A",
     "-760941,323", "-983702,360", "N50,592930°", "E14,053388°", "0,000"),
    ("531392", "Libochovany", "Libochovany z", "LIBOCHOVANY", "LIBOCHO", "61", _H, "1", "Aktivní", "418,195",
     "100116", "503A", "-762272,892", "-986737,589", "N50,564226°", "E14,040829°", "0,000"),
    ("531293", "Velké Žernoseky", "Velké Žernoseky", "V.ZERNOSEKY", "VELZERN", "01", _S, "1", "Aktivní", "412,470",
     "1001H1", "503A", "-760088,738", "-991325,927", "N50,526159°", "E14,080471°", "0,000"),
    ("558981", "Velké Žernoseky zastávka", "V. Žernoseky zast. z", "-", "-", "61", _H, "2", "Evidován", "414,600",
     "-", "503A", "0,000", "0,000", "N0,000000°", "E0,000000°", "0,000"),
    ("531194", "Litoměřice město", "Litoměřice město z", "LITOMERICE M", "LITOMM", "61", _H, "1", "Aktivní",
     "407,766", "100114", "503A", "-755877,239", "-991202,865", "N50,532571°", "E14,139038°", "0,000"),
    ("530998", "Litoměřice dolní nádraží", "Litoměřice dolní n.", "LITOMER.D.N.", "LITOMDN", "01", _S, "1",
     "Aktivní", "406,632", "1001G1", "503A", "-754786,326", "-991409,213", "N50,532107°", "E14,154681°", "0,000"),
    ("558296", "Dolní Zálezly", "Dolní Zálezly z", "DOL.ZALEZLY", "DZALEZL", "61", _H, "1", "Aktivní", "507,440",
     "080130", "527A", "-761240,668", "-983217,007", "N50,596869°", "E14,048234°", "149,343"),
    ("558197", "Prackovice nad Labem", "Prackovice nad Labem", "PRACKOVICE/L", "PRACKNL", "01", _S, "1", "Aktivní",
     "503,851", "0801O1", "527A", "-762444,844", "-985722,875", "N50,573037°", "E14,036401°", "150,655"),
    ("558999", "Malé Žernoseky", "Malé Žernoseky z", "M.ZERNOSEKY", "MZERNOS", "61", _H, "1", "Aktivní", "499,281",
     "080128", "527A", "-761604,728", "-989676,537", "N50,538916°", "E14,056020°", "153,230"),
    ("558593", "Lovosice", "Lovosice", "LOVOSICE", "LOVOSIC", "01", _S, "1", "Aktivní", "495,096; 495,096; 495,096",
     "0801N5; 0801N5; 0801N5", "539A; 539B; 539D", "-761820,578", "-992930,317", "N50,509683°", "E14,059483°",
     "152,773"),
    ("556894", "Děčín východ", "Děčín východ", "DECIN VYCHOD", "DECINVD", "01", _S, "1", "Aktivní", "3,576", "0861B1",
     "503B", "-746181,324", "-965357,945", "N50,774799°", "E14,223825°", "139,096"),
    ("562090", "Benešov nad Ploučnicí", "Benešov n. Ploučnicí", "BENESOV/PL.", "BENNPLC", "01", _S, "1", "Aktivní",
     "11,696", "0861C1", "540D", "-741078,911", "-970169,659", "N50,738307°", "E14,304875°", "0,000"),
    ("562793", "Markvartice", "Markvartice", "MARKVARTICE", "MARKVAR", "01", _S, "1", "Aktivní", "17,010", "086108",
     "546E", "-737729,316", "-966854,507", "N50,771965°", "E14,345438°", "262,577"),
    ("562991", "Česká Kamenice", "Česká Kamenice", "C.KAMENICE", "CESKAMC", "01", _S, "1", "Aktivní", "24,961",
     "0861F1", "546E", "-732574,697", "-964886,474", "N50,795830°", "E14,414024°", "319,618"),
    ("545095", "Obrnice", "Obrnice", "OBRNICE", "OBRNICE", "01", _S, "1", "Aktivní", "232,846; 232,846",
     "0581H1; 0581H1", "504B; 529C", "-787133,533", "-989848,220", "N50,504453°", "E13,700086°", "0,000"),
    ("545590", "Bečov u Mostu", "Bečov u Mostu", "BECOV U M.", "BECOVUM", "01", _S, "1", "Aktivní", "111,817",
     "0693K1", "529C", "-787094,410", "-995236,116", "N50,456582°", "E13,711699°", "0,000"),
    ("545996", "Louny", "Louny", "LOUNY", "LOUNY", "01", _S, "1", "Aktivní", "95,992; 95,992", "0693H1; 0693H1",
     "531A; 539B", "-780819,362", "-1006879,942", "N50,361183°", "E13,822798°", "0,000"),
    # Not passenger points: the node entry of Ústí hl.n. and the state border at Děčín.
    ("853176", "Ústí nad Labem hlavní nádraží", "Ústí nad Labem hl.n.", "USTI/L.HL.N.", "USTLHLN", "13",
     "Dopravní uzel – železniční stanice", "1", "Aktivní", "516,923", "-", "527A", "-760553,123", "-976317,209",
     "N50,659150°", "E14,044078°", "0,000"),
    ("507194", "Děčín státní hranice", "Děčín st.hr.", "DECIN S.H.", "DECINSH", "91", "Státní hranice", "1",
     "Aktivní", "11,855", "080206", "544A", "-744984,236", "-956015,560", "N50,859461°", "E14,222233°", "130,820"),
)
NAMES = {r[0]: r[1] for r in REGISTER}


def _dms(deg_text: str) -> str:
    """'N50,659150°' → 'N50°39'32,940"' (the register's DMS column)."""
    hemi, value = deg_text[0], float(deg_text[1:].rstrip("°").replace(",", "."))
    if value == 0:
        return f"{hemi}  °00'00,   \""
    d = int(value)
    m = int((value - d) * 60)
    s = (value - d - m / 60) * 3600
    return f"{hemi}{d}°{m:02d}'{s:06.3f}\"".replace(".", ",")


def _register_row(r: tuple[str, ...]) -> list[str]:
    code, name, n20, n12, n7, kind, kind_text, state, state_text, km, tudu, ttp, x, y, n, e, alt = r
    node = ("", "") if kind != "13" else ("100540", "Ústí nad Labem")
    return [code, name, "-", name[:35], n20, n12, n7, "-", "-", name if kind in ("01", "61", "62") else "-", name,
            kind, kind_text, state, state_text, km, tudu, ttp, "-", "-", "-", x, y, _dms(n), _dms(e), n, e, alt,
            "0420", "Ústecký kraj", "Stát", "SŽ", "100540", "Severozápadní Čechy", "313007", "Ústí nad Labem",
            "100651", "CDP Praha", *node, "-", "-"]


def write_register(path: Path) -> int:
    """The SR70 extract as the register publishes it: CP1250, ';', quotes only where needed, LF."""
    buf = io.StringIO()
    w = csv.writer(buf, delimiter=";", quotechar='"', quoting=csv.QUOTE_MINIMAL, lineterminator="\n")
    w.writerow(HEADER)
    for r in REGISTER:
        w.writerow(_register_row(r))
    path.write_bytes(buf.getvalue().encode("cp1250"))
    return len(REGISTER)


# ---- timetable -------------------------------------------------------------------------------

_CZ_HOLIDAYS = holidays.country_holidays("CZ", years=[2025, 2026])


def _workday(d: dt.date) -> bool:
    return d.weekday() < 5 and d not in _CZ_HOLIDAYS


def _daily(_d: dt.date) -> bool:
    return True


# (code6, minutes from the first departure, dwell minutes, public?) per line in one direction.
U1 = [("556597", 0, 0), ("557892", 8, 0), ("557694", 11, 1), ("557991", 15, 0), ("531798", 20, 3),
      ("531590", 26, 1), ("532697", 36, 1), ("544270", 41, 0), ("532895", 48, 2), ("548198", 62, 1),
      ("548297", 64, 0), ("533992", 76, 2), ("534099", 82, 1), ("582197", 94, 0), ("534891", 97, 0)]
LOVOSICE = [("531798", 0, 0), ("558296", 9, 0), ("558197", 13, 1), ("558999", 18, 0), ("558593", 23, 0)]
STREKOV = [("532093", 0, 0), ("531491", 7, 1), ("531392", 11, 0), ("531293", 16, 1), ("531194", 22, 0),
           ("530998", 25, 0)]
KAMENICE = [("556597", 0, 0), ("556894", 4, 1), ("562090", 16, 1), ("562793", 24, 1), ("562991", 31, 0)]
LOUNY = [("533992", 0, 0), ("545095", 6, 1), ("545590", 13, 1), ("545996", 30, 0)]
HALTS = {"557892", "557991", "544270", "548297", "582197", "558296", "558999", "531392", "531194"}


def _reverse(route):
    total = route[-1][1] + route[-1][2]
    return [(code, total - (m + dwell), dwell) for code, m, dwell in reversed(route)]


def _clock(minutes: int) -> tuple[str, int]:
    day, rest = divmod(minutes, 24 * 60)
    return f"{rest // 60:02d}:{rest % 60:02d}:00", day


def _stops(route, first_departure: int, express: bool = False) -> list[Stop]:
    stops = []
    for i, (code, m, dwell) in enumerate(route):
        arr, arr_off = _clock(first_departure + m)
        dep, dep_off = _clock(first_departure + m + dwell)
        passing = express and code in HALTS
        stops.append(Stop(
            code[:5], NAMES[code],
            arrival=None if i == 0 or passing else arr, arrival_offset=arr_off,
            departure=None if i == len(route) - 1 else dep, departure_offset=dep_off,
            # Express trains pass the halts: the location is listed without a stop (not a public call).
            activities=() if passing else ("0001",), track=None if passing or i else "1"))
    return stops


def _trains():
    """(train number, route, first departure in minutes after midnight, calendar, category, express)."""
    out = []
    # Every 3 hours from Děčín, 05:08 … 23:08; the last one reaches Chomutov after midnight (Offset 1).
    for k, start in enumerate(range(5 * 60 + 8, 24 * 60, 3 * 60)):
        out.append((6401 + 2 * k, U1, start, _daily, "11", False))
        out.append((6400 + 2 * k, _reverse(U1), start - 50, _daily, "11", False))
    out.append((1911, U1, 7 * 60 + 40, _workday, "C3", True))  # Sp on workdays, halts passed
    out.append((1910, _reverse(U1), 15 * 60 + 20, _workday, "C3", True))
    for k, start in enumerate((6 * 60 + 15, 9 * 60 + 15, 14 * 60 + 15, 18 * 60 + 15)):
        out.append((6601 + 2 * k, LOVOSICE, start, _daily, "11", False))
        out.append((6600 + 2 * k, _reverse(LOVOSICE), start + 35, _daily, "11", False))
    for k, start in enumerate((5 * 60 + 40, 12 * 60 + 40, 16 * 60 + 40)):
        out.append((6701 + 2 * k, STREKOV, start, _workday, "11", False))
        out.append((6700 + 2 * k, _reverse(STREKOV), start + 35, _workday, "11", False))
    for k, start in enumerate((6 * 60 + 5, 13 * 60 + 5, 17 * 60 + 5)):
        out.append((6801 + 2 * k, KAMENICE, start, _daily, "11", False))
        out.append((6800 + 2 * k, _reverse(KAMENICE), start + 45, _daily, "11", False))
    for k, start in enumerate((6 * 60 + 30, 15 * 60 + 30)):
        out.append((6901 + 2 * k, LOUNY, start, _workday, "11", False))
        out.append((6900 + 2 * k, _reverse(LOUNY), start + 40, _workday, "11", False))
    return out


def _core(number: int) -> str:
    return f"--KADR{number:06d}"


def _path(number: int, route, first: int, runs, traffic: str, express: bool, *, created=CREATED,
          start=GVD_START, end=GVD_END) -> bytes:
    return path_message(
        core=_core(number), train_number=str(number), year=YEAR, stops=_stops(route, first, express),
        bitmap=bitmap_for(start, end, runs), start=start, end=end, created=created,
        traffic_type=traffic, commercial_type="122" if traffic == "C3" else "84")


def write_timetable(folder: Path) -> dict[str, int]:
    """GVD2026.zip (all paths), a monthly change (gzip named .xml.zip) and a cancellation (plain XML)."""
    folder.mkdir(parents=True, exist_ok=True)
    trains = _trains()
    zip_members(folder / f"GVD{YEAR}.zip",
                ((file_name(_core(number), "00", YEAR), _path(number, route, first, runs, traffic, express))
                 for number, route, first, runs, traffic, express in trains), (2025, 10, 15, 10, 0, 0))
    # March change: train 6405 leaves Děčín 10 minutes later from 1 March (same PA, newer creation).
    changed = next(t for t in trains if t[0] == 6405)
    monthly = folder / f"{YEAR}-03"
    monthly.mkdir(exist_ok=True)
    data = _path(6405, changed[1], changed[2] + 10, changed[3], changed[4], changed[5],
                 created=dt.datetime(2026, 2, 20, 9, 30))
    (monthly / f"{file_name(_core(6405), '00', YEAR)}.zip").write_bytes(gzip.compress(data, mtime=0))
    # April: track works between Ústí and Lovosice cancel 6601 on 11-12 April 2026.
    works = folder / f"{YEAR}-04"
    works.mkdir(exist_ok=True)
    c_start, c_end = dt.date(2026, 4, 11), dt.date(2026, 4, 12)
    (works / f"ZRUS_{file_name(_core(6601), '00', YEAR)}").write_bytes(cancel_message(
        core=_core(6601), train_number="6601", year=YEAR, bitmap="11", start=c_start, end=c_end,
        created=dt.datetime(2026, 3, 25, 14, 0)))
    return {"paths": len(trains), "changes": 1, "cancellations": 1}


def generate(out_dir: Path) -> dict:
    """Write the rail demo files into ``out_dir``; return catalog entries and truth tuples."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    write_register(out_dir / SR70_FILE)
    write_timetable(out_dir / CZPTT_DIR)
    served = {code for _n, route, *_ in _trains() for code, *_ in route}
    truth = []
    for p in PLACES:
        if p.sr70 and p.sr70 in NAMES:
            truth.append((SR70_SOURCE, p.sr70, p.key))
            if p.sr70 in served:
                truth.append((CZPTT_SOURCE, p.sr70, p.key))
    sources = [
        {"id": SR70_SOURCE, "family": "rail", "format": "sr70", "location": SR70_FILE, "crs": "EPSG:5514",
         "encoding": "CP1250", "owner": "Správa železnic, státní organizace", "schedule": "0 4 1 * *",
         "description": "SR70 register of rail locations (extract: demo lines in Ústecký kraj); stations and halts "
                        "become rail stop places.",
         "options": {}},
        {"id": CZPTT_SOURCE, "family": "rail", "format": "czptt", "location": CZPTT_DIR, "crs": None,
         "encoding": "UTF-8", "owner": "Správa železnic, státní organizace (CIS JŘ)", "schedule": "30 5 * * *",
         "description": "CZPTT train paths: annual GVD zip, monthly changes (gzip .xml.zip) and cancellations. "
                        "Station positions come from the SR70 source, so load sz-sr70 first.",
         "options": {"sr70_source": SR70_SOURCE, "operator_names": {"1154": "České dráhy, a.s."}}},
    ]
    return {"sources": sources, "truth": truth}
