"""The country-scale synthetic workload (bench/country.py): national volumes at factor 1, valid small feeds."""

import csv
import io
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from bench.country import CALLS_PER_TRIP, REGIONS, volumes, write_region_feed  # noqa: E402


def test_factor_one_is_the_whole_country():
    stops = sum(volumes(r, 1.0)[0] for r in REGIONS)
    calls = sum(volumes(r, 1.0)[1] for r in REGIONS) * CALLS_PER_TRIP
    assert len(REGIONS) == 14
    assert 19_500 <= stops <= 20_500 and 975_000 <= calls <= 1_025_000


def test_a_region_feed_is_consistent_and_deterministic(tmp_path):
    counts = write_region_feed("CZ041", tmp_path / "a", 0.01)
    write_region_feed("CZ041", tmp_path / "b", 0.01)
    assert (tmp_path / "a" / "CZ041.zip").read_bytes() == (tmp_path / "b" / "CZ041.zip").read_bytes()
    with zipfile.ZipFile(tmp_path / "a" / "CZ041.zip") as z:
        read = {n: list(csv.DictReader(io.StringIO(z.read(n).decode()))) for n in z.namelist()}
    stop_ids = {s["stop_id"] for s in read["stops.txt"]}
    trip_ids = {t["trip_id"] for t in read["trips.txt"]}
    assert len(read["stop_times.txt"]) == counts["stop_times"] == counts["trips"] * CALLS_PER_TRIP
    assert {st["stop_id"] for st in read["stop_times.txt"]} <= stop_ids
    assert {st["trip_id"] for st in read["stop_times.txt"]} == trip_ids
