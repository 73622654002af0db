"""SR70 loads through the runner: staging for every record, stop places for passenger points,
quarantine for broken records, and a new version replacing the old one."""

from __future__ import annotations

from pathlib import Path

import pytest

from transport_etl.formats.sr70.lookup import station
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration

HEADER = ("Evidenční číslo;Název;Kvalifikátor;Kvalifikátor - popis;Stav;Stav - popis;Km poloha;"
          "X [S-JTSK (-Y)];Y [S-JTSK (-X)];GPS N (DEG);GPS E (DEG);VÚSC")
ROWS = [
    '531798;Ústí nad Labem hlavní nádraží;01;Železniční stanice;1;Aktivní;"516,923; 1,214";'
    "-760553,123;-976317,209;N50,659150°;E14,044078°;0420",
    "557991;Neštěmice;61;Zastávka;1;Aktivní;521,850;-755940,858;-975456,508;N50,672652°;E14,106952°;0420",
    # No S-JTSK position but WGS84 present: placed from WGS84.
    "558999;Malé Žernoseky;61;Zastávka;1;Aktivní;499,281;0,000;0,000;N50,538916°;E14,056020°;0420",
    # No position at all: stop place without geometry, never 0,0.
    "558981;Velké Žernoseky zastávka;61;Zastávka;2;Evidován;414,600;0,000;0,000;N0,000000°;E0,000000°;0420",
    # Not passenger points: node entry, state border, abolished station.
    "853176;Ústí nad Labem hlavní nádraží;13;Dopravní uzel;1;Aktivní;516,923;-760553,123;-976317,209;N50,6°;E14,0°;0420",
    "507194;Děčín státní hranice;91;Státní hranice;1;Aktivní;11,855;-744984,236;-956015,560;N50,8°;E14,2°;0420",
    "005041;Česká Kamenice-KŽC;01;Železniční stanice;4;Zrušen;24,959;-732575,487;-964885,958;N50,7°;E14,4°;0420",
]


def _csv(tmp_path: Path, rows: list[str], name: str = "sr70.csv") -> Path:
    p = tmp_path / name
    p.write_bytes(("\n".join([HEADER, *rows]) + "\n").encode("cp1250"))
    return p


def _load(make_source, path, db_url):
    return ingest(make_source("sr70", id="sz-sr70", family="rail"), path, database_url=db_url, run_kind="test",
                  log=lambda _m: None)


def test_register_to_stop_places(db_url, conn, make_source, tmp_path):
    result = _load(make_source, _csv(tmp_path, ROWS), db_url)
    assert result.outcome == "loaded", result.reason
    assert (result.rows_in, result.rows_loaded, result.rows_rejected) == (7, 7, 0)
    places = conn.execute(
        """SELECT local_id, register_id, kind, name, round(ST_X(geom)), round(ST_Y(geom)), location_note
             FROM unified.stop_place WHERE feed_version_id = %s ORDER BY local_id""",
        (result.feed_version_id,)).fetchall()
    assert places == [
        ("531798", "531798", "rail", "Ústí nad Labem hlavní nádraží", -760553, -976317, None),
        ("557991", "557991", "rail", "Neštěmice", -755941, -975457, None),
        ("558981", "558981", "rail", "Velké Žernoseky zastávka", None, None, "no_coordinates_in_source"),
        ("558999", "558999", "rail", "Malé Žernoseky", places[3][4], places[3][5], "from_wgs84"),
    ]
    # WGS84 → 5514 lands within metres of the register's own S-JTSK value (-761604.728, -989676.537).
    assert abs(places[3][4] + 761_605) <= 5 and abs(places[3][5] + 989_677) <= 5
    assert conn.execute("SELECT km FROM staging.sr70 WHERE sr70 = '531798'").fetchone()[0] == "516,923; 1,214"
    notices = dict(conn.execute("SELECT entity_key, code FROM lineage.notice WHERE feed_version_id = %s",
                                (result.feed_version_id,)).fetchall())
    assert notices == {"558981": "missing_coordinates", "558999": "position_from_wgs84"}
    lineage = conn.execute(
        """SELECT es.source_file, es.source_line, es.source_key FROM lineage.entity_source es
             JOIN unified.stop_place sp ON es.unified_table = 'unified.stop_place' AND es.unified_id = sp.id
            WHERE sp.local_id = '557991'""").fetchall()
    assert lineage == [("sr70.csv", 3, "557991")]
    # 5- and 6-digit codes find the same current register row.
    assert station(conn, "53179")["name"] == station(conn, 531798)["name"] == "Ústí nad Labem hlavní nádraží"
    assert station(conn, "55898")["location_note"] == "no_coordinates_in_source"
    assert station(conn, "99999") is None


def test_broken_records_are_quarantined_and_new_version_replaces_old(db_url, conn, make_source, tmp_path):
    first = _load(make_source, _csv(tmp_path, ROWS), db_url)
    bad_code = "53179;Bad code;01;x;1;x;0;-1;-1;N50,6°;E14,0°;0420"
    duplicate = ROWS[1].replace("Neštěmice", "Neštěmice again")
    mostly_bad = _load(make_source, _csv(tmp_path, [*ROWS[:2], bad_code, duplicate], "sr70-2.csv"), db_url)
    assert mostly_bad.outcome == "rejected" and "error threshold" in mostly_bad.reason  # 2 of 4 bad: above 10 %
    halts = [f"5{i:04d}{_check(f'5{i:04d}')};Halt {i};61;Zastávka;1;Aktivní;1,0;-760000;-976000;N50,6°;E14,0°;0420"
             for i in range(30)]
    many = [*ROWS, *halts, bad_code]
    third = _load(make_source, _csv(tmp_path, many, "sr70-3.csv"), db_url)
    assert third.outcome == "loaded" and third.rows_rejected == 1
    assert conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record WHERE feed_version_id = %s",
                        (third.feed_version_id,)).fetchall() == [(len(many) + 1, "invalid_sr70_code")]
    current = conn.execute("SELECT feed_version_id, count(*) FROM unified.stop_place WHERE recorded_to IS NULL "
                           "GROUP BY 1").fetchall()
    assert current == [(third.feed_version_id, 4 + 30)]
    assert conn.execute("SELECT count(*) FROM unified.stop_place WHERE feed_version_id = %s AND recorded_to IS NOT NULL",
                        (first.feed_version_id,)).fetchone()[0] == 4
    rejected = conn.execute("SELECT reason_code FROM lineage.rejected_record WHERE feed_version_id = %s ORDER BY 1",
                            (mostly_bad.feed_version_id,)).fetchall()
    assert rejected == [("duplicate_key",), ("invalid_sr70_code",)]


def _check(code5: str) -> str:
    from transport_etl.ids.sr70 import check_digit

    return str(check_digit(code5))


def _halts(n: int, kind: str = "61") -> list[str]:
    return [f"5{i:04d}{_check(f'5{i:04d}')};Halt {i};{kind};Zastávka;1;Aktivní;1,0;-760000;-976000;N50,6°;E14,0°;0420"
            for i in range(n)]


def test_wrong_check_digit_is_reported_and_keyed_on_the_base_code(db_url, conn, make_source, tmp_path):
    halts = _halts(30)
    wrong_dup = "53179" + str((int(ROWS[0][5]) + 1) % 10) + ROWS[0][6:].replace("hlavní nádraží", "(copy)", 1)
    lone = halts[5][:5] + str((int(halts[5][5]) + 3) % 10) + ";Lone" + halts[5].split(";Halt 5", 1)[1]
    result = _load(make_source, _csv(tmp_path, [*ROWS, *halts[:5], lone, *halts[6:], wrong_dup]), db_url)
    assert result.outcome == "loaded", result.reason
    fv = result.feed_version_id
    assert conn.execute("SELECT reason_code, message FROM lineage.rejected_record WHERE feed_version_id = %s",
                        (fv,)).fetchall() == [("duplicate_key", f"SR70 code {wrong_dup[:6]} already read above as 531798")]
    notices = conn.execute("SELECT entity_key, line_no FROM lineage.notice WHERE feed_version_id = %s AND code = "
                           "'invalid_check_digit'", (fv,)).fetchall()
    assert notices == [(lone[:6], len(ROWS) + 7)]
    # the place is keyed by the computed code, as CZPTT names it
    assert conn.execute("SELECT count(*) FROM unified.stop_place WHERE feed_version_id = %s AND local_id = %s",
                        (fv, halts[5][:6])).fetchone()[0] == 1


def test_a_bad_line_is_quarantined_and_the_rest_loaded(db_url, conn, make_source, tmp_path):
    halts = _halts(40)
    p = _csv(tmp_path, [*ROWS, *halts])
    data = p.read_bytes()
    data = data.replace(b"Halt 3;", b"Ha\x00lt 3;").replace(b"Halt 5;", b"Ha\x98lt 5;")
    data = data.replace(b"Halt 7;", b"Halt 7" + b"A" * 200_000 + b";")
    p.write_bytes(data)
    # (the 200 kB line is most of the input's bytes: the operator says that is fine)
    result = ingest(make_source("sr70", id="sz-sr70", family="rail", max_rejected_bytes_ratio=1.0), p,
                    database_url=db_url, run_kind="test", log=lambda _m: None)
    assert result.outcome == "loaded", result.reason
    first = len(ROWS) + 2  # line of Halt 0
    assert conn.execute("SELECT line_no, reason_code FROM lineage.rejected_record WHERE feed_version_id = %s "
                        "ORDER BY 1", (result.feed_version_id,)).fetchall() == [
        (first + 3, "invalid_character"), (first + 5, "invalid_character"), (first + 7, "line_too_long")]
    stats = result.files["sr70.csv"]
    assert (stats["rows_in"], stats["rows_loaded"], stats["rows_rejected"]) == (47, 44, 3)


def test_a_register_losing_most_stations_is_held(db_url, conn, make_source, tmp_path):
    halts = _halts(30)
    assert _load(make_source, _csv(tmp_path, [*ROWS, *halts]), db_url).outcome == "loaded"
    # a spreadsheet re-save strips the leading zero of '01': still stations, nothing lost
    stripped = [r.replace(";01;", ";1;", 1) for r in ROWS]
    assert _load(make_source, _csv(tmp_path, [*stripped, *halts], "b.csv"), db_url).outcome == "loaded"
    held = _load(make_source, _csv(tmp_path, [*ROWS, *_halts(30, "99")], "c.csv"), db_url)
    assert held.outcome == "held" and "stop_place would shrink" in held.reason
