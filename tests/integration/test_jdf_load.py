"""JDF into PostGIS through the runner: demo batches positioned from the demo stop register,
calendar and stop-time semantics in the unified model, refusals of bad batches, GTFS round trip."""

import datetime as dt
import importlib.util

import pytest

from demo import regional
from transport_etl.formats.jdf.writer import batch_bytes, write_zip, zip_bytes
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration


@pytest.fixture
def demo(tmp_path):
    return regional.generate(tmp_path / "demo"), tmp_path / "demo"


def load_demo(db_url, make_source, out, register=True):
    if register:
        reg = make_source("stop-register", id=regional.REGISTER_SOURCE, family="regional")
        assert ingest(reg, out / "stop_register.csv", database_url=db_url).outcome == "loaded"
    src = make_source("jdf", id=regional.JDF_SOURCE, family="regional", register_source=regional.REGISTER_SOURCE)
    return ingest(src, out / "jdf" / "JDF.zip", database_url=db_url)


def test_demo_bulk_export(db_url, conn, make_source, demo, tmp_path):
    """One database for the demo checks (each database costs seconds to create and drop)."""
    info, out = demo
    res = load_demo(db_url, make_source, out)
    assert res.outcome == "loaded", res.reason
    check_positions(conn, res, info)
    check_calendars(conn)
    check_calls_and_lineage(conn, res.feed_version_id)
    if importlib.util.find_spec("transport_etl.formats.gtfs.loader") is not None:
        check_gtfs_round_trip(db_url, conn, make_source, tmp_path)


def check_positions(conn, res, info):
    n_trips = sum(len(line["trips"]) for line in regional.LINES)
    assert res.tables["unified.journey"] == n_trips
    assert res.tables["unified.line"] == len(regional.LINES)
    assert res.rows_rejected == 0

    # Every demo stop that is a place is positioned; the two stops the register lacks are not.
    truth = {local for sid, local, _key in info["truth"] if sid == regional.JDF_SOURCE}
    rows = conn.execute("""SELECT local_id, geom IS NOT NULL, location_note, register_id FROM unified.stop_place
                            WHERE source_id = %s AND recorded_to IS NULL""", (regional.JDF_SOURCE,)).fetchall()
    positioned = {r[0] for r in rows if r[1]}
    assert truth <= positioned
    unmatched = {r[0]: r[2] for r in rows if not r[1]}
    assert unmatched == {"Děčín,Březiny,rozc.|DC|CZ": "unmatched_in_register",
                         "Obrnice,,nám.|MO|CZ": "unmatched_in_register"}
    assert res.notices == {"stop_unmatched (WARNING)": 2}
    # The batch written with CRZ numbers is matched by them; "Benešov n.Pl.,,náměstí" by its normalised name.
    methods = dict(conn.execute("""SELECT s.place_key, m.method FROM staging.jdf_stop_match m
                                     JOIN staging.jdf_stop s USING (feed_version_id, place_key)""").fetchall())
    assert methods["Ústí nad Labem,,hl.nádr.|UL|CZ"] == "register_id"
    assert methods["Benešov n.Pl.,,náměstí|DC|CZ"] == "name_district"
    # Poles: the CRZ batch's calls use označník 1 outbound and 2 back, placed on the register's poles.
    poles = conn.execute("""SELECT count(*) FROM unified.stop_point WHERE source_id = %s
                             AND location_note = 'register:pole'""", (regional.JDF_SOURCE,)).fetchone()[0]
    assert poles == 16


def _days(conn, line, trip):
    return [r[0] for r in conn.execute(
        """SELECT d.service_date FROM unified.journey j JOIN unified.service_day d
             ON d.service_calendar_id = j.service_calendar_id
            WHERE j.source_id = %s AND j.local_id = %s ORDER BY 1""",
        (regional.JDF_SOURCE, f"{line}/1/{trip}")).fetchall()]


def check_calendars(conn):
    # Trip 15: type 3 "runs only" on 23.12.2025 and 30.12.2025.
    assert _days(conn, "551401", 15) == [dt.date(2025, 12, 23), dt.date(2025, 12, 30)]
    # Trip 13: working days, not 24.–26.12. and 31.12.; 1.1.2026 is a holiday.
    days13 = set(_days(conn, "551401", 13))
    assert dt.date(2025, 12, 23) in days13 and dt.date(2025, 12, 29) in days13
    assert not {dt.date(2025, 12, 24), dt.date(2025, 12, 31), dt.date(2026, 1, 1)} & days13
    # Working days across Easter 2026 (Good Friday 3.4., Easter Monday 6.4.).
    days1 = set(_days(conn, "551401", 1))
    assert dt.date(2026, 4, 2) in days1 and dt.date(2026, 4, 7) in days1
    assert not {dt.date(2026, 4, 3), dt.date(2026, 4, 6)} & days1


def check_calls_and_lineage(conn, fv):
    # Trip 11 leaves at 23:30 and arrives after midnight: times count on past 24 h.
    arr = conn.execute("""SELECT max(c.arrival_s) FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
                           WHERE j.local_id = '551401/1/11' AND j.feed_version_id = %s""", (fv,)).fetchone()[0]
    assert arr == (24 * 60 + 20) * 60
    # Even trips run from the highest tariff number down.
    first = conn.execute("""SELECT sp.name FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
                              JOIN unified.stop_point sp ON sp.id = c.stop_point_id
                             WHERE j.local_id = '551401/1/2' AND j.feed_version_id = %s AND c.sequence = 1""",
                         (fv,)).fetchone()[0]
    assert first == "Teplice,,žel.st."
    # The express trip 3 passes Chlumec: a call without times and no boarding.
    passing = conn.execute("""SELECT sp.name, c.pickup_type FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
                                JOIN unified.stop_point sp ON sp.id = c.stop_point_id
                               WHERE j.local_id = '551401/1/3' AND j.feed_version_id = %s AND c.departure_s IS NULL""",
                           (fv,)).fetchall()
    assert passing == [("Chlumec,,nám.", 1)]
    # Every unified row of the version has lineage pointing at a batch file and line.
    for table in ("operator", "stop_place", "stop_point", "line", "service_calendar", "journey", "call"):
        orphans = conn.execute(
            f"""SELECT count(*) FROM unified.{table} u WHERE u.feed_version_id = %s AND NOT EXISTS (
                  SELECT 1 FROM lineage.entity_source e WHERE e.unified_table = 'unified.{table}'
                     AND e.unified_id = u.id AND e.source_file IS NOT NULL AND e.source_line IS NOT NULL)""",
            (fv,)).fetchone()[0]
        assert orphans == 0, table
    src = conn.execute("""SELECT e.source_file, e.source_line FROM lineage.entity_source e
                            JOIN unified.call c ON c.id = e.unified_id AND e.unified_table = 'unified.call'
                           WHERE c.local_id = '551401/1/1/1' AND c.feed_version_id = %s""", (fv,)).fetchone()
    assert src == ("551401_1.zip/Zasspoje.txt", 1)


def _single_batch(tmp_path, mutate=None, name="batch.zip"):
    files, _truth = regional._batch(regional.LINES[2])
    data = batch_bytes(files)
    if mutate:
        mutate(data)
    p = tmp_path / name
    write_zip(p, data)
    return p


def _assert_nothing_published(conn, source_id):
    for table in ("stop_place", "journey", "call"):
        assert conn.execute(f"SELECT count(*) FROM unified.{table} WHERE source_id = %s", (source_id,)).fetchone()[0] == 0


BAD_BATCHES = [
    (lambda d: d.__setitem__("Zastavky.txt", d["Zastavky.txt"].decode("cp1250").encode("utf-8")),
     "wrong_encoding", "Zastavky.txt is UTF-8"),
    (lambda d: d.pop("Caskody.txt"), "missing_required_file", "Caskody.txt"),
    (lambda d: d.__setitem__("VerzeJDF.txt", b'"2.0","","","","01122025","x";\r\n'), "unsupported_version",
     "'2.0'"),
]


def test_bad_batches_are_refused_whole(db_url, conn, make_source, tmp_path):
    for i, (mutate, code, words) in enumerate(BAD_BATCHES):
        src = make_source("jdf", id=f"test-jdf-bad-{i}", family="regional")
        res = ingest(src, _single_batch(tmp_path, mutate, name=f"bad{i}.zip"), database_url=db_url)
        assert res.outcome == "rejected" and res.reason_code == code and words in res.reason
        _assert_nothing_published(conn, src.id)


def test_truncated_record_is_quarantined_with_its_line(db_url, conn, make_source, tmp_path):
    cut_line = {}

    def cut(d):
        lines = d["Zasspoje.txt"].split(b"\r\n")
        cut_line["no"] = 7
        lines[6] = lines[6][:25]  # the 7th record loses its end
        d["Zasspoje.txt"] = b"\r\n".join(lines)

    src = make_source("jdf", id="test-jdf-trunc", family="regional")
    res = ingest(src, _single_batch(tmp_path, cut), database_url=db_url)
    assert res.outcome == "loaded" and res.rows_rejected == 1
    (rej,) = conn.execute("SELECT file_name, line_no, reason_code FROM lineage.rejected_record").fetchall()
    assert rej == ("Zasspoje.txt", cut_line["no"], "truncated_record")
    staged = conn.execute("SELECT count(*), bool_or(line_no = 7) FROM staging.jdf_zasspoje").fetchone()
    assert staged == (res.files["Zasspoje.txt"]["rows_in"] - 1, False)


def test_too_many_bad_records_reject_the_version(db_url, conn, make_source, tmp_path):
    def garble(d):
        d["Zasspoje.txt"] = d["Zasspoje.txt"].replace(b'";\r\n', b'"\r\n')
    src = make_source("jdf", id="test-jdf-garbled", family="regional")
    res = ingest(src, _single_batch(tmp_path, garble), database_url=db_url)
    assert res.outcome == "rejected" and res.reason_code == "error_threshold"
    _assert_nothing_published(conn, "test-jdf-garbled")
    assert conn.execute("SELECT count(*) FROM lineage.rejected_record WHERE reason_code = 'truncated_record'"
                        ).fetchone()[0] > 0


def test_bulk_export_quarantines_a_bad_inner_batch(db_url, conn, make_source, tmp_path):
    good = [zip_bytes(batch_bytes(regional._batch(line)[0])) for line in regional.LINES[:2]]
    bad_files = batch_bytes(regional._batch(regional.LINES[2])[0])
    del bad_files["Spoje.txt"]
    outer = tmp_path / "JDF.zip"
    write_zip(outer, {"a.zip": good[0], "b.zip": zip_bytes(bad_files), "c.zip": good[1]})
    src = make_source("jdf", id="test-jdf-bulk", family="regional")
    res = ingest(src, outer, database_url=db_url)
    assert res.outcome == "loaded" and res.tables["unified.line"] == 2
    rej = conn.execute("SELECT file_name, reason_code FROM lineage.rejected_record").fetchall()
    assert rej == [("b.zip", "missing_required_file")]


def test_a_line_in_two_batches_of_a_bulk_export_loads_its_calls_once(db_url, conn, make_source, tmp_path):
    one = zip_bytes(batch_bytes(regional._batch(regional.LINES[0])[0]))
    outer = tmp_path / "JDF.zip"
    write_zip(outer, {"a.zip": one, "b.zip": one})  # e.g. two JDF 1.9 batches of one line (distinction "1")
    res = ingest(make_source("jdf", id="test-jdf-twice", family="regional"), outer, database_url=db_url)
    assert res.outcome == "loaded", res.reason
    fv = res.feed_version_id
    assert conn.execute("SELECT count(*) = count(DISTINCT local_id) FROM unified.journey WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0]
    # each journey has the calls of one batch: as many as that batch's Zasspoje records of its trip
    calls, staged = conn.execute(
        "SELECT (SELECT count(*) FROM unified.call WHERE feed_version_id = %(fv)s), "
        "(SELECT count(*) FROM staging.jdf_call WHERE feed_version_id = %(fv)s)", {"fv": fv}).fetchone()
    assert calls * 2 == staged


def check_gtfs_round_trip(db_url, conn, make_source, tmp_path):
    """The exported feed loads through our own GTFS loader with zero ERROR notices."""
    from transport_etl.export.gtfs import export_gtfs

    summary = export_gtfs(db_url, regional.JDF_SOURCE, tmp_path / "export.zip")
    n_trips = sum(len(line["trips"]) for line in regional.LINES)
    assert summary["trips"] == n_trips and summary["routes"] == 3
    assert sorted(summary["stops_without_position"]) == ["Děčín,Březiny,rozc.|DC|CZ#", "Obrnice,,nám.|MO|CZ#"]
    res = ingest(make_source("gtfs", id="test-jdf-export-gtfs"), tmp_path / "export.zip", database_url=db_url)
    assert res.outcome == "loaded", res.reason
    errors = conn.execute("SELECT code, message FROM lineage.notice WHERE feed_version_id = %s AND severity = 'ERROR'",
                          (res.feed_version_id,)).fetchall()
    assert errors == []
    assert res.tables["unified.journey"] == n_trips
    assert res.tables["unified.call"] == summary["stop_times"]
    # gtfs-kit reads the export as a consumer would: the same routes and trips, the same service span
    from transport_etl.export.describe import describe_gtfs

    described = describe_gtfs(tmp_path / "export.zip")
    assert (described["num_routes"], described["num_trips"]) == (3, n_trips)
    assert described["num_stops"] == summary["stops"]


def test_a_second_version_s_calls_use_that_version_s_journeys_and_stop_points(db_url, conn, make_source, tmp_path):
    """Calls find their journey and stop point among the version's own rows (publish.sql hashes them by key):
    after a reload every call of the new version points at a journey and a stop point of that version."""
    outer = tmp_path / "JDF.zip"
    write_zip(outer, {f"{ln['line']}.zip": zip_bytes(batch_bytes(regional._batch(ln)[0])) for ln in regional.LINES})
    src = make_source("jdf", id="test-jdf-again", family="regional")
    first = ingest(src, outer, database_url=db_url)
    again = ingest(src, outer, database_url=db_url, force=True)
    assert first.outcome == again.outcome == "loaded", again.reason
    rows = conn.execute(
        """SELECT count(*), count(*) FILTER (WHERE j.feed_version_id = c.feed_version_id),
                  count(*) FILTER (WHERE p.feed_version_id = c.feed_version_id),
                  (SELECT count(*) FROM staging.jdf_call WHERE feed_version_id = %(fv)s)
             FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
             JOIN unified.stop_point p ON p.id = c.stop_point_id
            WHERE c.feed_version_id = %(fv)s""", {"fv": again.feed_version_id}).fetchone()
    assert rows[0] == rows[1] == rows[2] == rows[3] > 0
