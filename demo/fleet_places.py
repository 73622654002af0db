"""Fixed facts of the fleet demo: the regional office's depot in Ústí nad Labem, the 21 cars, the
places staff drive to (with the demo road network's roads leading there) and charging stations.
Positions are approximate WGS84 of real places; the stations are plausible, not the real register."""

from __future__ import annotations

# Krajský úřad Ústeckého kraje, Velká Hradební 3118/48 (garages behind the building), ~170 m from the
# regional bus stop Mírové nám.
DEPOT = ("Krajský úřad, Velká Hradební", 50.6617, 14.0352)

# (vehicle id, registration, model, usable battery kWh, consumption factor, chance of use per working day)
VEHICLES: list[tuple[str, str, str, float, float, float]] = [
    *[(f"KUUK-{i:02d}", f"4U{i}{4300 + i * 7}", "Škoda Enyaq 60", 58.0, 1.05, p)
      for i, p in zip(range(1, 9), (0.85, 0.8, 0.8, 0.75, 0.7, 0.7, 0.65, 0.6), strict=True)],
    *[(f"KUUK-{i:02d}", f"4U{i}{4300 + i * 7}", "Volkswagen ID.3 Pro", 58.0, 0.95, p)
      for i, p in zip(range(9, 15), (0.6, 0.55, 0.5, 0.5, 0.45, 0.4), strict=True)],
    *[(f"KUUK-{i:02d}", f"4U{i}{4300 + i * 7}", "Hyundai Kona Electric", 64.0, 0.92, p)
      for i, p in zip(range(15, 19), (0.35, 0.3, 0.25, 0.2), strict=True)],
    ("KUUK-19", "4U19433", "Škoda Elroq 85", 77.0, 1.0, 0.08),
    ("KUUK-20", "4U20440", "Škoda Elroq 85", 77.0, 1.0, 0.04),
    # An older car without a telematics unit: the driver's phone app records GPX tracks (no charge data).
    ("KUUK-21", "4U21447", "Renault Zoe R135", 52.0, 0.9, 0.45),
]
GPX_VEHICLE = "KUUK-21"

# Destination → (lat, lon, town node of the road network, route as (road, from town, to town) legs from Ústí).
DESTINATIONS: dict[str, tuple[float, float, list[tuple[str, str, str]]]] = {
    "Teplice, magistrát": (50.6412, 13.8262, [("I/13", "Ústí nad Labem", "Trmice"), ("I/13", "Trmice", "Chlumec"),
                                              ("I/13", "Chlumec", "Krupka"), ("I/13", "Krupka", "Teplice")]),
    "Krupka, městský úřad": (50.6850, 13.8590, [("I/13", "Ústí nad Labem", "Trmice"), ("I/13", "Trmice", "Chlumec"),
                                               ("I/13", "Chlumec", "Krupka")]),
    "Trmice, úřad": (50.6447, 14.0015, [("I/13", "Ústí nad Labem", "Trmice")]),
    "Děčín, magistrát": (50.7790, 14.2130, [("I/13", "Ústí nad Labem", "Děčín")]),
    "Litoměřice, městský úřad": (50.5340, 14.1310, [("II/261", "Ústí nad Labem", "Litoměřice")]),
    "Lovosice, městský úřad": (50.5160, 14.0530, [("I/30", "Ústí nad Labem", "Vaňov"),
                                                 ("I/30", "Vaňov", "Velké Žernoseky"),
                                                 ("I/30", "Velké Žernoseky", "Lovosice")]),
    "Bílina, městský úřad": (50.5490, 13.7760, [("I/13", "Ústí nad Labem", "Trmice"), ("I/13", "Trmice", "Chlumec"),
                                               ("I/13", "Chlumec", "Krupka"), ("I/13", "Krupka", "Teplice"),
                                               ("I/13", "Teplice", "Bílina")]),
    "Most, magistrát": (50.5010, 13.6390, [("I/13", "Ústí nad Labem", "Trmice"), ("I/13", "Trmice", "Chlumec"),
                                          ("I/13", "Chlumec", "Krupka"), ("I/13", "Krupka", "Teplice"),
                                          ("I/13", "Teplice", "Bílina"), ("I/13", "Bílina", "Most")]),
    "Chomutov, magistrát": (50.4620, 13.4160, [("I/13", "Ústí nad Labem", "Trmice"), ("I/13", "Trmice", "Chlumec"),
                                              ("I/13", "Chlumec", "Krupka"), ("I/13", "Krupka", "Teplice"),
                                              ("I/13", "Teplice", "Bílina"), ("I/13", "Bílina", "Most"),
                                              ("I/13", "Most", "Chomutov")]),
}
# How often each destination is chosen (the Zoe only goes to the near ones).
WEIGHTS = {"Teplice, magistrát": 6, "Krupka, městský úřad": 2, "Trmice, úřad": 2, "Děčín, magistrát": 5,
           "Litoměřice, městský úřad": 4, "Lovosice, městský úřad": 2, "Bílina, městský úřad": 2,
           "Most, magistrát": 4, "Chomutov, magistrát": 3}
NEAR = ("Teplice, magistrát", "Krupka, městský úřad", "Trmice, úřad", "Děčín, magistrát", "Litoměřice, městský úřad")

# Road speeds (km/h) by road; connectors between a town node and an address are driven at town speed.
ROAD_SPEED = {"D8": 110.0, "I/13": 72.0, "I/30": 70.0, "I/15": 70.0, "I/7": 75.0, "II/261": 58.0, "II/613": 55.0}
TOWN_SPEED = 32.0

# Consumption kWh/km of a reference car by month (heating in winter, air conditioning in summer).
BASE_KWH_PER_KM = {1: 0.205, 2: 0.2, 3: 0.18, 4: 0.165, 5: 0.155, 6: 0.15, 7: 0.152, 8: 0.152, 9: 0.158,
                   10: 0.17, 11: 0.19, 12: 0.205}

# The region's own chargers at the depot (AC 11 kW wallboxes).
DEPOT_CHARGERS = [(f"KUUK-DEPOT-{i}", f"Garáž KÚ, wallbox {i}", 50.6617 + i * 0.00003, 14.0352 + i * 0.00004, 11.0)
                  for i in range(1, 7)]

# The national register of public charging stations (demo extract): id, operator, name, street, town,
# lat, lon, connectors, power kW, charge points.
PUBLIC_STATIONS = [
    ("CZ-ST-1001", "ČEZ ESCO", "Ústí n. L., Forum", "Bílinská 3490/6", "Ústí nad Labem", 50.6594, 14.0399,
     "CCS, CHAdeMO, Typ 2", 50.0, 2),
    ("CZ-ST-1002", "PRE", "Ústí n. L., Severní Terasa", "Mezní 2854/4", "Ústí nad Labem", 50.6728, 14.0264,
     "CCS, Typ 2", 50.0, 2),
    ("CZ-ST-1003", "E.ON Energie", "Teplice, Galerie", "náměstí Svobody 3316", "Teplice", 50.6415, 13.8283,
     "CCS, Typ 2", 100.0, 2),
    ("CZ-ST-1004", "ČEZ ESCO", "Děčín, Pivovar", "Děčínská 1", "Děčín", 50.7786, 14.2165, "CCS, CHAdeMO, Typ 2",
     50.0, 2),
    ("CZ-ST-1005", "ČEZ ESCO", "Most, Central", "Radniční 3400/2", "Most", 50.5021, 13.6414, "CCS, Typ 2", 50.0, 2),
    ("CZ-ST-1006", "E.ON Energie", "Chomutov, Chomutovka", "Palackého 4970", "Chomutov", 50.4632, 13.4187,
     "CCS, CHAdeMO, Typ 2", 150.0, 4),
    ("CZ-ST-1007", "Pražská energetika", "Litoměřice, Baumax", "Želetická 2188", "Litoměřice", 50.5358, 14.1339,
     "CCS, Typ 2", 50.0, 2),
    ("CZ-ST-1008", "ČEZ ESCO", "Lovosice, D8 EXIT 48", "Terezínská 1", "Lovosice", 50.5168, 14.0563, "CCS, CHAdeMO",
     150.0, 4),
    ("CZ-ST-1009", "Tesla", "Lovosice Supercharger", "Prokopa Diviše 1", "Lovosice", 50.5120, 14.0601, "CCS",
     250.0, 8),
    ("CZ-ST-1010", "ČEZ ESCO", "Bílina, náměstí", "Mírové náměstí 1", "Bílina", 50.5486, 13.7756, "Typ 2", 22.0, 2),
    ("CZ-ST-1011", "E.ON Energie", "Krupka, Bohosudov", "Husitská 1", "Krupka", 50.6730, 13.8680, "Typ 2", 22.0, 2),
    ("CZ-ST-1012", "ČEZ ESCO", "Žatec, Chmelařské nám.", "Chmelařské náměstí 1", "Žatec", 50.3275, 13.5462,
     "CCS, Typ 2", 50.0, 2),
    ("CZ-ST-1013", "ČEZ ESCO", "Louny, Lidl", "Rybalkova 2538", "Louny", 50.3520, 13.8010, "CCS, Typ 2", 50.0, 2),
    # As registers do: a station surveyed without a position, and one at 0,0.
    ("CZ-ST-1014", "Obec Chlumec", "Chlumec, obecní úřad", "Husovo náměstí 1", "Chlumec", None, None, "Typ 2",
     22.0, 1),
    ("CZ-ST-1015", "neznámý", "Trmice, parkoviště", "Pražská 1", "Trmice", 0.0, 0.0, "Typ 2", 11.0, 1),
]
# Destination town → public station used when the battery runs low there.
PUBLIC_FOR = {"Chomutov, magistrát": "CZ-ST-1006", "Most, magistrát": "CZ-ST-1005", "Bílina, městský úřad": "CZ-ST-1010",
              "Děčín, magistrát": "CZ-ST-1004", "Teplice, magistrát": "CZ-ST-1003",
              "Litoměřice, městský úřad": "CZ-ST-1007", "Lovosice, městský úřad": "CZ-ST-1008",
              "Krupka, městský úřad": "CZ-ST-1011", "Trmice, úřad": "CZ-ST-1001"}
