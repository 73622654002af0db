"""Incremental publish (issue 11): a GTFS version supersedes only the rows that changed. Unchanged journeys
(with their calls), stops and lines keep their id, recorded_from and provenance; changed and removed ones
are closed; as-of queries, diffs, pruning and A → B → A republication stay exact."""

from __future__ import annotations

import zipfile
from pathlib import Path

import pytest

from tests.gtfs_files import write_feed
from transport_etl.cli import main
from transport_etl.ingest.run import ingest
from transport_etl.lineage.diff import diff_versions

pytestmark = pytest.mark.integration

N_TRIPS = 100
STOPS = [(f"S{i}", f"Stop {i}", 50.60 + i * 0.002, 14.00 + i * 0.003) for i in range(12)]


def _hms(s: int) -> str:
    return f"{s // 3600:02d}:{s % 3600 // 60:02d}:{s % 60:02d}"


def feed(path: Path, *, later: set[int] = frozenset(), drop: set[int] = frozenset(), extra: int = 0,
         renamed: dict[str, str] | None = None, dwell: int = 30) -> Path:
    """A small GTFS: N_TRIPS trips over 6 stops each, waiting ``dwell`` seconds at each; trips in ``later`` run
    a minute later, ``drop`` are left out, ``extra`` new trips are appended, ``renamed`` stops get another
    name."""
    stops = ["stop_id,stop_name,stop_lat,stop_lon"] + [
        f"{sid},{(renamed or {}).get(sid, name)},{lat:.5f},{lon:.5f}" for sid, name, lat, lon in STOPS]
    trips, times = ["route_id,service_id,trip_id,trip_headsign"], [
        "trip_id,arrival_time,departure_time,stop_id,stop_sequence"]
    for t in [t for t in range(N_TRIPS) if t not in drop] + list(range(N_TRIPS, N_TRIPS + extra)):
        route = "R1" if t % 2 == 0 else "R2"
        trips.append(f"{route},WD,T{t},Terminus {route}")
        start = 6 * 3600 + t * 600 + (60 if t in later else 0)
        first = t % 6
        for seq in range(6):
            s = start + seq * 180
            times.append(f"T{t},{_hms(s)},{_hms(s + dwell)},{STOPS[first + seq][0]},{seq + 1}")
    files = {
        "agency.txt": ["agency_id,agency_name,agency_url,agency_timezone",
                       "A,Incremental Bus,https://example.org,Europe/Prague"],
        "stops.txt": stops,
        "routes.txt": ["route_id,agency_id,route_short_name,route_type", "R1,A,1,3", "R2,A,2,3"],
        "trips.txt": trips, "stop_times.txt": times,
        "calendar.txt": ["service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date",
                         "WD,1,1,1,1,1,0,0,20260105,20261231"],
    }
    return write_feed(path, files)


def journeys(conn, source_id: str, current_only: bool = True) -> dict[str, tuple]:
    """local_id → (id, feed_version_id, recorded_from, recorded_to) of the source's journeys."""
    rows = conn.execute(
        "SELECT local_id, id, feed_version_id, recorded_from, recorded_to FROM unified.journey WHERE source_id = %s"
        + (" AND recorded_to IS NULL" if current_only else "") + " ORDER BY id", (source_id,)).fetchall()
    return {r[0]: r[1:] for r in rows}


def loaded_at(conn, fv: int):
    return conn.execute("SELECT loaded_at FROM lineage.feed_version WHERE id = %s", (fv,)).fetchone()[0]


def _quiet(_m: str) -> None:
    pass


def test_a_one_percent_change_keeps_the_rest(db_url, conn, make_source, tmp_path, capsys):
    src = make_source("gtfs", id="incr", retain_versions=5)
    r1 = ingest(src, feed(tmp_path / "v1.zip"), database_url=db_url, log=_quiet)
    before = journeys(conn, "incr")
    calls_before = dict(conn.execute(
        "SELECT journey_id, count(*) FROM unified.call WHERE source_id = 'incr' GROUP BY 1").fetchall())
    stop_rows = dict(conn.execute("SELECT local_id, id FROM unified.stop_point WHERE source_id = 'incr'").fetchall())
    # v2: trip 5 a minute later, trip 7 gone, one new trip, stop S10 renamed (called only by the trips whose
    # first stop is S5: t % 6 == 5).
    r2 = ingest(src, feed(tmp_path / "v2.zip", later={5}, drop={7}, extra=1, renamed={"S10": "Stop ten"}),
                database_url=db_url, log=_quiet)
    assert (r1.outcome, r2.outcome) == ("loaded", "loaded"), (r1.reason, r2.reason)
    after = journeys(conn, "incr")
    v1_at, v2_at = loaded_at(conn, r1.feed_version_id), loaded_at(conn, r2.feed_version_id)

    calling_s10 = {f"T{t}" for t in range(N_TRIPS + 1) if t % 6 == 5}
    changed = {"T5"} | calling_s10
    unchanged = set(before) - changed - {"T7"}
    assert len(unchanged) > 80
    # Unchanged journeys: the same rows (id, first version, recorded_from), still current.
    for t in unchanged:
        assert after[t] == before[t], t
        assert before[t][1] == r1.feed_version_id and before[t][2] == v1_at
    # Changed journeys: new rows of v2; the old ones closed when v2 was published; the removed one closed.
    for t in changed - {f"T{N_TRIPS}"}:
        assert after[t][0] != before[t][0] and after[t][1] == r2.feed_version_id and after[t][2] == v2_at, t
    everything = journeys(conn, "incr", current_only=False)
    closed = {lid for lid, (_id, _fv, _rf, rt) in everything.items() if rt is not None}
    assert conn.execute("SELECT count(*) FROM unified.journey WHERE source_id = 'incr' AND recorded_to = %s",
                        (v2_at,)).fetchone()[0] == len(changed - {f"T{N_TRIPS}"}) + 1
    assert "T7" not in after and "T7" in closed
    assert f"T{N_TRIPS}" in after and f"T{N_TRIPS}" not in before
    # Calls follow their journey: kept with it, closed with it, new with it.
    kept_calls = conn.execute("SELECT count(*) FROM unified.call WHERE source_id = 'incr' AND recorded_to IS NULL "
                              "AND feed_version_id = %s", (r1.feed_version_id,)).fetchone()[0]
    assert kept_calls == sum(calls_before[before[t][0]] for t in unchanged)
    assert conn.execute("SELECT count(*) FROM unified.call c JOIN unified.journey j ON j.id = c.journey_id "
                        "WHERE c.source_id = 'incr' AND (c.recorded_to IS NULL) <> (j.recorded_to IS NULL)"
                        ).fetchone()[0] == 0
    assert conn.execute("SELECT count(*) FROM unified.call WHERE source_id = 'incr' AND recorded_to IS NULL"
                        ).fetchone()[0] == 6 * N_TRIPS
    # The renamed stop is a new row; the others kept theirs. No current call points at a closed stop.
    points = dict(conn.execute("SELECT local_id, id FROM unified.stop_point WHERE source_id = 'incr' "
                               "AND recorded_to IS NULL").fetchall())
    assert {s for s in points if points[s] != stop_rows[s]} == {"S10"}
    assert conn.execute("SELECT count(*) FROM unified.call c JOIN unified.stop_point p ON p.id = c.stop_point_id "
                        "WHERE c.source_id = 'incr' AND c.recorded_to IS NULL AND p.recorded_to IS NOT NULL"
                        ).fetchone()[0] == 0
    # The version counts its whole set, kept rows included.
    assert r2.tables["unified.journey"] == N_TRIPS and r2.tables["unified.call"] == 6 * N_TRIPS

    # As of a moment between the versions: v1's journeys, as v1 recorded them.
    between = conn.execute("SELECT %s::timestamptz + (%s::timestamptz - %s::timestamptz) / 2",
                           (v1_at, v2_at, v1_at)).fetchone()[0]
    asof = dict(conn.execute("SELECT local_id, id FROM gis.journey_asof('2026-03-02', %s) WHERE source_id = 'incr'",
                             (between,)).fetchall())
    assert asof == {t: before[t][0] for t in before}
    now = dict(conn.execute("SELECT local_id, id FROM gis.journey_asof('2026-03-02') WHERE source_id = 'incr'"
                            ).fetchall())
    assert now == {t: after[t][0] for t in after}

    # The diff counts what changed, exactly.
    d = diff_versions(conn, "incr", r1.feed_version_id, r2.feed_version_id)
    assert d["journeys"] == {"before": N_TRIPS, "after": N_TRIPS, "added": 1, "removed": 1}
    assert (d["stops"]["before"], d["stops"]["after"], d["stops"]["renamed"]) == (12, 12, 1)
    assert d["lines"] == {"before": 2, "after": 2, "added": 0, "removed": 0}
    assert (d["service_days"]["gained"], d["service_days"]["lost"]) == (0, 0)
    assert main(["diff", "incr", str(r1.feed_version_id), str(r2.feed_version_id)]) == 0
    assert "renamed" in capsys.readouterr().out

    # The publication guard still weighs the whole version: dropping 60 % of the trips is held, and the
    # rows it would have closed stay current.
    r3 = ingest(src, feed(tmp_path / "v3.zip", drop=set(range(60))), database_url=db_url, log=_quiet)
    assert r3.outcome == "held" and r3.reason_code == "shrink", r3.reason
    assert journeys(conn, "incr") == after
    # ... with the figures the incremental publish counted (kept + closed before, kept + added after): the
    # journeys current before, and those v3 would have had.
    assert f"journey would shrink from {len(after)} to {N_TRIPS - 60} rows" in r3.reason, r3.reason

    # Each version's table counts (from the incremental publish's own counts, not counted again) are its
    # current rows, table by table.
    counts = conn.execute("SELECT table_counts FROM lineage.feed_version WHERE id = %s",
                          (r2.feed_version_id,)).fetchone()[0]
    for table in ("operator", "stop_place", "stop_point", "line", "service_calendar", "journey", "call"):
        n = conn.execute(f"SELECT count(*) FROM unified.{table} WHERE source_id = 'incr' AND recorded_to IS NULL"
                         ).fetchone()[0]
        assert counts.get(f"unified.{table}", 0) == n > 0, table

    # Provenance of a kept row: the record of the version that first recorded it.
    kept_id = before["T0"][0]
    assert conn.execute("SELECT feed_version_id, source_file, source_line FROM lineage.row_source "
                        "WHERE unified_table = 'unified.journey' AND unified_id = %s", (kept_id,)).fetchone() \
        == (r1.feed_version_id, "trips.txt", 2)


def test_a_trip_that_only_moves_in_time_is_a_new_journey(db_url, conn, make_source, tmp_path):
    # Arrival equal to departure at every stop: a digest that mixed the two (arrival XOR departure) saw no
    # change when both moved by a minute, and kept the journey with its old times.
    src = make_source("gtfs", id="moved")
    r1 = ingest(src, feed(tmp_path / "v1.zip", dwell=0), database_url=db_url, log=_quiet)
    before = journeys(conn, "moved")
    r2 = ingest(src, feed(tmp_path / "v2.zip", dwell=0, later={3}), database_url=db_url, log=_quiet)
    assert (r1.outcome, r2.outcome) == ("loaded", "loaded"), (r1.reason, r2.reason)
    after = journeys(conn, "moved")
    assert after["T3"][0] != before["T3"][0] and after["T3"][1] == r2.feed_version_id
    assert all(after[t] == before[t] for t in before if t != "T3")
    first = conn.execute("SELECT c.arrival_s, c.departure_s FROM unified.call c WHERE c.journey_id = %s "
                         "AND c.recorded_to IS NULL ORDER BY c.sequence LIMIT 1", (after["T3"][0],)).fetchone()
    assert first == (6 * 3600 + 3 * 600 + 60,) * 2


def test_stop_times_at_unknown_stops_or_of_unknown_trips_leave_their_trips_facts(db_url, conn, make_source, tmp_path):
    # Unknown trips and stops are looked for once per trip and per pattern; their stop times are quarantined and
    # the trips' facts (calls, digests) made again without them.
    path = feed(tmp_path / "v1.zip")
    with zipfile.ZipFile(path) as z:
        files = {n: z.read(n).decode() for n in z.namelist()}
    lines = files["stop_times.txt"].splitlines()
    at = next(i for i, ln in enumerate(lines) if ln.startswith("T2,") and ln.endswith(",3"))
    lines[at] = ",".join(lines[at].split(",")[:3] + ["GHOST", "3"])
    lines.append("NOPE,23:00:00,23:00:00,S1,1")
    files["stop_times.txt"] = "\n".join(lines) + "\n"
    write_feed(path, files)
    res = ingest(make_source("gtfs", id="refs"), path, database_url=db_url, log=_quiet)
    assert res.outcome == "loaded", res.reason
    rejected = conn.execute("SELECT line_no, reason_code, message FROM lineage.rejected_record "
                            "WHERE feed_version_id = %s ORDER BY line_no", (res.feed_version_id,)).fetchall()
    assert rejected == [(at + 1, "foreign_key_violation", "stop_id GHOST is not in stops.txt"),
                        (len(lines), "foreign_key_violation", "trip_id NOPE is not in trips.txt")]
    j = journeys(conn, "refs")
    assert "NOPE" not in j
    assert [r[0] for r in conn.execute("SELECT sequence FROM unified.call WHERE journey_id = %s ORDER BY sequence",
                                       (j["T2"][0],))] == [1, 2, 4, 5, 6]
    assert conn.execute("SELECT n_calls FROM staging.gtfs_trip_fact WHERE feed_version_id = %s AND trip_id = 'T2'",
                        (res.feed_version_id,)).fetchone()[0] == 5
    assert res.tables["unified.call"] == N_TRIPS * 6 - 1


def test_republication_pruning_and_a_new_loader(db_url, conn, make_source, tmp_path, monkeypatch):
    src = make_source("gtfs", id="incr2", retain_versions=2)
    a, b = feed(tmp_path / "a.zip"), feed(tmp_path / "b.zip", later={1, 2, 3})
    r1 = ingest(src, a, database_url=db_url, log=_quiet)
    v1 = journeys(conn, "incr2")
    r2 = ingest(src, b, database_url=db_url, log=_quiet)
    a_again = feed(tmp_path / "a-again.zip")
    assert a_again.read_bytes() != b.read_bytes()
    r3 = ingest(src, a_again, database_url=db_url, log=_quiet)
    assert [r.outcome for r in (r1, r2, r3)] == ["loaded"] * 3
    v3 = journeys(conn, "incr2")
    # A → B → A: the content of A is current again; trips B never changed kept their v1 rows throughout.
    assert set(v3) == set(v1)
    assert {t for t in v3 if v3[t] == v1[t]} == set(v1) - {"T1", "T2", "T3"}
    assert all(v3[t][1] == r3.feed_version_id for t in ("T1", "T2", "T3"))
    # retain_versions 2: v1 is pruned. Its rows still current stay (v2 and v3 hold them); the rows only v1
    # held (T1..T3 as v1 had them, closed when v2 was published) are gone.
    pruned = conn.execute("SELECT table_counts ? 'pruned' FROM lineage.feed_version WHERE id = %s",
                          (r1.feed_version_id,)).fetchone()[0]
    assert pruned
    left = {r[0] for r in conn.execute("SELECT id FROM unified.journey WHERE feed_version_id = %s",
                                       (r1.feed_version_id,))}
    assert left == {v1[t][0] for t in set(v1) - {"T1", "T2", "T3"}}
    assert conn.execute("SELECT count(*) FROM unified.call c LEFT JOIN unified.journey j ON j.id = c.journey_id "
                        "WHERE c.source_id = 'incr2' AND j.id IS NULL").fetchone()[0] == 0
    d = diff_versions(conn, "incr2", r2.feed_version_id, r3.feed_version_id)
    assert d["journeys"] == {"before": N_TRIPS, "after": N_TRIPS, "added": 0, "removed": 0}

    # Another loader (a fix in the format package) may map the same input differently: nothing is kept.
    monkeypatch.setattr("transport_etl.ingest.run.loader_digest", lambda _fmt: "another loader")
    r4 = ingest(src, a_again, database_url=db_url, log=_quiet, force=True)
    assert r4.outcome == "loaded"
    v4 = journeys(conn, "incr2")
    assert set(v4) == set(v1) and all(v4[t][1] == r4.feed_version_id for t in v4)
    assert conn.execute("SELECT count(*) FROM unified.call WHERE source_id = 'incr2' AND recorded_to IS NULL "
                        "AND feed_version_id <> %s", (r4.feed_version_id,)).fetchone()[0] == 0


def test_realtime_matches_journeys_kept_from_an_earlier_version(db_url, conn, make_source, tmp_path):
    from tests.integration.test_gtfs_rt_history import STATIC, T0, _message

    def static_zip(name: str, files: dict[str, str]) -> Path:
        return write_feed(tmp_path / name, files)

    gtfs = make_source("gtfs", id="dpmul-gtfs")
    v2 = dict(STATIC, **{"trips.txt": STATIC["trips.txt"] + "L5,WD,T2\n",
                         "stop_times.txt": STATIC["stop_times.txt"] + "T2,11:00:00,11:00:00,HN,1\n"
                                                                      "T2,11:04:00,11:04:00,MN,2\n"})
    r1 = ingest(gtfs, static_zip("v1.zip", STATIC), database_url=db_url, log=_quiet)
    r2 = ingest(gtfs, static_zip("v2.zip", v2), database_url=db_url, log=_quiet)
    assert (r1.outcome, r2.outcome) == ("loaded", "loaded")
    # T1 is kept from v1: its row names v1, and the current static version is v2.
    assert conn.execute("SELECT feed_version_id FROM unified.journey WHERE source_id = 'dpmul-gtfs' "
                        "AND local_id = 'T1' AND recorded_to IS NULL").fetchone()[0] == r1.feed_version_id
    f = tmp_path / "tu.pb"
    f.write_bytes(_message(T0))
    rt = ingest(make_source("gtfs-rt", id="dpmul-rt", static_source="dpmul-gtfs"), f, database_url=db_url,
                log=_quiet)
    assert rt.outcome == "loaded", rt.reason
    rows = conn.execute("SELECT u.stop_id, u.stop_matched, to_char(u.scheduled_departure AT TIME ZONE "
                        "'Europe/Prague', 'HH24:MI'), t.static_feed_version_id FROM unified.rt_stop_time_update u "
                        "JOIN unified.rt_trip_update t ON t.id = u.trip_update_id ORDER BY u.stop_sequence").fetchall()
    assert rows == [("MN", True, "10:04", r2.feed_version_id), ("DV", True, "10:07", r2.feed_version_id)]
