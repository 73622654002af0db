"""Charging sessions find their point by charger id, else by position within 150 m (match.sql), and a re-match
after the points changed clears the matches that no longer hold."""

from __future__ import annotations

import psycopg
import pytest

from transport_etl.formats.charging_sessions.loader import match_sessions
from transport_etl.ingest.run import ingest

pytestmark = pytest.mark.integration
QUIET = {"run_kind": "test", "log": lambda _m: None}
POINT_COLS = {"id": "id", "name": "name", "lat": "lat", "lon": "lon"}
SESSION_COLS = {"id": "id", "vehicle": "vehicle", "charger": "charger", "start": "start", "end": "end",
                "lat": "lat", "lon": "lon"}
POINTS = "id;name;lat;lon\nP1;Forum;50.6594;14.0399\nP2;Terasa;50.6728;14.0264\n"
SESSIONS = ("id;vehicle;charger;start;end;lat;lon\n"
            "S1;V1;P1;2026-01-02T10:00:00+01:00;2026-01-02T11:00:00+01:00;;\n"
            "S2;V1;;2026-01-03T10:00:00+01:00;2026-01-03T11:00:00+01:00;50.6729;14.0265\n"
            "S3;V2;;2026-01-04T10:00:00+01:00;2026-01-04T11:00:00+01:00;50.70;14.10\n")


def _matches(conn: psycopg.Connection) -> list[tuple]:
    return conn.execute("SELECT s.local_id, p.local_id, s.match_method FROM unified.fleet_charging_session s "
                        "LEFT JOIN unified.fleet_charging_point p ON p.id = s.charging_point_id "
                        "WHERE s.recorded_to IS NULL ORDER BY 1").fetchall()


def test_sessions_match_by_charger_id_or_position_and_lose_matches_that_no_longer_hold(db_url, conn, tmp_path,
                                                                                     make_source):
    pts, ses = tmp_path / "points.csv", tmp_path / "sessions.csv"
    pts.write_text(POINTS, encoding="utf-8")
    ses.write_text(SESSIONS, encoding="utf-8")
    points = make_source("charging-points", id="pts", family="fleet", columns=POINT_COLS)
    assert ingest(points, pts, database_url=db_url, **QUIET).outcome == "loaded"
    res = ingest(make_source("charging-sessions", id="ses", family="fleet", columns=SESSION_COLS), ses,
                 database_url=db_url, **QUIET)
    assert res.outcome == "loaded", res.reason
    assert _matches(conn) == [("S1", "P1", "charger_id"), ("S2", "P2", "position"), ("S3", None, None)]
    # The register loses both points: a re-match clears S1 and S2, S3 stays without a match.
    pts.write_text("id;name;lat;lon\nP9;Jinde;50.60;13.90\n", encoding="utf-8")
    assert ingest(points, pts, database_url=db_url, **QUIET).outcome == "loaded"
    with psycopg.connect(db_url) as c:
        assert match_sessions(c, "ses") == 0
    assert _matches(conn) == [("S1", None, None), ("S2", None, None), ("S3", None, None)]
    assert conn.execute("SELECT count(*) FROM unified.fleet_charging_session WHERE match_distance_m IS NOT NULL"
                        ).fetchone()[0] == 0
