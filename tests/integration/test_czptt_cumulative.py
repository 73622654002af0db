"""Cumulative CZPTT (issue #12): a yearly base and monthly files applied on top of it, file by file
and as one folder tree, give exactly the expected current journeys, calls and service days."""

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
SR70_ROWS = [
    "531798;Ústí nad Labem hlavní nádraží;01;Železniční stanice;1;Aktivní;-760553,123;-976317,209;N50,659150°;E14,044078°;0420",
    "556597;Děčín hlavní nádraží;01;Železniční stanice;1;Aktivní;-747789,762;-965282,678;N50,773459°;E14,201096°;0420",
    "532895;Teplice v Čechách;01;Železniční stanice;1;Aktivní;-775783,279;-975539,263;N50,646531°;E13,829342°;0420",
]
START, END = dt.date(2027, 3, 1), dt.date(2027, 3, 7)  # Monday .. Sunday
A, B = "--KADR00000A", "--KADR00000B"
THREE = [Stop("55659", "Děčín hl.n.", departure="06:00:00"),
         Stop("53179", "Ústí nad Labem hl.n.", arrival="06:20:00", departure="06:22:00"),
         Stop("53289", "Teplice v Čechách", arrival="06:45:00")]
TWO = [Stop("53179", "Ústí nad Labem hl.n.", departure="09:00:00"),
       Stop("53289", "Teplice v Čechách", arrival="09:25:00")]


def _quiet(_m: str) -> None:
    pass


def _path(core: str, number: str, bitmap: str, stops, variant: str = "00", created=dt.datetime(2026, 11, 1)) -> bytes:
    return path_message(core=core, train_number=number, year=2027, bitmap=bitmap, start=START, end=END,
                        created=created, stops=stops, variant=variant)


def _files(root: Path) -> list[Path]:
    """The base (two paths on weekdays) and two monthly files, laid out as Správa železnic does."""
    year = root / "2027"
    (year / "2027-01").mkdir(parents=True)
    (year / "2027-02").mkdir()
    base = year / "GVD2027.zip"
    with zipfile.ZipFile(base, "w") as z:
        z.writestr(f"PA_0054_{A}_00_2027.xml", _path(A, "6601", "1111100", THREE))
        z.writestr(f"PA_0054_{B}_00_2027.xml", _path(B, "6603", "1111100", THREE))
    # January: a new variant of path B, weekends only, two stops ("really gzip" despite .xml.zip).
    m1 = year / "2027-01" / f"PA_0054_{B}_01_2027.xml.zip"
    m1.write_bytes(gzip.compress(_path(B, "6603", "0000011", TWO, variant="01", created=dt.datetime(2027, 1, 10))))
    # February: path A does not run on Wednesday 3 March.
    m2 = year / "2027-02" / f"PA_0054_{A}_00_2027.xml.zip"
    m2.write_bytes(gzip.compress(cancel_message(core=A, year=2027, bitmap="0010000", start=START, end=END,
                                                created=dt.datetime(2027, 2, 5))))
    return [base, m1, m2]


def _state(conn, source_id: str) -> tuple[dict[str, list[str]], int]:
    days: dict[str, list[str]] = {}
    for key, day in conn.execute(
            """SELECT j.local_id, sd.service_date::text FROM unified.journey j
                 JOIN unified.service_day sd ON sd.service_calendar_id = j.service_calendar_id
                WHERE j.source_id = %s AND j.recorded_to IS NULL AND sd.recorded_to IS NULL
                ORDER BY 1, 2""", (source_id,)):
        days.setdefault(key, []).append(day)
    calls = conn.execute("SELECT count(*) FROM unified.call WHERE source_id = %s AND recorded_to IS NULL",
                         (source_id,)).fetchone()[0]
    return days, calls


WEEK = ["2027-03-01", "2027-03-02", "2027-03-03", "2027-03-04", "2027-03-05"]
PA_A, PA_B, PA_B1 = f"0054:{A}:00:2027", f"0054:{B}:00:2027", f"0054:{B}:01:2027"
AFTER_BASE = ({PA_A: WEEK, PA_B: WEEK}, 6)
AFTER_M1 = ({PA_A: WEEK, PA_B: WEEK, PA_B1: ["2027-03-06", "2027-03-07"]}, 8)
AFTER_M2 = ({PA_A: [d for d in WEEK if d != "2027-03-03"], PA_B: WEEK, PA_B1: ["2027-03-06", "2027-03-07"]}, 8)


@pytest.fixture
def sr70(db_url, make_source, tmp_path):
    p = tmp_path / "sr70.csv"
    p.write_bytes(("\n".join([SR70_HEADER, *SR70_ROWS]) + "\n").encode("cp1250"))
    assert ingest(make_source("sr70", id="sz-sr70", family="rail"), p, database_url=db_url, log=_quiet).outcome \
        == "loaded"


def test_base_then_monthly_files_accumulate(db_url, conn, make_source, tmp_path, sr70):
    src = make_source("czptt", id="sz-czptt", family="rail")
    base, m1, m2 = _files(tmp_path / "tree")
    expected = [AFTER_BASE, AFTER_M1, AFTER_M2]
    versions = []
    moments = []
    for path, want in zip([base, m1, m2], expected, strict=True):
        r = ingest(src, path, database_url=db_url, log=_quiet)
        assert r.outcome == "loaded", r.reason
        versions.append(r.feed_version_id)
        assert _state(conn, src.id) == want, path.name
        moments.append(conn.execute("SELECT clock_timestamp()").fetchone()[0])
    # As of a moment between the files, the journeys known then; as of a later date, none.
    asof = "SELECT count(*) FROM gis.journey_asof(%s, %s) WHERE source_id = %s"
    assert [conn.execute(asof, (START, t, src.id)).fetchone()[0] for t in moments] == [2, 2, 2]
    saturday = START + dt.timedelta(days=5)  # only the weekend variant of January runs then
    assert [conn.execute(asof, (saturday, t, src.id)).fetchone()[0] for t in moments] == [0, 1, 1]
    assert conn.execute(asof, (END + dt.timedelta(days=30), moments[-1], src.id)).fetchone()[0] == 0
    # Each file is its own version, applied on the previous one; the base starts the chain.
    chain = conn.execute("SELECT id, applied_on, update_mode FROM lineage.feed_version WHERE source_id = %s "
                         "ORDER BY id", (src.id,)).fetchall()
    assert chain == [(versions[0], None, "cumulative"), (versions[1], versions[0], "cumulative"),
                     (versions[2], versions[1], "cumulative")]
    # The carried messages say which version brought them.
    origins = dict(conn.execute("SELECT pa_key || '/' || message_kind, coalesce(origin_feed_version_id, "
                                "feed_version_id) FROM staging.czptt_message WHERE feed_version_id = %s",
                                (versions[2],)).fetchall())
    assert origins == {f"{PA_A}/path": versions[0], f"{PA_B}/path": versions[0], f"{PA_B1}/path": versions[1],
                       f"{PA_A}/cancel": versions[2]}
    # A file already in the chain is not applied twice.
    assert ingest(src, m1, database_url=db_url, log=_quiet).outcome == "skipped"
    assert _state(conn, src.id) == AFTER_M2
    # A new yearly base starts a new chain: the monthly changes of the old one are gone.
    r = ingest(src, base, database_url=db_url, log=_quiet, force=True)
    assert r.outcome == "loaded" and _state(conn, src.id) == AFTER_BASE


def test_folder_tree_loads_in_publication_order_and_skips_applied_files(db_url, conn, make_source, tmp_path, sr70):
    src = make_source("czptt", id="sz-czptt-tree", family="rail")
    _files(tmp_path / "tree")
    r = ingest(src, tmp_path / "tree", database_url=db_url, log=_quiet)
    assert r.outcome == "loaded", r.reason
    assert [s["file"] for s in r.steps] == ["2027/GVD2027.zip", f"2027/2027-01/PA_0054_{B}_01_2027.xml.zip",
                                            f"2027/2027-02/PA_0054_{A}_00_2027.xml.zip"]
    assert [s["outcome"] for s in r.steps] == ["loaded"] * 3
    assert _state(conn, src.id) == AFTER_M2
    assert conn.execute("SELECT count(*) FROM lineage.feed_version WHERE source_id = %s",
                        (src.id,)).fetchone()[0] == 3
    again = ingest(src, tmp_path / "tree", database_url=db_url, log=_quiet)
    assert again.outcome == "skipped" and [s["outcome"] for s in again.steps] == ["skipped"] * 3
    assert _state(conn, src.id) == AFTER_M2


def test_cancellation_published_before_its_path_applies_when_the_path_arrives(db_url, conn, make_source, tmp_path,
                                                                              sr70):
    """A cancellation of a PA not yet published is kept (carried) until its path arrives, and then removes
    its days; once all its days have passed (by the data's clock) it is no longer carried."""
    src = make_source("czptt", id="sz-czptt-orphan", family="rail")
    base, _m1, _m2 = _files(tmp_path / "tree")
    c_core = "--KADR00000C"
    pa_c = f"0054:{c_core}:00:2027"
    cancel = tmp_path / f"PA_0054_{c_core}_00_2027_ZRUS.xml"
    cancel.write_bytes(cancel_message(core=c_core, year=2027, bitmap="0010000", start=START, end=END,
                                      created=dt.datetime(2027, 2, 5)))
    path = tmp_path / f"PA_0054_{c_core}_00_2027.xml"
    path.write_bytes(_path(c_core, "6605", "1111100", TWO, created=dt.datetime(2027, 1, 20)))
    results = [ingest(src, p, database_url=db_url, log=_quiet) for p in (base, cancel, path)]
    assert [r.outcome for r in results] == ["loaded"] * 3, [r.reason for r in results]
    status = "SELECT message_kind, status FROM staging.czptt_message WHERE feed_version_id = %s AND pa_key = %s"
    assert conn.execute(status, (results[1].feed_version_id, pa_c)).fetchall() == [("cancel", "orphan")]
    assert sorted(conn.execute(status, (results[2].feed_version_id, pa_c)).fetchall()) == [
        ("cancel", "applied"), ("path", "current")]
    days, _calls = _state(conn, src.id)
    assert days[pa_c] == [d for d in WEEK if d != "2027-03-03"]
    # A later file whose messages were created after the orphan's last day: an orphan of another PA is dropped.
    d_core = "--KADR00000D"
    orphan = tmp_path / f"PA_0054_{d_core}_00_2027_ZRUS.xml"
    orphan.write_bytes(cancel_message(core=d_core, year=2027, bitmap="0010000", start=START, end=END,
                                      created=dt.datetime(2027, 2, 6)))
    later = tmp_path / f"PA_0054_{A}_01_2027.xml"
    later.write_bytes(_path(A, "6601", "1111100", TWO, variant="01", created=dt.datetime(2027, 4, 1)))
    r_orphan, r_later = (ingest(src, p, database_url=db_url, log=_quiet) for p in (orphan, later))
    assert r_orphan.outcome == r_later.outcome == "loaded"
    assert conn.execute(status, (r_later.feed_version_id, f"0054:{d_core}:00:2027")).fetchall() == []
