"""Field order of every JDF file per version (docs/formats/jdf.md §1.5), mapped onto one set of
version-independent column names: the staging tables use these names for all versions.

``None`` marks a reserve column, which is read (it counts towards the field count) but not kept.
"""

from __future__ import annotations

VERSIONS = ("1.9", "1.10", "1.11")

# Files a batch must contain (MP5 Annex 2, "required"), by lower-case stem.
REQUIRED = ("verzejdf", "zastavky", "dopravci", "linky", "zaslinky", "spoje", "zasspoje", "pevnykod", "caskody")

_L11 = {
    "verzejdf": ["version", "du_number", "district", "batch_id", "created", "generator"],
    "zastavky": ["stop_no", "town", "part", "place", "nearby_town", "country",
                 "code1", "code2", "code3", "code4", "code5", "code6"],
    "oznacniky": ["stop_no", "post_code", "name", "direction", "platform", None, None],
    "dopravci": ["ico", "dic", "name", "company_type", "person", "address", "phone_office", "phone_dispatch",
                 "phone_info", "fax", "email", "www", "carrier_distinction"],
    "linky": ["line_code", "name", "ico", "line_type", "mode", "diversion", "grouping", "uses_posts", "one_way",
              None, "licence_no", "licence_from", "licence_to", "valid_from", "valid_to",
              "carrier_distinction", "line_distinction"],
    "linext": ["line_code", "ordinal", "system_code", "local_code", "preferred", None, "line_distinction"],
    "zaslinky": ["line_code", "tariff_no", "tariff_zone", "stop_no", "avg_minutes", "code1", "code2", "code3",
                 "line_distinction"],
    "spoje": ["line_code", "trip_no", "code1", "code2", "code3", "code4", "code5", "code6", "code7", "code8",
              "code9", "code10", "group_code", "line_distinction"],
    "spojskup": ["group_code", "ordinal", "name", "description", None],
    "zasspoje": ["line_code", "trip_no", "tariff_no", "stop_no", "post_code", "platform", "code1", "code2", "code3",
                 "km", "arrival", "departure", "min_arrival", "max_departure", "line_distinction"],
    "udaje": ["line_code", "text_no", "text", "line_distinction"],
    "pevnykod": ["code_no", "symbol", None],
    "caskody": ["line_code", "trip_no", "timecode_no", "mark", "type", "date_from", "date_to", "note",
                "line_distinction"],
    "navaznosti": ["kind", "line_code", "trip_no", "tariff_no", "conn_line_code", "conn_stop", "conn_post",
                   "conn_end_stop", "conn_end_post", "wait_minutes", "note", "line_distinction"],
    "altdop": ["line_code", "trip_no", "ico", "code1", "code2", "code3", "code4", "code5", "code6", "timecode_type",
               None, "date_from", "date_to", "carrier_distinction", "line_distinction"],
    "altlinky": ["line_code", "alt_no", "country", "line_distinction"],
    "mistenky": ["line_code", "trip_no", "text", "line_distinction"],
}

_L10 = {
    **_L11,
    "linky": ["line_code", "name", "ico", "line_type", "mode", "diversion", "grouping", "uses_posts", None,
              "licence_no", "licence_from", "licence_to", "valid_from", "valid_to",
              "carrier_distinction", "line_distinction"],
    "zasspoje": ["line_code", "trip_no", "tariff_no", "stop_no", "post_code", "platform", "code1", "code2",
                 "km", "arrival", "departure", "line_distinction"],
    "navaznosti": ["kind", "line_code", "trip_no", "tariff_no", "conn_line_code", "conn_stop", "conn_post",
                   "conn_end_stop", "conn_end_post", "wait_minutes", "line_distinction"],
}

_L9 = {
    "verzejdf": ["version"],
    "zastavky": _L11["zastavky"],
    "dopravci": _L11["dopravci"][:12],
    "linky": ["line_code", "name", "ico", "line_type", None, "licence_no", "licence_from", "licence_to",
              "valid_from", "valid_to"],
    "zaslinky": ["line_code", "tariff_no", None, "stop_no", "avg_minutes", "code1", "code2"],
    "spoje": _L11["spoje"][:12],
    "zasspoje": ["line_code", "trip_no", "tariff_no", "stop_no", "platform", "code1", "code2", "km", "arrival",
                 "departure"],
    "udaje": ["line_code", "text_no", "text"],
    "pevnykod": _L11["pevnykod"],
    "caskody": _L11["caskody"][:8],
    "altdop": _L11["altdop"][:13],
    "altlinky": ["line_code", "alt_no", "country"],
    "mistenky": ["line_code", "trip_no", "text"],
}

LAYOUTS: dict[str, dict[str, list[str | None]]] = {"1.9": _L9, "1.10": _L10, "1.11": _L11}

# Every column any version has, per file: the staging table's columns (besides the locators).
COLUMNS: dict[str, list[str]] = {
    f: [c for c in _L11[f] if c is not None] for f in _L11
}

# Distinction columns 1.9 lacks: the reader fills "1" so that keys are uniform across versions.
DEFAULT_DISTINCTION = "1"
DISTINCTION_COLUMNS = ("line_distinction", "carrier_distinction")


def layout(version: str, stem: str) -> list[str | None] | None:
    """Column names of ``stem`` (lower-case file stem) in ``version``; None if the version has no such file."""
    return LAYOUTS[version].get(stem)
