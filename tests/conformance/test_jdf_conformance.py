"""The real JDF batches in ../shared/data/jdf load with the counts of MANIFEST.md."""

import datetime as dt

import pytest

from tests.conftest import shared_file
from transport_etl.ingest.run import ingest

pytestmark = [pytest.mark.conformance, pytest.mark.integration]

# file → (staging table → MANIFEST count), first stop (town, part, place).
MANIFEST = {
    "jdf-1.11-batch.zip": ({"linky": 1, "spoje": 44, "zastavky": 20, "zasspoje": 744, "caskody": 16,
                            "pevnykod": 5, "udaje": 3, "zaslinky": 20, "dopravci": 1}, "Holešov,,Masarykova"),
    "jdf-1.10-batch.zip": ({"linky": 1, "spoje": 14, "zastavky": 23, "zasspoje": 205, "caskody": 38,
                            "pevnykod": 7, "udaje": 2, "zaslinky": 26, "dopravci": 2, "altdop": 14}, "Kácov,,nám."),
    "jdf-1.9-batch.zip": ({"linky": 1, "spoje": 37, "zastavky": 24, "zasspoje": 948, "caskody": 27,
                           "pevnykod": 7, "udaje": 1, "zaslinky": 27, "dopravci": 1}, "Dolní Němčí,,dol.konec"),
}


@pytest.mark.parametrize("name", sorted(MANIFEST))
def test_batch_loads_with_manifest_counts(db_url, conn, make_source, name):
    counts, first_stop = MANIFEST[name]
    res = ingest(make_source("jdf", id="conf-jdf", family="regional"), shared_file(f"jdf/{name}"), database_url=db_url)
    assert res.outcome == "loaded", res.reason
    assert res.rows_rejected == 0
    for stem, n in counts.items():
        assert res.tables[f"staging.jdf_{stem}"] == n, stem
    assert res.tables["unified.journey"] == counts["spoje"]
    assert res.tables["unified.stop_place"] == counts["zastavky"]
    assert res.tables["unified.line"] == counts["linky"]
    row = conn.execute("""SELECT town, part, place FROM staging.jdf_zastavky WHERE line_no = 1""").fetchone()
    assert ",".join(x or "" for x in row) == first_stop
    name_ = conn.execute("""SELECT sp.name FROM unified.stop_place sp JOIN lineage.entity_source e
                              ON e.unified_table = 'unified.stop_place' AND e.unified_id = sp.id
                           WHERE e.source_line = 1""").fetchone()[0]
    assert name_ == first_stop
    # No register: every stop listed as unmatched, none placed (JDF has no coordinates).
    assert conn.execute("SELECT count(*) FROM unified.stop_place WHERE geom IS NOT NULL").fetchone()[0] == 0
    assert res.notices["stop_unmatched (WARNING)"] == counts["zastavky"]


def _snapshot(conn, fv):
    calls = conn.execute("""SELECT j.local_id, c.sequence, c.arrival_s, c.departure_s, c.distance_m, c.pickup_type,
                                   sp.local_id
                              FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id
                              JOIN unified.stop_point sp ON sp.id = c.stop_point_id
                             WHERE c.feed_version_id = %s ORDER BY 1, 2""", (fv,)).fetchall()
    days = conn.execute("""SELECT j.local_id, d.service_date FROM unified.journey j JOIN unified.service_day d
                             ON d.service_calendar_id = j.service_calendar_id
                            WHERE j.feed_version_id = %s ORDER BY 1, 2""", (fv,)).fetchall()
    return calls, days


def test_lf_folder_loads_the_same_as_the_zip(db_url, conn, make_source):
    folder = shared_file("jdf/jdf-1.11-zlin-holesov")
    zipped = shared_file("jdf/jdf-1.11-batch.zip")
    a = ingest(make_source("jdf", id="conf-jdf-zip", family="regional"), zipped, database_url=db_url)
    b = ingest(make_source("jdf", id="conf-jdf-folder", family="regional"), folder, database_url=db_url)
    assert a.outcome == b.outcome == "loaded"
    assert {k: v for k, v in a.tables.items()} == {k: v for k, v in b.tables.items()}
    calls_a, days_a = _snapshot(conn, a.feed_version_id)
    calls_b, days_b = _snapshot(conn, b.feed_version_id)
    assert len(calls_a) > 600 and calls_a == calls_b
    assert len(days_a) > 1000 and days_a == days_b
    check_real_codes(conn, a.feed_version_id)


def check_real_codes(conn, fv):
    """1.11 trip 10: working days (X) with four 'does not run' periods, incl. school holidays."""
    days = {r[0] for r in conn.execute(
        """SELECT d.service_date FROM unified.journey j JOIN unified.service_day d
             ON d.service_calendar_id = j.service_calendar_id
            WHERE j.feed_version_id = %s AND j.local_id = '820831/1/10'""", (fv,)).fetchall()}
    assert dt.date(2015, 3, 16) in days                      # a Monday
    assert dt.date(2015, 3, 10) not in days                  # nejede 9.–13.3.
    assert not any(dt.date(2015, 7, 1) <= d <= dt.date(2015, 8, 31) for d in days)
    assert dt.date(2015, 9, 28) not in days                  # Monday, Statehood Day
    assert dt.date(2015, 3, 14) not in days                  # Saturday
    assert min(days) >= dt.date(2015, 3, 1) and max(days) <= dt.date(2015, 12, 12)
