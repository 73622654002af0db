"""Hostile cases of the municipal formats from the fuzzing campaign (parking CSV records and local times,
GBFS and GTFS-RT timestamps, GTFS-RT strings and duplicates): each ends in a quarantined record, a notice or
a clean one-line refusal."""

from __future__ import annotations

import json
import zlib
from collections.abc import Callable
from pathlib import Path

from tests.hostile.damage import Case, Demo, as_folder, file_copy, folder_copy, long_line, parking_row

GBFS, PARKING, RT = "municipal-nextbike-most-gbfs", "municipal-usti-parking", "municipal-dpmul-gtfs-rt"
BOUNDARY, ENCODING, DOMAIN, FAILURE = "boundary", "encoding", "domain", "failure"
CSV = "parkoviste-usti.csv"


def _parking_lines(edit: Callable[[list[str]], list[str]]):
    def fn(data: bytes, _demo: Demo) -> bytes:
        return "\n".join(edit(data.decode("utf-8").split("\n"))).encode("utf-8")
    return file_copy(PARKING, fn)


def _open_quote(lines: list[str]) -> list[str]:
    lines[4] = lines[4].replace(";", ';"', 1)   # line 5: a name opening a quote that never closes
    return lines


def _short_row(lines: list[str]) -> list[str]:
    lines[2] = ";".join(lines[2].split(";")[:3])   # line 3: 3 of 7 fields
    return lines


def _bad_byte(data: bytes, _demo: Demo) -> bytes:
    lines = data.split(b"\n")
    lines[3] = lines[3].replace(b";", b";\xff", 1)   # line 4: one byte that is not UTF-8; the rest is
    return b"\n".join(lines)


def _nul(data: bytes, _demo: Demo) -> bytes:
    lines = data.split(b"\n")
    lines[3] = lines[3].replace(b";", b";\x00", 1)
    return b"\n".join(lines)


def _gbfs_doc(feed: str, edit: Callable[[dict], None]):
    def fn(folder: Path, _demo: Demo) -> None:
        p = folder / f"{feed}.json"
        doc = json.loads(p.read_text(encoding="utf-8"))
        edit(doc)
        p.write_text(json.dumps(doc, allow_nan=True), encoding="utf-8")
    return as_folder(folder_copy(GBFS, fn))  # the folder: its digest covers the edited feed


def _gbfs_huge_int(folder: Path, _demo: Demo) -> None:
    p = folder / "station_information.json"
    p.write_text(p.read_text(encoding="utf-8").replace('"capacity": ', '"capacity": ' + "9" * 5000, 1),
                 encoding="utf-8")


def _set(path: str, value) -> Callable[[dict], None]:
    def edit(doc: dict) -> None:
        target = doc
        *parents, last = path.split(".")
        for k in parents:
            target = target[k] if not k.isdigit() else target[int(k)]
        target[last] = value
    return edit


def _languages_object(doc: dict) -> None:
    doc["data"].pop("language", None)   # GBFS 3.0 style: only data.languages, here of the wrong shape
    doc["data"]["languages"] = {"cs": "Czech"}


def _rt(name: str, edit: Callable[[Path, list], None]):
    """The demo recording with header timestamps shifted per case (so that no message repeats an earlier
    case's), then ``edit(folder, messages)``; the messages (or bytes put in their place) are written back."""
    from google.transit import gtfs_realtime_pb2 as pb

    shift = (zlib.crc32(name.encode()) % 5000 + 1) * 100_000

    def fn(folder: Path, _demo: Demo) -> None:
        files = sorted(folder.glob("*.pb"))
        msgs = []
        for f in files:
            m = pb.FeedMessage()
            m.ParseFromString(f.read_bytes())
            m.header.timestamp += shift
            msgs.append(m)
        edit(folder, msgs)
        for f, m in zip(files, msgs, strict=True):
            f.write_bytes(m if isinstance(m, bytes) else m.SerializePartialToString())
    return folder_copy(RT, fn)


def _first_trip_update(msgs: list):
    return next(e for e in msgs[0].entity if e.HasField("trip_update"))


def _rt_header_uint64(_folder: Path, msgs: list) -> None:
    msgs[0].header.timestamp = 2**64 - 1


def _rt_millis(_folder: Path, msgs: list) -> None:
    msgs[0].header.timestamp *= 1000


def _rt_nul(_folder: Path, msgs: list) -> None:
    _first_trip_update(msgs).trip_update.trip.trip_id = "L31\x00x"


def _rt_huge_stop_time(_folder: Path, msgs: list) -> None:
    _first_trip_update(msgs).trip_update.stop_time_update[0].arrival.time = 2**63 - 1


def _rt_not_utf8(_folder: Path, msgs: list) -> None:
    # a trip_id whose last two bytes are not UTF-8 (same length, so the message stays well-formed)
    trip_id = _first_trip_update(msgs).trip_update.trip.trip_id.encode()
    msgs[0] = msgs[0].SerializePartialToString().replace(trip_id, trip_id[:-2] + b"\xff\xfe", 1)


def _rt_copy(folder: Path, msgs: list) -> None:
    (folder / "03-copy.pb").write_bytes(msgs[0].SerializePartialToString())


def _rt_same_timestamp(_folder: Path, msgs: list) -> None:
    msgs[1].header.timestamp = msgs[0].header.timestamp   # other content, the same header timestamp


def _rt_readme(folder: Path, _msgs: list) -> None:
    (folder / "README.txt").write_text("recorded by hand\n", encoding="utf-8")


MUNI_CASES: list[Case] = [
    # --- parking CSV records --------------------------------------------------------------------------------
    Case("parking_unterminated_quote", DOMAIN, PARKING, _parking_lines(_open_quote), "loaded",
         reject=(CSV, 5, "unterminated_quote")),
    Case("parking_short_row", DOMAIN, PARKING, _parking_lines(_short_row), "loaded",
         reject=(CSV, 3, "invalid_row_length")),
    Case("parking_long_line_quarantined", BOUNDARY, PARKING, file_copy(PARKING, lambda d, _x: long_line(200_000)(
        d.decode("utf-8")).encode("utf-8")), "loaded", reject=(CSV, 3, "line_too_long"),
         options={"max_rejected_bytes_ratio": 1.0}),
    Case("parking_utf8_one_bad_byte", ENCODING, PARKING, file_copy(PARKING, _bad_byte), "loaded",
         reject=(CSV, 4, "invalid_character")),
    Case("parking_nul_line", ENCODING, PARKING, file_copy(PARKING, _nul), "loaded",
         reject=(CSV, 4, "invalid_character")),
    Case("parking_time_in_dst_gap", DOMAIN, PARKING, parking_row("CAS_AKTUALIZACE", "2026-03-29 02:30"), "loaded",
         reject=(CSV, 3, "invalid_value")),
    Case("parking_time_in_dst_fold", DOMAIN, PARKING, parking_row("CAS_AKTUALIZACE", "2026-10-25 02:30"), "loaded",
         notice=("ambiguous_local_time", CSV, 3)),
    # --- GBFS times and shapes ------------------------------------------------------------------------------
    Case("gbfs_last_updated_nan", DOMAIN, GBFS, _gbfs_doc("station_status", _set("last_updated", float("nan"))),
         "loaded", notice=("status_unavailable", "station_status.json", None)),
    Case("gbfs_last_updated_milliseconds", DOMAIN, GBFS,
         _gbfs_doc("station_status", _set("last_updated", 1_772_442_000_000)), "loaded",
         notice=("timestamp_in_milliseconds", "station_status.json", None)),
    Case("gbfs_last_reported_1e20", DOMAIN, GBFS,
         _gbfs_doc("station_status", _set("data.stations.0.last_reported", 1e20)), "loaded",
         notice=("invalid_time", "station_status.json", None)),
    Case("gbfs_languages_object", DOMAIN, GBFS, _gbfs_doc("system_information", _languages_object),
         "loaded", notice=("invalid_field_value", "system_information.json", None)),
    Case("gbfs_5000_digit_number", FAILURE, GBFS, as_folder(folder_copy(GBFS, _gbfs_huge_int)), "rejected",
         r"not JSON: a number of more than 4300 digits", cli=True),
    # --- GTFS-RT times, strings, duplicates -----------------------------------------------------------------
    Case("gtfs_rt_header_uint64_max", DOMAIN, RT, _rt("h64", _rt_header_uint64), "loaded",
         reject=("-1796097820.pb", None, "invalid_protobuf")),
    Case("gtfs_rt_milliseconds", DOMAIN, RT, _rt("ms", _rt_millis), "loaded",
         notice=("timestamp_in_milliseconds", None, None)),
    Case("gtfs_rt_stop_time_int64_max", DOMAIN, RT, _rt("stu", _rt_huge_stop_time), "loaded",
         reject=("-1796097820.pb", None, "invalid_time")),
    Case("gtfs_rt_nul_in_trip_id", ENCODING, RT, _rt("nul", _rt_nul), "loaded",
         reject=("-1796097820.pb", None, "invalid_character")),
    Case("gtfs_rt_trip_id_not_utf8", ENCODING, RT, _rt("utf8", _rt_not_utf8), "loaded",
         reject=("-1796097820.pb", None, "invalid_character")),
    Case("gtfs_rt_duplicate_copy", DOMAIN, RT, _rt("copy", _rt_copy), "loaded",
         notice=("duplicate_message", "03-copy.pb", None)),
    Case("gtfs_rt_same_timestamp_other_content", DOMAIN, RT, _rt("same", _rt_same_timestamp), "loaded",
         notice=("same_header_timestamp", None, None)),
    Case("gtfs_rt_unused_file", BOUNDARY, RT, _rt("readme", _rt_readme), "loaded",
         notice=("unused_file", "README.txt", None)),
]
