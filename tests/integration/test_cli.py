"""The CLI contract later issues and checks rely on."""

import json
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

MINI_GTFS = {
    "agency.txt": "agency_id,agency_name,agency_url,agency_timezone\nDPMUL,DPmÚL,https://www.dpmul.cz,Europe/Prague\n",
    "stops.txt": "stop_id,stop_name,stop_lat,stop_lon\nU1,Hlavní nádraží,50.65938,14.04446\nU2,Mírové náměstí,50.66095,14.03310\n",
    "routes.txt": "route_id,agency_id,route_short_name,route_long_name,route_type\nL31,DPMUL,31,,3\n",
    "trips.txt": "route_id,service_id,trip_id\nL31,WD,T1\n",
    "stop_times.txt": "trip_id,arrival_time,departure_time,stop_id,stop_sequence\nT1,06:00:00,06:00:00,U1,1\n"
                      "T1,06:04:00,06:04:00,U2,2\n",
    "calendar.txt": "service_id,monday,tuesday,wednesday,thursday,friday,saturday,sunday,start_date,end_date\n"
                    "WD,1,1,1,1,1,0,0,20261201,20261231\n",
}


def mini_gtfs(path: Path) -> Path:
    with zipfile.ZipFile(path, "w") as zf:
        for name, body in MINI_GTFS.items():
            zf.writestr(name, body)
    return path


def cli(*args: str, cwd: Path = ROOT) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "transport_etl.cli", *args], capture_output=True, text=True, cwd=cwd)


def test_ingest_json_reports_counts_per_file_and_table(db_url, tmp_path):
    proc = cli("ingest", "--format", "gtfs", "--source", "ul-mini", str(mini_gtfs(tmp_path / "feed.zip")), "--json")
    assert proc.returncode == 0, proc.stderr
    out = json.loads(proc.stdout)
    assert out["outcome"] == "loaded" and out["feed_version_id"]
    assert out["files"]["stop_times.txt"]["rows_loaded"] == 2
    assert out["tables"]["unified.stop_place"] == 2


def test_rejected_input_exits_nonzero_with_one_line_reason_and_keeps_current(db_url, conn, tmp_path):
    assert cli("ingest", "--format", "gtfs", "--source", "ul-mini", str(mini_gtfs(tmp_path / "feed.zip"))).returncode == 0
    current = conn.execute("SELECT id FROM lineage.feed_version WHERE is_current").fetchone()
    stops = conn.execute("SELECT count(*) FROM unified.stop_place WHERE recorded_to IS NULL").fetchone()
    bad = tmp_path / "not-a-zip.zip"
    bad.write_bytes(b"<html>oops</html>")
    proc = cli("ingest", "--format", "gtfs", "--source", "ul-mini", str(bad))
    assert proc.returncode == 1
    assert len(proc.stderr.strip().splitlines()) == 1 and "zip" in proc.stderr
    assert conn.execute("SELECT id FROM lineage.feed_version WHERE is_current").fetchone() == current
    assert conn.execute("SELECT count(*) FROM unified.stop_place WHERE recorded_to IS NULL").fetchone() == stops
    reason = conn.execute("SELECT reject_reason FROM lineage.feed_version WHERE status = 'rejected'").fetchone()[0]
    assert "zip" in reason
    # with --json too: stdout is the JSON object, stderr the one line
    proc = cli("ingest", "--format", "gtfs", "--source", "ul-mini", str(bad), "--json")
    assert proc.returncode == 1 and json.loads(proc.stdout)["outcome"] == "rejected"
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("transport-etl: ul-mini: ")


def test_db_status_lists_applied_migrations(db_url):
    proc = cli("db", "status")
    assert proc.returncode == 0 and "002_unified" in proc.stdout and "pending" not in proc.stdout


def test_unknown_source_file_is_a_clear_error(db_url, tmp_path):
    proc = cli("ingest", "--format", "gtfs", "--source", "ul-mini", str(tmp_path / "missing.zip"))
    assert proc.returncode == 1 and "input not found" in proc.stderr
