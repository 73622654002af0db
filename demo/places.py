"""Real places of Ústecký kraj with approximate WGS84 positions: the shared ground truth of the
demo generators, so that municipal, regional, rail and road demo data overlap in space as the real
sources do. Keys are stable; each family's generator derives its own source ids and names from them
(and records which source object is which place in the truth file used by `eval matching`).
"""

from __future__ import annotations

from dataclasses import dataclass

from transport_etl.crs import wgs84_to_5514


@dataclass(frozen=True)
class Place:
    key: str            # stable demo key, e.g. "ul_hlavni_nadrazi"
    name: str           # name as the regional register writes it (JDF style: town,part,place)
    municipality: str
    district: str       # JDF/CRZ district abbreviation: UL DC TP MO CV LT LN
    lat: float
    lon: float
    kind: str = "bus"   # bus | rail | mixed (bus stop at a station)
    sr70: str | None = None      # 6-digit SR70 code (with check digit) for rail stations
    crz: int | None = None       # CRZ stop number (demo values, realistic range)
    city_name: str | None = None  # name used by the city operator's GTFS, if it serves the place


# Ústí nad Labem city stops (DPmÚL GTFS in the demo) and the regional/rail places around them.
PLACES: tuple[Place, ...] = (
    # Ústí nad Labem (UL)
    Place("ul_hlavni_nadrazi", "Ústí nad Labem,,hl.nádr.", "Ústí nad Labem", "UL", 50.65938, 14.04446, "mixed",
          sr70="531798", crz=30101, city_name="Hlavní nádraží"),
    Place("ul_mirove_namesti", "Ústí nad Labem,,Mírové nám.", "Ústí nad Labem", "UL", 50.66095, 14.03310, "bus",
          crz=30102, city_name="Mírové náměstí"),
    Place("ul_divadlo", "Ústí nad Labem,,Divadlo", "Ústí nad Labem", "UL", 50.66285, 14.03805, "bus",
          crz=30103, city_name="Divadlo"),
    Place("ul_muzeum", "Ústí nad Labem,,Muzeum", "Ústí nad Labem", "UL", 50.65945, 14.03765, "bus",
          crz=30104, city_name="Muzeum"),
    Place("ul_stara_posta", "Ústí nad Labem,,Stará pošta", "Ústí nad Labem", "UL", 50.66380, 14.03200, "bus",
          crz=30105, city_name="Stará pošta"),
    Place("ul_klise_poliklinika", "Ústí nad Labem,Klíše,Poliklinika", "Ústí nad Labem", "UL", 50.66640, 14.01880,
          "bus", crz=30106, city_name="Klíše, poliklinika"),
    Place("ul_strekov_nadrazi", "Ústí nad Labem,Střekov,žel.st.", "Ústí nad Labem", "UL", 50.65001, 14.04860,
          "mixed", sr70="532093", crz=30107, city_name="Střekov, nádraží"),
    Place("ul_krasne_brezno", "Ústí nad Labem,Krásné Březno,nám.", "Ústí nad Labem", "UL", 50.67950, 14.07300,
          "bus", crz=30108, city_name="Krásné Březno"),
    Place("ul_severni_terasa", "Ústí nad Labem,Severní Terasa,Hornická", "Ústí nad Labem", "UL", 50.67260, 14.02530,
          "bus", crz=30109, city_name="Severní Terasa"),
    Place("ul_skrivanek", "Ústí nad Labem,Skřivánek,Pod Holoměří", "Ústí nad Labem", "UL", 50.67700, 14.01400,
          "bus", crz=30110, city_name="Skřivánek"),
    Place("ul_vanov", "Ústí nad Labem,Vaňov,Labská", "Ústí nad Labem", "UL", 50.63350, 14.06650, "bus",
          crz=30111, city_name="Vaňov"),
    Place("ul_zapad_nadrazi", "Ústí nad Labem,,záp.nádr.", "Ústí nad Labem", "UL", 50.66300, 14.01050, "mixed",
          sr70="531590", crz=30112, city_name="Západní nádraží"),
    Place("ul_trmice_namesti", "Trmice,,nám.", "Trmice", "UL", 50.64450, 14.00080, "bus", crz=30120),
    Place("ul_chlumec", "Chlumec,,nám.", "Chlumec", "UL", 50.69930, 13.93930, "bus", crz=30121),
    # Teplice (TP)
    Place("tp_nadrazi", "Teplice,,žel.st.", "Teplice", "TP", 50.64050, 13.83140, "mixed", sr70="532895",
          crz=31201),
    Place("tp_benesovo_namesti", "Teplice,,Benešovo nám.", "Teplice", "TP", 50.64040, 13.82470, "bus", crz=31202),
    Place("tp_krupka_namesti", "Krupka,,nám.", "Krupka", "TP", 50.68460, 13.85810, "bus", crz=31210),
    Place("tp_bilina_namesti", "Bílina,,Mírové nám.", "Bílina", "TP", 50.54840, 13.77500, "bus", crz=31220),
    Place("tp_bilina_nadrazi", "Bílina,,žel.st.", "Bílina", "TP", 50.55407, 13.77214, "mixed", sr70="548198",
          crz=31221),
    # Děčín (DC)
    Place("dc_hlavni_nadrazi", "Děčín,,hl.nádr.", "Děčín", "DC", 50.77360, 14.19640, "mixed", sr70="556597",
          crz=32101),
    Place("dc_mirove_namesti", "Děčín,,Mírové nám.", "Děčín", "DC", 50.78150, 14.21450, "bus", crz=32102),
    Place("dc_benesov_namesti", "Benešov nad Ploučnicí,,nám.", "Benešov nad Ploučnicí", "DC", 50.74160, 14.31240,
          "bus", crz=32110),
    Place("dc_ceska_kamenice_namesti", "Česká Kamenice,,nám.", "Česká Kamenice", "DC", 50.79780, 14.41790, "bus",
          crz=32120),
    Place("dc_ceska_kamenice_nadrazi", "Česká Kamenice,,žel.st.", "Česká Kamenice", "DC", 50.79583, 14.41402,
          "mixed", sr70="562991", crz=32121),
    # Most (MO)
    Place("mo_nadrazi", "Most,,žel.st.", "Most", "MO", 50.50860, 13.64450, "mixed", sr70="533992", crz=33101),
    Place("mo_namesti", "Most,,1.nám.", "Most", "MO", 50.50300, 13.63620, "bus", crz=33102),
    Place("mo_litvinov_namesti", "Litvínov,,nám. Míru", "Litvínov", "MO", 50.60050, 13.61080, "bus", crz=33110),
    # Louny (LN)
    Place("ln_nadrazi", "Louny,,žel.st.", "Louny", "LN", 50.35930, 13.80270, "mixed", sr70="545996", crz=34101),
    Place("ln_namesti", "Louny,,Mírové nám.", "Louny", "LN", 50.35700, 13.79670, "bus", crz=34102),
    Place("ln_zatec_namesti", "Žatec,,nám. Svobody", "Žatec", "LN", 50.32720, 13.54580, "bus", crz=34110),
    # Chomutov (CV)
    Place("cv_nadrazi", "Chomutov,,žel.st.", "Chomutov", "CV", 50.46000, 13.41800, "mixed", sr70="534891",
          crz=35101),
    Place("cv_namesti", "Chomutov,,nám. 1. máje", "Chomutov", "CV", 50.46050, 13.41330, "bus", crz=35102),
    Place("cv_kadan_namesti", "Kadaň,,Mírové nám.", "Kadaň", "CV", 50.38360, 13.27100, "bus", crz=35110),
    # Litoměřice (LT)
    Place("lt_lovosice_nadrazi", "Lovosice,,žel.st.", "Lovosice", "LT", 50.51510, 14.05110, "mixed",
          sr70="558593", crz=36101),
    Place("lt_litomerice_namesti", "Litoměřice,,Mírové nám.", "Litoměřice", "LT", 50.53350, 14.13180, "bus",
          crz=36110),
    Place("lt_roudnice_namesti", "Roudnice nad Labem,,Karlovo nám.", "Roudnice nad Labem", "LT", 50.42530, 14.26130,
          "bus", crz=36120),
)

BY_KEY: dict[str, Place] = {p.key: p for p in PLACES}

# Towns (centre positions) for road network nodes and anything else that needs a town anchor.
TOWNS: dict[str, tuple[float, float]] = {
    "Ústí nad Labem": (50.6607, 14.0323),
    "Teplice": (50.6404, 13.8245),
    "Děčín": (50.7815, 14.2145),
    "Most": (50.5030, 13.6362),
    "Louny": (50.3570, 13.7967),
    "Chomutov": (50.4605, 13.4133),
    "Litoměřice": (50.5335, 14.1318),
    "Lovosice": (50.5151, 14.0511),
    "Česká Kamenice": (50.7978, 14.4179),
    "Bílina": (50.5484, 13.7750),
    "Krupka": (50.6846, 13.8581),
    "Chlumec": (50.6993, 13.9393),
    "Trmice": (50.6445, 14.0008),
    "Benešov nad Ploučnicí": (50.7416, 14.3124),
    "Žatec": (50.3272, 13.5458),
    "Kadaň": (50.3836, 13.2710),
    "Litvínov": (50.6005, 13.6108),
    "Roudnice nad Labem": (50.4253, 14.2613),
}


def to_5514(lat: float, lon: float) -> tuple[float, float]:
    """WGS84 → S-JTSK / Krovak East North (x, y), both negative in Czechia."""
    return wgs84_to_5514(lat, lon)
