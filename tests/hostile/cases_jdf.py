"""Hostile JDF cases (fix-jdf): a NUL byte in a field, an ISO-8859-2 batch, CR-only line ends, unreadable
stop times and km, reversed date ranges. Each built from the demo's own JDF export, broken on purpose."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Callable
from pathlib import Path

from tests.hostile.damage import Builder, Case, Demo, jdf_batch_edit

JDF = "regional-jdf-duk"
BOUNDARY, ENCODING, DOMAIN = "boundary", "encoding", "domain"
# One batch instead of the demo's three, or a few records quarantined: the operator allows what the case
# is not about (the shrink of the timetable, the share of quarantined records).
SMALL = {"max_reject_ratio": 0.5, "max_shrink": 1.0}


def _bulk_edit(fn: Callable[[str, bytes], bytes], batches: tuple[str, ...] | None = None) -> Builder:
    """The demo's national export (JDF.zip, a zip of batch zips) with ``fn(file name, bytes)`` applied to
    every file of the named batches (all batches when None)."""
    def build(demo: Demo, tmp: Path) -> str:
        src = demo.path(JDF)
        out = tmp / "JDF.zip"
        with zipfile.ZipFile(src) as outer, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as zout:
            assert batches is None or set(batches) <= set(outer.namelist()), outer.namelist()
            for name in outer.namelist():
                data = outer.read(name)
                if batches is None or name in batches:
                    buf = io.BytesIO()
                    with zipfile.ZipFile(io.BytesIO(data)) as zin, zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
                        for inner in zin.namelist():
                            z.writestr(inner, fn(inner, zin.read(inner)))
                    data = buf.getvalue()
                zout.writestr(name, data)
        return str(out)
    return build


def _sub(old: str, new: str) -> Callable[[bytes], bytes]:
    """Replace the first occurrence of ``old`` (text, CP1250 as JDF is written)."""
    def edit(data: bytes) -> bytes:
        assert old.encode("cp1250") in data, old  # the demo still has what the case breaks
        return data.replace(old.encode("cp1250"), new.encode("cp1250"), 1)
    return edit


def _to_iso_8859_2(data: bytes) -> bytes:
    return data.decode("cp1250").encode("iso-8859-2")


def _cr_only(_name: str, data: bytes) -> bytes:
    return data.replace(b"\r\n", b"\r")


# Zasspoje.txt line 2 of the demo batch 551401: trip 1 at stop 30102, km 1, departure 05:14.
_CALL_2 = '"","1","","0514"'


def _call_2(km: str = "1", dep: str = "0514") -> Builder:
    return jdf_batch_edit("Zasspoje.txt", _sub(_CALL_2, f'"","{km}","","{dep}"'))


def _linky_reversed(name: str, data: bytes) -> bytes:
    return _sub('"14122025","12122026","1","1"', '"12122026","14122025","1","1"')(data) if name == "Linky.txt" \
        else data


JDF_CASES: list[Case] = [
    # A NUL byte in one field quarantines that record (the shared line rule), never a psycopg DataError (exit 4).
    Case("jdf_nul_byte_in_field", ENCODING, JDF, jdf_batch_edit("Spoje.txt", _sub('"551401","3",', '"551401","3\0",')),
         "loaded", reject=("Spoje.txt", 2, "invalid_character"), options=SMALL, cli=True),
    # ISO-8859-2 (Benešovo, žel.st.) is recognised per file and read right, with a notice naming the file.
    Case("jdf_iso_8859_2_stops", ENCODING, JDF, jdf_batch_edit("Zastavky.txt", _to_iso_8859_2), "loaded",
         notice=("encoding_recognised", "Zastavky.txt", None), options=SMALL),
    # Old Mac line ends (CR only) in every file of every batch: read like CRLF (else each file is one record).
    Case("jdf_cr_only_line_ends", BOUNDARY, JDF, _bulk_edit(_cr_only), "loaded"),
    # Unreadable stop times and km: the record is quarantined (file and line), the rest of the trip loads.
    Case("jdf_time_2460", DOMAIN, JDF, _call_2(dep="2460"), "loaded", reject=("Zasspoje.txt", 2, "invalid_time"),
         options=SMALL),
    Case("jdf_time_2430", DOMAIN, JDF, _call_2(dep="2430"), "loaded", reject=("Zasspoje.txt", 2, "invalid_time"),
         options=SMALL),
    Case("jdf_time_with_colon", DOMAIN, JDF, _call_2(dep="05:14"), "loaded",
         reject=("Zasspoje.txt", 2, "invalid_time"), options=SMALL),
    Case("jdf_km_without_time", DOMAIN, JDF, _call_2(dep=""), "loaded", reject=("Zasspoje.txt", 2, "missing_time"),
         options=SMALL),
    Case("jdf_km_nan", DOMAIN, JDF, _call_2(km="nan"), "loaded", reject=("Zasspoje.txt", 2, "invalid_km"),
         options=SMALL),
    Case("jdf_km_inf", DOMAIN, JDF, _call_2(km="inf"), "loaded", reject=("Zasspoje.txt", 2, "invalid_km"),
         options=SMALL),
    Case("jdf_km_1e400", DOMAIN, JDF, _call_2(km="1e400"), "loaded", reject=("Zasspoje.txt", 2, "invalid_km"),
         options=SMALL),
    # Reversed date ranges: quarantined with the reason, never read as "runs on those days" or "no service day".
    Case("jdf_caskody_range_reversed", DOMAIN, JDF, jdf_batch_edit("Caskody.txt", _sub(
        '"24122025","26122025"', '"26122025","24122025"')), "loaded",
         reject=("Caskody.txt", 1, "start_and_end_range_out_of_order"), options=SMALL),
    Case("jdf_linky_validity_reversed", DOMAIN, JDF, _bulk_edit(_linky_reversed, ("551401_1.zip",)), "loaded",
         reject=("551401_1.zip/Linky.txt", 1, "start_and_end_range_out_of_order"), options=SMALL),
]
