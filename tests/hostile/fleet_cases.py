"""The hostile cases of the fleet formats (fleet-telemetry, charging-sessions, charging-points,
fleet-vehicles), built from the fleet demo's own files and broken on purpose, class by class."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

from tests.hostile.damage import Case, Demo, file_copy, link_into, set_field, utf16

TELE, SESSIONS = "fleet-kuuk-telemetry", "fleet-kuuk-charging-sessions"
REGISTER, DEPOT, VEHICLES = "fleet-charging-register", "fleet-kuuk-chargers", "fleet-kuuk-vehicles"
BOUNDARY, XML, POSITION, ENCODING, DOMAIN, FAILURE = "boundary", "xml", "position", "encoding", "domain", "failure"
TELE_CSV = "2026-01.csv"
# a small telemetry export: the operator allows it to replace the demo's three months (shrink), the case is
# about the damage
SMALL = {"max_shrink": 1.0, "max_reject_ratio": 0.5}


def _first_lines(demo: Demo, n: int = 120) -> list[bytes]:
    """Header and the first ``n`` records of the demo's January export (CRLF lines, as the vendor writes)."""
    with (demo.path(TELE) / TELE_CSV).open("rb") as f:
        return [f.readline() for _ in range(n + 1)]


def tele_csv(edit: Callable[[bytes], bytes], name: str = TELE_CSV) -> Callable[[Demo, Path], str]:
    """A telemetry folder holding one small export, its bytes transformed by ``edit``."""
    def build(demo: Demo, tmp: Path) -> str:
        folder = tmp / "telemetrie"
        folder.mkdir()
        (folder / name).write_bytes(edit(b"".join(_first_lines(demo))))
        return str(folder)
    return build


def tele_text(edit: Callable[[str], str]) -> Callable[[Demo, Path], str]:
    return tele_csv(lambda b: edit(b.decode("utf-8").replace("\r\n", "\n")).replace("\n", "\r\n").encode("utf-8"))


def _tele_field(line: int, col: str, value: str) -> Callable[[Demo, Path], str]:
    return tele_text(lambda t: set_field(t, line, col, value, ";"))


def _insert_line(line: int, payload: bytes) -> Callable[[bytes], bytes]:
    def edit(data: bytes) -> bytes:
        lines = data.split(b"\r\n")
        return b"\r\n".join(lines[: line - 1] + [payload] + lines[line - 1:])
    return edit


def _tele_jsonl_positions(demo: Demo, tmp: Path) -> str:
    """JSON lines of the first records; lines 2–5 swapped, NaN, 0,0 and Berlin."""
    head, *rows = [ln.decode("utf-8").rstrip("\r\n").split(";") for ln in _first_lines(demo, 8)]
    bad = {2: ("14.04452", "50.6595"), 3: (float("nan"), float("nan")), 4: ("0", "0"), 5: ("52.52", "13.40")}
    out = []
    for n, row in enumerate(rows, start=1):
        rec = dict(zip(head, row, strict=True))
        if n in bad:
            rec["lat"], rec["lon"] = bad[n]
        out.append(json.dumps(rec, allow_nan=True))
    folder = tmp / "telemetrie"
    folder.mkdir()
    (folder / "export.jsonl").write_text("\n".join(out) + "\n", encoding="utf-8")
    return str(folder)


def _gpx(edit: Callable[[str, Demo], str]) -> Callable[[Demo, Path], str]:
    def build(demo: Demo, tmp: Path) -> str:
        src = demo.path(TELE) / "KUUK-21_2026-01.gpx"
        folder = tmp / "telemetrie"
        folder.mkdir()
        (folder / src.name).write_text(edit(src.read_text(encoding="utf-8"), demo), encoding="utf-8")
        return str(folder)
    return build


def _gpx_xxe(text: str, demo: Demo) -> str:
    body = text.split("\n", 1)[1].replace("<name>", "<name>&x;", 1)
    return f'<?xml version="1.0"?>\n<!-- <gpx/> -->\n<!DOCTYPE gpx [<!ENTITY x SYSTEM "file://{demo.secret}">]>\n' + body


def _csv_edit(fn: Callable[[str], str], enc: str = "utf-8") -> Callable[[bytes, Demo], bytes]:
    return lambda data, _d: fn(data.decode("utf-8-sig")).encode(enc)


def _field(line: int, col: str, value: str) -> Callable[[str], str]:
    return lambda t: set_field(t, line, col, value, ";")


def _latlon(lat: str, lon: str, line: int = 3) -> Callable[[str], str]:
    return lambda t: set_field(set_field(t, line, "Zeměpisná šířka", lat, ";"), line, "Zeměpisná délka", lon, ";")


def _repeat_line(src: int) -> Callable[[str], str]:
    return lambda t: t.rstrip("\n") + "\n" + t.split("\n")[src - 1] + "\n"


def _long_line_at(line: int, nbytes: int) -> Callable[[str], str]:
    def fn(t: str) -> str:
        lines = t.split("\n")
        return "\n".join(lines[: line - 1] + ["7" * nbytes] + lines[line - 1:])
    return fn


FLEET_CASES: list[Case] = [
    # --- input boundaries ------------------------------------------------------------------------------
    # the shared line cap (catalog max_line_bytes, here lowered so the line does not outweigh the file)
    Case("fleet_telemetry_long_line_quarantined", BOUNDARY, TELE, tele_csv(_insert_line(3, b"9;" * 3000)),
         "loaded", reject=(TELE_CSV, 3, "line_too_long"), options={**SMALL, "max_line_bytes": 4096}),
    Case("fleet_telemetry_symlink_to_secret", BOUNDARY, TELE, link_into(TELE, "x.csv"), "rejected",
         r"x\.csv: symbolic link leads outside", cli=True),
    Case("fleet_telemetry_zip_instead_of_export", BOUNDARY, TELE, tele_csv(
        lambda _b: b"PK\x03\x04" + bytes(range(256)) * 64, "export.csv"), "rejected", r".+", cli=True),
    Case("fleet_register_long_line_quarantined", BOUNDARY, REGISTER, file_copy(REGISTER, _csv_edit(
        _long_line_at(3, 70_000))), "loaded", reject=("nabijeci_stanice_cr.csv", 3, "line_too_long"),
         options={"max_reject_ratio": 0.99}),
    # --- one XML path (GPX) ----------------------------------------------------------------------------
    Case("fleet_gpx_xxe_after_comment", XML, TELE, _gpx(_gpx_xxe), "rejected", r"declares a DTD or entities",
         options=SMALL),
    Case("fleet_gpx_truncated", XML, TELE, _gpx(lambda t, _d: t[: len(t) // 2]), "rejected", r"not well-formed",
         options=SMALL),
    # --- one position rule -----------------------------------------------------------------------------
    Case("fleet_telemetry_jsonl_swapped_nan_zero_far", POSITION, TELE, _tele_jsonl_positions, "loaded",
         notice=("lat_lon_swapped", "export.jsonl", 2), options=SMALL,
         more_notices=(("non_finite_position", "export.jsonl", 3), ("point_near_origin", "export.jsonl", 4),
                       ("outside_expected_extent", "export.jsonl", 5))),
    Case("fleet_register_swapped", POSITION, REGISTER, file_copy(REGISTER, _csv_edit(_latlon("14,0399", "50,6594"))),
         "loaded", notice=("lat_lon_swapped", "nabijeci_stanice_cr.csv", 3)),
    Case("fleet_depot_nan_position", POSITION, DEPOT, file_copy(DEPOT, _csv_edit(_latlon("NaN", "inf"))),
         "loaded", notice=("non_finite_position", "nabijeci_body_kuuk.csv", 3)),
    Case("fleet_vehicles_far_away", POSITION, VEHICLES, file_copy(VEHICLES, _csv_edit(
        lambda t: set_field(set_field(t, 3, "lat", "-33.86", ";"), 3, "lon", "151.2", ";"))), "loaded",
         notice=("outside_expected_extent", "vozidla.csv", 3)),
    # --- encodings ---------------------------------------------------------------------------------------
    Case("fleet_telemetry_utf16", ENCODING, TELE, tele_csv(lambda b: utf16(b.decode("utf-8"))), "loaded",
         notice=("encoding_recognised", TELE_CSV, None), options=SMALL),
    Case("fleet_telemetry_bare_cr_and_bom", ENCODING, TELE, tele_csv(
        lambda b: b"\xef\xbb\xbf" + b.replace(b"\r\n", b"\r")), "loaded", options=SMALL),
    Case("fleet_telemetry_nul_byte", ENCODING, TELE, _tele_field(3, "rychlost", "3\x000"), "loaded",
         reject=(TELE_CSV, 3, "invalid_character"), options=SMALL),
    Case("fleet_register_cp1250_declared_utf8", ENCODING, REGISTER, file_copy(REGISTER, _csv_edit(
        lambda t: t, "cp1250")), "loaded", notice=("encoding_recognised", "nabijeci_stanice_cr.csv", None)),
    Case("fleet_sessions_undecodable_byte", ENCODING, SESSIONS, file_copy(SESSIONS, lambda d, _x: d.replace(
        b"\n", b"\x81\n", 3).replace(b"\x81\n", b"\n", 2)), "loaded",
         reject=("nabijeni_relace.csv", 3, "invalid_character")),
    Case("fleet_vehicles_nul_byte", ENCODING, VEHICLES, file_copy(VEHICLES, _csv_edit(_field(3, "model", "a\x00b"))),
         "loaded"),
    # --- domain sanity -------------------------------------------------------------------------------------
    Case("fleet_telemetry_time_1970_and_2999", DOMAIN, TELE, tele_text(lambda t: set_field(
        set_field(t, 3, "cas", "1970-01-01 00:00:00", ";"), 4, "cas", "2999-01-01 00:00:00", ";")), "loaded",
         reject=(TELE_CSV, 3, "invalid_value"), options=SMALL),
    Case("fleet_telemetry_speed_1e308", DOMAIN, TELE, _tele_field(3, "rychlost", "1e308"), "loaded",
         reject=(TELE_CSV, 3, "invalid_value"), options=SMALL),
    Case("fleet_sessions_start_year_1542", DOMAIN, SESSIONS, file_copy(SESSIONS, _csv_edit(
        _field(3, "zacatek", "1542-01-01T00:00:00"))), "loaded", reject=("nabijeni_relace.csv", 3, "invalid_value")),
    Case("fleet_sessions_huge_energy", DOMAIN, SESSIONS, file_copy(SESSIONS, _csv_edit(
        _field(3, "energie_kwh", "9" * 400))), "loaded", reject=("nabijeni_relace.csv", 3, "invalid_value")),
    Case("fleet_vehicles_duplicate_id", DOMAIN, VEHICLES, file_copy(VEHICLES, _csv_edit(_repeat_line(2))), "loaded",
         reject=("vozidla.csv", None, "duplicate_key")),
    Case("fleet_register_formula_cells", DOMAIN, REGISTER, file_copy(REGISTER, _csv_edit(lambda t: set_field(
        _field(3, "Název", "=HYPERLINK(\"http://x\",\"a\")")(t), 4, "Provozovatel", "@SUM(1+1)*cmd|' /C calc'!A0",
        ";"))), "loaded"),
    # --- one line, whatever fails --------------------------------------------------------------------------
    Case("fleet_telemetry_header_only", FAILURE, TELE, tele_csv(lambda b: b.split(b"\r\n", 1)[0] + b"\r\n"),
         "rejected", r"no usable telemetry record", options=SMALL),
    Case("fleet_sessions_empty", FAILURE, SESSIONS, file_copy(SESSIONS, lambda d, _x: b""), "rejected", r"empty",
         cli=True),
    Case("fleet_vehicles_binary_garbage", FAILURE, VEHICLES, file_copy(VEHICLES, lambda d, _x: bytes(range(256)) * 8),
         "rejected", r".+", cli=True),
]
