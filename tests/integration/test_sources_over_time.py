"""Sources over time (issue #12) and the publication guard (issue #13) through the real runner,
CLI and database: versions are publications, loader digests, managed sources, setup on first
contact, held versions and `accept`."""

from __future__ import annotations

import datetime as dt
import shutil
from pathlib import Path

import psycopg
import pytest

from tests.conftest import database_name, scratch_database
from tests.integration.tiny_format import FORMAT as TINY
from transport_etl.catalog import Source
from transport_etl.cli import main
from transport_etl.formats import registry
from transport_etl.formats.contract import Format
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration
HERE = Path(__file__).resolve().parent

A = ["1,Ústí nad Labem hl.n.,14.0445,50.6594", "2,Mírové náměstí,14.0331,50.6610"]
B = ["1,Ústí nad Labem hl.n.,14.0445,50.6594", "3,Divadlo,14.0380,50.6628", "4,Muzeum,14.0376,50.6594"]


@pytest.fixture(autouse=True)
def tiny_format(monkeypatch):
    monkeypatch.setitem(registry.formats(), "tiny", TINY)


def _quiet(_m: str) -> None:
    pass


def tiny(tmp_path: Path, name: str, rows: list[str]) -> Path:
    p = tmp_path / name
    p.write_text("stop_id,name,lon,lat\n" + "".join(r + "\n" for r in rows), encoding="utf-8")
    return p


def names(conn, source_id: str) -> list[str]:
    return [r[0] for r in conn.execute("SELECT name FROM unified.stop_place WHERE source_id = %s "
                                       "AND recorded_to IS NULL ORDER BY local_id", (source_id,))]


def versions(conn, source_id: str) -> list[tuple]:
    return conn.execute("SELECT id, status, is_current, republication_of FROM lineage.feed_version "
                        "WHERE source_id = %s ORDER BY id", (source_id,)).fetchall()


SRC = Source(id="tiny-stops", family="regional", format="tiny", options={"max_reject_ratio": 0.34})


def test_revert_a_b_a_makes_a_current_again_as_a_new_publication(db_url, conn, tmp_path, capsys):
    a, b = tiny(tmp_path, "a.csv", A), tiny(tmp_path, "b.csv", B)
    r1 = ingest(SRC, a, database_url=db_url, log=_quiet)
    r2 = ingest(SRC, b, database_url=db_url, log=_quiet)
    a_again = tmp_path / "again" / "a.csv"
    a_again.parent.mkdir()
    shutil.copy(a, a_again)
    r3 = ingest(SRC, a_again, database_url=db_url, log=_quiet)
    assert [r1.outcome, r2.outcome, r3.outcome] == ["loaded", "loaded", "loaded"]
    assert names(conn, SRC.id) == ["Ústí nad Labem hl.n.", "Mírové náměstí"]
    assert versions(conn, SRC.id) == [(r1.feed_version_id, "superseded", False, None),
                                      (r2.feed_version_id, "superseded", False, None),
                                      (r3.feed_version_id, "loaded", True, r1.feed_version_id)]
    # Unchanged current content is skipped; --force publishes it again all the same.
    assert ingest(SRC, a, database_url=db_url, log=_quiet).outcome == "skipped"
    r4 = ingest(SRC, a, database_url=db_url, log=_quiet, force=True)
    assert r4.outcome == "loaded" and versions(conn, SRC.id)[-1] == (r4.feed_version_id, "loaded", True,
                                                                     r3.feed_version_id)
    assert names(conn, SRC.id) == ["Ústí nad Labem hl.n.", "Mírové náměstí"]
    # `transport-etl lineage` says that a row's version re-publishes earlier content.
    row = conn.execute("SELECT id FROM unified.stop_place WHERE feed_version_id = %s LIMIT 1",
                       (r4.feed_version_id,)).fetchone()[0]
    capsys.readouterr()
    assert main(["lineage", "unified.stop_place", str(row)]) == 0
    assert f"republishes   feed version {r3.feed_version_id} (same sha256)" in capsys.readouterr().out


def test_a_changed_loader_digest_republishes_on_the_next_run(db_url, conn, tmp_path, monkeypatch):
    pkg = tmp_path / "code" / "tinypkg"
    pkg.mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    shutil.copy(HERE / "tiny_format.py", pkg / "loader.py")
    (pkg / "publish.sql").write_text("-- the loader's SQL\n")
    monkeypatch.syspath_prepend(str(pkg.parent))
    monkeypatch.setitem(registry.formats(), "tinypkg", Format(name="tinypkg", family="regional", package="tinypkg",
                                                                     summary="a format package made by the test"))
    src = Source(id="tiny-digest", family="regional", format="tinypkg")
    f = tiny(tmp_path, "a.csv", A)
    first = ingest(src, f, database_url=db_url, log=_quiet)
    assert ingest(src, f, database_url=db_url, log=_quiet).outcome == "skipped"
    (pkg / "publish.sql").write_text("-- the loader's SQL, fixed\n")  # a fix to the format's SQL
    again = ingest(src, f, database_url=db_url, log=_quiet)
    assert again.outcome == "loaded" and again.feed_version_id != first.feed_version_id
    d1, d2 = (conn.execute("SELECT loader_digest FROM lineage.feed_version WHERE id = %s", (v,)).fetchone()[0]
              for v in (first.feed_version_id, again.feed_version_id))
    assert d1 and d2 and d1 != d2
    assert versions(conn, src.id)[-1] == (again.feed_version_id, "loaded", True, first.feed_version_id)
    assert ingest(src, f, database_url=db_url, log=_quiet).outcome == "skipped"
    # Every unified row can say which loader version wrote it.
    assert conn.execute("SELECT DISTINCT fv.loader_digest FROM unified.stop_place sp JOIN lineage.feed_version fv "
                        "ON fv.id = sp.feed_version_id WHERE sp.source_id = %s AND sp.recorded_to IS NULL",
                        (src.id,)).fetchall() == [(d2,)]


def test_rejected_load_of_an_unknown_id_leaves_no_phantom_source(db_url, conn, tmp_path, capsys):
    before = conn.execute("SELECT id FROM lineage.source ORDER BY id").fetchall()
    bad = tmp_path / "broken.zip"
    bad.write_bytes(b"not a zip at all")
    code = main(["ingest", "--format", "gtfs", "--source", "no-such-source", str(bad)])
    assert code == 1 and "no-such-source" in capsys.readouterr().err
    assert conn.execute("SELECT id FROM lineage.source ORDER BY id").fetchall() == before
    # The attempt is on record all the same.
    assert conn.execute("SELECT outcome FROM lineage.load_run WHERE source_id = 'no-such-source'").fetchall() \
        == [("rejected",)]
    # An unknown id that publishes is registered by that publication.
    unknown = Source(id="tiny-adhoc", family="regional", format="tiny")
    assert ingest(unknown, tiny(tmp_path, "a.csv", A), database_url=db_url, log=_quiet, register=False).outcome \
        == "loaded"
    assert conn.execute("SELECT count(*) FROM lineage.source WHERE id = 'tiny-adhoc'").fetchone()[0] == 1


def test_ingest_into_an_empty_database_refuses_in_one_line(db_url, tmp_path, capsys, monkeypatch):
    with scratch_database("tetl_empty") as empty:
        monkeypatch.setenv("TRANSPORT_ETL_DATABASE_URL", empty)
        code = main(["ingest", "--format", "gtfs", "--source", "x", str(tiny(tmp_path, "a.csv", A))])
        err = capsys.readouterr().err.strip().splitlines()
        assert code == 2 and len(err) == 1
        assert err[0] == (f"transport-etl: x: database {database_name(empty)} has no transport_etl schema: "
                          "run `transport-etl db setup` first")  # the one-line form: transport-etl: <source>: <reason>
        with psycopg.connect(empty) as c:  # nothing was created behind the operator's back
            assert c.execute("SELECT count(*) FROM pg_namespace WHERE nspname = 'lineage'").fetchone()[0] == 0
        assert main(["status"]) == 2


GUARDED = Source(id="tiny-guarded", family="regional", format="tiny",
                 options={"max_reject_ratio": 0.34, "guard_tables": ["stop_place"]})


def test_a_shrinking_version_is_held_until_accepted(db_url, conn, tmp_path, capsys):
    ingest(GUARDED, tiny(tmp_path, "b.csv", B), database_url=db_url, log=_quiet)
    one = tiny(tmp_path, "one.csv", B[:1])  # 3 stops -> 1: down 67 %, above the 50 % default
    held = ingest(GUARDED, one, database_url=db_url, log=_quiet)
    assert held.outcome == "held" and held.reason_code == "shrink"
    assert "stop_place would shrink from 3 to 1 rows (67% fewer, limit 50%)" in held.reason
    assert f"`transport-etl accept tiny-guarded {held.feed_version_id}`" in held.reason
    assert names(conn, GUARDED.id) == ["Ústí nad Labem hl.n.", "Divadlo", "Muzeum"]
    assert conn.execute("SELECT status, reject_reason FROM lineage.feed_version WHERE id = %s",
                        (held.feed_version_id,)).fetchone() == ("held", held.reason)
    # The same bytes again stay held; `accept` publishes them deliberately, under the same number.
    assert ingest(GUARDED, one, database_url=db_url, log=_quiet).outcome == "held"
    catalog = tmp_path / "sources.yaml"
    catalog.write_text("sources: []\n")
    assert main(["--catalog", str(catalog), "accept", GUARDED.id, str(held.feed_version_id)]) == 0
    assert names(conn, GUARDED.id) == ["Ústí nad Labem hl.n."]
    assert conn.execute("SELECT status, is_current FROM lineage.feed_version WHERE id = %s",
                        (held.feed_version_id,)).fetchone() == ("loaded", True)
    assert main(["--catalog", str(catalog), "accept", GUARDED.id, str(held.feed_version_id)]) == 2


def test_rejected_bytes_above_the_threshold_hold_the_version(db_url, conn, tmp_path):
    ingest(GUARDED, tiny(tmp_path, "b.csv", B), database_url=db_url, log=_quiet)
    # One bad record in four (under the 34 % record threshold) holding most of the file's bytes.
    huge = "9" * 100_000 + ",,14.0,50.6"
    r = ingest(GUARDED, tiny(tmp_path, "bytes.csv", B + [huge]), database_url=db_url, log=_quiet)
    assert r.outcome == "held" and r.reason_code == "rejected_bytes", r.reason
    assert names(conn, GUARDED.id) == ["Ústí nad Labem hl.n.", "Divadlo", "Muzeum"]
    # The evidence of the held version is kept.
    assert conn.execute("SELECT line_no FROM lineage.rejected_record WHERE feed_version_id = %s",
                        (r.feed_version_id,)).fetchall() == [(5,)]


def test_sources_add_and_remove(db_url, conn, tmp_path, capsys):
    catalog = tmp_path / "sources.yaml"
    catalog.write_text("sources:\n  - {id: tiny-cat, family: regional, format: tiny, location: a.csv}\n")
    tiny(tmp_path, "a.csv", A)
    assert main(["--catalog", str(catalog), "sources", "add", "tiny-cat"]) == 0
    assert conn.execute("SELECT format, retired_at FROM lineage.source WHERE id = 'tiny-cat'").fetchone() \
        == ("tiny", None)
    assert main(["--catalog", str(catalog), "sources", "add", "not-in-catalog"]) == 2
    src = Source(id="tiny-cat", family="regional", format="tiny", location=str(tmp_path / "a.csv"))
    fv = ingest(src, database_url=db_url, log=_quiet).feed_version_id
    assert main(["--catalog", str(catalog), "sources", "remove", "tiny-cat"]) == 0
    assert "2 current rows retired" in capsys.readouterr().out
    assert names(conn, "tiny-cat") == []
    assert conn.execute("SELECT status, is_current FROM lineage.feed_version WHERE id = %s", (fv,)).fetchone() \
        == ("retired", False)
    assert conn.execute("SELECT retired_at IS NOT NULL FROM lineage.source WHERE id = 'tiny-cat'").fetchone()[0]
    capsys.readouterr()
    assert main(["status"]) == 0 and "tiny-cat" not in capsys.readouterr().out
    # Lineage is kept: the retired rows still name their source records.
    assert conn.execute("SELECT count(*) FROM lineage.entity_source WHERE feed_version_id = %s",
                        (fv,)).fetchone()[0] == 2




def test_as_of_queries_see_what_was_known_at_a_past_moment(db_url, conn, tmp_path):
    ingest(SRC, tiny(tmp_path, "a.csv", A), database_url=db_url, log=_quiet)
    between = conn.execute("SELECT clock_timestamp()").fetchone()[0]
    ingest(SRC, tiny(tmp_path, "b.csv", B), database_url=db_url, log=_quiet)

    def asof(*args) -> list[str]:
        return [r[0] for r in conn.execute(
            f"SELECT name FROM gis.stop_place_asof({', '.join(['%s'] * len(args))}) "
            "WHERE source_id = 'tiny-stops' ORDER BY local_id", args)]

    assert asof() == ["Ústí nad Labem hl.n.", "Divadlo", "Muzeum"]
    assert asof(dt.date.today(), between) == ["Ústí nad Labem hl.n.", "Mírové náměstí"]
    assert asof(dt.date.today(), between - dt.timedelta(hours=1)) == []
