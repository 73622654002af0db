"""CZPTT end to end through the runner: calendars, times, merge rules, network, safety."""

from __future__ import annotations

import datetime as dt
import gzip
import zipfile
from pathlib import Path

import pytest

from transport_etl.formats.czptt.writer import Stop, cancel_message, path_message
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

SR70_HEADER = ("Evidenční číslo;Název;Kvalifikátor;Kvalifikátor - popis;Stav;Stav - popis;"
               "X [S-JTSK (-Y)];Y [S-JTSK (-X)];GPS N (DEG);GPS E (DEG);VÚSC")
SR70_ROWS = [  # real codes and positions from the 2026-08 register
    "531798;Ústí nad Labem hlavní nádraží;01;Železniční stanice;1;Aktivní;-760553,123;-976317,209;N50,659150°;E14,044078°;0420",
    "556597;Děčín hlavní nádraží;01;Železniční stanice;1;Aktivní;-747789,762;-965282,678;N50,773459°;E14,201096°;0420",
    "532895;Teplice v Čechách;01;Železniční stanice;1;Aktivní;-775783,279;-975539,263;N50,646531°;E13,829342°;0420",
]
START = dt.date(2026, 3, 2)  # a Monday
END = dt.date(2026, 3, 8)
CORE = "--KADR012345"
PA = f"0054:{CORE}:00:2026"


def _quiet(_msg: str) -> None:
    pass


def _load(source, path, db_url):
    return ingest(source, path, database_url=db_url, run_kind="test", log=_quiet)


def _sr70(tmp_path: Path) -> Path:
    p = tmp_path / "sr70.csv"
    p.write_bytes(("\n".join([SR70_HEADER, *SR70_ROWS]) + "\n").encode("cp1250"))
    return p


def _night_train(created: dt.datetime, bitmap: str, dep: str = "23:40:00") -> bytes:
    """Děčín hl.n. 23:40 → Ústí hl.n. (after midnight) → a passing point → Teplice v Čechách."""
    return path_message(
        core=CORE, train_number="6699", year=2026, bitmap=bitmap, start=START, end=END, created=created, stops=[
            Stop("55659", "Děčín hl.n.", departure=dep, track="2"),
            Stop("53179", "Ústí nad Labem hl.n.", arrival="00:02:00", arrival_offset=1, departure="00:05:00",
                 departure_offset=1),
            Stop("53159", "Ústí nad Labem západ", arrival="00:08:00", arrival_offset=1, departure="00:08:30",
                 departure_offset=1, activities=("0001", "0002")),
            Stop("53289", "Teplice v Čechách", arrival="00:31:00", arrival_offset=1),
        ])


def _zip(path: Path, members: dict[str, bytes]) -> Path:
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return path


def test_bitmap_offset_cancellation_and_duplicate_pa(db_url, conn, make_source, tmp_path):
    assert _load(make_source("sr70", id="sz-sr70", family="rail"), _sr70(tmp_path), db_url).outcome == "loaded"
    archive = _zip(tmp_path / "GVD2026.zip", {
        "PA_0054_--KADR012345_00_2026.xml": _night_train(dt.datetime(2026, 1, 15, 9, 0), "1111100"),
        # An older version of the same PA, later in the archive: must be ignored.
        "old/PA_0054_--KADR012345_00_2026.xml": _night_train(dt.datetime(2025, 10, 1, 9, 0), "1111111", "22:00:00"),
        # Cancels Wednesday 4 March (and Saturday, which the path does not run anyway).
        "zruseni/PA_0054_--KADR012345_00_2026.xml": cancel_message(
            core=CORE, year=2026, bitmap="0010010", start=START, end=END, created=dt.datetime(2026, 2, 1, 12, 0)),
    })
    result = _load(make_source("czptt", id="sz-czptt", family="rail"), archive, db_url)
    assert result.outcome == "loaded", result.reason
    fv = result.feed_version_id
    assert (result.coverage_from, result.coverage_to) == ("2026-03-02", "2026-03-06")

    days = [r[0] for r in conn.execute(
        """SELECT sd.service_date FROM unified.service_day sd JOIN unified.journey j
             ON j.service_calendar_id = sd.service_calendar_id WHERE j.local_id = %s ORDER BY 1""", (PA,))]
    assert days == [dt.date(2026, 3, 2), dt.date(2026, 3, 3), dt.date(2026, 3, 5), dt.date(2026, 3, 6)]

    calls = conn.execute(
        """SELECT c.sequence, sp.local_id, sp.platform_code, c.arrival_s, c.departure_s FROM unified.call c
             JOIN unified.journey j ON j.id = c.journey_id JOIN unified.stop_point sp ON sp.id = c.stop_point_id
            WHERE j.local_id = %s ORDER BY c.sequence""", (PA,)).fetchall()
    assert calls == [
        (1, "556597/2", "2", None, 85_200),      # 23:40
        (2, "531798", None, 86_520, 86_700),     # 00:02 / 00:05 next day
        (4, "532895", None, 88_260, None),       # 00:31 next day; the operational stop (seq 3) is not a call
    ]
    journey = conn.execute(
        """SELECT j.public_code, j.headsign, l.public_code, l.name, l.mode, l.route_type, o.name, o.company_id
             FROM unified.journey j JOIN unified.line l ON l.id = j.line_id JOIN unified.operator o ON o.id = l.operator_id
            WHERE j.feed_version_id = %s""", (fv,)).fetchall()
    assert journey == [("6699", "Teplice v Čechách", "6699", "Os 6699", "rail", 106, "České dráhy, a.s.", "1154")]

    statuses = conn.execute(
        "SELECT source_file, status FROM staging.czptt_message WHERE feed_version_id = %s ORDER BY msg_no",
        (fv,)).fetchall()
    assert statuses == [("GVD2026.zip/PA_0054_--KADR012345_00_2026.xml", "current"),
                        ("GVD2026.zip/old/PA_0054_--KADR012345_00_2026.xml", "superseded"),
                        ("GVD2026.zip/zruseni/PA_0054_--KADR012345_00_2026.xml", "applied")]
    assert conn.execute(
        "SELECT count(*) FROM lineage.notice WHERE feed_version_id = %s AND code = 'duplicate_path_superseded'",
        (fv,)).fetchone()[0] == 1
    # Non-public locations stay in staging.
    assert conn.execute("SELECT count(*) FROM staging.czptt_location WHERE feed_version_id = %s AND NOT is_public",
                        (fv,)).fetchone()[0] == 2  # one in each path version

    # Stations positioned from the SR70 register; Ústí západ is not in that extract.
    places = dict(conn.execute(
        """SELECT local_id, coalesce(ST_AsText(geom), location_note) FROM unified.stop_place
            WHERE feed_version_id = %s""", (fv,)).fetchall())
    assert places == {"556597": "POINT(-747789.762 -965282.678)", "531798": "POINT(-760553.123 -976317.209)",
                      "532895": "POINT(-775783.279 -975539.263)"}
    links = conn.execute(
        "SELECT local_id, round(length_m) FROM unified.transport_link WHERE feed_version_id = %s ORDER BY 1",
        (fv,)).fetchall()
    assert [lid for lid, _ in links] == ["531798-532895", "531798-556597"]  # Ústí západ has no position
    assert 16_000 < links[1][1] < 18_000  # Děčín–Ústí straight line ≈ 16.9 km

    # Lineage: each unified row names its message file; the calendar also names the cancellation.
    sources = conn.execute(
        """SELECT es.source_file, es.source_key FROM lineage.entity_source es JOIN unified.service_calendar sc
             ON es.unified_table = 'unified.service_calendar' AND es.unified_id = sc.id
            WHERE sc.feed_version_id = %s ORDER BY 1""", (fv,)).fetchall()
    assert sources == [("GVD2026.zip/PA_0054_--KADR012345_00_2026.xml", PA),
                       ("GVD2026.zip/zruseni/PA_0054_--KADR012345_00_2026.xml", f"{PA} cancellation")]
    for table in ("operator", "line", "service_calendar", "journey", "call", "stop_place",
                  "stop_point", "transport_node", "transport_link", "route_geometry"):
        missing = conn.execute(
            f"""SELECT count(*) FROM unified.{table} u WHERE u.feed_version_id = %s AND NOT EXISTS (
                  SELECT 1 FROM lineage.entity_source es WHERE es.unified_table = 'unified.{table}'
                    AND es.unified_id = u.id AND es.source_file IS NOT NULL)""", (fv,)).fetchone()[0]
        assert missing == 0, table


def test_without_sr70_stations_have_no_position(db_url, conn, make_source, tmp_path):
    f = tmp_path / "PA_0054_--KADR012345_00_2026.xml"
    f.write_bytes(_night_train(dt.datetime(2026, 1, 15, 9, 0), "1111100"))
    result = _load(make_source("czptt", id="sz-czptt", family="rail"), f, db_url)
    assert result.outcome == "loaded", result.reason
    rows = conn.execute("SELECT geom IS NULL, location_note FROM unified.stop_place WHERE feed_version_id = %s",
                        (result.feed_version_id,)).fetchall()
    assert rows == [(True, "sr70_not_loaded")] * 3
    assert conn.execute("SELECT count(*) FROM unified.transport_link WHERE feed_version_id = %s",
                        (result.feed_version_id,)).fetchone()[0] == 0


def test_monthly_xml_zip_that_is_really_gzip(db_url, conn, make_source, tmp_path):
    f = tmp_path / "PA_0054_--KADR012345_00_2026.xml.zip"
    f.write_bytes(gzip.compress(_night_train(dt.datetime(2026, 1, 15, 9, 0), "1000000")))
    result = _load(make_source("czptt", id="sz-czptt", family="rail"), f, db_url)
    assert result.outcome == "loaded", result.reason
    assert conn.execute("SELECT service_date FROM unified.service_day WHERE feed_version_id = %s",
                        (result.feed_version_id,)).fetchall() == [(dt.date(2026, 3, 2),)]


def test_folder_of_annual_zip_and_monthly_gzip_changes(db_url, conn, make_source, tmp_path):
    folder = tmp_path / "2026"
    (folder / "2026-02").mkdir(parents=True)
    _zip(folder / "GVD2026.zip", {"PA_0054_--KADR012345_00_2026.xml": _night_train(dt.datetime(2025, 10, 1), "1111111")})
    (folder / "2026-02" / "PA_0054_--KADR012345_00_2026.xml.zip").write_bytes(
        gzip.compress(_night_train(dt.datetime(2026, 2, 3), "0000011", dep="23:10:00")))
    result = _load(make_source("czptt", id="sz-czptt", family="rail"), folder, db_url)
    assert result.outcome == "loaded", result.reason
    fv = result.feed_version_id
    assert [r[0] for r in conn.execute("SELECT service_date FROM unified.service_day WHERE feed_version_id = %s "
                                       "ORDER BY 1", (fv,))] == [dt.date(2026, 3, 7), dt.date(2026, 3, 8)]
    assert conn.execute("SELECT min(departure_s) FROM unified.call WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0] == 83_400  # 23:10 from the newer monthly change


BOMB = (b'<?xml version="1.0"?>\n<!DOCTYPE lolz [\n <!ENTITY lol "lol">\n'
        + b"".join(b' <!ENTITY lol%d "%s">\n' % (i, (b"&lol%d;" % (i - 1) if i > 1 else b"&lol;") * 10)
                   for i in range(1, 10))
        + b"]>\n<CZPTTCISMessage>&lol9;</CZPTTCISMessage>\n")


@pytest.mark.parametrize(("name", "content", "reason"), [
    ("bomb.xml", BOMB, "DTD or entities"),
    ("notes.xml", b"%PDF-1.4 this is not xml at all", "is not XML"),
    ("broken.xml", b"<CZPTTCISMessage><Identifiers></CZPTTCISMessage>", "not well-formed"),
    ("other.xml", b"<gpx version='1.1'/>", "not a CZPTT message"),
])
def test_hostile_or_non_xml_input_is_rejected_and_current_version_stays(db_url, conn, make_source, tmp_path,
                                                                        name, content, reason):
    source = make_source("czptt", id="sz-czptt", family="rail")
    good = tmp_path / "good.xml"
    good.write_bytes(_night_train(dt.datetime(2026, 1, 15, 9, 0), "1111100"))
    first = _load(source, good, db_url)
    assert first.outcome == "loaded"
    bad = tmp_path / name
    bad.write_bytes(content)
    result = _load(source, bad, db_url)
    assert result.outcome == "rejected"
    assert reason in result.reason and "\n" not in result.reason
    current = conn.execute("SELECT id FROM lineage.feed_version WHERE source_id = 'sz-czptt' AND is_current").fetchall()
    assert current == [(first.feed_version_id,)]
    assert conn.execute("SELECT count(*) FROM unified.journey WHERE source_id = 'sz-czptt' AND recorded_to IS NULL"
                        ).fetchone()[0] == 1
    assert conn.execute("SELECT count(*) FROM staging.czptt_message WHERE feed_version_id = %s",
                        (result.feed_version_id,)).fetchone()[0] == 0


def test_bomb_inside_an_archive_rejects_the_whole_archive(db_url, make_source, tmp_path):
    archive = _zip(tmp_path / "GVD2026.zip", {
        "PA_0054_--KADR012345_00_2026.xml": _night_train(dt.datetime(2026, 1, 15, 9, 0), "1111100"),
        "PA_0054_--KADR099999_00_2026.xml": BOMB})
    result = _load(make_source("czptt", id="sz-czptt", family="rail"), archive, db_url)
    assert result.outcome == "rejected" and "PA_0054_--KADR099999_00_2026.xml" in result.reason


def test_oversized_member_is_refused(db_url, make_source, tmp_path):
    big = b"<CZPTTCISMessage>" + b" " * 5000 + b"</CZPTTCISMessage>"
    archive = _zip(tmp_path / "GVD2026.zip", {"PA_big.xml": big})
    result = _load(make_source("czptt", id="sz-czptt", family="rail", max_message_bytes=4096), archive, db_url)
    assert result.outcome == "rejected" and "above the limit" in result.reason


def test_broken_member_of_an_archive_is_quarantined(db_url, conn, make_source, tmp_path):
    members = {f"PA_0054_--KADR0000{i:02d}_00_2026.xml": _night_train(dt.datetime(2026, 1, 15), "1111100").replace(
        CORE.encode(), f"--KADR0000{i:02d}".encode()) for i in range(12)}
    members["PA_broken.xml"] = b"<CZPTTCISMessage><Identifiers>"
    members["README.txt"] = "Jízdní řády 2026".encode()
    result = _load(make_source("czptt", id="sz-czptt", family="rail"), _zip(tmp_path / "GVD2026.zip", members), db_url)
    assert result.outcome == "loaded", result.reason
    assert result.rows_rejected == 1
    # booked under the archive, whose statistics count the message; the reason names the member
    (file_name, code, message), = conn.execute(
        "SELECT file_name, reason_code, message FROM lineage.rejected_record WHERE feed_version_id = %s",
        (result.feed_version_id,)).fetchall()
    assert (file_name, code) == ("GVD2026.zip", "invalid_xml") and "GVD2026.zip/PA_broken.xml" in message
    stats = result.files["GVD2026.zip"]
    assert stats["rows_in"] == stats["rows_loaded"] + stats["rows_rejected"] == 13
    assert conn.execute("SELECT count(*) FROM unified.journey WHERE feed_version_id = %s",
                        (result.feed_version_id,)).fetchone()[0] == 12
    assert conn.execute("SELECT file_name FROM lineage.notice WHERE feed_version_id = %s AND code = "
                        "'unknown_file_ignored'", (result.feed_version_id,)).fetchall() == [("GVD2026.zip/README.txt",)]


def test_links_from_a_rail_line_layer(db_url, conn, make_source, tmp_path):
    import geopandas as gpd
    from shapely.geometry import LineString, MultiLineString

    assert _load(make_source("sr70", id="sz-sr70", family="rail"), _sr70(tmp_path), db_url).outcome == "loaded"
    layer = tmp_path / "trate.geojson"
    gpd.GeoDataFrame(
        {"trat": ["090", "130"], "nazev": ["Děčín – Ústí", "Ústí – Teplice"]},
        geometry=[LineString([(-747789.762, -965282.678), (-752000, -972000), (-760553.123, -976317.209)]),
                  MultiLineString([[(-760553.123, -976317.209), (-768000, -977000)],
                                   [(-768000, -977000), (-775783.279, -975539.263)]])],
        crs="EPSG:5514").to_file(layer, driver="GeoJSON")
    f = tmp_path / "PA.xml"
    f.write_bytes(_night_train(dt.datetime(2026, 1, 15, 9, 0), "1111100"))
    source = make_source("czptt", id="sz-czptt", family="rail", rail_layer=str(layer), rail_layer_line_field="trat",
                         rail_layer_name_field="nazev")
    result = _load(source, f, db_url)
    assert result.outcome == "loaded", result.reason
    links = conn.execute(
        """SELECT l.local_id, l.road_number, l.name, ST_NPoints(l.geom), s.local_id, e.local_id
             FROM unified.transport_link l LEFT JOIN unified.transport_node s ON s.id = l.start_node_id
             LEFT JOIN unified.transport_node e ON e.id = l.end_node_id
            WHERE l.feed_version_id = %s ORDER BY 1""", (result.feed_version_id,)).fetchall()
    assert links == [("0", "090", "Děčín – Ústí", 3, "556597", "531798"),
                     ("1#1", "130", "Ústí – Teplice", 2, "531798", None),
                     ("1#2", "130", "Ústí – Teplice", 2, None, "532895")]


@pytest.mark.parametrize(("old", "new"), [
    (b"<Offset>0</Offset>", b"<Offset>100000</Offset>"),
    (b"<TimetableYear>2026</TimetableYear>", b"<TimetableYear>99999999999</TimetableYear>"),
    (b"<StartDateTime>2026-", b"<StartDateTime>9999-"),
])
def test_one_unusable_value_rejects_only_its_message(db_url, conn, make_source, tmp_path, old, new):
    good = _night_train(dt.datetime(2026, 1, 15), "1111100")
    assert old in good
    members = {"PA_0054_--KADR000001_00_2026.xml": good.replace(CORE.encode(), b"--KADR000001"),
               "PA_0054_--KADR000002_00_2026.xml": good.replace(CORE.encode(), b"--KADR000002").replace(old, new, 1),
               "PA_x.xml": b"CANARY not xml at all " * 200}
    result = _load(make_source("czptt", id="sz-czptt", family="rail", max_reject_ratio=0.9),
                   _zip(tmp_path / "GVD2026.zip", members), db_url)
    assert result.outcome == "loaded", result.reason
    rows = conn.execute("SELECT file_name, reason_code, message, raw_text FROM lineage.rejected_record "
                        "WHERE feed_version_id = %s ORDER BY message", (result.feed_version_id,)).fetchall()
    assert [(r[0], r[1]) for r in rows] == [("GVD2026.zip", "invalid_czptt"), ("GVD2026.zip", "invalid_xml")]
    assert "KADR000002" in rows[0][2] and len(rows[0][3]) <= 60
    assert rows[1][3] is None  # nothing of a member that is not XML is quoted
    stats = result.files["GVD2026.zip"]
    assert (stats["rows_in"], stats["rows_loaded"], stats["rows_rejected"]) == (3, 1, 2)
