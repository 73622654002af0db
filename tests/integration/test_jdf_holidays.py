"""JDF calendars use the public holidays of the source's country (options.holidays); files a batch has
but JDF does not define are listed as INFO notices by name."""

from __future__ import annotations

import datetime as dt
import zipfile

import pytest

from demo import regional
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration
EPIPHANY = dt.date(2026, 1, 6)     # a Slovak and Bavarian holiday, a Czech working day


def _days_on(conn, source_id: str, day: dt.date) -> int:
    return conn.execute("""SELECT count(*) FROM unified.service_day d WHERE d.source_id = %s
                           AND d.service_date = %s AND d.recorded_to IS NULL""", (source_id, day)).fetchone()[0]


def test_slovak_holidays_and_unused_files(db_url, conn, make_source, tmp_path):
    regional.generate(tmp_path / "demo")
    line = regional.LINES[0]["line"]
    batch = tmp_path / "demo" / "jdf" / f"{line}.zip"
    sk = tmp_path / "sk_batch.zip"
    with zipfile.ZipFile(batch) as src, zipfile.ZipFile(sk, "w") as dst:
        for info in src.infolist():
            dst.writestr(info.filename.lower(), src.read(info))          # Slovak exports: lower-case names
        dst.writestr("poznamky_sk.txt", '"1","extra";\r\n'.encode("cp1250"))
    res_cz = ingest(make_source("jdf", id="jdf-cz", family="regional"), sk, database_url=db_url, run_kind="test")
    res_sk = ingest(make_source("jdf", id="jdf-sk", family="regional", holidays="SK"), sk, database_url=db_url,
                    run_kind="test")
    assert res_cz.outcome == res_sk.outcome == "loaded", (res_cz.reason, res_sk.reason)
    assert res_sk.notices.get("unused_file (INFO)") == 1
    name = conn.execute("SELECT file_name FROM lineage.notice WHERE code = 'unused_file' AND feed_version_id = %s",
                        (res_sk.feed_version_id,)).fetchone()[0]
    assert name == "poznamky_sk.txt"
    # Working-day trips run on 6 January under Czech holidays, not under Slovak ones; other days agree.
    working_day_trips = _days_on(conn, "jdf-cz", dt.date(2026, 1, 7))
    assert working_day_trips > 0
    assert _days_on(conn, "jdf-cz", EPIPHANY) == working_day_trips
    assert _days_on(conn, "jdf-sk", EPIPHANY) < working_day_trips
    assert _days_on(conn, "jdf-sk", dt.date(2026, 1, 7)) == working_day_trips
