"""GTFS services that run on their country's public holidays without a calendar_dates exception are
reported per service; the country comes from options.holidays, else CZ for Europe/Prague feeds."""

from __future__ import annotations

import zipfile

import pytest

from tests.integration.test_gtfs_trailing_fields import FILES
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration


def _feed(tmp_path, name: str) -> object:
    files = dict(FILES)
    files["agency.txt"] = ("agency_id,agency_name,agency_url,agency_timezone\n"
                           "A,Demo,https://x.invalid,Europe/Prague\n")
    files["calendar.txt"] = ("service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                             "WD,1,1,1,1,1,0,0,20260101,20260131\n")
    files["calendar_dates.txt"] = "service_id,date,exception_type\nWD,20260101,2\n"
    path = tmp_path / name
    with zipfile.ZipFile(path, "w") as z:
        for n, text in files.items():
            z.writestr(n, text)
    return path


def _holiday_notices(conn, fv):
    return conn.execute("SELECT entity_key, message FROM lineage.notice WHERE feed_version_id = %s "
                        "AND code = 'service_on_public_holiday'", (fv,)).fetchall()


def test_holidays_of_the_feeds_country(tmp_path, db_url, conn, make_source):
    feed = _feed(tmp_path, "cz.zip")
    res = ingest(make_source("gtfs", id="cz", max_reject_ratio=1.0), feed, database_url=db_url, run_kind="test",
                 log=lambda _m: None)
    assert res.outcome == "loaded", res.reason
    assert _holiday_notices(conn, res.feed_version_id) == []      # 1 January is excepted; no other CZ holiday
    res = ingest(make_source("gtfs", id="sk", max_reject_ratio=1.0, holidays="SK"), feed, database_url=db_url,
                 run_kind="test", log=lambda _m: None)
    ((service, message),) = _holiday_notices(conn, res.feed_version_id)
    assert service == "WD" and message.endswith("1 public holiday(s) of SK with no calendar_dates exception: "
                                                "2026-01-06")
